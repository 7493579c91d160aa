#pragma once
// Adaptive testing of one competency area from a calibrated bank (pure).
//
// NextStep is a function of (bank, config, answers so far, session seed) only, so a session
// resumes on any device, or offline from a cached bank, by replaying its answers: the estimate,
// the stop decision and the next item come out the same.
//
//  * Ability: EAP with its posterior SD over the config's prior (the calibration scale, N(0, 1)).
//  * Stop: after at least min_items, when the posterior SD reaches target_se, or when the level
//    is already decided (posterior probability ≥ level_confidence that θ lies in the band of the
//    estimate between `cuts`; 0 switches this off), or at max_items, or when the bank runs out.
//  * Selection: maximum Fisher information at the current EAP (or, for classification, at the
//    level cut nearest to it), under
//      - content balancing across indicators (Kingsbury–Zara): the next item comes from the
//        indicator furthest below its share of the bank, so every indicator the fixed form covers
//        keeps its weight in short sessions too;
//      - randomesque exposure control: a uniform draw among the `randomesque` most informative
//        items of that indicator, so the best items are not shown to everyone with the same θ.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/diagnostics/irt/model.h"

namespace nms::diagnostics::irt {

struct BankItem {
  std::string item_id;
  std::string indicator;  // the indicator the item measures (its largest weight)
  ItemParams params;
};

struct AdaptiveConfig {
  double target_se = 0.3;
  int min_items = 3;
  int max_items = 15;
  int randomesque = 3;
  bool content_balancing = true;
  double level_confidence = 0;  // 0 = stop on SE / count only
  std::vector<double> cuts;     // ascending θ cuts between levels, for level_confidence
  // Classification variant of the selection: information at the cut nearest the EAP instead of
  // at the EAP itself (sharper where a level is decided; needs `cuts`).
  bool select_at_nearest_cut = false;
  Quadrature prior = NormalQuadrature(61, 5.0);
};

enum class StopReason : int { kContinue = 0, kTargetSe = 1, kMaxItems = 2, kBankExhausted = 3, kLevelDecided = 4 };

struct AdaptiveStep {
  AbilityEstimate estimate;
  StopReason stop = StopReason::kContinue;
  int next_item = -1;  // index into the bank while kContinue
};

// INVALID_ARGUMENT (Russian) when an answer names an item outside the bank or repeats one, or
// the config is out of range.
absl::StatusOr<AdaptiveStep> NextStep(const std::vector<BankItem>& bank, const AdaptiveConfig& config,
                                      const std::vector<Response>& answers, uint64_t seed);

// Probability under N(theta, sd) of the band [cuts[k-1], cuts[k]) that contains `theta`.
double BandProbability(double theta, double sd, const std::vector<double>& cuts);

}  // namespace nms::diagnostics::irt
