#pragma once
// Server-side prepared statements kept per pooled connection, keyed by SQL text, so a hot query
// is prepared once per connection instead of once per call (each prepare is a round trip).
//
// Lifetime rules (Connector/C++ 1.1 over libmariadb):
// - A statement handle belongs to one server session: when the connection dies or is replaced
//   the handles are gone with it (executing one then fails with 1243, "Unknown prepared statement
//   handler"). The cache is therefore attached to the connection object the pool creates and
//   detached when the pool closes it; the pool never reconnects in place (OPT_RECONNECT off), so
//   a live connection object always has a live session. A 1243 anyway (server evicted it) drops
//   the cache and the statement is prepared again (sql.cc).
// - Re-executing a statement discards its previous, possibly still read, result set. A cached
//   statement is therefore lent to one user at a time: it stays "in use" until the Stmt and the
//   result set it returned are both gone; a second user of the same SQL meanwhile (a nested loop)
//   gets a private statement.
// - Bounded (least recently used evicted): SQL with inlined id lists varies per call.
// A connection is used by one thread at a time (its lease holder), so a cache needs no lock; the
// registry from connection to cache has one.

#include <cstddef>
#include <list>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

namespace nms::db {

class StatementCache {
 public:
  struct Entry {
    std::string sql;
    std::unique_ptr<sql::PreparedStatement> ps;
  };

  explicit StatementCache(size_t capacity) : capacity_(capacity) {}
  ~StatementCache();

  // The cached statement for `sql`, prepared on `conn` if needed and lent to the caller (the
  // returned pointer keeps it in use); nullptr when another user holds it. `prepared` tells
  // whether this call prepared it (a round trip).
  std::shared_ptr<Entry> Borrow(sql::Connection& conn, const std::string& sql, bool* prepared);
  // Forgets every statement (the server no longer knows them); statements in use die with
  // their last user.
  void Clear();
  size_t size() const { return lru_.size(); }

  // The registry: the pool attaches a cache to each connection it opens and detaches it before
  // closing the connection. For() is nullptr for connections the pool did not open.
  static void Attach(sql::Connection* conn, size_t capacity);
  static void Detach(sql::Connection* conn);
  static StatementCache* For(sql::Connection& conn);

 private:
  using Lru = std::list<std::shared_ptr<Entry>>;
  size_t capacity_;
  Lru lru_;  // most recently used first
  absl::flat_hash_map<std::string, Lru::iterator> index_;
};

// Default bound per connection; MariaDB's max_prepared_stmt_count (16 382) is server-wide.
inline constexpr size_t kStatementCacheCapacity = 128;

// A result set that keeps its cached statement lent out until it is destroyed.
std::unique_ptr<sql::ResultSet> HoldWhileOpen(std::unique_ptr<sql::ResultSet> rs,
                                              std::shared_ptr<StatementCache::Entry> entry);

}  // namespace nms::db
