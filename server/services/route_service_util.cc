#include "server/services/route_service_util.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/directory/person.h"
#include "server/services/convert.h"

namespace nms::services {

absl::StatusOr<int64_t> ParseRouteName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, "routes", field);
}

absl::StatusOr<std::pair<int64_t, int64_t>> ParseItemName(absl::string_view name, absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  int64_t route = 0, item = 0;
  if (parts.size() != 4 || parts[0] != "routes" || parts[2] != "items" || !absl::SimpleAtoi(parts[1], &route) ||
      !absl::SimpleAtoi(parts[3], &item) || route <= 0 || item <= 0) {
    if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ожидается \"routes/{номер}/items/{номер}\""));
  }
  return std::make_pair(route, item);
}

absl::Status CheckText(const std::string& v, absl::string_view field, size_t max, bool required) {
  if (required && absl::StripAsciiWhitespace(v).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  }
  if (v.size() > max || !directory::IsValidUtf8(v)) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": не длиннее ", max, " байт UTF-8"));
  }
  return absl::OkStatus();
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
