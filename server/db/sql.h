#pragma once
// Thin helpers over Connector/C++: prepared statements with chained binding, SQL errors as
// absl::Status, and transactions with deadlock retry. Exceptions never leave this layer.

#include "absl/strings/string_view.h"
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "server/db/pool.h"
#include "server/db/statement_cache.h"

namespace nms::db {

// Maps a driver error to a status a client can act on: duplicates -> ALREADY_EXISTS,
// foreign-key violations -> FAILED_PRECONDITION, deadlocks -> ABORTED (retry), lost or
// refused connections -> UNAVAILABLE, anything else -> INTERNAL without SQL text.
absl::Status FromSqlException(const sql::SQLException& e);
bool IsConnectionError(int code);

// A prepared statement with positional, chained binding: Stmt(c, "... ? ?").Int(1).Str("x").
// On a pooled connection the statement comes from the connection's cache (prepared once per
// connection); the result set of Query() keeps it lent out until destroyed.
class Stmt {
 public:
  Stmt(sql::Connection& conn, const std::string& query);
  Stmt& Int(int64_t v);
  Stmt& Double(double v);
  Stmt& Bool(bool v);
  Stmt& Str(absl::string_view v);
  Stmt& OptStr(absl::string_view v);  // empty -> NULL
  Stmt& OptInt(int64_t v);           // 0 -> NULL
  Stmt& Day(const std::optional<absl::CivilDay>& v);
  Stmt& Blob(absl::string_view v);
  Stmt& Null();
  std::unique_ptr<sql::ResultSet> Query();
  int Execute();  // rows affected

 private:
  std::shared_ptr<StatementCache::Entry> cached_;  // from the connection's cache, or
  std::unique_ptr<sql::PreparedStatement> own_;     // prepared for this use only
  sql::PreparedStatement* ps_ = nullptr;
  std::vector<std::unique_ptr<std::istringstream>> blobs_;  // alive until execution
  int next_ = 1;
};

int64_t LastInsertId(sql::Connection& conn);

// COMMIT and ROLLBACK as statements. Connector/C++ 1.1's Connection::commit() ignores the
// result of mysql_commit(): a COMMIT that never reached the server (connection killed, node
// crashed) returned normally, and the write was acknowledged although nothing was committed.
// These throw sql::SQLException like any other statement.
void Commit(sql::Connection& conn);
void Rollback(sql::Connection& conn);

// Column readers that treat NULL as empty.
std::string GetStr(sql::ResultSet& rs, const char* column);
int64_t GetInt(sql::ResultSet& rs, const char* column);
std::optional<absl::CivilDay> GetDay(sql::ResultSet& rs, const char* column);

// Runs `fn` in one transaction (READ COMMITTED), committing when it returns OK and rolling
// back otherwise. Deadlocks and ABORTED results are retried a few times. `fn` may run more
// than once, so it must not have side effects outside the database.
absl::Status InTransaction(ConnectionPool& pool, absl::FunctionRef<absl::Status(sql::Connection&)> fn);

// Runs `fn` in one transaction that is always rolled back, and returns what `fn` returned: a
// dry run of an import sees exactly what a real one would and keeps nothing.
absl::Status InRolledBackTransaction(ConnectionPool& pool, absl::FunctionRef<absl::Status(sql::Connection&)> fn);

// Runs read-only work on a pooled connection in autocommit mode.
absl::Status WithConnection(ConnectionPool& pool, absl::FunctionRef<absl::Status(sql::Connection&)> fn);

}  // namespace nms::db
