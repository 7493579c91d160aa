#include "server/services/route_service_util.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/db/sql.h"
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
  auto rs = db::Stmt(c, "SELECT time_zone FROM regions WHERE id = ?").Int(region_id).Query();
  return TodayInRegion(rs->next() ? std::string(rs->getString(1)) : "Europe/Moscow");
}

std::string PersonName(sql::Connection& c, int64_t person_id) {
  if (person_id == 0) return "";
  auto rs = db::Stmt(c, "SELECT last_name, first_name, middle_name FROM people WHERE id = ?").Int(person_id).Query();
  if (!rs->next()) return "";
  std::string middle = rs->getString(3);
  return absl::StrCat(std::string(rs->getString(1)), " ", std::string(rs->getString(2)), middle.empty() ? "" : " ", middle);
}

std::string PositionTitle(sql::Connection& c, int64_t person_id) {
  auto rs = db::Stmt(c, "SELECT p.position, IFNULL(o.short_name, '') FROM people p LEFT JOIN organizations o ON "
                        "o.id = p.organization_id WHERE p.id = ?")
                .Int(person_id)
                .Query();
  if (!rs->next()) return "";
  std::string position = rs->getString(1), org = rs->getString(2);
  if (position.empty()) return org;
  return org.empty() ? position : absl::StrCat(position, ", ", org);
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
