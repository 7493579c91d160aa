// `nmsctl load-region` writes with foreign-key and unique checks off for speed: the data must
// still be whole (every reference resolves, every person has one primary employment), the server
// must serve it (sign-in, lists, indicators, the areas' campaign, routes and pairs), and a second
// run must not load it twice.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "nms/v1/diagnostics.grpc.pb.h"
#include "nms/v1/mentoring.grpc.pb.h"
#include "nms/v1/monitoring.grpc.pb.h"
#include "nms/v1/route.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_load_region";

int RunLoader(int teachers) {
  return std::system(absl::StrCat(BinaryDir(), "/nmsctl load-region ", teachers, " --db=", TestDsn(kDb),
                                  " >/dev/null").c_str());
}

int64_t Count(db::ConnectionPool& pool, const std::string& query) {
  int64_t n = -1;
  EXPECT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                auto rs = db::Stmt(c, query).Query();
                rs->next();
                n = rs->getInt64(1);
                return absl::OkStatus();
              }).ok());
  return n;
}

TEST(LoadRegion, WholeConsistentServedAndLoadedOnce) {
  ResetDatabase(kDb);
  ASSERT_EQ(RunLoader(3000), 0);
  db::ConnectionPool pool(*db::ParseDsn(TestDsn(kDb)));
  // Every reference written without foreign-key checks resolves.
  const char* orphans[] = {
      "SELECT COUNT(*) FROM people p LEFT JOIN organizations o ON o.id = p.organization_id WHERE o.id IS NULL",
      "SELECT COUNT(*) FROM people p LEFT JOIN municipalities m ON m.id = p.municipality_id "
      "WHERE p.municipality_id IS NOT NULL AND m.id IS NULL",
      "SELECT COUNT(*) FROM organizations o LEFT JOIN municipalities m ON m.id = o.municipality_id "
      "WHERE o.municipality_id IS NOT NULL AND m.id IS NULL",
      "SELECT COUNT(*) FROM municipalities m LEFT JOIN districts d ON d.id = m.district_id WHERE d.id IS NULL",
      "SELECT COUNT(*) FROM employments e LEFT JOIN people p ON p.id = e.person_id WHERE p.id IS NULL",
      "SELECT COUNT(*) FROM person_subjects s LEFT JOIN people p ON p.id = s.person_id WHERE p.id IS NULL",
      "SELECT COUNT(*) FROM training_completions t LEFT JOIN people p ON p.id = t.person_id WHERE p.id IS NULL",
      "SELECT COUNT(*) FROM methodist_assignments a LEFT JOIN people p ON p.id = a.methodist_person_id "
      "LEFT JOIN people q ON q.id = a.teacher_person_id WHERE p.id IS NULL OR q.id IS NULL",
      "SELECT COUNT(*) FROM support_measures s LEFT JOIN people p ON p.id = s.person_id WHERE p.id IS NULL",
      "SELECT COUNT(*) FROM role_grants g LEFT JOIN accounts a ON a.id = g.account_id WHERE a.id IS NULL",
  };
  for (const char* q : orphans) EXPECT_EQ(Count(pool, q), 0) << q;
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM people p WHERE (SELECT COUNT(*) FROM employments e "
                        "WHERE e.person_id = p.id AND e.is_primary) <> 1"), 0);
  // Every generated teacher is a teacher of the region (plus heads, deputies and ЦНППМ staff).
  int64_t people = Count(pool, "SELECT COUNT(*) FROM people");
  EXPECT_GE(people, 3000);
  EXPECT_LE(people, 3000 + 2 * 60 + 60);

  // Loaded once: a second run finds the region and writes nothing.
  ASSERT_EQ(RunLoader(3000), 0);
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM people"), people);

  // The server serves it: the printed sign-ins work, lists page, indicators compute.
  ServerProcess server(kDb);
  std::string admin = SignIn(*server.Channel(), "admin@load.nms", "demo12345");
  std::string school = SignIn(*server.Channel(), "school@load.nms", "demo12345");
  auto dir = v1::DirectoryService::NewStub(server.Channel());
  v1::ListPeopleRequest list;
  list.set_page_size(100);
  v1::ListPeopleResponse page;
  ASSERT_TRUE(dir->ListPeople(Ctx(admin).get(), list, &page).ok());
  EXPECT_EQ(page.total_size(), people);
  EXPECT_EQ(page.people_size(), 100);
  ASSERT_TRUE(dir->ListPeople(Ctx(school).get(), list, &page).ok());
  EXPECT_EQ(page.total_size(), 60) << "a school of the loaded region has 60 people";
  auto mon = v1::MonitoringService::NewStub(server.Channel());
  v1::ComputeIndicatorsRequest compute;
  compute.set_scope("regions/1");
  v1::ComputeIndicatorsResponse values;
  ASSERT_TRUE(mon->ComputeIndicators(Ctx(admin).get(), compute, &values).ok());
  EXPECT_GT(values.scope_values().values_size(), 0);

  // The areas: a closed region-wide campaign with scored results, routes generated from them
  // (walked through every status), mentoring pairs; the teacher sign-in took the campaign and
  // carries out a route.
  EXPECT_EQ(Count(pool, "SELECT COUNT(*) FROM diagnostic_campaigns WHERE state = 3"), 1);
  int64_t results = Count(pool, "SELECT COUNT(*) FROM diagnostic_results WHERE status = 2");
  EXPECT_GT(results, 3000 / 2);
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM routes"), results / 2);
  EXPECT_GE(Count(pool, "SELECT COUNT(DISTINCT status) FROM routes"), 5);
  EXPECT_GT(Count(pool, "SELECT COUNT(*) FROM mentoring_pairs"), 0);
  std::string teacher = SignIn(*server.Channel(), "teacher@load.nms", "demo12345");
  auto routes = v1::RouteService::NewStub(server.Channel());
  v1::ListRoutesRequest mine;
  v1::ListRoutesResponse own;
  ASSERT_TRUE(routes->ListRoutes(Ctx(teacher).get(), mine, &own).ok());
  ASSERT_EQ(own.routes_size(), 1);
  EXPECT_EQ(own.routes(0).status(), v1::ROUTE_STATUS_IN_PROGRESS);
  auto diag = v1::DiagnosticsService::NewStub(server.Channel());
  v1::ListDiagnosticResultsRequest list_results;
  v1::ListDiagnosticResultsResponse my_results;
  ASSERT_TRUE(diag->ListDiagnosticResults(Ctx(teacher).get(), list_results, &my_results).ok());
  EXPECT_EQ(my_results.results_size(), 1);
  auto mentoring = v1::MentoringService::NewStub(server.Channel());
  v1::ListMentoringPairsRequest list_pairs;
  v1::ListMentoringPairsResponse pairs;
  ASSERT_TRUE(mentoring->ListMentoringPairs(Ctx(admin).get(), list_pairs, &pairs).ok());
  EXPECT_GT(pairs.total_size(), 0);
}

}  // namespace
}  // namespace nms::testing
