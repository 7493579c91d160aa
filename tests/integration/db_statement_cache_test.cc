// The per-connection prepared-statement cache: a statement is prepared once per connection, a
// nested use of the same SQL while its rows are still read gets its own statement (re-executing
// would discard those rows), and a connection that died takes its statements with it: the pool's
// replacement prepares afresh instead of executing handles its server session never knew.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/db/statement_counter.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_stmt_cache";

db::DbConfig OneConnection() {
  db::DbConfig config = *db::ParseDsn(TestDsn(kDb));
  config.pool_size = 1;
  return config;
}

int64_t Prepares() { return db::StatementsOnThisThread().prepares; }

int64_t ConnectionId(sql::Connection& c) {
  auto rs = db::Stmt(c, "SELECT CONNECTION_ID()").Query();
  rs->next();
  return rs->getInt64(1);
}

TEST(DbStatementCache, PreparesOncePerConnectionAndKeepsNestedResultsApart) {
  ResetDatabase(kDb);
  db::ConnectionPool pool(OneConnection());
  ASSERT_TRUE(db::WithConnection(pool, [](sql::Connection& c) {
                db::Stmt(c, "CREATE TABLE scratch (id INT PRIMARY KEY, v VARCHAR(16))").Execute();
                db::Stmt(c, "INSERT INTO scratch VALUES (1, 'один'), (2, 'два'), (3, 'три')").Execute();
                return absl::OkStatus();
              }).ok());
  const std::string kSelect = "SELECT v FROM scratch WHERE id = ?";
  int64_t before = Prepares();
  for (int id = 1; id <= 3; ++id) {
    ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                  auto rs = db::Stmt(c, kSelect).Int(id).Query();
                  EXPECT_TRUE(rs->next());
                  EXPECT_EQ(db::GetStr(*rs, "v"), id == 1 ? "один" : id == 2 ? "два" : "три");
                  return absl::OkStatus();
                }).ok());
  }
  EXPECT_EQ(Prepares() - before, 1) << "three executions of one SQL text on one connection";

  // The outer rows are still being read when the same SQL runs again inside the loop.
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                const std::string kAll = "SELECT id, v FROM scratch WHERE id >= ? ORDER BY id";
                auto outer = db::Stmt(c, kAll).Int(1).Query();
                std::vector<std::string> seen;
                while (outer->next()) {
                  auto inner = db::Stmt(c, kAll).Int(3).Query();
                  EXPECT_TRUE(inner->next());
                  EXPECT_EQ(db::GetStr(*inner, "v"), "три");
                  seen.push_back(db::GetStr(*outer, "v"));
                }
                EXPECT_EQ(seen, (std::vector<std::string>{"один", "два", "три"}));
                // Once every user is gone the cached statement is lent again, with fresh parameters.
                int64_t p = Prepares();
                outer.reset();
                auto again = db::Stmt(c, kAll).Int(2).Query();
                EXPECT_EQ(again->rowsCount(), 2u);
                EXPECT_EQ(Prepares(), p);
                return absl::OkStatus();
              }).ok());
}

TEST(DbStatementCache, AKilledConnectionTakesItsStatementsAlong) {
  ResetDatabase(kDb);
  db::ConnectionPool pool(OneConnection());
  db::ConnectionPool killer(*db::ParseDsn(TestDsn(kDb)));
  int64_t first = 0;
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                first = ConnectionId(c);
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(db::WithConnection(killer, [&](sql::Connection& k) {
                db::Stmt(k, absl::StrCat("KILL ", first)).Execute();
                return absl::OkStatus();
              }).ok());
  // The read fails on the dead session, the pool replaces the connection and the read is
  // repeated there: its statement is prepared on the new session, not taken from the old cache.
  int64_t before = Prepares();
  int64_t second = 0;
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                second = ConnectionId(c);
                return absl::OkStatus();
              }).ok());
  EXPECT_NE(second, first);
  EXPECT_GE(Prepares() - before, 1);
  // Writes in transactions keep working on the new session.
  ASSERT_TRUE(db::InTransaction(pool, [](sql::Connection& c) {
                db::Stmt(c, "CREATE TABLE IF NOT EXISTS t2 (id INT PRIMARY KEY)").Execute();
                db::Stmt(c, "INSERT INTO t2 VALUES (?)").Int(7).Execute();
                return absl::OkStatus();
              }).ok());
}

}  // namespace
}  // namespace nms::testing
