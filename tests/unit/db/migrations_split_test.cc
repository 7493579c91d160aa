#include <gtest/gtest.h>

#include "server/db/migrations.h"
#include "server/db/pool.h"

namespace nms::db {
namespace {

TEST(Migrations, SplitsStatementsAndSkipsComments) {
  auto s = SplitSqlStatements("-- header\nCREATE TABLE a (\n  x INT\n);\n\n-- c\nINSERT INTO a VALUES (1);\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], "CREATE TABLE a (\n  x INT\n)");
  EXPECT_EQ(s[1], "INSERT INTO a VALUES (1)");
}

TEST(Dsn, Parses) {
  auto c = ParseDsn("mysql://nms:secret@db.local:3307/nms_prod");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user, "nms");
  EXPECT_EQ(c->password, "secret");
  EXPECT_EQ(c->host, "db.local");
  EXPECT_EQ(c->port, 3307);
  EXPECT_EQ(c->database, "nms_prod");
  EXPECT_FALSE(ParseDsn("postgres://x/y").ok());
  EXPECT_FALSE(ParseDsn("mysql://h:abc/db").ok());
}

}  // namespace
}  // namespace nms::db
