#include "server/db/deficit_tags.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/sql.h"

namespace nms::db {

void LoadDeficitTags(sql::Connection& c, const TagTables& t, const std::vector<int64_t>& ids,
                     const std::function<void(int64_t id, int area)>& on_area,
                     const std::function<void(int64_t id, std::string code)>& on_code) {
  if (ids.empty()) return;
  const std::string in = absl::StrJoin(ids, ",");  // integers we formatted
  auto rs = Stmt(c, absl::StrCat("SELECT ", t.key, " AS k, area FROM ", t.areas, " WHERE ", t.key, " IN (", in,
                                 ") ORDER BY ", t.key, ", area"))
                .Query();
  while (rs->next()) on_area(rs->getInt64("k"), rs->getInt("area"));
  rs = Stmt(c, absl::StrCat("SELECT ", t.key, " AS k, code FROM ", t.indicators, " WHERE ", t.key, " IN (", in,
                            ") ORDER BY ", t.key, ", ordinal"))
           .Query();
  while (rs->next()) on_code(rs->getInt64("k"), GetStr(*rs, "code"));
}

void WriteDeficitTags(sql::Connection& c, const TagTables& t, int64_t id, const std::vector<int>& areas,
                      const std::vector<std::string>& codes) {
  Stmt(c, absl::StrCat("DELETE FROM ", t.areas, " WHERE ", t.key, " = ?")).Int(id).Execute();
  Stmt(c, absl::StrCat("DELETE FROM ", t.indicators, " WHERE ", t.key, " = ?")).Int(id).Execute();
  for (int area : areas) {
    Stmt(c, absl::StrCat("INSERT INTO ", t.areas, " (", t.key, ", area) VALUES (?, ?)")).Int(id).Int(area).Execute();
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    Stmt(c, absl::StrCat("INSERT INTO ", t.indicators, " (", t.key, ", ordinal, code) VALUES (?, ?, ?)"))
        .Int(id)
        .Int(static_cast<int64_t>(i))
        .Str(codes[i])
        .Execute();
  }
}

std::string LikePattern(absl::string_view word) {
  std::string out = "%";
  for (char ch : word) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

}  // namespace nms::db
