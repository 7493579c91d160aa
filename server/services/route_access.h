#pragma once
// Access to one route: the policy table decides by the teacher's placement (access::Authorize),
// and the route's accompanying methodist or tutor — often a teacher of another school (seed
// 003) — may read, co-design and help carry out the routes they accompany. Also who the caller
// acts as on a route (one actor per grant reaching it) for the lifecycle and enrolment rules.

#include <vector>

#include <cppconn/connection.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/db/route_repository.h"
#include "server/domain/access/policy.h"
#include "server/domain/route/lifecycle.h"

namespace nms::services {

// A missing route is reported like DirectoryService does (NOT_FOUND only to region-wide roles).
absl::Status CheckRouteAccess(const access::Principal& p, access::Action action,
                              const absl::StatusOr<db::RouteHead>& head);

// A route item named by another resource ("routes/{route}/items/{item}" in a mentee request or a
// pair): `action` is authorised on its route first, so one out of scope looks exactly like a
// missing one; then the item must exist. Returns the route's head (its teacher, its region).
absl::StatusOr<db::RouteHead> AuthorizeRouteItemRef(sql::Connection& c, const access::Principal& p,
                                                   access::Action action, absl::string_view name,
                                                   absl::string_view field);

// One actor per distinct role of the caller's grants that reach the route's teacher.
std::vector<route::Actor> ActorsFor(const access::Principal& p, const db::RouteHead& head);

// The caller as the history records them (ФИО from the directory; service accounts have none).
db::RouteActor ActorInfo(sql::Connection& c, const access::Principal& p, access::Role role);

}  // namespace nms::services
