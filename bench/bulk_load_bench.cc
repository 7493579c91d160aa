// The bulk loader (`nmsctl load-region`, clients/cli/load_region.cc) against a raw bulk INSERT of
// the same rows in the same run: the loader writes a full-size region into database A (timed as a
// process, generation included); the rows it wrote are read back and replayed into database B
// with the same schema as plain multi-row INSERTs of 1 000 rows over one connection, the way a
// dump is restored (foreign-key and unique checks off, a commit every 8 statements). Rounds
// alternate the two; prints both median rates in rows/s and their ratio. The bulk part only
// (--areas=false): the areas' stages write through their repositories and are timed by the
// loader itself.
//
//   build/bulk_load_bench [--teachers=100000] [--dsn=mysql://root@127.0.0.1:PORT]
// Without --dsn it starts its own MariaDB in build/bench-state/db (and leaves it running for
// the next run; stop it with deploy/dev/db.sh stop build/bench-state/db).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/db/migrations.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/support/local_stack.h"

ABSL_FLAG(int, teachers, 100000, "teachers in the loaded region");
ABSL_FLAG(std::string, dsn, "", "MariaDB to use, mysql://user@host:port (default: start one)");
ABSL_FLAG(int, rounds, 3, "rounds (each: the loader, then the raw replay); medians are reported");

namespace {

using namespace nms;  // NOLINT

// Tables in the order a restore must fill them (parents first).
const char* kTables[] = {"regions", "districts", "municipalities", "organizations", "people", "person_subjects",
                         "employments", "accounts", "role_grants", "indicator_definitions", "training_completions",
                         "community_memberships", "expert_activities", "management_team_memberships",
                         "methodist_assignments", "cnppm_staff", "regional_events", "support_measures"};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string Literal(sql::ResultSet& rs, int col) {
  if (rs.isNull(col)) return "NULL";
  std::string v = rs.getString(col);
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

// The rows of `table` as multi-row INSERT statements of 1 000 rows.
int64_t Dump(sql::Connection& c, const char* table, std::vector<std::string>* out) {
  std::unique_ptr<sql::Statement> st(c.createStatement());
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery(absl::StrCat("SELECT * FROM ", table)));
  int cols = static_cast<int>(rs->getMetaData()->getColumnCount());
  std::string head = absl::StrCat("INSERT INTO ", table, " VALUES ");
  std::string sql;
  int64_t rows = 0;
  int n = 0;
  while (rs->next()) {
    absl::StrAppend(&sql, n == 0 ? head : ",", "(");
    for (int i = 1; i <= cols; ++i) absl::StrAppend(&sql, i == 1 ? "" : ",", Literal(*rs, i));
    sql += ")";
    ++rows;
    if (++n == 1000) {
      out->push_back(std::move(sql));
      sql.clear();
      n = 0;
    }
  }
  if (n > 0) out->push_back(std::move(sql));
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string base = absl::GetFlag(FLAGS_dsn);
  if (base.empty()) {
    auto port = testing::StartLocalDb(NMS_BINARY_DIR "/bench-state/db");
    if (!port.ok()) {
      std::fprintf(stderr, "%s\n", std::string(port.status().message()).c_str());
      return 1;
    }
    base = absl::StrCat("mysql://root@127.0.0.1:", *port);
  }
  const int teachers = absl::GetFlag(FLAGS_teachers);
  // Rounds alternate the two so drifting load on a shared machine hits both alike; medians.
  std::vector<double> loader_rates, raw_rates;
  int64_t rows = 0;
  size_t statement_count = 0;
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    for (const char* db_name : {"bench_bulk_loader", "bench_bulk_raw"}) {
      if (auto st = testing::RecreateDatabase(base, db_name); !st.ok()) {
        std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
        return 1;
      }
      db::ConnectionPool pool(*db::ParseDsn(absl::StrCat(base, "/", db_name)));
      if (!db::ApplyMigrations(pool, NMS_SOURCE_DIR "/schema/migrations").ok()) {
        std::fprintf(stderr, "migrations failed\n");
        return 1;
      }
    }
    // (a) The loader, as an operator runs it.
    absl::Time t0 = absl::Now();
    int rc = testing::Shell(absl::StrCat(NMS_BINARY_DIR, "/nmsctl load-region ", teachers, " --areas=false --db=", base,
                                         "/bench_bulk_loader >/dev/null"));
    double loader_s = absl::ToDoubleSeconds(absl::Now() - t0);
    if (rc != 0) {
      std::fprintf(stderr, "nmsctl load-region failed (%d)\n", rc);
      return 1;
    }
    // (b) The same rows, replayed as a raw bulk INSERT.
    std::vector<std::string> statements;
    rows = 0;
    db::ConnectionPool loaded(*db::ParseDsn(absl::StrCat(base, "/bench_bulk_loader")));
    (void)db::WithConnection(loaded, [&](sql::Connection& c) {
      for (const char* t : kTables) rows += Dump(c, t, &statements);
      return absl::OkStatus();
    });
    statement_count = statements.size();
    db::ConnectionPool raw(*db::ParseDsn(absl::StrCat(base, "/bench_bulk_raw")));
    double raw_s = 0;
    auto st = db::WithConnection(raw, [&](sql::Connection& c) -> absl::Status {
      std::unique_ptr<sql::Statement> s(c.createStatement());
      s->execute("SET SESSION foreign_key_checks = 0");
      s->execute("SET SESSION unique_checks = 0");
      c.setAutoCommit(false);
      absl::Time t1 = absl::Now();
      int pending = 0;
      for (const auto& sql : statements) {
        s->execute(sql);
        if (++pending == 8) {
          db::Commit(c);
          pending = 0;
        }
      }
      db::Commit(c);
      raw_s = absl::ToDoubleSeconds(absl::Now() - t1);
      c.setAutoCommit(true);
      return absl::OkStatus();
    });
    if (!st.ok()) {
      std::fprintf(stderr, "raw replay failed: %s\n", std::string(st.message()).c_str());
      return 1;
    }
    loader_rates.push_back(rows / loader_s);
    raw_rates.push_back(rows / raw_s);
    std::printf("round %d: loader %.1f s (%.0f rows/s), raw %.1f s (%.0f rows/s)\n", round + 1, loader_s,
                rows / loader_s, raw_s, rows / raw_s);
  }
  double loader = Median(loader_rates), raw = Median(raw_rates);
  std::printf("full-size region: %d teachers, %lld rows in %zu statements\n", teachers, static_cast<long long>(rows),
              statement_count);
  std::printf("nmsctl load-region (process: generation + 2 writer connections): %.0f rows/s (median)\n", loader);
  std::printf("raw bulk INSERT of the same rows (1 connection, 1000-row statements): %.0f rows/s (median)\n", raw);
  std::printf("ratio loader / raw: %.2f\n", loader / raw);
  return 0;
}
