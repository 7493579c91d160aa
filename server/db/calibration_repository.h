#pragma once
// SQL of item calibration (issue 18): the long-running calibration operations, the stored
// calibration of an instrument (per area and item), and the stored answers of an instrument's
// finished sessions that calibration and item analytics read. Every method runs on the caller's
// connection so the caller decides the transaction.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/diagnostics.pb.h"
#include "nms/v1/item_calibration.pb.h"

namespace nms::db {

// One finished session of an instrument with what it answered.
struct StoredSession {
  int64_t session_id = 0;
  int organization_type = 0;  // nms.v1.OrganizationType of the participant's organisation
  bool adaptive = false;      // answered only the items it was shown
  std::map<std::string, nms::v1::ItemAnswer> answers;
  std::map<std::string, double> external_scores;  // expert-scored items, points
};

// One item an adaptive session administered, in order.
struct AdaptiveStep {
  int step = 0;  // from 1
  std::string item_id;
  int area = 0;  // nms.v1.CompetencyArea of the item's bank
};

struct CalibrationOperationRow {
  int64_t id = 0, region_id = 0, instrument_id = 0;
  int state = 0;  // nms.v1.CalibrationOperationState
};

class CalibrationRepository {
 public:
  static int64_t InsertOperation(sql::Connection& c, int64_t region_id, int64_t instrument_id, int64_t account_id);
  // The instrument's operation still pending or running, if any.
  static std::optional<int64_t> ActiveOperation(sql::Connection& c, int64_t instrument_id);
  static absl::StatusOr<nms::v1::CalibrationOperation> GetOperation(sql::Connection& c, int64_t id,
                                                                    CalibrationOperationRow* row = nullptr);
  // Takes a PENDING operation, or a RUNNING one whose worker stopped beating, for `worker`;
  // operations other workers hold are skipped, not waited for.
  static std::optional<CalibrationOperationRow> Claim(sql::Connection& c, const std::string& worker,
                                                      int stale_seconds);
  // Progress in percent; false when the operation is no longer this worker's.
  static bool Advance(sql::Connection& c, int64_t id, const std::string& worker, int percent,
                      const std::string& phase);
  static void Finish(sql::Connection& c, int64_t id, bool ok, const std::string& error_message, int areas,
                     int items);
  // Hands a running operation back (clean shutdown).
  static void Release(sql::Connection& c, int64_t id, const std::string& worker);

  // Replaces the instrument's stored calibration with `cal` (areas and items in order).
  static void StoreCalibration(sql::Connection& c, int64_t instrument_id, int64_t operation_id,
                               const nms::v1::ItemCalibration& cal);
  // FAILED_PRECONDITION (Russian) when the instrument was never calibrated.
  static absl::StatusOr<nms::v1::ItemCalibration> GetCalibration(sql::Connection& c, int64_t instrument_id);

  // Whether the instrument has a stored calibration with at least one calibrated area.
  static bool HasUsableCalibration(sql::Connection& c, int64_t instrument_id);

  // The items an adaptive session administered, by step (empty for a fixed-form session).
  static std::vector<AdaptiveStep> AdaptiveSteps(sql::Connection& c, int64_t session_id);
  static void InsertAdaptiveStep(sql::Connection& c, int64_t session_id, const AdaptiveStep& step);

  // Submitted and timed-out sessions of the instrument, by id, with answers and expert scores.
  static std::vector<StoredSession> LoadFinishedSessions(sql::Connection& c, int64_t instrument_id);
};

}  // namespace nms::db
