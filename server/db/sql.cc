#include "server/db/sql.h"

#include "server/db/statement_counter.h"

#include <cppconn/statement.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/common/log.h"
#include "server/domain/common/dates.h"

namespace nms::db {

bool IsConnectionError(int code) {
  // CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST,
  // CR_SERVER_LOST_EXTENDED, ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED, wsrep not ready, and
  // ER_UNKNOWN_STMT_HANDLER: the server no longer knows a cached prepared statement, so this
  // session is not the one the cache was built on; discard the connection (and its cache) and
  // retry like after a lost connection (the statement never ran).
  return code == 2002 || code == 2003 || code == 2006 || code == 2013 || code == 2055 ||
         code == 1053 || code == 1927 || code == 1047 || code == 1243;
}

absl::Status FromSqlException(const sql::SQLException& e) {
  int code = e.getErrorCode();
  switch (code) {
    case 1062: return absl::AlreadyExistsError("Запись с такими данными уже существует");
    case 1451: return absl::FailedPreconditionError("Объект используется другими записями");
    case 1452: return absl::FailedPreconditionError("Ссылка на несуществующий объект");
    case 1213:
    case 1205: return absl::AbortedError("Конфликт одновременных изменений, повторите запрос");
    case 1406: return absl::InvalidArgumentError("Слишком длинное значение поля");
    default: break;
  }
  if (IsConnectionError(code)) {
    return absl::UnavailableError("База данных временно недоступна, повторите запрос");
  }
  // Driver messages can quote row values (personal data: "Incorrect date value: '…'",
  // "Duplicate entry '…'"), so neither the client nor the log ever sees them; the code and
  // SQLSTATE identify the error.
  log::Warn("sql error", {{"code", absl::StrCat(code)}, {"sqlstate", std::string(e.getSQLState())}});
  return absl::InternalError(absl::StrCat("Ошибка базы данных (код ", code, ", SQLSTATE ",
                                          std::string(e.getSQLState()), ")"));
}

Stmt::Stmt(sql::Connection& conn, const std::string& query) {
  if (StatementCache* cache = StatementCache::For(conn)) {
    bool prepared = false;
    cached_ = cache->Borrow(conn, query, &prepared);
    if (prepared) CountPrepare();
    if (cached_ != nullptr) {
      ps_ = cached_->ps.get();
      return;
    }
  }
  own_.reset(conn.prepareStatement(query));  // no cache, or its statement is in use (nested)
  ps_ = own_.get();
  CountPrepare();
}

Stmt& Stmt::Int(int64_t v) { ps_->setInt64(next_++, v); return *this; }
Stmt& Stmt::Double(double v) { ps_->setDouble(next_++, v); return *this; }
Stmt& Stmt::Bool(bool v) { ps_->setBoolean(next_++, v); return *this; }
Stmt& Stmt::Str(absl::string_view v) { ps_->setString(next_++, sql::SQLString(std::string(v))); return *this; }
Stmt& Stmt::OptStr(absl::string_view v) { return v.empty() ? Null() : Str(v); }
Stmt& Stmt::OptInt(int64_t v) { return v == 0 ? Null() : Int(v); }
Stmt& Stmt::Null() { ps_->setNull(next_++, sql::DataType::VARCHAR); return *this; }
Stmt& Stmt::Day(const std::optional<absl::CivilDay>& v) {
  return v.has_value() ? Str(FormatDay(*v)) : Null();
}
Stmt& Stmt::Blob(absl::string_view v) {
  blobs_.push_back(std::make_unique<std::istringstream>(std::string(v)));
  ps_->setBlob(next_++, blobs_.back().get());
  return *this;
}
std::unique_ptr<sql::ResultSet> Stmt::Query() {
  CountExecution();
  std::unique_ptr<sql::ResultSet> rs(ps_->executeQuery());
  return cached_ != nullptr ? HoldWhileOpen(std::move(rs), cached_) : std::move(rs);
}
int Stmt::Execute() {
  CountExecution();
  return ps_->executeUpdate();
}

int64_t LastInsertId(sql::Connection& conn) {
  CountExecution();
  std::unique_ptr<sql::Statement> st(conn.createStatement());
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SELECT LAST_INSERT_ID()"));
  rs->next();
  return rs->getInt64(1);
}

void Commit(sql::Connection& conn) {
  CountExecution();
  std::unique_ptr<sql::Statement> st(conn.createStatement());
  st->execute("COMMIT");
}

void Rollback(sql::Connection& conn) {
  CountExecution();
  std::unique_ptr<sql::Statement> st(conn.createStatement());
  st->execute("ROLLBACK");
}

std::string GetStr(sql::ResultSet& rs, const char* column) {
  return rs.isNull(column) ? std::string() : std::string(rs.getString(column));
}

int64_t GetInt(sql::ResultSet& rs, const char* column) {
  return rs.isNull(column) ? 0 : rs.getInt64(column);
}

std::optional<absl::CivilDay> GetDay(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return std::nullopt;
  std::string s = rs.getString(column);
  int y = 0, m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return std::nullopt;
  return absl::CivilDay(y, m, d);
}

absl::Status WithConnection(ConnectionPool& pool,
                            absl::FunctionRef<absl::Status(sql::Connection&)> fn) {
  for (int attempt = 0;; ++attempt) {
    auto lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    try {
      return fn(**lease);
    } catch (const sql::SQLException& e) {
      if (IsConnectionError(e.getErrorCode())) {
        lease->MarkBroken();
        // Reads are safe to repeat once on a fresh connection (e.g. right after a DB restart).
        if (attempt == 0) continue;
      }
      return FromSqlException(e);
    }
  }
}

absl::Status InRolledBackTransaction(ConnectionPool& pool,
                                     absl::FunctionRef<absl::Status(sql::Connection&)> fn) {
  bool succeeded = false;
  absl::Status st = InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    succeeded = false;
    absl::Status done = fn(c);
    if (!done.ok()) return done;
    succeeded = true;
    return absl::CancelledError("rolled back by design");  // any non-OK status rolls back
  });
  return succeeded ? absl::OkStatus() : st;
}

absl::Status InTransaction(ConnectionPool& pool,
                           absl::FunctionRef<absl::Status(sql::Connection&)> fn) {
  constexpr int kAttempts = 4;
  absl::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    bool committing = false;
    try {
      (*lease)->setAutoCommit(false);
      absl::Status st = fn(**lease);
      if (st.ok()) {
        committing = true;
        Commit(**lease);
        (*lease)->setAutoCommit(true);
        return st;
      }
      try {
        Rollback(**lease);
        (*lease)->setAutoCommit(true);
      } catch (const sql::SQLException&) {
        lease->MarkBroken();  // a dead connection has rolled back by itself; the answer stands
      }
      if (st.code() != absl::StatusCode::kAborted) return st;
      last = st;
    } catch (const sql::SQLException& e) {
      bool conn_error = IsConnectionError(e.getErrorCode());
      if (conn_error) {
        lease->MarkBroken();
      } else {
        try {
          Rollback(**lease);
          (*lease)->setAutoCommit(true);
        } catch (const sql::SQLException&) {
          lease->MarkBroken();
        }
      }
      last = FromSqlException(e);
      // A lost COMMIT has an unknown outcome: report it instead of retrying blindly; the
      // client's retry with the same request_id resolves it through the idempotency table.
      if (committing && conn_error) return last;
      if (!conn_error && last.code() != absl::StatusCode::kAborted) return last;
      if (conn_error && attempt >= 1) return last;
    }
  }
  return last;
}

}  // namespace nms::db
