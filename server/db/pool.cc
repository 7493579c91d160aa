#include "server/db/pool.h"

#include <algorithm>

#include <mysql_driver.h>
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/db/call_deadline.h"
#include "server/db/statement_cache.h"

namespace nms::db {

absl::StatusOr<DbConfig> ParseDsn(const std::string& dsn) {
  DbConfig c;
  absl::string_view rest = dsn;
  if (!absl::ConsumePrefix(&rest, "mysql://")) {
    return absl::InvalidArgumentError("DSN должен начинаться с mysql://");
  }
  auto at = rest.rfind('@');
  if (at != absl::string_view::npos) {
    absl::string_view cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = cred.find(':');
    c.user = std::string(cred.substr(0, colon));
    if (colon != absl::string_view::npos) c.password = std::string(cred.substr(colon + 1));
  }
  auto slash = rest.find('/');
  absl::string_view hostport = rest.substr(0, slash);
  if (slash != absl::string_view::npos) c.database = std::string(rest.substr(slash + 1));
  auto colon = hostport.rfind(':');
  c.host = std::string(hostport.substr(0, colon));
  if (colon != absl::string_view::npos &&
      !absl::SimpleAtoi(hostport.substr(colon + 1), &c.port)) {
    return absl::InvalidArgumentError("DSN: некорректный порт");
  }
  if (c.host.empty() || c.database.empty()) {
    return absl::InvalidArgumentError("DSN: нужны хост и имя базы данных");
  }
  return c;
}

void ConnectionCloser::operator()(sql::Connection* conn) const {
  // Statements first: closing them needs the connection (a dead one just frees them locally).
  StatementCache::Detach(conn);
  delete conn;
}

ConnectionPool::ConnectionPool(DbConfig config) : config_(std::move(config)) {
  // The driver singleton is not safe to create concurrently; create it once here.
  sql::mysql::get_mysql_driver_instance();
}

ConnectionPool::~ConnectionPool() {
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), broken_(other.broken_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Release(std::move(conn_), broken_);
}

absl::StatusOr<ConnectionPtr> ConnectionPool::Connect(bool with_schema) {
  try {
    sql::ConnectOptionsMap opts;
    opts["hostName"] = sql::SQLString(absl::StrCat("tcp://", config_.host, ":", config_.port));
    opts["userName"] = sql::SQLString(config_.user);
    opts["password"] = sql::SQLString(config_.password);
    if (with_schema) opts["schema"] = sql::SQLString(config_.database);
    opts["OPT_CONNECT_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(config_.connect_timeout));
    opts["OPT_READ_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(config_.read_timeout));
    opts["OPT_WRITE_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(config_.read_timeout));
    opts["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    opts["OPT_RECONNECT"] = false;  // reconnects silently drop transactions; the pool replaces instead
    ConnectionPtr conn(sql::mysql::get_mysql_driver_instance()->connect(opts));
    std::unique_ptr<sql::Statement> st(conn->createStatement());
    st->execute("SET time_zone = '+00:00'");
    st->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    StatementCache::Attach(conn.get(), kStatementCacheCapacity);
    return conn;
  } catch (const sql::SQLException& e) {
    return absl::UnavailableError(
        absl::StrCat("База данных недоступна (код ", e.getErrorCode(), ")"));
  }
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(absl::Duration timeout) {
  // Never wait longer than the caller of the current RPC is willing to.
  absl::Time deadline = std::min(absl::Now() + timeout, CallDeadline());
  if (deadline <= absl::Now()) {
    return absl::DeadlineExceededError("Время ожидания запроса истекло");
  }
  ConnectionPtr conn;
  absl::Time idle_since;
  {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < config_.pool_size;
    };
    if (!ready()) {
      ++waited_;
      absl::Time wait_start = absl::Now();
      bool got = mu_.AwaitWithDeadline(absl::Condition(&ready), deadline);
      wait_total_ += absl::Now() - wait_start;
      if (!got) return absl::DeadlineExceededError("Все соединения с базой данных заняты, повторите запрос");
    }
    ++acquired_;
    if (!idle_.empty()) {
      conn = std::move(idle_.back().conn);
      idle_since = idle_.back().since;
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot before connecting outside the lock
    }
  }
  if (conn != nullptr) {
    // A connection idle for a while may have been cut by a DB restart; check it cheaply.
    bool valid = true;
    if (absl::Now() - idle_since > absl::Seconds(2)) {
      try {
        valid = conn->isValid();
      } catch (const sql::SQLException&) {
        valid = false;
      }
    }
    if (valid) return Lease(this, std::move(conn));
    conn.reset();  // keep the reserved slot and reconnect below
  }
  auto fresh = Connect(true);
  if (!fresh.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    return fresh.status();
  }
  return Lease(this, std::move(*fresh));
}

void ConnectionPool::Release(ConnectionPtr conn, bool broken) {
  if (!broken) {
    try {
      // Never hand out a connection with an open transaction.
      if (!conn->getAutoCommit()) {
        std::unique_ptr<sql::Statement>(conn->createStatement())->execute("ROLLBACK");
        conn->setAutoCommit(true);
      }
    } catch (const sql::SQLException&) {
      broken = true;
    }
  }
  if (broken) conn.reset();  // closes it (and its statements) outside the lock
  absl::MutexLock lock(&mu_);
  if (broken) {
    --open_;
    return;
  }
  idle_.push_back(Idle{std::move(conn), absl::Now()});
}

ConnectionPool::Stats ConnectionPool::GetStats() {
  absl::MutexLock lock(&mu_);
  return Stats{config_.pool_size, open_, static_cast<int>(idle_.size()), acquired_, waited_,
               absl::ToDoubleSeconds(wait_total_)};
}

absl::Status ConnectionPool::EnsureDatabase() {
  auto conn = Connect(false);
  if (!conn.ok()) return conn.status();
  try {
    std::unique_ptr<sql::Statement> st((*conn)->createStatement());
    st->execute(absl::StrCat("CREATE DATABASE IF NOT EXISTS `", config_.database,
                             "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
  } catch (const sql::SQLException& e) {
    return absl::InternalError(absl::StrCat("Не удалось создать базу данных: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace nms::db
