// Bulk ИОМ generation for a 100 000-teacher campaign exactly as BulkGenerateRoutes runs it (the
// background worker's code: batches of participants, the domain generator per teacher, routes,
// items, history, audit and change-feed rows in one transaction per batch, progress committed
// with each batch) against a raw multi-row INSERT of the same number of route rows into a copy
// of the routes table, in the same run on the same database. Prints both times and the ratio
// (and the ratio against a raw INSERT of every row the generation wrote).
//
//   build/route_generation_bench [--teachers=100000] [--batch=500]
//   build/route_generation_bench --db=mysql://root@127.0.0.1:PORT/nms_bench_routes
// Without --db it starts its own user-space MariaDB (deploy/dev/db.sh) under --state_dir and
// stops it at the end. The bench database is dropped and rebuilt on every run.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/db/bulk_insert.h"
#include "server/db/migrations.h"
#include "server/db/pool.h"
#include "server/db/route_operation_repository.h"
#include "server/db/sql.h"
#include "server/services/route_bulk_worker.h"

ABSL_FLAG(std::string, db, "", "bench database DSN; empty = start an own MariaDB under --state_dir");
ABSL_FLAG(std::string, state_dir, "bench-state/route-db", "data folder of the own MariaDB");
ABSL_FLAG(int, teachers, 100000, "teachers in the campaign");
ABSL_FLAG(int, batch, 500, "teachers per generation batch (the server's default)");

namespace {

using namespace nms;  // NOLINT

int64_t Count(sql::Connection& c, const std::string& sql) {
  auto rs = db::Stmt(c, sql).Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

struct World {
  int64_t region = 0, campaign = 0;
};

// A region with `teachers` teachers, each a campaign participant with a FINAL result of 1–6
// deficits over a 30-indicator framework, and a catalogue of 80 activities.
World Build(sql::Connection& c, int teachers) {
  World w;
  std::mt19937 rng(20260901);
  auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  db::Stmt(c, "INSERT INTO regions (display_name) VALUES ('Регион бенчмарка ИОМ')").Execute();
  w.region = db::LastInsertId(c);
  std::vector<std::pair<int64_t, int64_t>> orgs;  // (org, municipality)
  for (int m = 0; m < 50; ++m) {
    db::Stmt(c, "INSERT INTO municipalities (region_id, display_name) VALUES (?, ?)")
        .Int(w.region).Str(absl::StrCat("Муниципалитет ", m + 1)).Execute();
    int64_t mun = db::LastInsertId(c);
    for (int s = 0; s < std::max(1, teachers / 100 / 50); ++s) {
      std::string name = absl::StrCat("МБОУ СОШ № ", m * 100 + s + 1);
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) VALUES (?, ?, 1, ?, ?)")
          .Int(w.region).Int(mun).Str(name).Str(name).Execute();
      orgs.push_back({db::LastInsertId(c), mun});
    }
  }
  const char* subjects[] = {"математика", "русский язык", "физика", "история", "биология", "начальные классы"};
  {
    db::BulkInsert people(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, "
                             "middle_name, position, subjects) VALUES ", 8, 1000);
    for (int i = 0; i < teachers; ++i) {
      auto [org, mun] = orgs[r(0, static_cast<int>(orgs.size()) - 1)];
      people.Int(w.region).Int(mun).Int(org).Str(absl::StrCat("Педагогова-", i)).Str("Анна").Str("Петровна")
          .Str("учитель").Str(subjects[r(0, 5)]);
      people.EndRow();
    }
    people.Flush();
  }
  db::Stmt(c, "INSERT INTO diagnostic_frameworks (region_id, title, revision, state, overall_basic, overall_advanced, "
              "overall_high) VALUES (?, 'Рамка', 1, 2, 50, 70, 85)")
      .Int(w.region).Execute();
  int64_t framework = db::LastInsertId(c);
  std::vector<std::pair<std::string, int>> codes;
  for (int area = 1; area <= 5; ++area) {
    for (int k = 1; k <= 6; ++k) {
      codes.push_back({absl::StrCat("A", area, ".", k), area});
      db::Stmt(c, "INSERT INTO competency_indicators (framework_version, code, area, title) VALUES (?, ?, ?, ?)")
          .Int(framework).Str(codes.back().first).Int(area).Str(absl::StrCat("Показатель ", area, ".", k)).Execute();
    }
  }
  db::Stmt(c, "INSERT INTO diagnostic_instruments (region_id, framework_id, title, state) VALUES (?, ?, 'Тест', 2)")
      .Int(w.region).Int(framework).Execute();
  int64_t instrument = db::LastInsertId(c);
  db::Stmt(c, "INSERT INTO diagnostic_campaigns (region_id, title, instrument_id, framework_id, population_json, state) "
              "VALUES (?, 'Кампания бенчмарка', ?, ?, '{}', 3)")
      .Int(w.region).Int(instrument).Int(framework).Execute();
  w.campaign = db::LastInsertId(c);
  db::Stmt(c, "INSERT INTO diagnostic_campaign_participants (campaign_id, person_id) SELECT ?, id FROM people WHERE region_id = ?")
      .Int(w.campaign).Int(w.region).Execute();
  db::Stmt(c, "INSERT INTO diagnostic_results (person_id, region_id, campaign_id, framework_version, source, status, "
              "overall_score, overall_level, diagnosis_date) SELECT id, region_id, ?, ?, 1, 2, 45, 1, '2026-05-20' "
              "FROM people WHERE region_id = ?")
      .Int(w.campaign).Int(framework).Int(w.region).Execute();
  {
    std::vector<int64_t> results;
    auto rs = db::Stmt(c, "SELECT id FROM diagnostic_results WHERE campaign_id = ? ORDER BY id").Int(w.campaign).Query();
    while (rs->next()) results.push_back(rs->getInt64(1));
    db::BulkInsert deficits(c, "INSERT INTO diagnostic_deficits (result_id, indicator_code, area, score, threshold, gap, "
                               "severity_rank) VALUES ", 7, 1000);
    for (int64_t result : results) {
      std::vector<int> picked;
      int n = r(1, 6);
      while (static_cast<int>(picked.size()) < n) {
        int k = r(0, static_cast<int>(codes.size()) - 1);
        if (std::find(picked.begin(), picked.end(), k) == picked.end()) picked.push_back(k);
      }
      for (size_t rank = 0; rank < picked.size(); ++rank) {
        const auto& [code, area] = codes[picked[rank]];
        double score = 10 + 5 * static_cast<double>(rank);
        deficits.Int(result).Str(code).Int(area).Double(score).Double(50).Double(50 - score).Int(static_cast<int>(rank) + 1);
        deficits.EndRow();
      }
    }
    deficits.Flush();
  }
  for (int i = 0; i < 80; ++i) {
    int kind = 1 + i % 9;
    db::Stmt(c, "INSERT INTO activities (region_id, kind, title, hours, format, federal_registry_id, subjects) "
                "VALUES (?, ?, ?, ?, 2, ?, ?)")
        .Int(w.region).Int(kind).Str(absl::StrCat("Мероприятие каталога № ", i + 1))
        .Int(kind <= 3 ? 16 + 12 * (i % 6) : i % 8).OptStr(i % 4 == 0 ? absl::StrCat("ФР-", 1000 + i) : "")
        .Str(i % 10 == 0 ? subjects[i % 6] : "").Execute();
    int64_t id = db::LastInsertId(c);
    for (int k = 0; k < 2; ++k) {
      db::Stmt(c, "INSERT IGNORE INTO activity_indicators (activity_id, indicator_code) VALUES (?, ?)")
          .Int(id).Str(codes[(i * 7 + k * 11) % codes.size()].first).Execute();
    }
    if (i % 5 == 0) db::Stmt(c, "INSERT INTO activity_areas (activity_id, area) VALUES (?, ?)").Int(id).Int(1 + i % 5).Execute();
  }
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string dsn = absl::GetFlag(FLAGS_db);
  std::string state = absl::GetFlag(FLAGS_state_dir);
  bool own = dsn.empty();
  std::string script = NMS_SOURCE_DIR "/deploy/dev/db.sh";
  if (own) {
    if (std::system(absl::StrCat(script, " start ", state, " >/dev/null").c_str()) != 0) {
      std::fprintf(stderr, "cannot start MariaDB under %s\n", state.c_str());
      return 1;
    }
    int port = 0;
    std::ifstream(state + "/port") >> port;
    dsn = absl::StrCat("mysql://root@127.0.0.1:", port, "/nms_bench_routes");
  }
  int rc = [&]() -> int {
    auto config = db::ParseDsn(dsn);
    if (!config.ok()) return 2;
    config->pool_size = 4;
    config->read_timeout = absl::Minutes(10);
    {
      auto admin = *config;
      admin.database = "mysql";
      db::ConnectionPool pool(admin);
      auto st = db::WithConnection(pool, [&](sql::Connection& c) {
        db::Stmt(c, absl::StrCat("DROP DATABASE IF EXISTS `", config->database, "`")).Execute();
        return absl::OkStatus();
      });
      if (!st.ok()) {
        std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
        return 1;
      }
    }
    db::ConnectionPool pool(*config);
    if (!pool.EnsureDatabase().ok() || !db::ApplyMigrations(pool, NMS_SOURCE_DIR "/schema/migrations").ok()) {
      std::fprintf(stderr, "cannot prepare the bench database\n");
      return 1;
    }
    const int teachers = absl::GetFlag(FLAGS_teachers);
    World w;
    absl::Time b0 = absl::Now();
    auto st = db::InTransaction(pool, [&](sql::Connection& c) {
      w = Build(c, teachers);
      return absl::OkStatus();
    });
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
      return 1;
    }
    std::fprintf(stderr, "synthetic campaign of %d teachers built in %.1f s\n", teachers,
                 absl::ToDoubleSeconds(absl::Now() - b0));

    // (a) the bulk operation, through the worker's own code path.
    int64_t op = 0;
    const std::string worker = "bench";
    st = db::InTransaction(pool, [&](sql::Connection& c) {
      op = db::RouteOperationRepository::Insert(c, w.region, w.campaign, "", {}, absl::CivilDay(2026, 9, 1), 0, 0);
      db::RouteOperationRepository::Claim(c, worker, 60);
      return absl::OkStatus();
    });
    absl::Time g0 = absl::Now();
    st = st.ok() ? services::RouteBulkWorker::Run(pool, op, worker, absl::GetFlag(FLAGS_batch), nullptr) : st;
    double gen_s = absl::ToDoubleSeconds(absl::Now() - g0);
    if (!st.ok()) {
      std::fprintf(stderr, "generation failed: %s\n", std::string(st.message()).c_str());
      return 1;
    }
    int64_t routes = 0, items = 0, history = 0, audit = 0, outbox = 0;
    (void)db::WithConnection(pool, [&](sql::Connection& c) {
      routes = Count(c, absl::StrCat("SELECT COUNT(*) FROM routes WHERE operation_id = ", op));
      items = Count(c, "SELECT COUNT(*) FROM route_items");
      history = Count(c, "SELECT COUNT(*) FROM route_status_changes");
      audit = Count(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'BulkGenerateRoutes'");
      outbox = Count(c, "SELECT COUNT(*) FROM outbox WHERE entity_type = 'route'");
      return absl::OkStatus();
    });

    // (b) a raw bulk INSERT of the same number of route rows (same columns, same statement size).
    auto raw = [&](int64_t rows) {
      absl::Time r0 = absl::Now();
      auto s = db::InTransaction(pool, [&](sql::Connection& c) {
        db::Stmt(c, "DROP TABLE IF EXISTS bench_raw_routes").Execute();
        db::Stmt(c, "CREATE TABLE bench_raw_routes LIKE routes").Execute();
        db::BulkInsert ins(c,
                           "INSERT INTO bench_raw_routes (person_id, region_id, result_id, campaign_id, operation_id, "
                           "status, goal, full_name, municipality_id, municipality_title, organization_id, "
                           "organization_title, position, subject, diagnosis_date, overall_level, deficit_count, "
                           "planned_start_date, planned_end_date, generated) VALUES ",
                           20, 300);
        for (int64_t i = 0; i < rows; ++i) {
          // Synthetic person ids keep the open-route unique key satisfied, as generation does.
          ins.Int(i + 1).Int(w.region).Null().Int(w.campaign).Int(op).Int(1).Str("непрерывное профессиональное развитие")
              .Str("Педагогова Анна Петровна").Null().Str("Муниципалитет").Null().Str("МБОУ СОШ").Str("учитель")
              .Str("математика").Str("2026-05-20").Int(1).Int(3).Str("2026-09-01").Str("2027-09-01").Bool(true);
          ins.EndRow();
        }
        ins.Flush();
        return absl::OkStatus();
      });
      return s.ok() ? absl::ToDoubleSeconds(absl::Now() - r0) : -1.0;
    };
    double raw_routes_s = raw(routes);
    int64_t all_rows = routes + items + history + audit + outbox;
    double raw_all_s = raw(all_rows);
    std::printf("teachers: %d, routes generated: %lld (items %lld, history %lld, audit %lld, change feed %lld)\n", teachers,
                static_cast<long long>(routes), static_cast<long long>(items), static_cast<long long>(history),
                static_cast<long long>(audit), static_cast<long long>(outbox));
    std::printf("bulk generation (BulkGenerateRoutes worker, batches of %d): %.2f s (%.0f routes/s)\n",
                absl::GetFlag(FLAGS_batch), gen_s, routes / gen_s);
    std::printf("raw bulk INSERT of %lld route rows: %.2f s\n", static_cast<long long>(routes), raw_routes_s);
    std::printf("ratio generation / raw INSERT of the same number of route rows: %.2f\n",
                raw_routes_s > 0 ? gen_s / raw_routes_s : 0.0);
    std::printf("raw bulk INSERT of %lld rows (as many as generation wrote in all tables): %.2f s; ratio %.2f\n",
                static_cast<long long>(all_rows), raw_all_s, raw_all_s > 0 ? gen_s / raw_all_s : 0.0);
    return routes == teachers ? 0 : 3;
  }();
  if (own) (void)std::system(absl::StrCat(script, " stop ", state, " >/dev/null").c_str());
  return rc;
}
