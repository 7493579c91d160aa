#include "server/services/route_access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/db/sql.h"
#include "server/services/route_service_util.h"
#include "server/services/scope.h"

namespace nms::services {

absl::Status CheckRouteAccess(const access::Principal& p, access::Action action,
                              const absl::StatusOr<db::RouteHead>& head) {
  if (!head.ok()) return CheckAccess(p, action, head.status());
  absl::Status st = access::Authorize(p, action, head->place);
  if (st.ok()) return st;
  bool accompanying = p.person_id != 0 && p.person_id == head->methodist_id;
  if (accompanying && (action == access::Action::kReadRoute || action == access::Action::kEditRoute ||
                       action == access::Action::kCarryOutRoute)) {
    return absl::OkStatus();
  }
  return st;
}

std::vector<route::Actor> ActorsFor(const access::Principal& p, const db::RouteHead& head) {
  std::vector<route::Actor> out;
  for (const auto& g : p.grants) {
    if (!access::Covers(g, p, head.place)) continue;
    route::Actor a{g.role, p.person_id != 0 && p.person_id == head.person_id};
    bool seen = std::any_of(out.begin(), out.end(), [&](const route::Actor& x) { return x.role == a.role; });
    if (!seen) out.push_back(a);
  }
  return out;
}

db::RouteActor ActorInfo(sql::Connection& c, const access::Principal& p, access::Role role) {
  db::RouteActor a;
  a.account_id = p.account_id;
  a.person_id = p.person_id;
  a.role = role;
  a.full_name = PersonName(c, p.person_id);
  return a;
}

}  // namespace nms::services
