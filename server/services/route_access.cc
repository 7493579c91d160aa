#include "server/services/route_access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/db/route_item_repository.h"
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

absl::StatusOr<db::RouteHead> AuthorizeRouteItemRef(sql::Connection& c, const access::Principal& p,
                                                   access::Action action, absl::string_view name,
                                                   absl::string_view field) {
  ASSIGN_OR_RETURN(auto ids, ParseItemName(name, field));
  auto head = db::RouteRepository::GetHead(c, ids.first);
  RETURN_IF_ERROR(CheckRouteAccess(p, action, head));
  if (!db::RouteItemRepository::GetHead(c, ids.first, ids.second).ok()) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": пункт маршрута не найден"));
  }
  return head;
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
