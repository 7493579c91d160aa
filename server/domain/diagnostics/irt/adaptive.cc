#include "server/domain/diagnostics/irt/adaptive.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nms::diagnostics::irt {

double BandProbability(double theta, double sd, const std::vector<double>& cuts) {
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  for (double c : cuts) {
    if (theta >= c) lo = c;
    else {
      hi = c;
      break;
    }
  }
  if (!(sd > 0)) return 1.0;
  const double plo = std::isinf(lo) ? 0.0 : NormalCdf((lo - theta) / sd);
  const double phi = std::isinf(hi) ? 1.0 : NormalCdf((hi - theta) / sd);
  return phi - plo;
}

absl::StatusOr<AdaptiveStep> NextStep(const std::vector<BankItem>& bank, const AdaptiveConfig& config,
                                      const std::vector<Response>& answers, uint64_t seed) {
  if (config.max_items < 1 || config.min_items < 0 || config.randomesque < 1 || !(config.target_se > 0) ||
      config.level_confidence < 0 || config.level_confidence >= 1 || !std::is_sorted(config.cuts.begin(), config.cuts.end())) {
    return absl::InvalidArgumentError("Настройки адаптивного режима вне допустимых пределов");
  }
  std::vector<char> used(bank.size(), 0);
  std::vector<ItemParams> params;
  params.reserve(bank.size());
  for (const BankItem& b : bank) params.push_back(b.params);
  for (size_t t = 0; t < answers.size(); ++t) {
    const int j = answers[t].item;
    if (j < 0 || static_cast<size_t>(j) >= bank.size()) {
      return absl::InvalidArgumentError(absl::StrCat("Ответ ", t + 1, " относится к заданию вне банка"));
    }
    if (used[j]) {
      return absl::InvalidArgumentError(absl::StrCat("Задание «", bank[j].item_id, "» уже было предъявлено"));
    }
    used[j] = 1;
  }
  AdaptiveStep step;
  step.estimate = Eap(params, answers, config.prior);
  const int n = static_cast<int>(answers.size());
  if (n >= config.max_items) {
    step.stop = StopReason::kMaxItems;
    return step;
  }
  if (n >= config.min_items) {
    if (step.estimate.sd <= config.target_se) {
      step.stop = StopReason::kTargetSe;
      return step;
    }
    if (config.level_confidence > 0 &&
        BandProbability(step.estimate.theta, step.estimate.sd, config.cuts) >= config.level_confidence) {
      step.stop = StopReason::kLevelDecided;
      return step;
    }
  }
  // Candidates: unused items, restricted to the indicator most behind its share of the bank.
  std::map<std::string, std::pair<int, int>> count;  // indicator -> (in bank, administered)
  for (size_t j = 0; j < bank.size(); ++j) {
    auto& c = count[bank[j].indicator];
    ++c.first;
    c.second += used[j];
  }
  std::string pick_indicator;
  bool restrict = false;
  if (config.content_balancing && count.size() > 1) {
    double best = -std::numeric_limits<double>::infinity();
    for (const auto& [code, c] : count) {
      if (c.second >= c.first) continue;  // nothing left there
      const double behind = static_cast<double>(c.first) / static_cast<double>(bank.size()) * (n + 1) - c.second;
      if (behind > best + 1e-12) {  // map order breaks ties: reproducible
        best = behind;
        pick_indicator = code;
        restrict = true;
      }
    }
  }
  double at = step.estimate.theta;
  if (config.select_at_nearest_cut) {
    double best = std::numeric_limits<double>::infinity();
    for (double c : config.cuts) {
      if (std::isfinite(c) && std::abs(c - step.estimate.theta) < best) {
        best = std::abs(c - step.estimate.theta);
        at = c;
      }
    }
  }
  std::vector<std::pair<double, int>> ranked;  // (-information, index): best first, index breaks ties
  for (size_t j = 0; j < bank.size(); ++j) {
    if (used[j] || (restrict && bank[j].indicator != pick_indicator)) continue;
    ranked.emplace_back(-Information(bank[j].params, at), static_cast<int>(j));
  }
  if (ranked.empty()) {
    step.stop = StopReason::kBankExhausted;
    return step;
  }
  std::sort(ranked.begin(), ranked.end());
  const int k = std::min<int>(config.randomesque, static_cast<int>(ranked.size()));
  const int draw = std::min(k - 1, static_cast<int>(UniformFor(seed, static_cast<uint64_t>(n)) * k));
  step.next_item = ranked[draw].second;
  return step;
}

}  // namespace nms::diagnostics::irt
