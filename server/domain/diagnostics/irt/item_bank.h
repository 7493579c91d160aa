#pragma once
// From an instrument version and its stored answers to what the item response model needs, and
// back (pure): per-area response matrices for calibration, the adaptive bank of an area, and the
// fixed form's scoring blueprint with calibrated parameters (for the θ cuts of its levels).
//
// Which answers count: Likert items are self-reports and stay out. Every other item is
// dichotomised (model.h): choice items and short answers are correct when fully right (pass
// fraction 1, so partial credit of a multiple-choice item counts as not yet mastered); an
// expert-scored item passes at its area's basic threshold (the score share that is "not a
// deficit"). An item belongs to the area of the framework where its indicator weights sum highest.

#include <map>
#include <string>
#include <vector>

#include "server/domain/diagnostics/irt/ability_levels.h"
#include "server/domain/diagnostics/irt/adaptive.h"
#include "server/domain/diagnostics/irt/calibration.h"
#include "server/domain/diagnostics/item_scoring.h"
#include "server/domain/diagnostics/scoring.h"

namespace nms::diagnostics::irt {

// Area (nms.v1.CompetencyArea) of an item, 0 when none of its indicators is in the framework.
int ItemArea(const Framework& framework, const ItemDef& item);
// The indicator with the item's largest weight (the first on ties), "" without weights.
std::string PrimaryIndicator(const ItemDef& item);
bool Calibratable(const ItemDef& item);
double PassFraction(const Framework& framework, const ItemDef& item);

struct AreaData {
  int area = 0;
  std::vector<std::string> item_ids;  // matrix columns, instrument order
  ResponseMatrix matrix;              // rows: sessions
};

// One matrix per area that has calibratable items (framework order). `sessions` holds, per
// session, the fraction 0..1 of each item it presented (a fixed-form session: every online item,
// unanswered = 0, and the expert items already scored; an adaptive one: only those it showed).
std::vector<AreaData> BuildAreaMatrices(const Framework& framework, const std::vector<ItemDef>& items,
                                        const std::vector<std::map<std::string, double>>& sessions);

// The adaptive bank of an area: its calibrated items, misfitting ones left out unless asked
// (they stay on the fixed form until the owners look at them).
std::vector<BankItem> AreaBank(const AreaData& data, const CalibrationResult& calibration,
                               const std::vector<ItemDef>& items, bool keep_misfits = false);

// The fixed form's scoring of an area (items of the area only, by indicator, with their weights)
// in calibrated parameters. An item calibration excluded (everyone passed, nobody did, too few
// answers) enters as a flat curve at its observed proportion correct, so the expected percent —
// and with it the θ cuts — still matches what the form gives.
AreaBlueprint AreaBlueprintFor(const Framework& framework, const AreaData& data, const CalibrationResult& calibration,
                               const std::vector<ItemDef>& items);

}  // namespace nms::diagnostics::irt
