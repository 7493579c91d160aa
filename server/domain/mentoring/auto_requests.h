#pragma once
// Automatic mentee requests (issue 5 §2): every teacher of the young-teacher cohort without a
// mentor, and every ИОМ item "with a mentor" (section 3) without a pair, gets an open request;
// automatic requests that no longer apply are closed with the reason. Pure planning over facts
// the repository loads for one scope, so SyncAutoRequests is idempotent: running it twice
// changes nothing the second time.
//
// One person never gets two automatic requests for the same need: a young teacher who already
// asked for a mentor (a manual request) or has a route request is not given a young-teacher
// request as well, and an open young-teacher request is closed in favour of a route request
// (which carries the route item, so the pair that satisfies it also carries out the item).

#include <cstdint>
#include <string>
#include <vector>

#include "server/domain/mentoring/lifecycle.h"

namespace nms::mentoring {

// Values equal nms.v1.MenteeRequestSource.
enum class RequestSource : int { kTeacher = 1, kSchool = 2, kAutoYoungTeacher = 3, kAutoRoute = 4 };

struct AutoPerson {
  int64_t person_id = 0;
  bool in_cohort = false;
  bool has_live_pair = false;          // PROPOSED or ACTIVE pair as mentee
  bool has_manual_request = false;     // OPEN or PROPOSED request by the teacher or the school
};

struct AutoRouteItem {
  std::string route_item;  // "routes/{r}/items/{i}"
  int64_t person_id = 0;
  bool wants_mentor = false;  // still "with a mentor" in a route being carried out
  bool has_pair = false;      // a live or completed pair already carries it out
};

struct ExistingAutoRequest {
  int64_t request_id = 0;
  RequestSource source = RequestSource::kAutoYoungTeacher;
  int64_t person_id = 0;
  std::string route_item;  // AUTO_ROUTE only
  RequestStatus status = RequestStatus::kOpen;
};

struct AutoClose {
  int64_t request_id = 0;
  std::string reason;  // Russian
};

struct AutoRoutePlan {
  std::string route_item;
  int64_t person_id = 0;
  bool young = false;  // the person is in the cohort (pair type «молодой специалист»)
};

struct AutoPlan {
  std::vector<int64_t> create_young;      // person ids, ascending
  std::vector<AutoRoutePlan> create_route;  // by route item
  std::vector<AutoClose> close;           // by request id
  int unchanged = 0;
};

AutoPlan PlanAutoRequests(const std::vector<AutoPerson>& people, const std::vector<AutoRouteItem>& items,
                          const std::vector<ExistingAutoRequest>& existing);

}  // namespace nms::mentoring
