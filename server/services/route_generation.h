#pragma once
// Generation of draft ИОМ, one code path for GenerateRoute, the bulk operation's batches and
// the benchmark: options resolved against the region's settings, the catalogue loaded once,
// the domain generator per teacher, and one multi-row write of the drafts with their history,
// audit and change-feed records in the caller's transaction.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "nms/v1/route.pb.h"
#include "server/db/route_generation_store.h"
#include "server/db/route_repository.h"
#include "server/domain/route/generation.h"

namespace nms::services {

struct GenerationSetup {
  int64_t region_id = 0;
  route::GenerationOptions options;
  bool replace_draft = false;
  std::string goal;
  std::vector<route::Activity> catalogue;
};

// Resolves options (defaults from the region's RouteSettings; INVALID_ARGUMENT naming
// options.* when out of range), refreshes federal programmes into the catalogue and loads it.
absl::StatusOr<GenerationSetup> PrepareGeneration(sql::Connection& c, int64_t region_id,
                                                  const nms::v1::RouteGenerationOptions& options, absl::CivilDay today);

// The draft of one teacher (pure: the domain generator over loaded inputs).
db::NewRoute PlanRoute(const GenerationSetup& setup, const db::TeacherCard& teacher,
                       const db::DiagnosisInput& diagnosis, int64_t replace_route_id);

// Writes planned drafts, then their audit and "route" feed records. Returns the routes as read
// back (the API's view), in order.
absl::StatusOr<std::vector<nms::v1::Route>> WriteRoutes(sql::Connection& c, const std::vector<db::NewRoute>& routes,
                                                        const db::RouteActor& actor, int64_t operation_id,
                                                        const std::string& action, const std::string& comment);

struct BatchResult {
  int64_t created = 0;
  int64_t skipped_existing = 0;
  int64_t skipped_without_diagnosis = 0;
  std::vector<std::pair<int64_t, std::string>> errors;  // person → why not
};

// One batch of a bulk generation: drafts for `people` from their latest FINAL result in the
// campaign; teachers with an open route are skipped unless it is a DRAFT and replace_draft.
absl::StatusOr<BatchResult> GenerateBatch(sql::Connection& c, const GenerationSetup& setup,
                                          const std::vector<int64_t>& people, int64_t campaign_id,
                                          const db::RouteActor& actor, int64_t operation_id);

}  // namespace nms::services
