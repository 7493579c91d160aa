// The young-teacher cohort of a synthetic region of 100 000 teachers at a date, computed as
// YoungTeacherService.GetCohortSummary does (candidates by an indexed date range, the cohort
// rule, recorded and derived support, each member's judgement, per-municipality buckets),
// against monitoring's indicator 8 over the same data in the same run (the region's facts
// loaded by MonitoringRepository::LoadFacts, then counted). The two must agree on the cohort
// and on who is supported; prints both counts, both times and their ratio.
//
//   build/young_cohort_bench --db=mysql://root@127.0.0.1:PORT/nms_bench_young [--teachers=100000]
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
#include "server/db/bulk_insert.h"
#include "server/db/monitoring_repository.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/domain/monitoring/facts.h"
#include "server/domain/young/summary.h"
#include "server/services/young_cohort.h"

ABSL_FLAG(std::string, db, "mysql://root@127.0.0.1:3306/nms_bench_young", "bench database DSN");
ABSL_FLAG(int, teachers, 100000, "teachers in the synthetic region");
ABSL_FLAG(int, iterations, 5, "measured iterations (median reported)");

namespace {

using namespace nms;  // NOLINT
using Day = absl::CivilDay;

constexpr char kRegion[] = "Синтетический регион (молодые педагоги)";

Day RandomDay(std::mt19937& rng, Day from, Day to) {
  return from + std::uniform_int_distribution<int>(0, static_cast<int>(to - from))(rng);
}

int64_t Generate(sql::Connection& c, int teachers, std::vector<int64_t>* municipalities) {
  auto rs = db::Stmt(c, "SELECT id FROM regions WHERE display_name = ?").Str(kRegion).Query();
  if (rs->next()) {
    int64_t region = rs->getInt64(1);
    auto ms = db::Stmt(c, "SELECT id FROM municipalities WHERE region_id = ?").Int(region).Query();
    while (ms->next()) municipalities->push_back(ms->getInt64(1));
    return region;
  }
  std::fprintf(stderr, "generating %d teachers...\n", teachers);
  db::Stmt(c, "INSERT INTO regions (display_name) VALUES (?)").Str(kRegion).Execute();
  int64_t region = db::LastInsertId(c);
  std::mt19937 rng(42);
  const int schools_per = std::max(1, teachers / 100 / 50);
  std::vector<int64_t> orgs, org_mun;
  for (int m = 0; m < 50; ++m) {
    db::Stmt(c, "INSERT INTO municipalities (region_id, display_name) VALUES (?, ?)")
        .Int(region).Str(absl::StrCat("Муниципалитет ", m + 1)).Execute();
    int64_t mun = db::LastInsertId(c);
    municipalities->push_back(mun);
    for (int s = 0; s < schools_per; ++s) {
      std::string name = absl::StrCat("ОО ", m, "-", s);
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) "
                  "VALUES (?, ?, ?, ?, ?)")
          .Int(region).Int(mun).Int(s % 5 == 0 ? 2 : 1).Str(name).Str(name).Execute();
      orgs.push_back(db::LastInsertId(c));
      org_mun.push_back(mun);
    }
  }
  {
    // About 12 % start young (under 35, under 3 years of work at mid-2026), as in the regions.
    db::BulkInsert b(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, "
                        "birth_date, work_start_date) VALUES ", 7);
    for (int i = 0; i < teachers; ++i) {
      size_t o = std::uniform_int_distribution<size_t>(0, orgs.size() - 1)(rng);
      bool young = std::uniform_int_distribution<int>(0, 99)(rng) < 12;
      Day birth = young ? RandomDay(rng, Day(1991, 1, 1), Day(2003, 12, 31)) : RandomDay(rng, Day(1960, 1, 1), Day(1990, 12, 31));
      Day start = young ? RandomDay(rng, Day(2023, 1, 1), Day(2026, 6, 1)) : RandomDay(rng, Day(1985, 1, 1), Day(2022, 12, 31));
      b.Int(region).Int(org_mun[o]).Int(orgs[o]).Str("Педагог").Str(absl::StrCat(i)).Day(birth).Day(start).EndRow();
    }
    b.Flush();
  }
  std::vector<std::pair<int64_t, Day>> young;
  auto ys = db::Stmt(c, "SELECT id, work_start_date FROM people WHERE region_id = ? AND work_start_date >= '2023-01-01'")
                .Int(region)
                .Query();
  while (ys->next()) young.emplace_back(ys->getInt64(1), *db::GetDay(*ys, "work_start_date"));
  {
    // Half of them have a recorded measure: an ongoing club, a competition long ago or a plan.
    db::BulkInsert b(c, "INSERT INTO support_measures (person_id, kind, title, start_date, end_date, status) VALUES ", 6);
    for (size_t i = 0; i < young.size(); i += 2) {
      auto [person, start] = young[i];
      switch (i % 3) {
        case 0: b.Int(person).Int(4).Str("Школа молодого педагога").Day(start + 14).Null().Int(2).EndRow(); break;
        case 1: b.Int(person).Int(5).Str("Педагогический дебют").Day(start + 30).Day(start + 40).Int(3).EndRow(); break;
        default: b.Int(person).Int(3).Str("Форум").Day(Day(2026, 9, 1)).Day(Day(2026, 9, 2)).Int(1).EndRow();
      }
    }
    b.Flush();
  }
  {
    // A fifth have an ИОМ in progress.
    db::BulkInsert b(c, "INSERT INTO routes (person_id, region_id, status, created_at) VALUES ", 4);
    for (size_t i = 1; i < young.size(); i += 5) b.Int(young[i].first).Int(region).Int(4).Str("2026-01-15 10:00:00").EndRow();
    b.Flush();
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
  std::vector<int64_t> muns;
  auto st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    muns.clear();
    region = Generate(c, absl::GetFlag(FLAGS_teachers), &muns);
    return absl::OkStatus();
  });
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
    return 1;
  }
  const Day ref(2026, 6, 30);
  const young::Settings settings;
  std::vector<double> young_ms, monitoring_ms;
  young::CohortCounts total;
  int64_t mon_cohort = 0, mon_supported = 0;
  bool buckets_agree = true;
  for (int it = 0; it < absl::GetFlag(FLAGS_iterations); ++it) {
    absl::flat_hash_map<int64_t, young::CohortCounts> by_mun;
    // (a) GetCohortSummary with children: the cohort, its support, per-municipality counts.
    absl::Time t0 = absl::Now();
    (void)db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
      total = young::CohortCounts{};
      for (const auto& m : services::ComputeCohort(c, region, db::ScopeFilter{db::ScopeFilter::Kind::kRegion, region}, ref,
                                                   settings, settings.alert_window_months)) {
        total.Add(m.row.assessment);
        by_mun[m.card.municipality_id].Add(m.row.assessment);
      }
      return absl::OkStatus();
    });
    young_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    // (b) monitoring's indicator 8 over the same region and municipalities.
    absl::Time t1 = absl::Now();
    (void)db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
      monitoring::FactInputs in;
      auto s = db::MonitoringRepository::LoadFacts(c, region, &in);
      monitoring::FactCounter counter(in, ref);
      monitoring::DateRange at{ref, ref};
      monitoring::Scope whole{monitoring::ScopeLevel::kRegion, region};
      mon_cohort = counter.Count(whole, {monitoring::Fact::kYoungTeachers, {}}, at);
      mon_supported = counter.Count(whole, {monitoring::Fact::kYoungTeachersSupported, {}}, at);
      for (int64_t m : muns) {
        monitoring::Scope mun{monitoring::ScopeLevel::kMunicipality, m};
        buckets_agree = buckets_agree &&
                        counter.Count(mun, {monitoring::Fact::kYoungTeachers, {}}, at) == by_mun[m].cohort_size &&
                        counter.Count(mun, {monitoring::Fact::kYoungTeachersSupported, {}}, at) == by_mun[m].in_support;
      }
      return s;
    });
    monitoring_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t1));
  }
  double young_t = bench::Median(young_ms), mon_t = bench::Median(monitoring_ms);
  std::printf("region of %d teachers, reference date 2026-06-30, %zu municipalities\n", absl::GetFlag(FLAGS_teachers),
              muns.size());
  std::printf("young-teacher summary: cohort %lld, in support %lld (%.1f %%), without mentor %lld, without ИОМ %lld, "
              "without recent measure %lld\n",
              static_cast<long long>(total.cohort_size), static_cast<long long>(total.in_support),
              young::SharePercent(total.in_support, total.cohort_size), static_cast<long long>(total.without_mentor),
              static_cast<long long>(total.without_route), static_cast<long long>(total.without_recent_measure));
  std::printf("monitoring indicator 8: %lld of %lld — %s (municipalities %s)\n", static_cast<long long>(mon_supported),
              static_cast<long long>(mon_cohort),
              mon_cohort == total.cohort_size && mon_supported == total.in_support ? "agrees" : "DISAGREES",
              buckets_agree ? "agree" : "DISAGREE");
  std::printf("cohort summary with alerts and municipalities: %.1f ms (median of %zu)\n", young_t, young_ms.size());
  std::printf("monitoring's indicator 8 (load the region's facts + count): %.1f ms\n", mon_t);
  std::printf("ratio summary / indicator 8: %.2f\n", mon_t > 0 ? young_t / mon_t : 0.0);
  return mon_cohort == total.cohort_size && mon_supported == total.in_support && buckets_agree ? 0 : 3;
}
