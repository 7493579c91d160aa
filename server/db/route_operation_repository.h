#pragma once
// Long-running route operations (bulk generation). The operation row is the whole state of
// the work: options, the cursor of the last committed batch, counters and per-teacher errors,
// so a worker on any replica can resume it after a crash or restart.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "nms/v1/route.pb.h"

namespace nms::db {

struct OperationRow {
  int64_t id = 0, region_id = 0, campaign_id = 0, account_id = 0, actor_person_id = 0;
  std::string scope;  // "" or "municipalities/3", …
  nms::v1::RouteGenerationOptions options;
  absl::CivilDay start_date;
  int state = 0;  // nms.v1.RouteOperationState
  int64_t total = 0, done = 0, cursor_person_id = 0;
  std::string worker;
};

class RouteOperationRepository {
 public:
  static int64_t Insert(sql::Connection& c, int64_t region_id, int64_t campaign_id, const std::string& scope,
                        const nms::v1::RouteGenerationOptions& options, absl::CivilDay start_date, int64_t account_id,
                        int64_t actor_person_id);
  static absl::StatusOr<nms::v1::RouteOperation> Get(sql::Connection& c, int64_t id);
  static absl::StatusOr<OperationRow> GetRow(sql::Connection& c, int64_t id, bool for_update = false);
  // Takes a PENDING operation, or a RUNNING one whose worker stopped sending heartbeats, for
  // `worker`. Operations other workers hold are skipped, not waited for.
  static std::optional<int64_t> Claim(sql::Connection& c, const std::string& worker, int stale_seconds);
  // Progress of one committed batch; false when the operation is no longer this worker's.
  static bool Advance(sql::Connection& c, int64_t id, const std::string& worker, int64_t processed,
                      int64_t cursor_person_id, int64_t created, int64_t skipped_existing,
                      int64_t skipped_without_diagnosis, const std::vector<std::pair<int64_t, std::string>>& errors);
  static void SetTotal(sql::Connection& c, int64_t id, int64_t total);
  static void Finish(sql::Connection& c, int64_t id, bool ok, const std::string& error_message);
  // Hands a running operation back (clean shutdown): another worker takes it at once.
  static void Release(sql::Connection& c, int64_t id, const std::string& worker);
};

}  // namespace nms::db
