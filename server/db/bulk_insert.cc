#include "server/db/bulk_insert.h"

#include "server/db/sql.h"

#include <cppconn/prepared_statement.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/common/dates.h"

namespace nms::db {

BulkInsert::BulkInsert(sql::Connection& c, std::string head, int columns, int rows_per_statement)
    : c_(c), head_(std::move(head)), columns_(columns), per_statement_(rows_per_statement) {
  values_.reserve(static_cast<size_t>(columns_) * per_statement_);
}

BulkInsert& BulkInsert::Int(int64_t v) {
  values_.push_back({Value::kInt, v, 0, {}});
  return *this;
}
BulkInsert& BulkInsert::OptInt(int64_t v) { return v == 0 ? Null() : Int(v); }
BulkInsert& BulkInsert::Bool(bool v) { return Int(v ? 1 : 0); }
BulkInsert& BulkInsert::Double(double v) {
  values_.push_back({Value::kDouble, 0, v, {}});
  return *this;
}
BulkInsert& BulkInsert::Str(absl::string_view v) {
  values_.push_back({Value::kStr, 0, 0, std::string(v)});
  return *this;
}
BulkInsert& BulkInsert::OptStr(absl::string_view v) { return v.empty() ? Null() : Str(v); }
BulkInsert& BulkInsert::Day(const std::optional<absl::CivilDay>& v) { return v ? Str(FormatDay(*v)) : Null(); }
BulkInsert& BulkInsert::Null() {
  values_.push_back({});
  return *this;
}

void BulkInsert::EndRow() {
  ++pending_rows_;
  if (pending_rows_ >= per_statement_) Flush();
}

void BulkInsert::Flush() {
  if (pending_rows_ == 0) return;
  std::string row = absl::StrCat("(", absl::StrJoin(std::vector<std::string>(columns_, "?"), ","), ")");
  std::string sql = head_;
  sql.reserve(head_.size() + pending_rows_ * (row.size() + 1));
  for (int r = 0; r < pending_rows_; ++r) absl::StrAppend(&sql, r == 0 ? "" : ",", row);
  std::unique_ptr<sql::PreparedStatement> ps(c_.prepareStatement(sql));
  int n = 1;
  for (const auto& v : values_) {
    switch (v.kind) {
      case Value::kNull: ps->setNull(n++, sql::DataType::VARCHAR); break;
      case Value::kInt: ps->setInt64(n++, v.i); break;
      case Value::kDouble: ps->setDouble(n++, v.d); break;
      case Value::kStr: ps->setString(n++, sql::SQLString(v.s)); break;
    }
  }
  ps->executeUpdate();
  rows_total_ += pending_rows_;
  pending_rows_ = 0;
  values_.clear();
}

std::string Marks(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

void BindIds(Stmt& st, const std::vector<int64_t>& ids) {
  for (int64_t id : ids) st.Int(id);
}

std::string IdList(const std::vector<int64_t>& ids) { return ids.empty() ? "0" : absl::StrJoin(ids, ","); }

}  // namespace nms::db
