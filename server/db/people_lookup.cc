#include "server/db/people_lookup.h"

#include "absl/strings/str_cat.h"
#include "server/db/sql.h"

namespace nms::db {

std::string RegionTimeZone(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, "SELECT time_zone FROM regions WHERE id = ?").Int(region_id).Query();
  return rs->next() ? GetStr(*rs, "time_zone") : "Europe/Moscow";
}

std::string PersonFullName(sql::Connection& c, int64_t person_id) {
  if (person_id == 0) return "";
  auto rs = Stmt(c, "SELECT last_name, first_name, middle_name FROM people WHERE id = ?").Int(person_id).Query();
  if (!rs->next()) return "";
  std::string middle = GetStr(*rs, "middle_name");
  return absl::StrCat(GetStr(*rs, "last_name"), " ", GetStr(*rs, "first_name"), middle.empty() ? "" : " ", middle);
}

void LockPerson(sql::Connection& c, int64_t person_id) {
  Stmt(c, "SELECT id FROM people WHERE id = ? FOR UPDATE").Int(person_id).Query();
}

}  // namespace nms::db
