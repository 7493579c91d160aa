#pragma once
// The whole calibration of one instrument version, as the background operation runs it (pure):
// per area, the response matrix from the stored sessions, EM, the adaptive bank, the fixed form's
// blueprint and its θ cuts; then the correlations of the areas for collateral priors. And the
// inverse for a finished adaptive session: its answers per area to the usual profile.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/domain/diagnostics/irt/ability_levels.h"
#include "server/domain/diagnostics/irt/adaptive.h"
#include "server/domain/diagnostics/irt/calibration.h"
#include "server/domain/diagnostics/irt/item_bank.h"

namespace nms::diagnostics::irt {

struct AreaCalibration {
  int area = 0;
  absl::Status status;  // FAILED_PRECONDITION (Russian) when the area had too little data
  std::vector<std::string> item_ids;
  CalibrationResult result;
  std::vector<BankItem> bank;
  AreaBlueprint blueprint;
  ThetaCuts cuts;
};

struct InstrumentCalibration {
  std::vector<AreaCalibration> areas;  // framework order; areas without calibratable items absent
  std::vector<int> correlated_areas;   // the calibrated areas, in the order of `correlation`
  std::vector<double> correlation;     // row-major, from sessions that answered in all of them
};

// Fraction 0..1 of the work done, for the operation's progress.
using InstrumentProgress = std::function<void(double done)>;

InstrumentCalibration CalibrateInstrument(const Framework& framework, const std::vector<ItemDef>& items,
                                          const std::vector<std::map<std::string, double>>& sessions,
                                          const CalibrationOptions& options = {},
                                          const InstrumentProgress& progress = nullptr);

// Answers of an adaptive session: per area, (bank index, correct) in the order shown.
using AdaptiveAnswers = std::map<int, std::vector<Response>>;

// θ per answered area (EAP; with `collateral`, each area's prior conditioned on the others') and
// the profile they give through the fixed form's scoring. Areas without a successful calibration
// or without answers are not assessed.
struct AdaptiveResult {
  std::map<int, AbilityEstimate> ability;
  Profile profile;
};
AdaptiveResult ScoreAdaptive(const Framework& framework, const InstrumentCalibration& calibration,
                             const AdaptiveAnswers& answers, bool collateral);

}  // namespace nms::diagnostics::irt
