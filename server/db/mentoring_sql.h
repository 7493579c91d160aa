#pragma once
// Helpers shared by the mentoring repository files (not used elsewhere): list columns, dates,
// scope conditions over a person/organisation side, and one keyset-paged list runner.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <google/protobuf/repeated_field.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/functional/function_ref.h"
#include "absl/time/civil_time.h"
#include "nms/v1/common.pb.h"
#include "server/db/directory_repository.h"
#include "server/db/mentoring_repository.h"
#include "server/db/sql.h"
#include "server/mapping/proto_time.h"

namespace nms::db::msql {

// '|'-joined short lists.
std::string JoinList(const std::vector<std::string>& v);
std::string JoinList(const google::protobuf::RepeatedPtrField<std::string>& v);
std::string JoinInts(const google::protobuf::RepeatedField<int>& v);
std::vector<std::string> SplitList(const std::string& s);
std::vector<int> SplitInts(const std::string& s);

std::optional<absl::CivilDay> FromDate(const nms::v1::Date& d);  // unset -> nullopt (validated before)
google::protobuf::Timestamp Seconds(int64_t unix_seconds);

// A BLOB column as bytes (serialized protos may hold NUL bytes); NULL -> empty.
std::string GetBytes(sql::ResultSet& rs, const char* column);

// Display name of a side: "Фамилия Имя Отчество" of the person alias, else the organisation's
// short name.
std::string DisplayNameSql(const char* person_alias, const char* org_alias);

// "LEFT JOIN people P ON P.id = <person_col> LEFT JOIN organizations O ON O.id =
// COALESCE(P.organization_id, <org_col>)": the place of a side.
std::string SideJoins(const char* person_alias, const char* org_alias, const std::string& person_col,
                      const std::string& org_col);

// A WHERE condition (one '?', bound to scope.id) placing a side in `scope`.
std::string SideInScope(const ScopeFilter& scope, const std::string& region_col, const char* org_alias,
                        const std::string& person_col);

// Collects AND-ed conditions with their bound values.
struct Where {
  std::string sql = "TRUE";
  std::vector<std::variant<int64_t, std::string>> binds;
  void Add(const std::string& condition) { sql += " AND (" + condition + ")"; }
  void Add(const std::string& condition, int64_t v) {
    Add(condition);
    binds.emplace_back(v);
  }
  void Add(const std::string& condition, const std::string& v) {
    Add(condition);
    binds.emplace_back(v);
  }
  void Bind(Stmt& st) const;
};

// Counts the matching rows into *total and reads one page ordered by `id_col` after
// page.after_id; *next_after is the last id when more rows follow, else 0.
void RunList(sql::Connection& c, const std::string& select_cols, const std::string& from, const Where& where,
             const std::string& id_col, const PageRequest& page, absl::FunctionRef<void(sql::ResultSet&)> read,
             int64_t* next_after, int64_t* total);

// Filter terms naming a resource ("organizations/5") or an enum value: adds `condition` with its
// `binds` question marks bound to the id / the value's number; INVALID_ARGUMENT otherwise.
absl::Status AddRef(Where& w, const FilterTerm& t, const char* collection, const std::string& condition,
                    int binds = 1);
absl::Status AddEnum(Where& w, const FilterTerm& t, const google::protobuf::EnumDescriptor* e,
                     const std::string& condition);

// Entity filter values "people/{id}" / "organizations/{id}".
absl::StatusOr<EntityRef> EntityValue(const FilterTerm& t);

}  // namespace nms::db::msql
