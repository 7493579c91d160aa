#include "server/services/route_service_util.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/db/people_lookup.h"
#include "server/db/route_repository.h"
#include "server/domain/common/names.h"
#include "server/domain/directory/person.h"
#include "server/services/convert.h"

namespace nms::services {

absl::StatusOr<int64_t> ParseRouteName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, "routes", field);
}

absl::StatusOr<std::pair<int64_t, int64_t>> ParseItemName(absl::string_view name, absl::string_view field) {
  ASSIGN_OR_RETURN(std::vector<int64_t> ids, ParseNamePattern(name, "routes/{}/items/{}", field));
  return std::make_pair(ids[0], ids[1]);
}

absl::CivilDay RegionToday(sql::Connection& c, int64_t region_id) {
  return TodayInRegion(db::RegionTimeZone(c, region_id));
}

std::string PersonName(sql::Connection& c, int64_t person_id) {
  return db::PersonFullName(c, person_id);
}

std::string PositionTitle(sql::Connection& c, int64_t person_id) {
  db::SignerPosition at = db::RouteRepository::PositionOf(c, person_id);
  if (at.position.empty()) return at.organization;
  return at.organization.empty() ? at.position : absl::StrCat(at.position, ", ", at.organization);
}

access::Role RoleAt(const access::Principal& p, access::Action action, const access::Placement& where) {
  for (const auto& g : p.grants) {
    for (access::Role r : access::RolesFor(action)) {
      if (r == g.role && access::Covers(g, p, where)) return g.role;
    }
  }
  return p.grants.empty() ? access::Role::kTeacher : p.grants.front().role;
}

bool InRegion(const access::Principal& p, int64_t region_id) {
  return access::MemberOfRegion(p, region_id, access::Action::kReadRoute);
}

}  // namespace nms::services
