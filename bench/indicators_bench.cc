// The full indicator set (every shipped preset's definitions: 32) for a synthetic region of
// 100 000 teachers, with drill-down to its municipalities, computed exactly as
// MonitoringService.ComputeIndicators does (load the region's facts with indexed queries, count
// in memory), against ONE aggregate scan of the same teachers (a single COUNT/SUM query) in
// the same run. Prints both times and their ratio.
//
//   build/indicators_bench --db=mysql://root@127.0.0.1:PORT/nms_bench_indicators [--teachers=100000]
// The synthetic region is generated on first use (idempotent) and reused afterwards.
#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_db.h"
#include "server/db/monitoring_repository.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/domain/monitoring/facts.h"
#include "server/domain/monitoring/indicators.h"

ABSL_FLAG(std::string, db, "mysql://root@127.0.0.1:3306/nms_bench_indicators", "bench database DSN");
ABSL_FLAG(int, teachers, 100000, "teachers in the synthetic region");
ABSL_FLAG(int, iterations, 5, "measured iterations (median reported)");

namespace {

using namespace nms;  // NOLINT

constexpr char kRegion[] = "Синтетический регион (бенчмарк)";

// Appends rows to a multi-row INSERT and flushes every 2000 rows.
class Bulk {
 public:
  Bulk(sql::Connection& c, std::string head) : c_(c), head_(std::move(head)) {}
  ~Bulk() { Flush(); }
  void Add(const std::string& values) {
    if (n_ > 0) sql_ += ",";
    sql_ += values;
    if (++n_ >= 2000) Flush();
  }
  void Flush() {
    if (n_ == 0) return;
    std::unique_ptr<sql::Statement> st(c_.createStatement());
    st->execute(head_ + sql_);
    sql_.clear();
    n_ = 0;
  }

 private:
  sql::Connection& c_;
  std::string head_, sql_;
  int n_ = 0;
};

std::string Day(std::mt19937& rng, int y0, int y1) {
  int y = std::uniform_int_distribution<int>(y0, y1)(rng);
  int m = std::uniform_int_distribution<int>(1, 12)(rng);
  int d = std::uniform_int_distribution<int>(1, 28)(rng);
  char buf[16];
  std::snprintf(buf, sizeof buf, "'%04d-%02d-%02d'", y, m, d);
  return buf;
}

int64_t Generate(sql::Connection& c, int teachers) {
  auto rs = db::Stmt(c, "SELECT id FROM regions WHERE display_name = ?").Str(kRegion).Query();
  if (rs->next()) return rs->getInt64(1);
  std::fprintf(stderr, "generating %d teachers...\n", teachers);
  db::Stmt(c, "INSERT INTO regions (display_name) VALUES (?)").Str(kRegion).Execute();
  int64_t region = db::LastInsertId(c);
  std::mt19937 rng(42);
  const int municipalities = 50, schools_per = std::max(1, teachers / 100 / municipalities);
  std::vector<int64_t> orgs;
  std::vector<int64_t> org_mun;
  for (int m = 0; m < municipalities; ++m) {
    db::Stmt(c, "INSERT INTO municipalities (region_id, display_name) VALUES (?, ?)")
        .Int(region).Str(absl::StrCat("Муниципалитет ", m + 1)).Execute();
    int64_t mun = db::LastInsertId(c);
    for (int s = 0; s < schools_per; ++s) {
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) "
                  "VALUES (?, ?, ?, ?, ?)")
          .Int(region).Int(mun).Int(s % 5 == 0 ? 2 : 1).Str(absl::StrCat("ОО ", m, "-", s))
          .Str(absl::StrCat("ОО ", m, "-", s)).Execute();
      orgs.push_back(db::LastInsertId(c));
      org_mun.push_back(mun);
    }
  }
  db::Stmt(c, "INSERT INTO organizations (region_id, type, display_name, short_name) VALUES (?, 5, 'ЦНППМ', 'ЦНППМ')")
      .Int(region).Execute();
  int64_t cnppm = db::LastInsertId(c);
  {
    Bulk b(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, birth_date, "
              "work_start_date, management_role) VALUES ");
    for (int i = 0; i < teachers; ++i) {
      size_t o = std::uniform_int_distribution<size_t>(0, orgs.size() - 1)(rng);
      b.Add(absl::StrCat("(", region, ",", org_mun[o], ",", orgs[o], ",'Педагог','", i, "',", Day(rng, 1960, 2002), ",",
                         Day(rng, 1985, 2026), ",", i % 40 == 0 ? 1 : 0, ")"));
    }
  }
  std::vector<int64_t> people;
  auto prs = db::Stmt(c, "SELECT id FROM people WHERE region_id = ?").Int(region).Query();
  while (prs->next()) people.push_back(prs->getInt64(1));
  auto person = [&] { return people[std::uniform_int_distribution<size_t>(0, people.size() - 1)(rng)]; };
  {
    Bulk b(c, "INSERT INTO training_completions (region_id, person_id, programme_title, federal_registry, "
              "chosen_from_diagnostics, attestation_passed, quality_management, end_date, source) VALUES ");
    for (int i = 0; i < teachers * 3 / 10; ++i) {
      b.Add(absl::StrCat("(", region, ",", person(), ",'Курс',", i % 2, ",", i % 3 == 0, ",", i % 7 != 0, ",", i % 11 == 0,
                         ",", Day(rng, 2022, 2026), ",1)"));
    }
  }
  {
    Bulk b(c, "INSERT INTO community_memberships (region_id, person_id, community_title, community_kind, level, "
              "start_date) VALUES ");
    for (int i = 0; i < teachers / 4; ++i) b.Add(absl::StrCat("(", region, ",", person(), ",'РМО',1,1,", Day(rng, 2020, 2026), ")"));
  }
  {
    Bulk b(c, "INSERT INTO expert_activities (region_id, person_id, kind, start_date, end_date) VALUES ");
    for (int i = 0; i < teachers / 30; ++i) {
      b.Add(absl::StrCat("(", region, ",", person(), ",1,", Day(rng, 2024, 2025), ",", Day(rng, 2026, 2026), ")"));
    }
  }
  {
    Bulk b(c, "INSERT INTO management_team_memberships (region_id, person_id, organization_id, role, start_date) VALUES ");
    for (size_t o = 0; o < orgs.size(); ++o) b.Add(absl::StrCat("(", region, ",", person(), ",", orgs[o], ",2,'2020-01-01')"));
  }
  {
    Bulk b(c, "INSERT INTO methodist_assignments (region_id, methodist_person_id, teacher_person_id, role, start_date) "
              "VALUES ");
    for (int i = 0; i < teachers / 2; ++i) {
      b.Add(absl::StrCat("(", region, ",", people[i % 300], ",", person(), ",1,'2025-01-01')"));
    }
  }
  {
    Bulk b(c, "INSERT INTO cnppm_staff (region_id, person_id, organization_id, federally_trained) VALUES ");
    for (int i = 0; i < 60; ++i) b.Add(absl::StrCat("(", region, ",", people[i], ",", cnppm, ",", i % 3 != 0, ")"));
  }
  {
    Bulk b(c, "INSERT INTO regional_events (region_id, title, start_date) VALUES ");
    for (int i = 0; i < 40; ++i) b.Add(absl::StrCat("(", region, ",'Форум',", Day(rng, 2024, 2026), ")"));
  }
  return region;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto opened = bench::OpenBenchDatabase(absl::GetFlag(FLAGS_db));
  if (opened == nullptr) return 1;
  db::ConnectionPool& pool = *opened;
  int64_t region = 0;
  auto st = db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
    region = Generate(c, absl::GetFlag(FLAGS_teachers));
    return absl::OkStatus();
  });
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
    return 1;
  }
  std::vector<monitoring::Definition> defs;
  for (const auto& p : monitoring::Presets()) defs.insert(defs.end(), p.definitions.begin(), p.definitions.end());
  absl::CivilDay ref(2026, 6, 30);
  std::vector<double> full_ms, scan_ms, load_ms;
  int64_t teachers_counted = 0, teachers_scanned = 0;
  size_t values = 0;
  for (int it = 0; it < absl::GetFlag(FLAGS_iterations); ++it) {
    // (a) the full set: facts load + counts for the region and each municipality.
    absl::Time t0 = absl::Now();
    (void)db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
      monitoring::FactInputs in;
      absl::Time l0 = absl::Now();
      auto s = db::MonitoringRepository::LoadFacts(c, region, &in);
      load_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - l0));
      std::vector<int64_t> muns;
      auto rs = db::Stmt(c, "SELECT id FROM municipalities WHERE region_id = ?").Int(region).Query();
      while (rs->next()) muns.push_back(rs->getInt64(1));
      monitoring::FactCounter counter(in, ref);
      std::vector<monitoring::Scope> scopes = {{monitoring::ScopeLevel::kRegion, region}};
      for (int64_t m : muns) scopes.push_back({monitoring::ScopeLevel::kMunicipality, m});
      values = 0;
      for (const auto& scope : scopes) {
        for (const auto& d : defs) {
          auto range = monitoring::PeriodRange(d.period, ref);
          auto e = monitoring::Evaluate(d, counter.Count(scope, d.numerator, range), counter.Count(scope, d.denominator, range));
          if (scope.level == monitoring::ScopeLevel::kRegion && d.numerator.fact == monitoring::Fact::kTeachers) {
            teachers_counted = e.numerator;
          }
          ++values;
        }
      }
      return s;
    });
    full_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    // (b) one aggregate scan of the same teachers.
    absl::Time t1 = absl::Now();
    (void)db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
      auto rs = db::Stmt(c,
                         "SELECT COUNT(*), SUM(birth_date > '1991-06-30' AND work_start_date > '2023-06-30'), "
                         "SUM(management_role > 0) FROM people WHERE region_id = ? AND organization_id IS NOT NULL")
                    .Int(region)
                    .Query();
      if (rs->next()) teachers_scanned = rs->getInt64(1);
      return absl::OkStatus();
    });
    scan_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t1));
  }
  double full = bench::Median(full_ms), scan = bench::Median(scan_ms);
  std::printf("teachers in region: %lld (aggregate scan saw %lld)\n", static_cast<long long>(teachers_counted),
              static_cast<long long>(teachers_scanned));
  std::printf("full indicator set: %zu definitions x (region + municipalities) = %zu values: %.1f ms (median of %zu)\n",
              defs.size(), values, full, full_ms.size());
  std::printf("  of which loading the region's facts: %.1f ms, counting: %.1f ms\n", bench::Median(load_ms),
              full - bench::Median(load_ms));
  std::printf("one aggregate scan of the same teachers: %.1f ms\n", scan);
  std::printf("ratio full set / one scan: %.2f\n", scan > 0 ? full / scan : 0.0);
  return 0;
}
