#pragma once
// A small, bounded pool of MySQL Connector/C++ connections. Connector/C++ 1.1 is blocking, so
// the server uses the synchronous gRPC API with a thread cap near the pool size: a handler
// thread holds one connection for the length of its transaction.
//
// A broken connection (DB restarted, network cut) is discarded on release and replaced on the
// next Acquire, so the pool heals after a database restart without restarting the server.
// Each connection the pool opens carries its own prepared-statement cache (statement_cache.h),
// dropped with the connection, never carried over to a replacement.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include <cppconn/connection.h>

namespace nms::db {

struct DbConfig {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user = "root";
  std::string password;
  std::string database = "nms";
  int pool_size = 8;
  absl::Duration connect_timeout = absl::Seconds(3);
  absl::Duration read_timeout = absl::Seconds(30);
};

// "mysql://user:password@host:port/database" (password, port optional).
absl::StatusOr<DbConfig> ParseDsn(const std::string& dsn);

// Drops the connection's statement cache, then closes it.
struct ConnectionCloser {
  void operator()(sql::Connection* conn) const;
};
using ConnectionPtr = std::unique_ptr<sql::Connection, ConnectionCloser>;

class ConnectionPool {
 public:
  explicit ConnectionPool(DbConfig config);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A borrowed connection, returned to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    sql::Connection& operator*() const { return *conn_; }
    sql::Connection* operator->() const { return conn_.get(); }
    // The connection failed at the protocol level; close it instead of reusing it.
    void MarkBroken() { broken_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, ConnectionPtr conn) : pool_(pool), conn_(std::move(conn)) {}
    ConnectionPool* pool_;
    ConnectionPtr conn_;
    bool broken_ = false;
  };

  // Waits up to `timeout` for a free slot; UNAVAILABLE when the database cannot be reached,
  // DEADLINE_EXCEEDED when every connection stays busy.
  absl::StatusOr<Lease> Acquire(absl::Duration timeout = absl::Seconds(5));

  // Creates the database named in the config if missing (used before migrations).
  absl::Status EnsureDatabase();

  const DbConfig& config() const { return config_; }

  // For the metrics endpoint: the pool's state now and its waits since start.
  struct Stats {
    int size = 0, open = 0, idle = 0;
    int64_t acquired = 0, waited = 0;  // leases handed out; of those, ones that had to wait
    double wait_seconds = 0;           // total time spent waiting for a connection
  };
  Stats GetStats();

 private:
  struct Idle {
    ConnectionPtr conn;
    absl::Time since;
  };
  absl::StatusOr<ConnectionPtr> Connect(bool with_schema);
  void Release(ConnectionPtr conn, bool broken);

  DbConfig config_;
  absl::Mutex mu_;
  std::vector<Idle> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + leased
  int64_t acquired_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t waited_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration wait_total_ ABSL_GUARDED_BY(mu_);
};

}  // namespace nms::db
