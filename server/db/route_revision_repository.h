#pragma once
// SQL of route revisions (ReviseRoute, ListRouteRevisions): the items as the revision rules
// see them, the writes of a revision in place (items no longer needed, added items, the route
// following the new diagnosis, back in DRAFT without signatures) and the record of what
// changed and why.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/status.h"
#include "nms/v1/route.pb.h"
#include "server/db/route_generation_store.h"
#include "server/db/route_repository.h"
#include "server/domain/route/revision.h"

namespace nms::db {

struct RevisionRecord {
  int64_t route_id = 0;
  int revision = 1;
  route::RevisionMode kind = route::RevisionMode::kInPlace;
  int64_t result_id = 0, previous_result_id = 0, previous_route_id = 0;
  route::Status from_status = route::Status::kDraft;
  std::string comment;
  RouteActor actor;
  const route::RevisionPlan* plan = nullptr;
  std::vector<int64_t> added_ids;  // ids of plan->added, in order
};

class RouteRevisionRepository {
 public:
  static std::vector<route::ExistingItem> Items(sql::Connection& c, int64_t route_id);
  // SKIPPED with the reason, remembering the revision; the item's version moves on.
  static void MarkNotNeeded(sql::Connection& c, int64_t item_id, int revision, const std::string& reason);
  // Inserts items at their planned positions; returns their ids in order.
  static std::vector<int64_t> AddItems(sql::Connection& c, int64_t route_id, int revision,
                                       const std::vector<route::GeneratedItem>& items);
  // The route follows `diagnosis` from now on: header snapshot, revision + 1, DRAFT, signatures
  // cleared, the comment shown as the reason; the planned end moves out to `planned_end` when
  // that is later. Bumps the version.
  static void ReviseInPlace(sql::Connection& c, int64_t route_id, const DiagnosisInput& diagnosis,
                            const std::string& comment, absl::CivilDay planned_end);
  static void SetPrevious(sql::Connection& c, int64_t route_id, int64_t previous_route_id);
  static void Insert(sql::Connection& c, const RevisionRecord& r);
  static absl::Status List(sql::Connection& c, int64_t route_id, const PageRequest& paging,
                           nms::v1::ListRouteRevisionsResponse* out);
  static absl::StatusOr<nms::v1::RouteRevision> Get(sql::Connection& c, int64_t route_id, int revision);
  // The result a route started from: the previous result of its first in-place revision, else
  // its own (GetRouteEffect measures from there).
  static int64_t BaselineResult(sql::Connection& c, int64_t route_id, int64_t current_result);
};

}  // namespace nms::db
