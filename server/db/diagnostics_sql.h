#pragma once
// SQL building blocks shared by the diagnostics repository files: exact timestamps, dynamic
// WHERE clauses with their bindings (scope, list filters), keyset page tokens and multi-row
// inserts. Nothing here knows a diagnostics table.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/db/directory_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/aip_filter.h"

namespace nms::db::diag {

// A timestamp parameter with microsecond precision: two placeholders (seconds, microseconds).
// Binding nullopt binds NULL.
inline constexpr char kTs[] = "(FROM_UNIXTIME(?) + INTERVAL ? MICROSECOND)";
Stmt& BindTime(Stmt& st, const std::optional<absl::Time>& t);

// Timestamps of messages; an unset (zero) timestamp is nullopt.
google::protobuf::Timestamp ToTimestamp(const std::optional<absl::Time>& t);
std::optional<absl::Time> FromTimestamp(const google::protobuf::Timestamp& t);

// Reads `UNIX_TIMESTAMP(col) AS alias` exactly; NULL -> nullopt.
std::optional<absl::Time> ReadTime(sql::ResultSet& rs, const char* alias);

// A WHERE clause assembled from conditions, each with its bound values in order.
class Where {
 public:
  Where& Add(const std::string& condition);
  Where& Int(const std::string& condition, int64_t v);
  Where& Str(const std::string& condition, const std::string& v);
  const std::string& sql() const { return sql_; }
  void Bind(Stmt& st) const;

 private:
  std::string sql_ = "TRUE";
  std::vector<std::function<void(Stmt&)>> binds_;
};

// `column` placed in `scope` where `alias` is the people row (p.region_id, ...).
void AddPeopleScope(Where& w, const ScopeFilter& scope, const std::string& alias = "p");

// One filterable field of a list.
struct FilterField {
  enum class Kind { kRef, kEnum, kDate, kInt, kBool, kStr };
  std::string name;        // filter field name
  std::string column;      // SQL column
  Kind kind = Kind::kInt;
  std::string collection;  // kRef: "campaigns", …
  const google::protobuf::EnumDescriptor* enum_type = nullptr;  // kEnum: names accepted (full or short)
};

// Adds the parsed clauses to `w`; INVALID_ARGUMENT on unknown fields or bad values.
absl::Status ApplyFilter(const std::vector<FilterTerm>& clauses, const std::vector<FilterField>& fields,
                         Where& w);

// COUNT(*) of `from` (a table with its alias and joins) under `where`.
int64_t CountWhere(sql::Connection& c, const std::string& from, const Where& where);

// `select_from WHERE where AND key > after ORDER BY key LIMIT page_size + 1` (descending: key <
// after, newest first), `after` being the id in the page token (shape {KeyPart::kNumber}); one
// row more than the page tells ReadPage that another page follows.
std::unique_ptr<sql::ResultSet> QueryPage(sql::Connection& c, const std::string& select_from, const Where& where,
                                          const std::string& key, bool descending, const PageRequest& paging);

// Reads up to page_size rows; `read(rs)` stores one and returns its key. When a further row
// exists, next_page_token continues after the last key read.
template <typename Read>
void ReadPage(sql::ResultSet& rs, const PageRequest& paging, std::string* next_page_token, Read read) {
  int64_t last = 0;
  int n = 0;
  while (rs.next()) {
    if (n == paging.size()) {
      *next_page_token = paging.NextNumber(last);
      return;
    }
    last = read(rs);
    ++n;
  }
}


// Runs `INSERT INTO <head> VALUES (…),(…)` for `rows` rows of `columns` placeholders each, in
// chunks of at most `chunk` rows; `bind(st, i)` binds row i.
void InsertRows(sql::Connection& c, const std::string& head, int columns, size_t rows,
                const std::function<void(Stmt&, size_t)>& bind, size_t chunk = 1000);

// Russian "X не найден(а)" as NOT_FOUND.
absl::Status NotFound(absl::string_view what, int64_t id);

}  // namespace nms::db::diag
