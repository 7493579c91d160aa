#pragma once
// Item calibration and item analytics (issue 18) as the DiagnosticsService RPCs and the
// calibration worker share them: an instrument's finished sessions turned into what the IRT
// domain reads, and the domain's calibration turned into the stored message.

#include <map>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/diagnostics.pb.h"
#include "nms/v1/item_calibration.pb.h"
#include "server/db/calibration_repository.h"
#include "server/db/diagnostics_repository.h"
#include "server/services/diagnostics_common.h"
#include "server/domain/diagnostics/irt/instrument_calibration.h"
#include "server/domain/diagnostics/item_scoring.h"
#include "server/domain/diagnostics/scoring.h"

namespace nms::services::diag {

struct CalibrationInputs {
  int64_t instrument_id = 0;
  int64_t region_id = 0;
  nms::v1::Instrument instrument;
  diagnostics::Framework framework;
  std::vector<diagnostics::ItemDef> items;  // presentation order
  std::vector<db::StoredSession> sessions;  // finished sessions, by id
};

// The instrument, its framework and its finished sessions.
absl::StatusOr<CalibrationInputs> LoadCalibrationInputs(sql::Connection& c, int64_t instrument_id);

// Per session, the fraction 0..1 of each item it scored (online items unanswered = 0; expert
// items only once scored), as the domain's calibration reads sessions.
std::vector<std::map<std::string, double>> SessionFractions(const CalibrationInputs& in);

// The domain's calibration as stored and shown.
nms::v1::ItemCalibration CalibrationToProto(const CalibrationInputs& in,
                                            const diagnostics::irt::InstrumentCalibration& cal);

// The stored calibration as the domain reads it: per calibrated area its items' parameters, the
// adaptive bank, and the fixed form's blueprint and θ cuts (recomputed from the parameters).
diagnostics::irt::InstrumentCalibration CalibrationFromProto(const nms::v1::ItemCalibration& stored,
                                                             const diagnostics::Framework& framework,
                                                             const std::vector<diagnostics::ItemDef>& items);

// Moves an adaptive session on (campaign.adaptive): the pending item while it is unanswered,
// else the next item the domain chooses for the first area whose stop rule has not fired (stored
// as a new step, so every device resumes on it), or "" when every area has stopped.
absl::StatusOr<std::string> AdvanceAdaptive(sql::Connection& c, ScoringCache& cache, const db::SessionRecord& s,
                                            const nms::v1::Campaign& campaign);

// Scores an adaptive session (it has steps): θ per area from its answers, then the fixed form's
// levels and deficits through the θ cuts. Always FINAL (no expert items are administered).
absl::Status ScoreAdaptiveInto(sql::Connection& c, ScoringCache& cache, const db::SessionRecord& s,
                               int64_t framework_id, nms::v1::DiagnosticResult* result);

}  // namespace nms::services::diag
