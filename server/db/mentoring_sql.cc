#include "server/db/mentoring_sql.h"

#include "server/common/proto_enum.h"

#include <google/protobuf/descriptor.h>

#include <istream>
#include <iterator>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/domain/common/names.h"

namespace nms::db {

std::string EntityRef::Name() const { return ResourceName(organization ? "organizations" : "people", id); }

namespace msql {

std::string JoinList(const std::vector<std::string>& v) { return absl::StrJoin(v, "|"); }
std::string JoinList(const google::protobuf::RepeatedPtrField<std::string>& v) { return absl::StrJoin(v, "|"); }
std::string JoinInts(const google::protobuf::RepeatedField<int>& v) { return absl::StrJoin(v, "|"); }

std::vector<std::string> SplitList(const std::string& s) {
  return absl::StrSplit(s, '|', absl::SkipEmpty());
}

std::vector<int> SplitInts(const std::string& s) {
  std::vector<int> out;
  for (absl::string_view part : absl::StrSplit(s, '|', absl::SkipEmpty())) {
    int v = 0;
    if (absl::SimpleAtoi(part, &v)) out.push_back(v);
  }
  return out;
}

std::optional<absl::CivilDay> FromDate(const nms::v1::Date& d) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) return std::nullopt;
  return absl::CivilDay(d.year(), d.month(), d.day());
}

google::protobuf::Timestamp Seconds(int64_t unix_seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(unix_seconds);
  return t;
}

std::string GetBytes(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return "";
  std::unique_ptr<std::istream> in(rs.getBlob(column));
  if (!in) return "";
  return std::string(std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>());
}

std::string DisplayNameSql(const char* p, const char* o) {
  return absl::StrCat("IF(", p, ".id IS NOT NULL, CONCAT_WS(' ', ", p, ".last_name, ", p, ".first_name, NULLIF(", p,
                      ".middle_name, '')), ", o, ".short_name)");
}

std::string SideJoins(const char* p, const char* o, const std::string& person_col, const std::string& org_col) {
  return absl::StrCat(" LEFT JOIN people ", p, " ON ", p, ".id = ", person_col, " LEFT JOIN organizations ", o, " ON ", o,
                      ".id = COALESCE(", p, ".organization_id, ", org_col, ") ");
}

std::string SideInScope(const ScopeFilter& s, const std::string& region_col, const char* o,
                        const std::string& person_col) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: return absl::StrCat(region_col, " = ?");
    case ScopeFilter::Kind::kDistrict:
      return absl::StrCat(o, ".municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)");
    case ScopeFilter::Kind::kMunicipality: return absl::StrCat(o, ".municipality_id = ?");
    case ScopeFilter::Kind::kOrganization: return absl::StrCat(o, ".id = ?");
    case ScopeFilter::Kind::kPerson: return absl::StrCat(person_col, " = ?");
  }
  return "FALSE";
}

void Where::Bind(Stmt& st) const {
  for (const auto& b : binds) {
    if (std::holds_alternative<int64_t>(b)) st.Int(std::get<int64_t>(b));
    else st.Str(std::get<std::string>(b));
  }
}

void RunList(sql::Connection& c, const std::string& select_cols, const std::string& from, const Where& where,
             const std::string& id_col, const PageRequest& page, absl::FunctionRef<void(sql::ResultSet&)> read,
             int64_t* next_after, int64_t* total) {
  {
    Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM ", from, " WHERE ", where.sql));
    where.Bind(st);
    auto rs = st.Query();
    *total = rs->next() ? rs->getInt64(1) : 0;
  }
  Stmt st(c, absl::StrCat("SELECT ", select_cols, ", ", id_col, " AS page_id FROM ", from, " WHERE ", where.sql, " AND ",
                          id_col, " > ? ORDER BY ", id_col, " LIMIT ?"));
  where.Bind(st);
  st.Int(page.AfterNumber()).Int(page.size() + 1);
  auto rs = st.Query();
  int n = 0;
  int64_t last = 0;
  *next_after = 0;
  while (rs->next()) {
    if (n == page.size()) {
      *next_after = last;
      break;
    }
    last = rs->getInt64("page_id");
    read(*rs);
    ++n;
  }
}

absl::Status AddRef(Where& w, const FilterTerm& t, const char* collection, const std::string& condition,
                    int binds) {
  auto id = FilterName(t, collection);
  if (!id.ok()) return id.status();
  w.Add(condition);
  for (int k = 0; k < binds; ++k) w.binds.emplace_back(*id);
  return absl::OkStatus();
}

absl::Status AddEnum(Where& w, const FilterTerm& t, const google::protobuf::EnumDescriptor* e,
                     const std::string& condition) {
  auto v = FilterEnum(t, e);
  if (!v.ok()) return v.status();
  w.Add(condition, int64_t{*v});
  return absl::OkStatus();
}

absl::StatusOr<EntityRef> EntityValue(const FilterTerm& t) {
  auto any = ParseAnyName(t.value, "filter");
  if (!any.ok() || (any->collection != "people" && any->collection != "organizations")) {
    return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", t.field, " = people/… или organizations/…"));
  }
  return EntityRef{any->collection == "organizations", any->id};
}

}  // namespace msql
}  // namespace nms::db
