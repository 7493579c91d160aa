#pragma once
// Multi-row INSERTs with bound parameters: rows are collected and written `rows_per_statement`
// at a time. One round trip per few hundred rows instead of one per row is what makes bulk
// route generation close to a raw bulk load. Values are always bound, never spliced into SQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace nms::db {

class BulkInsert {
 public:
  // `head` is "INSERT INTO t (a, b, c) VALUES " (or INSERT IGNORE …); `columns` per row.
  BulkInsert(sql::Connection& c, std::string head, int columns, int rows_per_statement = 400);
  BulkInsert& Int(int64_t v);
  BulkInsert& OptInt(int64_t v);  // 0 -> NULL
  BulkInsert& Bool(bool v);
  BulkInsert& Double(double v);
  BulkInsert& Str(absl::string_view v);
  BulkInsert& OptStr(absl::string_view v);  // empty -> NULL
  BulkInsert& Day(const std::optional<absl::CivilDay>& v);
  BulkInsert& Null();
  // Ends the row; writes a statement when enough rows are collected.
  void EndRow();
  // Writes what is collected. Must be called before the rows are needed (not in a destructor:
  // a failed write throws sql::SQLException to the caller's transaction).
  void Flush();
  int64_t rows() const { return rows_total_; }

 private:
  struct Value {
    enum Kind { kNull, kInt, kDouble, kStr } kind = kNull;
    int64_t i = 0;
    double d = 0;
    std::string s;
  };
  sql::Connection& c_;
  std::string head_;
  int columns_, per_statement_;
  std::vector<Value> values_;
  int pending_rows_ = 0;
  int64_t rows_total_ = 0;
};

// "1,2,3" for an IN (...) list of ids (numbers only, so nothing to escape); "0" when empty.
std::string IdList(const std::vector<int64_t>& ids);

// "?, ?, ?" for an IN (...) list bound id by id (BindIds): one statement text per list length,
// so a connection's statement cache serves it again whatever the ids (IdList's text differs
// for every set of ids and is prepared anew each time).
std::string Marks(size_t n);
class Stmt;
void BindIds(Stmt& st, const std::vector<int64_t>& ids);

}  // namespace nms::db
