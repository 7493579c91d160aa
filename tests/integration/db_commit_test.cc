// A COMMIT that never took effect must not be reported as a success. Connector/C++ 1.1's
// Connection::commit() ignores mysql_commit()'s result, so a transaction whose connection died at
// COMMIT (a node crash, a killed session) came back as committed and its write was acknowledged
// though it was gone; found by the scale-out test (kill -9 of a Galera node under writes).
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_commit";

int64_t Rows(db::ConnectionPool& pool) {
  int64_t n = -1;
  EXPECT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                auto rs = db::Stmt(c, "SELECT COUNT(*) FROM scratch").Query();
                rs->next();
                n = rs->getInt64(1);
                return absl::OkStatus();
              }).ok());
  return n;
}

TEST(DbCommit, ACommitOnADeadConnectionIsUnavailableNotAcknowledged) {
  ResetDatabase(kDb);
  db::ConnectionPool pool(*db::ParseDsn(TestDsn(kDb)));
  db::ConnectionPool killer(*db::ParseDsn(TestDsn(kDb)));
  ASSERT_TRUE(db::WithConnection(pool, [](sql::Connection& c) {
                db::Stmt(c, "CREATE TABLE scratch (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT) ENGINE=InnoDB")
                    .Execute();
                return absl::OkStatus();
              }).ok());
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    db::Stmt(c, "INSERT INTO scratch (v) VALUES (1)").Execute();
    auto rs = db::Stmt(c, "SELECT CONNECTION_ID()").Query();
    rs->next();
    int64_t id = rs->getInt64(1);
    // The session dies between the last statement and COMMIT.
    return db::WithConnection(killer, [&](sql::Connection& k) {
      db::Stmt(k, absl::StrCat("KILL ", id)).Execute();
      return absl::OkStatus();
    });
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_EQ(Rows(pool), 0) << "nothing was committed";
  // The pool replaced the dead connection: the next transaction commits.
  ASSERT_TRUE(db::InTransaction(pool, [](sql::Connection& c) {
                db::Stmt(c, "INSERT INTO scratch (v) VALUES (2)").Execute();
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(Rows(pool), 1);
}

}  // namespace
}  // namespace nms::testing
