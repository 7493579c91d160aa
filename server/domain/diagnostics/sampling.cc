#include "server/domain/diagnostics/sampling.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "absl/strings/str_cat.h"

namespace nms::diagnostics {

namespace {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fully specified, good enough for sampling.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) without modulo bias (Lemire's multiply-and-reject).
  uint64_t Below(uint64_t bound) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * bound;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < bound) {
      uint64_t threshold = -bound % bound;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * bound;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

 private:
  uint64_t state_;
};

}  // namespace

std::vector<Quota> RegulationQuotas() { return {{1, 0.65}, {2, 0.11}, {3, 0.17}, {4, 0.07}}; }

std::vector<std::string> ValidateSampleSpec(double fraction, const std::vector<Quota>& quotas) {
  std::vector<std::string> errors;
  if (!std::isfinite(fraction) || fraction <= 0 || fraction > 1) {
    errors.push_back("sample_fraction: доля выборки должна быть больше 0 и не больше 1");
  }
  if (quotas.empty()) errors.push_back("quotas: укажите квоты по типам организаций");
  std::set<int> seen;
  double sum = 0;
  for (size_t i = 0; i < quotas.size(); ++i) {
    const auto& q = quotas[i];
    if (q.stratum < 1 || q.stratum > 8) {
      errors.push_back(absl::StrCat("quotas[", i, "].organization_type: не задан или неизвестен тип"));
    } else if (!seen.insert(q.stratum).second) {
      errors.push_back(absl::StrCat("quotas[", i, "].organization_type: тип указан дважды"));
    }
    if (!std::isfinite(q.share) || q.share < 0 || q.share > 1) {
      errors.push_back(absl::StrCat("quotas[", i, "].share: доля от 0 до 1"));
    } else {
      sum += q.share;
    }
  }
  if (!quotas.empty() && std::fabs(sum - 1.0) > 1e-3) {
    errors.push_back(absl::StrCat("quotas: сумма долей должна быть равна 1 (сейчас ", sum, ")"));
  }
  return errors;
}

std::vector<int64_t> LargestRemainder(int64_t total, const std::vector<double>& shares) {
  std::vector<int64_t> out(shares.size(), 0);
  long double sum = 0;
  for (double s : shares) sum += s > 0 && std::isfinite(s) ? s : 0;
  if (total <= 0 || sum <= 0) return out;
  std::vector<long double> remainder(shares.size(), 0);
  int64_t assigned = 0;
  for (size_t i = 0; i < shares.size(); ++i) {
    long double s = shares[i] > 0 && std::isfinite(shares[i]) ? shares[i] : 0;
    // Quantised at 1e-9 so 0.65 × 960 is 624, not 623.99999…: binary shares are inexact.
    long double exact = std::round(total * s / sum * 1e9L) / 1e9L;
    out[i] = static_cast<int64_t>(std::floor(exact));
    remainder[i] = exact - out[i];
    assigned += out[i];
  }
  std::vector<size_t> order(shares.size());
  std::iota(order.begin(), order.end(), 0);
  // Remainders are compared at 1e-9 so rounding noise ties, and ties go to the earlier share
  // (stable sort on a quantised key keeps the ordering strict-weak).
  std::vector<int64_t> key(shares.size());
  for (size_t i = 0; i < shares.size(); ++i) key[i] = std::llround(static_cast<double>(remainder[i]) * 1e9);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key[a] > key[b]; });
  for (size_t k = 0; assigned < total && k < order.size(); ++k, ++assigned) ++out[order[k]];
  return out;
}

int64_t SampleSize(int64_t frame_size, double fraction) {
  if (frame_size <= 0 || !(fraction > 0)) return 0;
  if (fraction >= 1) return frame_size;
  // 0.3 × 5 is 1.4999… in binary: quantise before rounding half up.
  long double exact = std::round(frame_size * static_cast<long double>(fraction) * 1e9L) / 1e9L;
  return std::min<int64_t>(frame_size, static_cast<int64_t>(std::floor(exact + 0.5L)));
}

SampleResult DrawStratifiedSample(const std::vector<FrameMember>& frame, double fraction,
                                  const std::vector<Quota>& quotas, uint64_t seed) {
  std::map<int, std::set<int64_t>> by_stratum;
  for (const auto& q : quotas) by_stratum[q.stratum];
  for (const auto& m : frame) {
    auto it = by_stratum.find(m.stratum);
    if (it != by_stratum.end()) it->second.insert(m.person_id);
  }
  // A person in two strata (should not happen: one primary organisation) stays in the first.
  std::set<int64_t> seen;
  for (auto& [stratum, ids] : by_stratum) {
    for (auto it = ids.begin(); it != ids.end();) {
      it = seen.insert(*it).second ? std::next(it) : ids.erase(it);
    }
  }
  int64_t frame_size = static_cast<int64_t>(seen.size());
  std::vector<double> shares;
  for (const auto& q : quotas) shares.push_back(q.share);
  std::vector<int64_t> targets = LargestRemainder(SampleSize(frame_size, fraction), shares);

  SampleResult out;
  for (size_t i = 0; i < quotas.size(); ++i) {
    const auto& ids_set = by_stratum[quotas[i].stratum];
    std::vector<int64_t> ids(ids_set.begin(), ids_set.end());  // ascending
    int64_t take = std::min<int64_t>(targets[i], static_cast<int64_t>(ids.size()));
    // Each stratum has its own stream, so adding a stratum does not change the others' draws.
    SplitMix64 rng(seed ^ (0xD1B54A32D192ED03ULL * static_cast<uint64_t>(quotas[i].stratum + 1)));
    for (int64_t k = 0; k < take; ++k) {
      uint64_t j = static_cast<uint64_t>(k) + rng.Below(static_cast<uint64_t>(ids.size()) - static_cast<uint64_t>(k));
      std::swap(ids[static_cast<size_t>(k)], ids[static_cast<size_t>(j)]);
      out.drawn.push_back(ids[static_cast<size_t>(k)]);
    }
    out.strata.push_back({quotas[i].stratum, static_cast<int64_t>(ids.size()), targets[i], take});
  }
  std::sort(out.drawn.begin(), out.drawn.end());
  return out;
}

}  // namespace nms::diagnostics
