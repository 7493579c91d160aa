// RouteService (ИОМ) against a real MariaDB and real nms-server processes over sockets: the
// catalogue, generation from a diagnosis, editing, signatures, approval, carrying out with
// evidence and reflective reports, completion and the re-diagnosis effect; refused
// transitions, roles and stale versions; generation without a diagnosis; bulk generation as a
// background operation (to the end, and resumed from the database); the CSV register round
// trip with a bad row; accompaniment and loads; ДПП enrolment; per-region settings; scope
// denials; bad input.
//
// Diagnostic results are written straight into the 0010 tables (the DiagnosticsService lands
// on another branch). Every test makes its own teachers, so each passes alone or with the rest.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_join.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "nms/v1/diagnostics.grpc.pb.h"
#include "nms/v1/federal_exchange.grpc.pb.h"
#include "nms/v1/monitoring.grpc.pb.h"
#include "nms/v1/route.grpc.pb.h"
#include "server/auth/password.h"
#include "server/db/monitoring_repository.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/domain/monitoring/facts.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using nms::v1::RouteService;
constexpr char kDb[] = "it_route";

struct DeficitSpec {
  std::string code;
  int area;
  double score;
  int rank;
};

class RouteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    pool_ = new db::ConnectionPool(*db::ParseDsn(TestDsn(kDb)));
    hash_ = *auth::HashPassword("Passw0rd!", 1000);
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO diagnostic_frameworks (region_id, title, revision, state, overall_basic, overall_advanced, "
                  "overall_high) VALUES (?, 'Рамка', 1, 2, 50, 70, 85)")
          .Int(f_.region).Execute();
      framework_ = db::LastInsertId(c);
      for (auto [code, area, title] : std::vector<std::tuple<const char*, int, const char*>>{
               {"П.1", 1, "Знание предмета"}, {"М.1", 2, "Проектирование урока"}, {"М.2", 2, "Формирующее оценивание"},
               {"ПП.1", 3, "Работа с разными группами"}, {"К.1", 4, "Диалог с родителями"},
               {"Ц.1", 5, "Цифровые ресурсы"}}) {
        db::Stmt(c, "INSERT INTO competency_indicators (framework_version, code, area, title) VALUES (?, ?, ?, ?)")
            .Int(framework_).Str(code).Int(area).Str(title).Execute();
      }
      db::Stmt(c, "INSERT INTO diagnostic_instruments (region_id, framework_id, title, state) VALUES (?, ?, 'Тест', 2)")
          .Int(f_.region).Int(framework_).Execute();
      instrument_ = db::LastInsertId(c);
      campaign_ = NewCampaign(c, "Осенняя диагностика");
    });
    server_ = new ServerProcess(kDb);
    // The shared catalogue every generation in this suite sees.
    auto stub = RouteService::NewStub(server_->Channel());
    std::string rm = SignIn(*server_->Channel(), "regional.methodist");
    auto create = [&](v1::ActivityKind kind, const char* title, int hours, std::vector<std::string> codes,
                      std::vector<v1::CompetencyArea> areas, const char* registry) {
      v1::CreateActivityRequest req;
      auto* a = req.mutable_activity();
      a->set_region(R());
      a->set_kind(kind);
      a->set_title(title);
      a->set_hours(hours);
      a->set_format(v1::ACTIVITY_FORMAT_REMOTE);
      a->set_federal_registry_id(registry);
      for (auto& code : codes) a->add_addressed_indicator_codes(code);
      for (auto area : areas) a->add_addressed_areas(area);
      v1::CreateActivityResponse resp;
      auto st = stub->CreateActivity(Ctx(rm).get(), req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      return resp.activity().name();
    };
    course_ = create(v1::ACTIVITY_KIND_FURTHER_TRAINING_PROGRAMME, "Проектирование современного урока", 36, {"М.1", "М.2"},
                     {}, "ФР-2024-001");
    internship_ = create(v1::ACTIVITY_KIND_INTERNSHIP, "Стажировка в опорной школе", 24, {"П.1"}, {}, "");
    create(v1::ACTIVITY_KIND_EVENT, "Вебинар «Цифровая образовательная среда»", 4, {}, {v1::COMPETENCY_AREA_DIGITAL}, "");
    create(v1::ACTIVITY_KIND_COMMUNITY, "Районное методическое объединение", 0, {"М.2"}, {}, "");
  }
  static void TearDownTestSuite() {
    delete server_;
    delete pool_;
  }

  static void Sql(const std::function<void(sql::Connection&)>& fn) {
    auto st = db::InTransaction(*pool_, [&](sql::Connection& c) {
      fn(c);
      return absl::OkStatus();
    });
    ASSERT_TRUE(st.ok()) << st;
  }
  static int64_t NewCampaign(sql::Connection& c, const std::string& title) {
    db::Stmt(c, "INSERT INTO diagnostic_campaigns (region_id, title, instrument_id, framework_id, population_json, state) "
                "VALUES (?, ?, ?, ?, '{}', 3)")
        .Int(f_.region).Str(title).Int(instrument_).Int(framework_).Execute();
    return db::LastInsertId(c);
  }
  static int64_t Scalar(const std::string& sql) {
    int64_t v = 0;
    Sql([&](sql::Connection& c) {
      auto rs = db::Stmt(c, sql).Query();
      if (rs->next()) v = rs->getInt64(1);
    });
    return v;
  }

  // A teacher of `org` with a sign-in "<login>" (teacher grant), unique per test.
  static int64_t NewTeacher(int64_t org, int64_t mun, const std::string& login, const std::string& last_name) {
    int64_t id = 0;
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, middle_name, "
                  "position, subjects) VALUES (?, ?, ?, ?, 'Мария', 'Ивановна', 'учитель', 'математика')")
          .Int(f_.region).OptInt(mun).Int(org).Str(last_name).Execute();
      id = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO employments (person_id, organization_id, position, is_primary, start_date) VALUES "
                  "(?, ?, 'учитель', TRUE, '2015-09-01')")
          .Int(id).Int(org).Execute();
      if (!login.empty()) {
        db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash) VALUES (?, ?, ?)").Str(login).Int(id).Str(hash_).Execute();
        int64_t acc = db::LastInsertId(c);
        db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, 1, 3, ?)").Int(acc).Int(org).Execute();
      }
    });
    return id;
  }

  // A school of Город А with its head signing in as "<login>" (school_admin).
  static int64_t NewSchool(const std::string& title, const std::string& login) {
    int64_t org = 0;
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) VALUES (?, ?, 1, ?, ?)")
          .Int(f_.region).Int(f_.mun_a).Str(title).Str(title).Execute();
      org = db::LastInsertId(c);
    });
    int64_t head = NewTeacher(org, f_.mun_a, "", "Руководитель");
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash) VALUES (?, ?, ?)").Str(login).Int(head).Str(hash_).Execute();
      db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, 2, 3, ?)")
          .Int(db::LastInsertId(c)).Int(org).Execute();
    });
    return org;
  }

  // A scored result in the 0010 tables; areas get scores from the deficits (lower = worse).
  static int64_t NewResult(int64_t person, int64_t campaign, const std::string& date, int status, int overall_level,
                           const std::vector<DeficitSpec>& deficits, const std::map<int, double>& areas = {}) {
    int64_t id = 0;
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO diagnostic_results (person_id, region_id, campaign_id, framework_version, source, status, "
                  "overall_score, overall_level, diagnosis_date) VALUES (?, ?, ?, ?, 1, ?, 55, ?, ?)")
          .Int(person).Int(f_.region).OptInt(campaign).Int(framework_).Int(status).Int(overall_level).Str(date).Execute();
      id = db::LastInsertId(c);
      std::map<int, double> a = areas;
      for (int area = 1; area <= 5; ++area) a.emplace(area, 75);
      for (const auto& d : deficits) a[d.area] = std::min(a[d.area], d.score);
      for (auto [area, score] : a) {
        db::Stmt(c, "INSERT INTO diagnostic_result_areas (result_id, area, score, level) VALUES (?, ?, ?, ?)")
            .Int(id).Int(area).Double(score).Int(score < 50 ? 1 : score < 70 ? 2 : 3).Execute();
      }
      for (const auto& d : deficits) {
        db::Stmt(c, "INSERT INTO diagnostic_result_indicators (result_id, indicator_code, area, score, level, deficit) "
                    "VALUES (?, ?, ?, ?, 1, TRUE)")
            .Int(id).Str(d.code).Int(d.area).Double(d.score).Execute();
        db::Stmt(c, "INSERT INTO diagnostic_deficits (result_id, indicator_code, area, score, threshold, gap, severity_rank) "
                    "VALUES (?, ?, ?, ?, 50, ?, ?)")
            .Int(id).Str(d.code).Int(d.area).Double(d.score).Double(50 - d.score).Int(d.rank).Execute();
      }
      if (campaign != 0) {
        db::Stmt(c, "INSERT IGNORE INTO diagnostic_campaign_participants (campaign_id, person_id) VALUES (?, ?)")
            .Int(campaign).Int(person).Execute();
      }
    });
    return id;
  }
  static const std::vector<DeficitSpec>& FourDeficits() {
    static const auto* d = new std::vector<DeficitSpec>{
        {"М.1", 2, 20, 1}, {"К.1", 4, 25, 2}, {"П.1", 1, 30, 3}, {"Ц.1", 5, 40, 4}};
    return *d;
  }

  std::unique_ptr<RouteService::Stub> Stub() { return RouteService::NewStub(server_->Channel()); }
  std::string Token(const std::string& login) {
    auto it = tokens_.find(login);
    if (it != tokens_.end()) return it->second;
    return tokens_[login] = SignIn(*server_->Channel(), login);
  }
  static std::string P(int64_t id) { return "people/" + std::to_string(id); }
  static std::string R() { return "regions/" + std::to_string(f_.region); }
  static std::string Rq() { return "rq-" + std::to_string(++request_seq_); }

  v1::Route Generate(const std::string& token, int64_t person, bool replace = false, grpc::Status* status = nullptr) {
    v1::GenerateRouteRequest req;
    req.set_person(P(person));
    req.mutable_options()->set_replace_draft(replace);
    *req.mutable_options()->mutable_start_date() = Today();
    req.set_request_id(Rq());
    v1::GenerateRouteResponse resp;
    auto st = Stub()->GenerateRoute(Ctx(token).get(), req, &resp);
    if (status != nullptr) {
      *status = st;
    } else {
      EXPECT_TRUE(st.ok()) << st.error_message();
    }
    return resp.route();
  }
  v1::Route Get(const std::string& name) {
    v1::GetRouteRequest req;
    req.set_name(name);
    v1::GetRouteResponse resp;
    auto st = Stub()->GetRoute(Ctx(Token("regional.methodist")).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.route();
  }
  // Signs (as teacher / school), approves and starts a route; returns it in progress.
  v1::Route Launch(const v1::Route& r, const std::string& teacher_login, const std::string& school_login = "school.a1") {
    auto stub = Stub();
    v1::Route cur = r;
    auto agree = [&](const std::string& login, v1::RouteSignatureKind kind) {
      v1::AgreeRouteRequest req;
      req.set_name(cur.name());
      req.set_signature_kind(kind);
      req.set_version(cur.version());
      v1::AgreeRouteResponse resp;
      auto st = stub->AgreeRoute(Ctx(Token(login)).get(), req, &resp);
      EXPECT_TRUE(st.ok()) << login << ": " << st.error_message();
      cur = resp.route();
    };
    agree(teacher_login, v1::ROUTE_SIGNATURE_KIND_TEACHER);
    agree(school_login, v1::ROUTE_SIGNATURE_KIND_SCHOOL_REPRESENTATIVE);
    EXPECT_EQ(cur.status(), v1::ROUTE_STATUS_AGREED);
    {
      v1::ApproveRouteRequest req;
      req.set_name(cur.name());
      req.set_version(cur.version());
      v1::ApproveRouteResponse resp;
      auto st = stub->ApproveRoute(Ctx(Token("regional.methodist")).get(), req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      cur = resp.route();
    }
    {
      v1::StartRouteRequest req;
      req.set_name(cur.name());
      req.set_version(cur.version());
      v1::StartRouteResponse resp;
      auto st = stub->StartRoute(Ctx(Token(teacher_login)).get(), req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      cur = resp.route();
    }
    EXPECT_EQ(cur.status(), v1::ROUTE_STATUS_IN_PROGRESS);
    return cur;
  }
  static v1::Date Today() {
    absl::CivilDay d = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(3 * 3600));
    v1::Date out;
    out.set_year(static_cast<int>(d.year()));
    out.set_month(d.month());
    out.set_day(d.day());
    return out;
  }
  static std::string TodayText(int days = 0) {
    absl::CivilDay d = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(3 * 3600)) + days;
    return absl::FormatCivilTime(d);
  }

  static Fixture f_;
  static ServerProcess* server_;
  static db::ConnectionPool* pool_;
  static std::string hash_, course_, internship_;
  static int64_t framework_, instrument_, campaign_;
  static std::atomic<int> request_seq_;
  std::map<std::string, std::string> tokens_;
};

Fixture RouteTest::f_;
ServerProcess* RouteTest::server_ = nullptr;
db::ConnectionPool* RouteTest::pool_ = nullptr;
std::string RouteTest::hash_, RouteTest::course_, RouteTest::internship_;
int64_t RouteTest::framework_ = 0, RouteTest::instrument_ = 0, RouteTest::campaign_ = 0;
std::atomic<int> RouteTest::request_seq_{0};

// ---------------------------------------------------------------- the whole route

TEST_F(RouteTest, CatalogueToGeneratedRouteToCompletionAndRediagnosis) {
  auto stub = Stub();
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "life.teacher", "Жизненная");
  int64_t baseline = NewResult(t, campaign_, TodayText(-30), 2, 1, FourDeficits());

  // The teacher generates their own draft right after the diagnosis (the mobile app does).
  v1::Route r = Generate(Token("life.teacher"), t);
  EXPECT_EQ(r.status(), v1::ROUTE_STATUS_DRAFT);
  EXPECT_TRUE(r.generated());
  EXPECT_EQ(r.diagnostic_result(), "results/" + std::to_string(baseline));
  EXPECT_EQ(r.header().full_name(), "Жизненная Мария Ивановна");
  EXPECT_EQ(r.header().organization_title(), "Школа А1");
  EXPECT_EQ(r.header().deficit_count(), 4);
  EXPECT_EQ(r.header().overall_level(), v1::COMPETENCY_LEVEL_INSUFFICIENT);
  ASSERT_EQ(r.deficits_size(), 4);
  EXPECT_EQ(r.deficits(0).indicator_code(), "М.1");
  EXPECT_EQ(r.deficits(0).title(), "Проектирование урока");
  std::map<std::string, const v1::RouteDeficit*> deficit;
  for (const auto& d : r.deficits()) deficit[d.indicator_code()] = &d;
  EXPECT_FALSE(deficit["М.1"]->covered_by_items().empty());
  EXPECT_FALSE(deficit["П.1"]->covered_by_items().empty());
  EXPECT_FALSE(deficit["Ц.1"]->covered_by_items().empty());
  EXPECT_TRUE(deficit["К.1"]->covered_by_items().empty());  // nothing in the catalogue addresses it
  EXPECT_FALSE(deficit["К.1"]->uncovered_reason().empty());
  EXPECT_EQ(r.progress().deficits_total(), 4);
  EXPECT_EQ(r.progress().deficits_covered(), 3);
  bool has_course = false;
  for (const auto& it : r.items()) {
    EXPECT_FALSE(it.reason().empty());
    EXPECT_NE(it.deadline().year(), 0);
    if (it.activity() == course_) {
      has_course = true;
      EXPECT_EQ(it.section(), v1::ROUTE_SECTION_FURTHER_TRAINING);
      EXPECT_NE(it.reason().find("ФР-2024-001"), std::string::npos);
      EXPECT_EQ(it.form(), "дистанционно, 36 ч");
    }
  }
  EXPECT_TRUE(has_course);

  // The methodist co-designs: a mentoring item for the uncovered deficit, a goal.
  v1::RouteItem mentoring;
  {
    v1::CreateRouteItemRequest req;
    req.set_parent(r.name());
    req.set_request_id(Rq());
    auto* it = req.mutable_item();
    it->set_section(v1::ROUTE_SECTION_MENTORING);
    it->set_title("Работа с наставником: диалог с родителями");
    it->set_form("индивидуально");
    *it->mutable_deadline() = r.planned_end_date();
    it->add_closes_indicator_codes("К.1");
    v1::CreateRouteItemResponse resp;
    auto st = stub->CreateRouteItem(Ctx(Token("regional.methodist")).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    mentoring = resp.item();
  }
  r = Get(r.name());
  EXPECT_EQ(r.progress().deficits_covered(), 4);
  {
    v1::UpdateRouteRequest req;
    *req.mutable_route() = r;
    req.mutable_route()->set_goal("Преодоление дефицитов в проектировании урока и диалоге с родителями");
    req.mutable_update_mask()->add_paths("goal");
    v1::UpdateRouteResponse resp;
    auto st = stub->UpdateRoute(Ctx(Token("life.teacher")).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_GT(resp.route().version(), r.version());
    r = resp.route();
  }

  // Signatures, approval, start.
  r = Launch(r, "life.teacher");
  ASSERT_EQ(r.signatures_size(), 3);
  {
    v1::UpdateRouteRequest req;
    *req.mutable_route() = r;
    req.mutable_update_mask()->add_paths("notes");
    v1::UpdateRouteResponse resp;
    EXPECT_EQ(stub->UpdateRoute(Ctx(Token("life.teacher")).get(), req, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    v1::CompleteRouteRequest req;
    req.set_name(r.name());
    req.set_version(r.version());
    v1::CompleteRouteResponse resp;
    auto st = stub->CompleteRoute(Ctx(Token("life.teacher")).get(), req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(st.error_message().find("не закрыто"), std::string::npos);
  }

  // Carrying out: every item done with evidence and a reflective report, one skipped.
  r = Get(r.name());
  for (int i = 0; i < r.items_size(); ++i) {
    v1::RouteItem it = r.items(i);
    if (it.section() == v1::ROUTE_SECTION_COMMUNITIES) {
      v1::UpdateRouteItemStatusRequest req;
      req.set_name(it.name());
      req.set_status(v1::ROUTE_ITEM_STATUS_SKIPPED);
      req.set_skip_reason("Объединение не собиралось в этом году");
      req.set_version(it.version());
      v1::UpdateRouteItemStatusResponse resp;
      ASSERT_TRUE(stub->UpdateRouteItemStatus(Ctx(Token("life.teacher")).get(), req, &resp).ok());
      continue;
    }
    {
      v1::AddRouteItemEvidenceRequest req;
      req.set_name(it.name());
      req.set_version(it.version());
      req.set_request_id(Rq());
      req.mutable_evidence()->set_kind(it.section() == v1::ROUTE_SECTION_FURTHER_TRAINING
                                           ? v1::ROUTE_ITEM_EVIDENCE_KIND_CERTIFICATE
                                           : v1::ROUTE_ITEM_EVIDENCE_KIND_LINK);
      req.mutable_evidence()->set_certificate_number("772400012345");
      req.mutable_evidence()->set_url("https://school-a1.example.ru/otchet");
      v1::AddRouteItemEvidenceResponse resp;
      auto st = stub->AddRouteItemEvidence(Ctx(Token("life.teacher")).get(), req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      it = resp.item();
      EXPECT_EQ(it.evidence_size(), 1);
    }
    {
      v1::SubmitRouteItemReflectionRequest req;
      req.set_name(it.name());
      req.set_version(it.version());
      req.set_reflective_report("Освоила приёмы и применяю их на уроках в 7-х классах.");
      v1::SubmitRouteItemReflectionResponse resp;
      auto st = stub->SubmitRouteItemReflection(Ctx(Token("life.teacher")).get(), req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      it = resp.item();
    }
    {
      v1::UpdateRouteItemStatusRequest req;
      req.set_name(it.name());
      req.set_status(v1::ROUTE_ITEM_STATUS_DONE);
      req.set_version(it.version());
      v1::UpdateRouteItemStatusResponse resp;
      auto st = stub->UpdateRouteItemStatus(Ctx(Token("life.teacher")).get(), req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      EXPECT_EQ(resp.item().done_date().year(), Today().year());
    }
  }
  // Derived fact (issue 15): the done ФР ДПП course item is the teacher's completion of the
  // programme — source ROUTE, chosen from diagnostics (the route came from a result), passed —
  // so indicator 5 (ФР ДПП chosen from diagnostics) counts the teacher with no manual step.
  Sql([&](sql::Connection& c) {
    auto rs = db::Stmt(c,
                       "SELECT COUNT(*), MIN(federal_registry_id), MIN(chosen_from_diagnostics), "
                       "MIN(attestation_passed), MIN(route_item), MIN(end_date IS NOT NULL) FROM training_completions "
                       "WHERE person_id = ? AND source = 4")
                  .Int(t)
                  .Query();
    ASSERT_TRUE(rs->next());
    EXPECT_EQ(rs->getInt(1), 1);  // the course only: the internship and events are not ФР ДПП programmes
    EXPECT_EQ(rs->getString(2), "ФР-2024-001");
    EXPECT_TRUE(rs->getBoolean(3));
    EXPECT_TRUE(rs->getBoolean(4));
    EXPECT_NE(rs->getString(5).find(r.name() + "/items/"), std::string::npos);
    EXPECT_TRUE(rs->getBoolean(6));
    monitoring::FactInputs facts;
    ASSERT_TRUE(db::MonitoringRepository::LoadFacts(c, f_.region, &facts).ok());
    // A day ahead: the done date is the region's today, which may already be tomorrow in UTC terms.
    auto today = absl::CivilDay(Today().year(), Today().month(), Today().day()) + 1;
    monitoring::FactCounter counter(facts, today);
    monitoring::DateRange all = monitoring::PeriodRange(monitoring::Period::kCumulative, today);
    EXPECT_EQ(counter.Count({monitoring::ScopeLevel::kOrganization, f_.school_a1},
                            {monitoring::Fact::kTeachersCompletedFrDppFromDiagnostics, {}}, all),
              1);
  });
  r = Get(r.name());
  EXPECT_DOUBLE_EQ(r.progress().percent_closed(), 100.0);
  {
    v1::CompleteRouteRequest req;
    req.set_name(r.name());
    req.set_version(r.version());
    req.set_comment("Маршрут пройден");
    v1::CompleteRouteResponse resp;
    auto st = stub->CompleteRoute(Ctx(Token("life.teacher")).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(resp.route().status(), v1::ROUTE_STATUS_COMPLETED);
    r = resp.route();
  }

  // History: who did what, in which role.
  {
    v1::ListRouteStatusChangesRequest req;
    req.set_parent(r.name());
    v1::ListRouteStatusChangesResponse resp;
    ASSERT_TRUE(stub->ListRouteStatusChanges(Ctx(Token("life.teacher")).get(), req, &resp).ok());
    std::vector<v1::RouteTransition> got;
    for (const auto& s : resp.status_changes()) got.push_back(s.transition());
    EXPECT_EQ(got, (std::vector<v1::RouteTransition>{v1::ROUTE_TRANSITION_CREATE, v1::ROUTE_TRANSITION_SIGN,
                                                     v1::ROUTE_TRANSITION_AGREE, v1::ROUTE_TRANSITION_APPROVE,
                                                     v1::ROUTE_TRANSITION_START, v1::ROUTE_TRANSITION_COMPLETE}));
    EXPECT_EQ(resp.status_changes(0).actor(), P(t));
    EXPECT_EQ(resp.status_changes(0).actor_role(), v1::ROLE_TEACHER);
    EXPECT_EQ(resp.status_changes(2).actor_role(), v1::ROLE_SCHOOL_ADMIN);
    EXPECT_EQ(resp.status_changes(2).actor_full_name(), "Директорова Анна Петровна");
    EXPECT_EQ(resp.status_changes(3).actor_role(), v1::ROLE_REGIONAL_METHODIST);
    EXPECT_EQ(resp.status_changes(5).comment(), "Маршрут пройден");
    EXPECT_EQ(resp.status_changes(5).route_version(), r.version());
  }
  // The printed document carries the template and the signatures.
  {
    v1::RenderRouteDocumentRequest req;
    req.set_name(r.name());
    v1::RenderRouteDocumentResponse resp;
    ASSERT_TRUE(stub->RenderRouteDocument(Ctx(Token("school.a1")).get(), req, &resp).ok());
    EXPECT_NE(resp.html().find("Жизненная Мария Ивановна"), std::string::npos);
    EXPECT_NE(resp.html().find("Утверждаю"), std::string::npos);
    EXPECT_NE(resp.html().find("Освоила приёмы"), std::string::npos);
    EXPECT_NE(resp.html().find("подписано"), std::string::npos);
    EXPECT_NE(resp.html().find("Работа с наставником: диалог с родителями"), std::string::npos);
  }
  // Monitoring's contract columns and the federal feed.
  int64_t id = std::stoll(r.name().substr(7));
  EXPECT_EQ(Scalar(absl::StrCat("SELECT status FROM routes WHERE id = ", id)), 5);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT completed_at IS NOT NULL AND result_id = ", baseline, " FROM routes WHERE id = ", id)), 1);
  EXPECT_GE(Scalar(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE entity_type = 'route' AND resource = '", r.name(), "'")), 6);
  EXPECT_GE(Scalar(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE entity_type = 'route_item' AND resource LIKE '",
                                r.name(), "/items/%'")), 4);
  EXPECT_GE(Scalar(absl::StrCat("SELECT COUNT(*) FROM audit_log WHERE resource = '", r.name(), "'")), 6);

  // No re-diagnosis yet; then one after the start: the delta per area and the deficits.
  {
    v1::GetRouteEffectRequest req;
    req.set_name(r.name());
    v1::GetRouteEffectResponse resp;
    ASSERT_TRUE(stub->GetRouteEffect(Ctx(Token("life.teacher")).get(), req, &resp).ok());
    EXPECT_FALSE(resp.rediagnosed());
    EXPECT_EQ(resp.baseline_result(), "results/" + std::to_string(baseline));
  }
  int64_t again = NewResult(t, 0, TodayText(), 2, 2, {{"К.1", 4, 45, 1}, {"ПП.1", 3, 40, 2}}, {{2, 80}});
  {
    v1::GetRouteEffectRequest req;
    req.set_name(r.name());
    v1::GetRouteEffectResponse resp;
    ASSERT_TRUE(stub->GetRouteEffect(Ctx(Token("life.teacher")).get(), req, &resp).ok());
    EXPECT_TRUE(resp.rediagnosed());
    EXPECT_EQ(resp.rediagnosis_result(), "results/" + std::to_string(again));
    EXPECT_EQ(resp.before_overall_level(), v1::COMPETENCY_LEVEL_INSUFFICIENT);
    EXPECT_EQ(resp.after_overall_level(), v1::COMPETENCY_LEVEL_BASIC);
    EXPECT_EQ(std::vector<std::string>(resp.closed_deficit_codes().begin(), resp.closed_deficit_codes().end()),
              (std::vector<std::string>{"М.1", "П.1", "Ц.1"}));
    EXPECT_EQ(std::vector<std::string>(resp.remaining_deficit_codes().begin(), resp.remaining_deficit_codes().end()),
              std::vector<std::string>{"К.1"});
    EXPECT_EQ(std::vector<std::string>(resp.new_deficit_codes().begin(), resp.new_deficit_codes().end()),
              std::vector<std::string>{"ПП.1"});
    ASSERT_EQ(resp.area_deltas_size(), 5);
    EXPECT_EQ(resp.area_deltas(1).area(), v1::COMPETENCY_AREA_METHODOLOGICAL);
    EXPECT_DOUBLE_EQ(resp.area_deltas(1).before_score_percent(), 20);
    EXPECT_DOUBLE_EQ(resp.area_deltas(1).after_score_percent(), 80);
    EXPECT_DOUBLE_EQ(resp.area_deltas(1).delta_percent(), 60);
  }
  // A completed route no longer blocks a new one for the next cycle.
  v1::Route next = Generate(Token("life.teacher"), t);
  EXPECT_NE(next.name(), r.name());
  EXPECT_EQ(next.diagnostic_result(), "results/" + std::to_string(again));
}

// ---------------------------------------------------------------- refusals

TEST_F(RouteTest, ForbiddenTransitionsRolesAndStaleVersions) {
  auto stub = Stub();
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "refuse.teacher", "Отказова");
  NewResult(t, campaign_, TodayText(-10), 2, 1, FourDeficits());
  v1::Route r = Generate(Token("regional.methodist"), t);
  auto code = [&](const std::string& login, auto call) { return call(Ctx(Token(login)).get()).error_code(); };
  auto approve = [&](int64_t version) {
    return [&, version](grpc::ClientContext* ctx) {
      v1::ApproveRouteRequest req;
      req.set_name(r.name());
      req.set_version(version);
      v1::ApproveRouteResponse resp;
      return stub->ApproveRoute(ctx, req, &resp);
    };
  };
  auto start = [&](grpc::ClientContext* ctx) {
    v1::StartRouteRequest req;
    req.set_name(r.name());
    req.set_version(r.version());
    v1::StartRouteResponse resp;
    return stub->StartRoute(ctx, req, &resp);
  };
  auto back = [&](const std::string& comment) {
    return [&, comment](grpc::ClientContext* ctx) {
      v1::ReturnRouteForRevisionRequest req;
      req.set_name(r.name());
      req.set_version(r.version());
      req.set_comment(comment);
      v1::ReturnRouteForRevisionResponse resp;
      return stub->ReturnRouteForRevision(ctx, req, &resp);
    };
  };
  auto cancel = [&](const std::string& comment) {
    return [&, comment](grpc::ClientContext* ctx) {
      v1::CancelRouteRequest req;
      req.set_name(r.name());
      req.set_version(r.version());
      req.set_comment(comment);
      v1::CancelRouteResponse resp;
      return stub->CancelRoute(ctx, req, &resp);
    };
  };
  auto sign = [&](v1::RouteSignatureKind kind, int64_t version, const std::string& rq = "") {
    return [&, kind, version, rq](grpc::ClientContext* ctx) {
      v1::AgreeRouteRequest req;
      req.set_name(r.name());
      req.set_signature_kind(kind);
      req.set_version(version);
      req.set_request_id(rq);
      v1::AgreeRouteResponse resp;
      auto st = stub->AgreeRoute(ctx, req, &resp);
      if (st.ok()) r = resp.route();
      return st;
    };
  };
  // From DRAFT: only signatures (and cancelling) are possible.
  EXPECT_EQ(code("regional.methodist", approve(r.version())), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(code("refuse.teacher", start), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(code("school.a1", back("исправить")), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(code("regional.methodist", cancel("  ")), grpc::StatusCode::INVALID_ARGUMENT);
  // Roles that may never do it.
  EXPECT_EQ(code("refuse.teacher", cancel("не хочу")), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code("refuse.teacher", sign(v1::ROUTE_SIGNATURE_KIND_SCHOOL_REPRESENTATIVE, r.version())),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code("school.a1", sign(v1::ROUTE_SIGNATURE_KIND_TEACHER, r.version())), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code("regional.methodist", sign(v1::ROUTE_SIGNATURE_KIND_APPROVER, r.version())),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(code("mun.a", sign(v1::ROUTE_SIGNATURE_KIND_SCHOOL_REPRESENTATIVE, r.version())),
            grpc::StatusCode::PERMISSION_DENIED);
  // Stale and missing versions.
  EXPECT_EQ(code("refuse.teacher", sign(v1::ROUTE_SIGNATURE_KIND_TEACHER, r.version() + 5)),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(code("refuse.teacher", sign(v1::ROUTE_SIGNATURE_KIND_TEACHER, 0)), grpc::StatusCode::INVALID_ARGUMENT);
  // A retried signature returns the first answer and signs once.
  int64_t v = r.version();
  EXPECT_EQ(code("refuse.teacher", sign(v1::ROUTE_SIGNATURE_KIND_TEACHER, v, "same-sign")), grpc::StatusCode::OK);
  int64_t after = r.version();
  EXPECT_EQ(code("refuse.teacher", sign(v1::ROUTE_SIGNATURE_KIND_TEACHER, v, "same-sign")), grpc::StatusCode::OK);
  EXPECT_EQ(r.version(), after);
  EXPECT_EQ(r.signatures_size(), 1);
  EXPECT_EQ(code("refuse.teacher", sign(v1::ROUTE_SIGNATURE_KIND_TEACHER, r.version())),
            grpc::StatusCode::FAILED_PRECONDITION);  // already signed as the teacher
  // The stale version of an item edit.
  {
    v1::UpdateRouteItemRequest req;
    *req.mutable_item() = r.items(0);
    req.mutable_item()->set_version(r.items(0).version() + 1);
    req.mutable_item()->set_title("Другое название");
    req.mutable_update_mask()->add_paths("title");
    v1::UpdateRouteItemResponse resp;
    EXPECT_EQ(stub->UpdateRouteItem(Ctx(Token("refuse.teacher")).get(), req, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  EXPECT_EQ(code("school.a1", sign(v1::ROUTE_SIGNATURE_KIND_SCHOOL_REPRESENTATIVE, r.version())), grpc::StatusCode::OK);
  EXPECT_EQ(r.status(), v1::ROUTE_STATUS_AGREED);
  // AGREED: frozen content, no start before approval, approval only by the regional level.
  {
    v1::CreateRouteItemRequest req;
    req.set_parent(r.name());
    req.mutable_item()->set_section(v1::ROUTE_SECTION_EVENTS);
    req.mutable_item()->set_title("Ещё мероприятие");
    v1::CreateRouteItemResponse resp;
    EXPECT_EQ(stub->CreateRouteItem(Ctx(Token("refuse.teacher")).get(), req, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  EXPECT_EQ(code("refuse.teacher", start), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(code("mun.a", approve(r.version())), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code("school.a1", approve(r.version())), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code("refuse.teacher", approve(r.version())), grpc::StatusCode::PERMISSION_DENIED);
  // Returned for revision: back to DRAFT, signatures cleared, the reason kept.
  EXPECT_EQ(code("school.a1", back("")), grpc::StatusCode::INVALID_ARGUMENT);
  {
    v1::ReturnRouteForRevisionRequest req;
    req.set_name(r.name());
    req.set_version(r.version());
    req.set_comment("Добавьте стажировку");
    v1::ReturnRouteForRevisionResponse resp;
    ASSERT_TRUE(stub->ReturnRouteForRevision(Ctx(Token("school.a1")).get(), req, &resp).ok());
    r = resp.route();
  }
  EXPECT_EQ(r.status(), v1::ROUTE_STATUS_DRAFT);
  EXPECT_EQ(r.signatures_size(), 0);
  EXPECT_EQ(r.revision_comment(), "Добавьте стажировку");
  // Regeneration of a DRAFT needs replace_draft; it keeps the route.
  grpc::Status st;
  Generate(Token("refuse.teacher"), t, false, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  v1::Route again = Generate(Token("refuse.teacher"), t, true);
  EXPECT_EQ(again.name(), r.name());
  EXPECT_GT(again.version(), r.version());
  EXPECT_EQ(again.status(), v1::ROUTE_STATUS_DRAFT);
  r = again;
  EXPECT_EQ(code("regional.methodist", cancel("Педагог уволился")), grpc::StatusCode::OK);
  EXPECT_EQ(code("regional.methodist", cancel("ещё раз")), grpc::StatusCode::FAILED_PRECONDITION);
  // A cancelled route does not block a new one.
  EXPECT_NE(Generate(Token("refuse.teacher"), t).name(), r.name());
}

TEST_F(RouteTest, GenerationNeedsAFinalDiagnosisOfThatTeacher) {
  auto stub = Stub();
  int64_t none = NewTeacher(f_.school_a1, f_.mun_a, "nodiag.teacher", "Бездиагнозова");
  grpc::Status st;
  Generate(Token("nodiag.teacher"), none, false, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("диагностик"), std::string::npos);
  int64_t preliminary = NewResult(none, campaign_, TodayText(-1), 1, 1, FourDeficits());
  Generate(Token("regional.methodist"), none, false, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::GenerateRouteRequest req;
  req.set_person(P(none));
  req.set_diagnostic_result("results/" + std::to_string(preliminary));
  v1::GenerateRouteResponse resp;
  EXPECT_EQ(stub->GenerateRoute(Ctx(Token("regional.methodist")).get(), req, &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  int64_t other = NewTeacher(f_.school_a1, f_.mun_a, "", "Чужая");
  int64_t others = NewResult(other, campaign_, TodayText(-1), 2, 1, FourDeficits());
  req.set_diagnostic_result("results/" + std::to_string(others));
  EXPECT_EQ(stub->GenerateRoute(Ctx(Token("regional.methodist")).get(), req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_diagnostic_result("");
  req.mutable_options()->set_horizon_months(99);
  EXPECT_EQ(stub->GenerateRoute(Ctx(Token("regional.methodist")).get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM routes WHERE person_id = ", none)), 0);
}

TEST_F(RouteTest, DenialsByScope) {
  auto stub = Stub();
  int64_t a = NewTeacher(f_.school_a2, f_.mun_a, "scope.a2", "Областная");
  NewResult(a, campaign_, TodayText(-3), 2, 1, FourDeficits());
  v1::Route r = Generate(Token("mun.a"), a);  // the municipal methodist of Город А may generate
  int64_t b = NewTeacher(f_.school_b1, f_.mun_b, "scope.b1", "Городская");
  NewResult(b, campaign_, TodayText(-3), 2, 1, FourDeficits());
  grpc::Status st;
  Generate(Token("mun.a"), b, false, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Generate(Token("scope.a2"), b, false, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Generate(Token("school.a1"), b, false, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  auto get = [&](const std::string& login, const std::string& name) {
    v1::GetRouteRequest req;
    req.set_name(name);
    v1::GetRouteResponse resp;
    return stub->GetRoute(Ctx(Token(login)).get(), req, &resp).error_code();
  };
  EXPECT_EQ(get("scope.a2", r.name()), grpc::StatusCode::OK);
  EXPECT_EQ(get("mun.a", r.name()), grpc::StatusCode::OK);
  EXPECT_EQ(get("regional.admin", r.name()), grpc::StatusCode::OK);
  EXPECT_EQ(get("federal.sync", r.name()), grpc::StatusCode::PERMISSION_DENIED);  // the feed only
  EXPECT_EQ(get("scope.b1", r.name()), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get("teacher.a1", r.name()), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get("school.a1", r.name()), grpc::StatusCode::PERMISSION_DENIED);  // another school of the municipality
  // Missing looks like out of scope, except to region-wide roles.
  EXPECT_EQ(get("scope.a2", "routes/987654"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get("regional.methodist", "routes/987654"), grpc::StatusCode::NOT_FOUND);
  // Lists are scoped.
  auto list = [&](const std::string& login) {
    v1::ListRoutesRequest req;
    req.set_page_size(500);
    v1::ListRoutesResponse resp;
    EXPECT_TRUE(stub->ListRoutes(Ctx(Token(login)).get(), req, &resp).ok());
    std::set<std::string> people;
    for (const auto& x : resp.routes()) people.insert(x.person());
    return people;
  };
  EXPECT_EQ(list("scope.a2"), std::set<std::string>{P(a)});
  for (const auto& person : list("school.a1")) EXPECT_NE(person, P(a));
  EXPECT_TRUE(list("mun.a").count(P(a)));
  EXPECT_TRUE(list("regional.methodist").count(P(a)));
  // Writes of others' routes.
  v1::CreateRouteItemRequest add;
  add.set_parent(r.name());
  add.mutable_item()->set_section(v1::ROUTE_SECTION_EVENTS);
  add.mutable_item()->set_title("Семинар");
  v1::CreateRouteItemResponse added;
  EXPECT_EQ(stub->CreateRouteItem(Ctx(Token("scope.b1")).get(), add, &added).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub->CreateRouteItem(Ctx(Token("school.a1")).get(), add, &added).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub->CreateRouteItem(Ctx(Token("regional.admin")).get(), add, &added).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // the ministry reads, methodists co-design
  EXPECT_EQ(stub->CreateRouteItem(Ctx(Token("scope.a2")).get(), add, &added).error_code(), grpc::StatusCode::OK);
  v1::UpdateRouteItemStatusRequest done;
  done.set_name(added.item().name());
  done.set_status(v1::ROUTE_ITEM_STATUS_DONE);
  done.set_version(added.item().version());
  v1::UpdateRouteItemStatusResponse done_resp;
  EXPECT_EQ(stub->UpdateRouteItemStatus(Ctx(Token("scope.b1")).get(), done, &done_resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Reading history and the document follows the same rule.
  v1::RenderRouteDocumentRequest doc;
  doc.set_name(r.name());
  v1::RenderRouteDocumentResponse doc_resp;
  EXPECT_EQ(stub->RenderRouteDocument(Ctx(Token("scope.b1")).get(), doc, &doc_resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Unauthenticated.
  v1::GetRouteRequest anon;
  anon.set_name(r.name());
  v1::GetRouteResponse anon_resp;
  EXPECT_EQ(stub->GetRoute(Ctx("").get(), anon, &anon_resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// ---------------------------------------------------------------- the catalogue

TEST_F(RouteTest, CatalogueEntriesAndFederalProgrammes) {
  auto stub = Stub();
  std::string rm = Token("regional.methodist");
  v1::CreateActivityRequest create;
  auto* a = create.mutable_activity();
  a->set_region(R());
  a->set_kind(v1::ACTIVITY_KIND_EVENT);
  a->set_event_kind(v1::ACTIVITY_EVENT_KIND_MASTER_CLASS);
  a->set_title("Мастер-класс «Каталог»");
  a->set_hours(3);
  a->add_addressed_indicator_codes("Х.КАТ");
  a->add_positions("учитель");
  v1::CreateActivityResponse created;
  EXPECT_EQ(stub->CreateActivity(Ctx(Token("teacher.a1")).get(), create, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub->CreateActivity(Ctx(Token("school.a1")).get(), create, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub->CreateActivity(Ctx(rm).get(), create, &created).ok());
  EXPECT_TRUE(created.activity().active());
  EXPECT_EQ(created.activity().section(), v1::ROUTE_SECTION_EVENTS);
  v1::CreateActivityRequest bad = create;
  bad.mutable_activity()->clear_addressed_indicator_codes();
  v1::CreateActivityResponse bad_resp;
  auto st = stub->CreateActivity(Ctx(rm).get(), bad, &bad_resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("activity.addressed_indicator_codes"), std::string::npos);

  // Every participant of the region reads the catalogue; filters narrow it.
  v1::ListActivitiesRequest list;
  list.set_filter("addressed_indicator_codes = \"Х.КАТ\" AND kind = ACTIVITY_KIND_EVENT");
  v1::ListActivitiesResponse listed;
  ASSERT_TRUE(stub->ListActivities(Ctx(Token("teacher.a1")).get(), list, &listed).ok());
  ASSERT_EQ(listed.activities_size(), 1);
  EXPECT_EQ(listed.activities(0).name(), created.activity().name());
  list.set_filter("colour = red");
  EXPECT_EQ(stub->ListActivities(Ctx(rm).get(), list, &listed).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Updates need the current version.
  v1::UpdateActivityRequest upd;
  *upd.mutable_activity() = created.activity();
  upd.mutable_activity()->set_hours(6);
  upd.mutable_update_mask()->add_paths("hours");
  upd.mutable_activity()->set_version(created.activity().version() + 1);
  v1::UpdateActivityResponse updated;
  EXPECT_EQ(stub->UpdateActivity(Ctx(rm).get(), upd, &updated).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  upd.mutable_activity()->set_version(created.activity().version());
  ASSERT_TRUE(stub->UpdateActivity(Ctx(rm).get(), upd, &updated).ok());
  EXPECT_EQ(updated.activity().hours(), 6);

  // A programme imported from the federal registry joins the catalogue, read-only.
  Sql([&](sql::Connection& c) {
    db::Stmt(c, "INSERT INTO federal_programmes (region_id, external_id, title, hours, provider_title, competencies, areas, "
                "indicator_codes, annotation, content_hash) VALUES (?, 'ФР-КАТ-7', 'Профессиональная переподготовка', 260, "
                "'Академия Минпросвещения', '', '2', 'Х.ФЕД', 'Аннотация', 'h')")
        .Int(f_.region).Execute();
  });
  list.set_filter("federal_registry_id = \"ФР-КАТ-7\"");
  ASSERT_TRUE(stub->ListActivities(Ctx(Token("mun.a")).get(), list, &listed).ok());
  ASSERT_EQ(listed.activities_size(), 1);
  v1::Activity fed = listed.activities(0);
  EXPECT_TRUE(fed.federal());
  EXPECT_EQ(fed.kind(), v1::ACTIVITY_KIND_RETRAINING_PROGRAMME);
  EXPECT_EQ(fed.addressed_indicator_codes(0), "Х.ФЕД");
  v1::UpdateActivityRequest fed_upd;
  *fed_upd.mutable_activity() = fed;
  fed_upd.mutable_activity()->set_title("Своё название");
  fed_upd.mutable_update_mask()->add_paths("title");
  EXPECT_EQ(stub->UpdateActivity(Ctx(rm).get(), fed_upd, &updated).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::CreateActivityRequest dup = create;
  dup.mutable_activity()->set_federal_registry_id("ФР-КАТ-7");
  EXPECT_EQ(stub->CreateActivity(Ctx(rm).get(), dup, &bad_resp).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  // Deleting: an unused entry disappears; one used by a route is deactivated.
  v1::DeleteActivityRequest del;
  del.set_name(updated.activity().name());
  del.set_version(updated.activity().version());
  v1::DeleteActivityResponse deleted;
  ASSERT_TRUE(stub->DeleteActivity(Ctx(rm).get(), del, &deleted).ok());
  v1::GetActivityRequest get;
  get.set_name(updated.activity().name());
  v1::GetActivityResponse got;
  EXPECT_EQ(stub->GetActivity(Ctx(rm).get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_name(internship_);
  ASSERT_TRUE(stub->GetActivity(Ctx(Token("teacher.a1")).get(), get, &got).ok());
}

// ---------------------------------------------------------------- bulk generation

TEST_F(RouteTest, BulkGenerationRunsToTheEndAndResumesFromTheDatabase) {
  auto stub = Stub();
  int64_t campaign = 0;
  Sql([&](sql::Connection& c) { campaign = NewCampaign(c, "Кампания для массового формирования"); });
  std::vector<int64_t> people;
  for (int i = 0; i < 30; ++i) {
    int64_t org = i % 2 == 0 ? f_.school_a1 : f_.school_b1;
    int64_t person = NewTeacher(org, org == f_.school_a1 ? f_.mun_a : f_.mun_b, "", absl::StrCat("Массовая", i));
    people.push_back(person);
    if (i < 25) NewResult(person, campaign, TodayText(-2), 2, 1, FourDeficits());
  }
  Sql([&](sql::Connection& c) {
    for (int i = 25; i < 30; ++i) {
      db::Stmt(c, "INSERT INTO diagnostic_campaign_participants (campaign_id, person_id) VALUES (?, ?)")
          .Int(campaign).Int(people[i]).Execute();
    }
  });
  Generate(Token("regional.methodist"), people[0]);  // two already have a route
  Generate(Token("regional.methodist"), people[1]);

  v1::BulkGenerateRoutesRequest req;
  req.set_campaign("campaigns/" + std::to_string(campaign));
  req.set_request_id("bulk-" + std::to_string(campaign));
  v1::BulkGenerateRoutesResponse resp;
  EXPECT_EQ(stub->BulkGenerateRoutes(Ctx(Token("mun.a")).get(), req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // the whole campaign is regional
  EXPECT_EQ(stub->BulkGenerateRoutes(Ctx(Token("teacher.a1")).get(), req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub->BulkGenerateRoutes(Ctx(Token("regional.methodist")).get(), req, &resp).ok());
  std::string op = resp.operation().name();
  v1::BulkGenerateRoutesResponse again;
  ASSERT_TRUE(stub->BulkGenerateRoutes(Ctx(Token("regional.methodist")).get(), req, &again).ok());
  EXPECT_EQ(again.operation().name(), op);

  v1::RouteOperation done;
  for (int i = 0; i < 300; ++i) {
    v1::GetRouteOperationRequest g;
    g.set_name(op);
    v1::GetRouteOperationResponse got;
    ASSERT_TRUE(stub->GetRouteOperation(Ctx(Token("regional.methodist")).get(), g, &got).ok());
    done = got.operation();
    if (done.state() == v1::ROUTE_OPERATION_STATE_SUCCEEDED || done.state() == v1::ROUTE_OPERATION_STATE_FAILED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(done.state(), v1::ROUTE_OPERATION_STATE_SUCCEEDED) << done.error_message();
  EXPECT_EQ(done.progress().total(), 30);
  EXPECT_EQ(done.progress().done(), 30);
  EXPECT_EQ(done.routes_created(), 23);
  EXPECT_EQ(done.skipped_existing(), 2);
  EXPECT_EQ(done.skipped_without_diagnosis(), 5);
  EXPECT_TRUE(done.has_end_time());
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM routes WHERE campaign_id = ", campaign, " AND status = 1")), 25);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM routes WHERE operation_id = ", op.substr(16))), 23);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM route_status_changes s JOIN routes r ON r.id = s.route_id WHERE "
                                "r.operation_id = ", op.substr(16))), 23);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE entity_type = 'route' AND resource IN (SELECT "
                                "CONCAT('routes/', id) FROM routes WHERE operation_id = ", op.substr(16), ")")), 23);
  // The other municipality's methodist cannot follow it; the school admin neither.
  v1::GetRouteOperationRequest g;
  g.set_name(op);
  v1::GetRouteOperationResponse got;
  EXPECT_EQ(stub->GetRouteOperation(Ctx(Token("school.a1")).get(), g, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // An operation whose worker died mid-way (RUNNING, stale heartbeat, cursor after the first
  // half) is taken up again and finishes only the rest.
  int64_t campaign2 = 0;
  std::vector<int64_t> second;
  Sql([&](sql::Connection& c) { campaign2 = NewCampaign(c, "Кампания с прерванной операцией"); });
  for (int i = 0; i < 10; ++i) {
    int64_t person = NewTeacher(f_.school_a2, f_.mun_a, "", absl::StrCat("Прерванная", i));
    second.push_back(person);
    NewResult(person, campaign2, TodayText(-2), 2, 1, {{"М.2", 2, 30, 1}});
  }
  int64_t stale = 0;
  Sql([&](sql::Connection& c) {
    v1::RouteGenerationOptions options;
    db::Stmt(c, "INSERT INTO route_operations (region_id, kind, state, campaign_id, options_blob, start_date, total, done, "
                "cursor_person_id, worker, heartbeat_at) VALUES (?, 1, 2, ?, ?, CURDATE(), 10, 5, ?, 'dead:1:1', "
                "NOW(6) - INTERVAL 10 MINUTE)")
        .Int(f_.region).Int(campaign2).Blob(options.SerializeAsString()).Int(second[4]).Execute();
    stale = db::LastInsertId(c);
  });
  // A new request wakes the worker; the stale one is older, so it is claimed first.
  v1::BulkGenerateRoutesRequest wake;
  wake.set_campaign("campaigns/" + std::to_string(campaign2));
  wake.set_scope("municipalities/" + std::to_string(f_.mun_b));
  ASSERT_TRUE(stub->BulkGenerateRoutes(Ctx(Token("regional.methodist")).get(), wake, &resp).ok());
  for (int i = 0; i < 300; ++i) {
    g.set_name("routeOperations/" + std::to_string(stale));
    ASSERT_TRUE(stub->GetRouteOperation(Ctx(Token("regional.methodist")).get(), g, &got).ok());
    if (got.operation().state() == v1::ROUTE_OPERATION_STATE_SUCCEEDED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(got.operation().state(), v1::ROUTE_OPERATION_STATE_SUCCEEDED);
  EXPECT_EQ(got.operation().progress().done(), 10);
  EXPECT_EQ(got.operation().routes_created(), 5);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM routes WHERE campaign_id = ", campaign2)), 5);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT MIN(person_id) FROM routes WHERE campaign_id = ", campaign2)), second[5]);
}

// ---------------------------------------------------------------- the CSV register

TEST_F(RouteTest, CsvRegisterRoundTripWithABadRow) {
  auto stub = Stub();
  int64_t school = NewSchool("Школа реестра", "csv.head");
  int64_t t = NewTeacher(school, f_.mun_a, "csv.teacher", "Реестрова");
  NewResult(t, campaign_, TodayText(-5), 2, 1, {{"М.1", 2, 20, 1}, {"П.1", 1, 30, 2}, {"Ц.1", 5, 35, 3}});
  v1::Route r = Launch(Generate(Token("csv.teacher"), t), "csv.teacher", "csv.head");
  ASSERT_GE(r.items_size(), 3);
  std::string rm = Token("regional.methodist");
  v1::ExportRoutesCsvRequest ex;
  ex.set_scope("organizations/" + std::to_string(school));
  ex.set_filter("status = ROUTE_STATUS_IN_PROGRESS");
  v1::ExportRoutesCsvResponse exported;
  ASSERT_TRUE(stub->ExportRoutesCsv(Ctx(rm).get(), ex, &exported).ok());
  EXPECT_EQ(exported.row_count(), r.items_size());
  std::string csv = exported.content();
  ASSERT_NE(csv.find(r.items(0).name()), std::string::npos);
  // A teacher of another school cannot export this school.
  v1::ExportRoutesCsvResponse denied;
  EXPECT_EQ(stub->ExportRoutesCsv(Ctx(Token("teacher.b1")).get(), ex, &denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Edit in a "spreadsheet": first item done, second skipped with a reason, third a typo.
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n");
  auto edit = [&](const std::string& item, const std::string& status, const std::string& reason) {
    for (auto& line : lines) {
      if (line.find("\"" + item + "\"") == std::string::npos) continue;
      line = absl::StrReplaceAll(line, {{"\"запланирован\";\"\"", "\"" + status + "\";\"" + reason + "\""}});
    }
  };
  edit(r.items(0).name(), "выполнен", "");
  edit(r.items(1).name(), "пропущен", "Курс отменён провайдером");
  edit(r.items(2).name(), "готово", "");
  std::string edited = absl::StrJoin(lines, "\r\n");
  v1::ImportRoutesCsvRequest im;
  im.set_content(edited);
  im.set_dry_run(true);
  v1::ImportRoutesCsvResponse imported;
  ASSERT_TRUE(stub->ImportRoutesCsv(Ctx(rm).get(), im, &imported).ok());
  EXPECT_EQ(imported.rows_updated(), 2);
  EXPECT_EQ(Get(r.name()).items(0).status(), v1::ROUTE_ITEM_STATUS_PLANNED);  // dry run wrote nothing
  im.set_dry_run(false);
  im.set_request_id(Rq());
  ASSERT_TRUE(stub->ImportRoutesCsv(Ctx(rm).get(), im, &imported).ok());
  EXPECT_EQ(imported.rows_total(), r.items_size());
  EXPECT_EQ(imported.rows_updated(), 2);
  EXPECT_EQ(imported.rows_failed(), 1);
  EXPECT_EQ(imported.rows_unchanged(), r.items_size() - 3);
  bool bad_row = false;
  for (const auto& row : imported.rows()) {
    if (row.outcome() != v1::ROUTE_CSV_ROW_OUTCOME_ERROR) continue;
    bad_row = true;
    EXPECT_EQ(row.item(), r.items(2).name());
    EXPECT_EQ(row.column(), "item_status");
    EXPECT_EQ(row.row_number(), 4);
  }
  EXPECT_TRUE(bad_row);
  v1::Route after = Get(r.name());
  EXPECT_EQ(after.items(0).status(), v1::ROUTE_ITEM_STATUS_DONE);
  EXPECT_EQ(after.items(1).status(), v1::ROUTE_ITEM_STATUS_SKIPPED);
  EXPECT_EQ(after.items(1).skip_reason(), "Курс отменён провайдером");
  EXPECT_EQ(after.items(2).status(), v1::ROUTE_ITEM_STATUS_PLANNED);  // nothing of the bad row was written

  // Importing the same file again changes nothing more; the fresh export shows the edits.
  im.set_request_id(Rq());
  ASSERT_TRUE(stub->ImportRoutesCsv(Ctx(rm).get(), im, &imported).ok());
  EXPECT_EQ(imported.rows_updated(), 0);
  EXPECT_EQ(imported.rows_failed(), 1);
  ASSERT_TRUE(stub->ExportRoutesCsv(Ctx(rm).get(), ex, &exported).ok());
  EXPECT_NE(exported.content().find("\"выполнен\""), std::string::npos);
  EXPECT_NE(exported.content().find("\"Курс отменён провайдером\""), std::string::npos);
  // A row edited after someone else changed the item is refused as stale.
  {
    v1::UpdateRouteItemStatusRequest req;
    req.set_name(after.items(2).name());
    req.set_status(v1::ROUTE_ITEM_STATUS_IN_PROGRESS);
    req.set_version(after.items(2).version());
    v1::UpdateRouteItemStatusResponse resp;
    ASSERT_TRUE(stub->UpdateRouteItemStatus(Ctx(Token("csv.teacher")).get(), req, &resp).ok());
  }
  // The old file's line for the item now stale: "готово" corrected to "выполнен".
  lines = absl::StrSplit(edited, "\r\n");
  for (auto& line : lines) {
    if (line.find("\"" + r.items(2).name() + "\"") != std::string::npos) {
      line = absl::StrReplaceAll(line, {{"\"готово\"", "\"выполнен\""}});
    }
  }
  im.set_content(absl::StrJoin(lines, "\r\n"));
  im.set_request_id(Rq());
  ASSERT_TRUE(stub->ImportRoutesCsv(Ctx(rm).get(), im, &imported).ok());
  ASSERT_EQ(imported.rows_failed(), 1);
  for (const auto& row : imported.rows()) {
    if (row.outcome() == v1::ROUTE_CSV_ROW_OUTCOME_ERROR) EXPECT_EQ(row.column(), "item_version");
  }
  // Someone without the right to carry the route out gets per-row refusals, not a leak.
  ASSERT_TRUE(stub->ImportRoutesCsv(Ctx(Token("teacher.b1")).get(), im, &imported).ok());
  EXPECT_EQ(imported.rows_updated(), 0);
  EXPECT_EQ(imported.rows_failed() + imported.rows_unchanged(), imported.rows_total());
  im.set_content("item;title\n");
  EXPECT_EQ(stub->ImportRoutesCsv(Ctx(rm).get(), im, &imported).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// ---------------------------------------------------------------- accompaniment

TEST_F(RouteTest, AccompanyingMethodistAndTutorAndTheirLoad) {
  auto stub = Stub();
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "acc.teacher", "Сопровождаемая");
  NewResult(t, campaign_, TodayText(-5), 2, 1, FourDeficits());
  v1::Route r = Generate(Token("acc.teacher"), t);
  int64_t tutor = NewTeacher(f_.school_b1, f_.mun_b, "acc.tutor", "Тьюторова");
  auto assign = [&](const std::string& login, int64_t person, v1::AccompanimentRole role) {
    v1::AssignRouteMethodistRequest req;
    req.set_name(r.name());
    req.set_methodist(person == 0 ? "" : P(person));
    req.set_role(role);
    req.set_version(r.version());
    v1::AssignRouteMethodistResponse resp;
    auto st = stub->AssignRouteMethodist(Ctx(Token(login)).get(), req, &resp);
    if (st.ok()) r = resp.route();
    return st.error_code();
  };
  EXPECT_EQ(assign("acc.teacher", tutor, v1::ACCOMPANIMENT_ROLE_TUTOR), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(assign("school.a1", tutor, v1::ACCOMPANIMENT_ROLE_TUTOR), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(assign("regional.methodist", t, v1::ACCOMPANIMENT_ROLE_TUTOR), grpc::StatusCode::INVALID_ARGUMENT);
  // The tutor, a teacher of another municipality, cannot see the route until assigned.
  v1::GetRouteRequest get;
  get.set_name(r.name());
  v1::GetRouteResponse got;
  EXPECT_EQ(stub->GetRoute(Ctx(Token("acc.tutor")).get(), get, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // The Mordovia regulation: a tutor has passed the diagnostics of subject and methodological competencies.
  EXPECT_EQ(assign("regional.methodist", tutor, v1::ACCOMPANIMENT_ROLE_TUTOR), grpc::StatusCode::FAILED_PRECONDITION)
      << "no final result";
  NewResult(tutor, 0, TodayText(-20), 2, 2, {{"П.1", 1, 35, 1}});  // subject area below basic
  EXPECT_EQ(assign("regional.methodist", tutor, v1::ACCOMPANIMENT_ROLE_TUTOR), grpc::StatusCode::FAILED_PRECONDITION)
      << "subject area insufficient";
  EXPECT_EQ(assign("regional.methodist", tutor, v1::ACCOMPANIMENT_ROLE_UNSPECIFIED),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "a person without methodist grants is taken as a tutor";
  NewResult(tutor, 0, TodayText(-10), 2, 3, {});  // a later diagnosis, every area at 75 %
  // …and has been trained in tutor (methodological) support: another course does not count.
  auto train = [&](const std::string& title, bool passed) {
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO training_completions (region_id, person_id, programme_title, attestation_passed) "
                  "VALUES (?, ?, ?, ?)")
          .Int(f_.region).Int(tutor).Str(title).Bool(passed).Execute();
    });
  };
  train("Формирующее оценивание на уроках математики", true);
  train("Организация методического сопровождения профессионального развития педагогов", false);  // not attested
  {
    v1::AssignRouteMethodistRequest req;
    req.set_name(r.name());
    req.set_methodist(P(tutor));
    req.set_role(v1::ACCOMPANIMENT_ROLE_TUTOR);
    req.set_version(r.version());
    v1::AssignRouteMethodistResponse resp;
    auto st = stub->AssignRouteMethodist(Ctx(Token("regional.methodist")).get(), req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(st.error_message().find("тьюторскому (методическому) сопровождению"), std::string::npos) << st.error_message();
  }
  // Named a regional methodist without being one: the regulation's requirements are checked.
  EXPECT_EQ(assign("regional.methodist", tutor, v1::ACCOMPANIMENT_ROLE_REGIONAL_METHODIST),
            grpc::StatusCode::FAILED_PRECONDITION);
  train("Организация методического сопровождения профессионального развития педагогов", true);
  ASSERT_EQ(assign("regional.methodist", tutor, v1::ACCOMPANIMENT_ROLE_TUTOR), grpc::StatusCode::OK);
  EXPECT_EQ(r.methodist(), P(tutor));
  EXPECT_EQ(r.methodist_role(), v1::ACCOMPANIMENT_ROLE_TUTOR);
  EXPECT_EQ(stub->GetRoute(Ctx(Token("acc.tutor")).get(), get, &got).error_code(), grpc::StatusCode::OK);
  v1::ListRoutesRequest list;
  list.set_filter("methodist = \"" + P(tutor) + "\"");
  v1::ListRoutesResponse listed;
  ASSERT_TRUE(stub->ListRoutes(Ctx(Token("acc.tutor")).get(), list, &listed).ok());
  ASSERT_EQ(listed.routes_size(), 1);
  EXPECT_EQ(listed.routes(0).name(), r.name());
  // The tutor co-designs but does not sign or approve.
  v1::CreateRouteItemRequest add;
  add.set_parent(r.name());
  add.mutable_item()->set_section(v1::ROUTE_SECTION_EXPERIENCE_PRESENTATION);
  add.mutable_item()->set_title("Выступление на ШМО");
  v1::CreateRouteItemResponse added;
  EXPECT_TRUE(stub->CreateRouteItem(Ctx(Token("acc.tutor")).get(), add, &added).ok());
  r = Get(r.name());
  v1::AgreeRouteRequest sign;
  sign.set_name(r.name());
  sign.set_signature_kind(v1::ROUTE_SIGNATURE_KIND_TEACHER);
  sign.set_version(r.version());
  v1::AgreeRouteResponse signed_resp;
  EXPECT_EQ(stub->AgreeRoute(Ctx(Token("acc.tutor")).get(), sign, &signed_resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Load, and the assignment monitoring counts.
  v1::GetMethodistLoadRequest lreq;
  lreq.set_methodist(P(tutor));
  v1::GetMethodistLoadResponse load;
  ASSERT_TRUE(stub->GetMethodistLoad(Ctx(Token("acc.tutor")).get(), lreq, &load).ok());
  EXPECT_EQ(load.load().teachers_assigned(), 1);
  EXPECT_EQ(load.load().routes_pending(), 1);
  EXPECT_EQ(load.load().role(), v1::ACCOMPANIMENT_ROLE_TUTOR);
  EXPECT_EQ(load.load().full_name(), "Тьюторова Мария Ивановна");
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM methodist_assignments WHERE route_id = ", r.name().substr(7),
                                " AND end_date IS NULL AND methodist_person_id = ", tutor)), 1);
  // Replacing the methodist ends the tutor's assignment; the municipal role is inferred.
  int64_t mm = Scalar("SELECT person_id FROM accounts WHERE login = 'mun.a'");
  ASSERT_EQ(assign("mun.a", mm, v1::ACCOMPANIMENT_ROLE_UNSPECIFIED), grpc::StatusCode::OK);
  EXPECT_EQ(r.methodist_role(), v1::ACCOMPANIMENT_ROLE_MUNICIPAL_METHODIST);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM methodist_assignments WHERE route_id = ", r.name().substr(7),
                                " AND end_date IS NULL")), 1);
  EXPECT_EQ(stub->GetRoute(Ctx(Token("acc.tutor")).get(), get, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ListMethodistLoadsRequest lsreq;
  lsreq.set_scope("municipalities/" + std::to_string(f_.mun_a));
  lsreq.set_filter("role = ACCOMPANIMENT_ROLE_MUNICIPAL_METHODIST AND teachers_assigned >= 1");
  v1::ListMethodistLoadsResponse loads;
  ASSERT_TRUE(stub->ListMethodistLoads(Ctx(Token("mun.a")).get(), lsreq, &loads).ok());
  bool found = false;
  for (const auto& l : loads.loads()) found |= l.methodist() == P(mm);
  EXPECT_TRUE(found);
  lsreq.set_scope("municipalities/" + std::to_string(f_.mun_b));
  EXPECT_EQ(stub->ListMethodistLoads(Ctx(Token("mun.a")).get(), lsreq, &loads).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// ---------------------------------------------------------------- ДПП enrolment

TEST_F(RouteTest, EnrolmentAppliedApprovedEnrolledWithdrawnUntilEnrolled) {
  auto stub = Stub();
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "enrol.teacher", "Зачисляемая");
  NewResult(t, campaign_, TodayText(-5), 2, 1, {{"М.1", 2, 20, 1}, {"П.1", 1, 30, 2}});
  v1::Route r = Generate(Token("enrol.teacher"), t);
  v1::RouteItem course, other;
  for (const auto& it : r.items()) {
    if (it.activity() == course_) course = it;
    if (it.section() != v1::ROUTE_SECTION_FURTHER_TRAINING) other = it;
  }
  ASSERT_FALSE(course.name().empty());
  ASSERT_FALSE(other.name().empty());
  auto step = [&](const std::string& login, const std::string& what, v1::RouteItem& item, const std::string& comment = "") {
    grpc::Status st;
    v1::RouteItem out;
    auto ctx = Ctx(Token(login));
    if (what == "apply") {
      v1::ApplyRouteItemEnrolmentRequest req;
      req.set_name(item.name()); req.set_version(item.version()); req.set_comment(comment);
      v1::ApplyRouteItemEnrolmentResponse resp;
      st = stub->ApplyRouteItemEnrolment(ctx.get(), req, &resp);
      out = resp.item();
    } else if (what == "approve") {
      v1::ApproveRouteItemEnrolmentRequest req;
      req.set_name(item.name()); req.set_version(item.version()); req.set_comment(comment);
      v1::ApproveRouteItemEnrolmentResponse resp;
      st = stub->ApproveRouteItemEnrolment(ctx.get(), req, &resp);
      out = resp.item();
    } else if (what == "reject") {
      v1::RejectRouteItemEnrolmentRequest req;
      req.set_name(item.name()); req.set_version(item.version()); req.set_comment(comment);
      v1::RejectRouteItemEnrolmentResponse resp;
      st = stub->RejectRouteItemEnrolment(ctx.get(), req, &resp);
      out = resp.item();
    } else if (what == "confirm") {
      v1::ConfirmRouteItemEnrolmentRequest req;
      req.set_name(item.name()); req.set_version(item.version()); req.set_comment(comment);
      v1::ConfirmRouteItemEnrolmentResponse resp;
      st = stub->ConfirmRouteItemEnrolment(ctx.get(), req, &resp);
      out = resp.item();
    } else {
      v1::WithdrawRouteItemEnrolmentRequest req;
      req.set_name(item.name()); req.set_version(item.version()); req.set_comment(comment);
      v1::WithdrawRouteItemEnrolmentResponse resp;
      st = stub->WithdrawRouteItemEnrolment(ctx.get(), req, &resp);
      out = resp.item();
    }
    if (st.ok()) item = out;
    return st.error_code();
  };
  // A draft is not agreed yet.
  EXPECT_EQ(step("enrol.teacher", "apply", course), grpc::StatusCode::FAILED_PRECONDITION);
  // Agree and approve, not started yet.
  v1::Route cur = r;
  for (auto [login, kind] : std::vector<std::pair<std::string, v1::RouteSignatureKind>>{
           {"enrol.teacher", v1::ROUTE_SIGNATURE_KIND_TEACHER}, {"school.a1", v1::ROUTE_SIGNATURE_KIND_SCHOOL_REPRESENTATIVE}}) {
    v1::AgreeRouteRequest req;
    req.set_name(cur.name()); req.set_signature_kind(kind); req.set_version(cur.version());
    v1::AgreeRouteResponse resp;
    ASSERT_TRUE(stub->AgreeRoute(Ctx(Token(login)).get(), req, &resp).ok());
    cur = resp.route();
  }
  v1::Route agreed = Get(r.name());
  for (const auto& it : agreed.items()) {
    if (it.name() == course.name()) course = it;
    if (it.name() == other.name()) other = it;
  }
  EXPECT_EQ(step("enrol.teacher", "apply", other), grpc::StatusCode::FAILED_PRECONDITION);  // not a ДПП item
  EXPECT_EQ(step("school.a1", "apply", course), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(step("enrol.teacher", "apply", course, "Прошу записать на поток в октябре"), grpc::StatusCode::OK);
  EXPECT_EQ(course.enrolment().status(), v1::ENROLMENT_STATUS_APPLIED);
  EXPECT_EQ(step("enrol.teacher", "approve", course), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(step("school.a1", "reject", course, ""), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(step("school.a1", "approve", course), grpc::StatusCode::OK);
  EXPECT_EQ(course.enrolment().decided_by(), P(Scalar("SELECT person_id FROM accounts WHERE login = 'school.a1'")));
  ASSERT_EQ(step("enrol.teacher", "withdraw", course, "Совпадает с экзаменами"), grpc::StatusCode::OK);
  EXPECT_EQ(course.enrolment().status(), v1::ENROLMENT_STATUS_WITHDRAWN);
  ASSERT_EQ(step("enrol.teacher", "apply", course), grpc::StatusCode::OK);
  ASSERT_EQ(step("school.a1", "approve", course), grpc::StatusCode::OK);
  EXPECT_EQ(step("enrol.teacher", "confirm", course), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(step("regional.methodist", "confirm", course), grpc::StatusCode::OK);
  EXPECT_EQ(course.enrolment().status(), v1::ENROLMENT_STATUS_ENROLLED);
  EXPECT_EQ(course.status(), v1::ROUTE_ITEM_STATUS_PLANNED);  // the route has not started
  EXPECT_EQ(step("enrol.teacher", "withdraw", course), grpc::StatusCode::FAILED_PRECONDITION);
  // Approval and start: the enrolled course is being carried out.
  cur = Get(r.name());
  {
    v1::ApproveRouteRequest req;
    req.set_name(cur.name()); req.set_version(cur.version());
    v1::ApproveRouteResponse resp;
    ASSERT_TRUE(stub->ApproveRoute(Ctx(Token("regional.admin")).get(), req, &resp).ok());
    v1::StartRouteRequest sreq;
    sreq.set_name(cur.name()); sreq.set_version(resp.route().version());
    v1::StartRouteResponse sresp;
    ASSERT_TRUE(stub->StartRoute(Ctx(Token("mun.a")).get(), sreq, &sresp).ok());
    for (const auto& it : sresp.route().items()) {
      if (it.name() == course.name()) EXPECT_EQ(it.status(), v1::ROUTE_ITEM_STATUS_IN_PROGRESS);
    }
  }
}

// ---------------------------------------------------------------- regional settings

TEST_F(RouteTest, RegionWithoutApprovalStartsAgreedRoutes) {
  auto stub = Stub();
  // A second region (e.g. Mordovia: no formal approval, the teacher's signature agrees).
  int64_t region = 0, org = 0, teacher = 0;
  Sql([&](sql::Connection& c) {
    db::Stmt(c, "INSERT INTO regions (display_name) VALUES ('Республика без утверждения')").Execute();
    region = db::LastInsertId(c);
    db::Stmt(c, "INSERT INTO organizations (region_id, type, display_name, short_name) VALUES (?, 1, 'СОШ', 'СОШ')")
        .Int(region).Execute();
    org = db::LastInsertId(c);
    db::Stmt(c, "INSERT INTO people (region_id, organization_id, last_name, first_name) VALUES (?, ?, 'Админ', 'Рег')")
        .Int(region).Int(org).Execute();
    int64_t admin = db::LastInsertId(c);
    db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash) VALUES ('other.admin', ?, ?)").Int(admin).Str(hash_).Execute();
    db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, 5, 1, ?)")
        .Int(db::LastInsertId(c)).Int(region).Execute();
    db::Stmt(c, "INSERT INTO people (region_id, organization_id, last_name, first_name, position) VALUES (?, ?, 'Учитель', "
                "'Другой', 'учитель')")
        .Int(region).Int(org).Execute();
    teacher = db::LastInsertId(c);
    db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash) VALUES ('other.teacher', ?, ?)")
        .Int(teacher).Str(hash_).Execute();
    db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, 1, 3, ?)")
        .Int(db::LastInsertId(c)).Int(org).Execute();
    db::Stmt(c, "INSERT INTO diagnostic_results (person_id, region_id, framework_version, source, status, overall_score, "
                "overall_level, diagnosis_date) VALUES (?, ?, ?, 2, 2, 40, 1, CURDATE())")
        .Int(teacher).Int(region).Int(framework_).Execute();
    db::Stmt(c, "INSERT INTO diagnostic_deficits (result_id, indicator_code, area, score, threshold, gap, severity_rank) "
                "VALUES (?, 'М.1', 2, 20, 50, 30, 1)")
        .Int(db::LastInsertId(c)).Execute();
  });
  std::string name = absl::StrCat("regions/", region, "/routeSettings");
  v1::GetRouteSettingsRequest get;
  get.set_name(name);
  v1::GetRouteSettingsResponse got;
  ASSERT_TRUE(stub->GetRouteSettings(Ctx(Token("other.teacher")).get(), get, &got).ok());
  EXPECT_TRUE(got.settings().approval_required());
  EXPECT_EQ(stub->GetRouteSettings(Ctx(Token("teacher.a1")).get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub->GetRouteSettings(Ctx(Token("other.admin")).get(), get, &got).ok());
  v1::UpdateRouteSettingsRequest upd;
  *upd.mutable_settings() = got.settings();
  upd.mutable_settings()->set_approval_required(false);
  upd.mutable_settings()->set_school_signature_required(false);
  upd.mutable_update_mask()->add_paths("approval_required");
  upd.mutable_update_mask()->add_paths("school_signature_required");
  v1::UpdateRouteSettingsResponse updated;
  EXPECT_EQ(stub->UpdateRouteSettings(Ctx(Token("other.teacher")).get(), upd, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub->UpdateRouteSettings(Ctx(Token("regional.admin")).get(), upd, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // another region's ministry
  ASSERT_TRUE(stub->UpdateRouteSettings(Ctx(Token("other.admin")).get(), upd, &updated).ok());
  EXPECT_FALSE(updated.settings().approval_required());
  EXPECT_EQ(stub->UpdateRouteSettings(Ctx(Token("other.admin")).get(), upd, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // the version moved on
  upd.mutable_settings()->set_version(updated.settings().version());
  upd.mutable_settings()->set_teacher_signature_required(false);
  upd.mutable_update_mask()->add_paths("teacher_signature_required");
  EXPECT_EQ(stub->UpdateRouteSettings(Ctx(Token("other.admin")).get(), upd, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // some signature must agree a route

  v1::Route r = Generate(Token("other.teacher"), teacher);
  v1::AgreeRouteRequest sign;
  sign.set_name(r.name());
  sign.set_signature_kind(v1::ROUTE_SIGNATURE_KIND_TEACHER);
  sign.set_version(r.version());
  v1::AgreeRouteResponse signed_resp;
  ASSERT_TRUE(stub->AgreeRoute(Ctx(Token("other.teacher")).get(), sign, &signed_resp).ok());
  EXPECT_EQ(signed_resp.route().status(), v1::ROUTE_STATUS_AGREED);
  v1::ApproveRouteRequest approve;
  approve.set_name(r.name());
  approve.set_version(signed_resp.route().version());
  v1::ApproveRouteResponse approved;
  EXPECT_EQ(stub->ApproveRoute(Ctx(Token("other.admin")).get(), approve, &approved).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::StartRouteRequest start;
  start.set_name(r.name());
  start.set_version(signed_resp.route().version());
  v1::StartRouteResponse started;
  ASSERT_TRUE(stub->StartRoute(Ctx(Token("other.teacher")).get(), start, &started).ok());
  EXPECT_EQ(started.route().status(), v1::ROUTE_STATUS_IN_PROGRESS);
  // The other region's document has no «Утверждаю» block.
  v1::RenderRouteDocumentRequest doc;
  doc.set_name(r.name());
  v1::RenderRouteDocumentResponse html;
  ASSERT_TRUE(stub->RenderRouteDocument(Ctx(Token("other.teacher")).get(), doc, &html).ok());
  EXPECT_EQ(html.html().find("Утверждаю"), std::string::npos);
  // Nobody of the first region reaches it.
  v1::GetRouteRequest g;
  g.set_name(r.name());
  v1::GetRouteResponse gr;
  EXPECT_EQ(stub->GetRoute(Ctx(Token("regional.methodist")).get(), g, &gr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// ---------------------------------------------------------------- end to end with diagnostics

// The whole cycle through the real RPCs of both services: a campaign, the teacher's session
// resumed mid-way on another server after a fresh sign-in, the scored result, the generated
// ИОМ, agreement, approval, completion, and the re-diagnosis of a second campaign.
TEST_F(RouteTest, CampaignSessionResultRouteCompletionAndRediagnosisThroughTheServices) {
  using nms::v1::DiagnosticsService;
  auto diag = DiagnosticsService::NewStub(server_->Channel());
  auto stub = Stub();
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "e2e.teacher", "Сквозная");
  auto ts = [](absl::Time at) {
    google::protobuf::Timestamp out;
    out.set_seconds(absl::ToUnixSeconds(at));
    return out;
  };
  // Framework (regional admin) and instrument (regional methodist), both published.
  v1::CompetencyFramework framework;
  {
    v1::CreateCompetencyFrameworkRequest req;
    auto* f = req.mutable_framework();
    f->set_region(R());
    f->set_title("Рамка для сквозного теста");
    for (auto area : {v1::COMPETENCY_AREA_METHODOLOGICAL, v1::COMPETENCY_AREA_DIGITAL}) {
      auto* a = f->add_areas();
      a->set_area(area);
      a->mutable_thresholds()->set_basic_min_percent(50);
      a->mutable_thresholds()->set_advanced_min_percent(70);
      a->mutable_thresholds()->set_high_min_percent(85);
    }
    for (auto [code, area, title] : std::vector<std::tuple<const char*, v1::CompetencyArea, const char*>>{
             {"М-1", v1::COMPETENCY_AREA_METHODOLOGICAL, "Проектирование урока"},
             {"М-2", v1::COMPETENCY_AREA_METHODOLOGICAL, "Оценивание образовательных результатов"},
             {"Ц-1", v1::COMPETENCY_AREA_DIGITAL, "Цифровые образовательные ресурсы"},
             {"Ц-2", v1::COMPETENCY_AREA_DIGITAL, "Дистанционное обучение"}}) {
      auto* i = f->add_indicators();
      i->set_code(code);
      i->set_area(area);
      i->set_title(title);
    }
    f->mutable_overall_thresholds()->set_basic_min_percent(50);
    f->mutable_overall_thresholds()->set_advanced_min_percent(70);
    f->mutable_overall_thresholds()->set_high_min_percent(85);
    v1::CreateCompetencyFrameworkResponse resp;
    ASSERT_TRUE(diag->CreateCompetencyFramework(Ctx(Token("regional.admin")).get(), req, &resp).ok());
    v1::PublishCompetencyFrameworkRequest pub;
    pub.set_name(resp.framework().name());
    pub.set_version(resp.framework().version());
    v1::PublishCompetencyFrameworkResponse presp;
    auto st = diag->PublishCompetencyFramework(Ctx(Token("regional.admin")).get(), pub, &presp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    framework = presp.framework();
  }
  std::string instrument;
  {
    v1::CreateInstrumentRequest req;
    auto* in = req.mutable_instrument();
    in->set_region(R());
    in->set_framework(framework.name());
    in->set_title("Диагностика методических и цифровых компетенций");
    in->add_positions("учитель");
    auto* b = in->add_blocks();
    b->set_block_id("B1");
    b->set_title("Методика и цифровая среда");
    b->set_kind(v1::INSTRUMENT_BLOCK_KIND_ONLINE);
    auto item = [&](const char* id, const char* code, const char* right) {
      auto* i = b->add_items();
      i->set_item_id(id);
      i->set_kind(v1::INSTRUMENT_ITEM_KIND_SINGLE_CHOICE);
      i->set_text(absl::StrCat("Задание ", id));
      i->set_max_score(1);
      auto* w = i->add_indicator_weights();
      w->set_indicator_code(code);
      w->set_weight(1);
      for (const char* o : {"a", "b"}) {
        auto* opt = i->add_options();
        opt->set_option_id(o);
        opt->set_text(absl::StrCat("Вариант ", o));
        opt->set_correct(std::string(o) == right);
      }
    };
    item("Q1", "М-1", "a");
    item("Q2", "М-2", "b");
    item("Q3", "Ц-1", "a");
    item("Q4", "Ц-2", "b");
    v1::CreateInstrumentResponse resp;
    auto st = diag->CreateInstrument(Ctx(Token("regional.methodist")).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    v1::PublishInstrumentRequest pub;
    pub.set_name(resp.instrument().name());
    pub.set_version(resp.instrument().version());
    v1::PublishInstrumentResponse presp;
    ASSERT_TRUE(diag->PublishInstrument(Ctx(Token("regional.methodist")).get(), pub, &presp).ok());
    instrument = presp.instrument().name();
  }
  auto campaign = [&](const char* title) {
    v1::CreateCampaignRequest req;
    auto* k = req.mutable_campaign();
    k->set_title(title);
    k->set_instrument(instrument);
    k->set_wave_kind(v1::CAMPAIGN_WAVE_KIND_REGIONAL);
    k->set_purpose("Выявить дефициты и построить ИОМ");
    k->mutable_population()->mutable_listed()->add_people(P(t));
    *k->mutable_open_time() = ts(absl::Now() - absl::Hours(1));
    *k->mutable_close_time() = ts(absl::Now() + absl::Hours(48));
    k->set_time_limit_seconds(3600);
    v1::CreateCampaignResponse resp;
    auto st = diag->CreateCampaign(Ctx(Token("regional.methodist")).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    v1::LaunchCampaignRequest launch;
    launch.set_name(resp.campaign().name());
    launch.set_version(resp.campaign().version());
    v1::LaunchCampaignResponse lresp;
    st = diag->LaunchCampaign(Ctx(Token("regional.methodist")).get(), launch, &lresp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return lresp.campaign().name();
  };
  auto answer = [&](DiagnosticsService::Stub* s, const std::string& token, const std::string& session, const char* item,
                    const char* option) {
    v1::SaveAnswerRequest req;
    req.set_session(session);
    req.mutable_answer()->set_item_id(item);
    req.mutable_answer()->add_selected_option_ids(option);
    v1::SaveAnswerResponse resp;
    auto st = s->SaveAnswer(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << item << ": " << st.error_message();
  };
  // A catalogue entry for the methodological deficit (the digital one is met by the webinar).
  {
    v1::CreateActivityRequest req;
    auto* a = req.mutable_activity();
    a->set_region(R());
    a->set_kind(v1::ACTIVITY_KIND_FURTHER_TRAINING_PROGRAMME);
    a->set_title("Оценивание образовательных результатов по ФГОС");
    a->set_hours(36);
    a->add_addressed_indicator_codes("М-2");
    v1::CreateActivityResponse resp;
    ASSERT_TRUE(stub->CreateActivity(Ctx(Token("regional.methodist")).get(), req, &resp).ok());
  }

  // The first campaign: two answers, the phone drops off, the rest on another server.
  std::string first = campaign("Диагностика, осень");
  std::string teacher = Token("e2e.teacher");
  auto dstub = DiagnosticsService::NewStub(server_->Channel());
  v1::StartSessionRequest start;
  start.set_campaign(first);
  v1::StartSessionResponse started;
  ASSERT_TRUE(dstub->StartSession(Ctx(teacher).get(), start, &started).ok());
  std::string session = started.session().name();
  answer(dstub.get(), teacher, session, "Q1", "a");
  answer(dstub.get(), teacher, session, "Q2", "a");  // wrong: М-2 becomes a deficit
  v1::SubmitSessionResponse submitted;
  {
    ServerProcess other(kDb);
    auto other_stub = DiagnosticsService::NewStub(other.Channel());
    std::string again = SignIn(*other.Channel(), "e2e.teacher");
    v1::StartSessionResponse resumed;
    ASSERT_TRUE(other_stub->StartSession(Ctx(again).get(), start, &resumed).ok());
    EXPECT_TRUE(resumed.resumed());
    EXPECT_EQ(resumed.session().name(), session);
    EXPECT_EQ(resumed.session().answers_size(), 2);
    answer(other_stub.get(), again, session, "Q3", "a");
    answer(other_stub.get(), again, session, "Q4", "a");  // wrong: Ц-2 becomes a deficit
    v1::SubmitSessionRequest submit;
    submit.set_name(session);
    auto st = other_stub->SubmitSession(Ctx(again).get(), submit, &submitted);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  const v1::DiagnosticResult& result = submitted.result();
  ASSERT_EQ(result.status(), v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
  ASSERT_EQ(result.deficits_size(), 2);

  // The mobile app asks for the ИОМ right after the test.
  v1::Route r = Generate(teacher, t);
  EXPECT_EQ(r.diagnostic_result(), result.name());
  EXPECT_EQ(r.campaign(), first);
  ASSERT_EQ(r.deficits_size(), 2);
  EXPECT_EQ(r.deficits(0).indicator_code(), "М-2");
  EXPECT_EQ(r.deficits(0).title(), "Оценивание образовательных результатов");
  EXPECT_EQ(r.progress().deficits_covered(), 2);
  r = Launch(r, "e2e.teacher");
  for (const auto& it : r.items()) {
    v1::SubmitRouteItemReflectionRequest refl;
    refl.set_name(it.name());
    refl.set_version(it.version());
    refl.set_reflective_report("Применяю на уроках то, что изучила.");
    v1::SubmitRouteItemReflectionResponse rr;
    ASSERT_TRUE(stub->SubmitRouteItemReflection(Ctx(teacher).get(), refl, &rr).ok());
    v1::UpdateRouteItemStatusRequest done;
    done.set_name(it.name());
    done.set_status(v1::ROUTE_ITEM_STATUS_DONE);
    done.set_version(rr.item().version());
    v1::UpdateRouteItemStatusResponse dr;
    ASSERT_TRUE(stub->UpdateRouteItemStatus(Ctx(teacher).get(), done, &dr).ok());
  }
  r = Get(r.name());
  v1::CompleteRouteRequest complete;
  complete.set_name(r.name());
  complete.set_version(r.version());
  v1::CompleteRouteResponse completed;
  ASSERT_TRUE(stub->CompleteRoute(Ctx(teacher).get(), complete, &completed).ok());
  EXPECT_EQ(completed.route().status(), v1::ROUTE_STATUS_COMPLETED);

  // Re-diagnosis in the next campaign: the methodological deficit is closed, the digital one stays.
  std::string second = campaign("Диагностика, весна");
  v1::StartSessionRequest start2;
  start2.set_campaign(second);
  ASSERT_TRUE(dstub->StartSession(Ctx(teacher).get(), start2, &started).ok());
  answer(dstub.get(), teacher, started.session().name(), "Q1", "a");
  answer(dstub.get(), teacher, started.session().name(), "Q2", "b");
  answer(dstub.get(), teacher, started.session().name(), "Q3", "a");
  answer(dstub.get(), teacher, started.session().name(), "Q4", "a");
  v1::SubmitSessionRequest submit2;
  submit2.set_name(started.session().name());
  v1::SubmitSessionResponse submitted2;
  ASSERT_TRUE(dstub->SubmitSession(Ctx(teacher).get(), submit2, &submitted2).ok());
  v1::GetRouteEffectRequest eff;
  eff.set_name(r.name());
  v1::GetRouteEffectResponse effect;
  ASSERT_TRUE(stub->GetRouteEffect(Ctx(teacher).get(), eff, &effect).ok());
  EXPECT_TRUE(effect.rediagnosed());
  EXPECT_EQ(effect.baseline_result(), result.name());
  EXPECT_EQ(effect.rediagnosis_result(), submitted2.result().name());
  EXPECT_EQ(std::vector<std::string>(effect.closed_deficit_codes().begin(), effect.closed_deficit_codes().end()),
            std::vector<std::string>{"М-2"});
  EXPECT_EQ(std::vector<std::string>(effect.remaining_deficit_codes().begin(), effect.remaining_deficit_codes().end()),
            std::vector<std::string>{"Ц-2"});
  EXPECT_TRUE(effect.new_deficit_codes().empty());
  bool methodological = false;
  for (const auto& d : effect.area_deltas()) {
    if (d.area() != v1::COMPETENCY_AREA_METHODOLOGICAL) continue;
    methodological = true;
    EXPECT_DOUBLE_EQ(d.before_score_percent(), 50);
    EXPECT_DOUBLE_EQ(d.after_score_percent(), 100);
    EXPECT_DOUBLE_EQ(d.delta_percent(), 50);
  }
  EXPECT_TRUE(methodological);
}

// ---------------------------------------------------------------- bad input

// Seed 001's template: 2.1 «Тема» / «Мероприятие», 2.2 «Продукт» / «Где размещены», section 3's
// sub-rows «с наставником» / «в качестве наставника» with the mentee's position — stored, checked
// against the section, editable while carried out, printed, and in the register.
TEST_F(RouteTest, TemplateDetailsOfSections2And3AreEditablePrintedAndInTheRegister) {
  auto stub = Stub();
  std::string rm = Token("regional.methodist");
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "tpl.teacher", "Шаблонная");
  NewResult(t, campaign_, TodayText(-3), 2, 1, FourDeficits());
  v1::Route r = Generate(Token("tpl.teacher"), t);
  auto add = [&](v1::RouteSection section, const std::string& title, auto fill, grpc::Status* st = nullptr) {
    v1::CreateRouteItemRequest req;
    req.set_parent(r.name());
    req.set_request_id(Rq());
    req.mutable_item()->set_section(section);
    req.mutable_item()->set_title(title);
    fill(*req.mutable_item());
    v1::CreateRouteItemResponse resp;
    grpc::Status got = stub->CreateRouteItem(Ctx(rm).get(), req, &resp);
    if (st != nullptr) *st = got;
    else EXPECT_TRUE(got.ok()) << got.error_message();
    return resp.item();
  };
  v1::RouteItem talk = add(v1::ROUTE_SECTION_EXPERIENCE_PRESENTATION, "Выступление с опытом", [](v1::RouteItem& i) {
    i.set_experience_topic("Формирующее оценивание на уроках алгебры");
    i.set_experience_event("региональная конференция «Учитель года»");
  });
  EXPECT_EQ(talk.experience_topic(), "Формирующее оценивание на уроках алгебры");
  EXPECT_EQ(talk.mentoring_role(), v1::ROUTE_MENTORING_ROLE_UNSPECIFIED);
  v1::RouteItem product = add(v1::ROUTE_SECTION_METHODOLOGICAL_MATERIALS, "Методическая разработка", [](v1::RouteItem& i) {
    i.set_product_title("Сборник задач по алгебре");
    i.set_product_placement("сайт школы");
  });
  v1::RouteItem mentor = add(v1::ROUTE_SECTION_MENTORING, "Наставник молодого учителя", [](v1::RouteItem& i) {
    i.set_mentoring_role(v1::ROUTE_MENTORING_ROLE_AS_MENTOR);
    i.set_mentee_position("учитель математики, молодой специалист");
  });
  EXPECT_EQ(mentor.mentoring_role(), v1::ROUTE_MENTORING_ROLE_AS_MENTOR);
  // A custom section 3 row without a sub-row is «с наставником».
  v1::RouteItem mentee = add(v1::ROUTE_SECTION_MENTORING, "Работа с наставником", [](v1::RouteItem&) {});
  EXPECT_EQ(mentee.mentoring_role(), v1::ROUTE_MENTORING_ROLE_WITH_MENTOR);

  // Details of another section and a mentee's position of a mentored teacher are refused, in Russian.
  grpc::Status st;
  add(v1::ROUTE_SECTION_EVENTS, "Семинар", [](v1::RouteItem& i) { i.set_experience_topic("тема"); }, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("раздела 2.1"), std::string::npos) << st.error_message();
  add(v1::ROUTE_SECTION_MENTORING, "Наставник", [](v1::RouteItem& i) {
    i.set_mentoring_role(v1::ROUTE_MENTORING_ROLE_WITH_MENTOR);
    i.set_mentee_position("учитель");
  }, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("item.mentee_position"), std::string::npos) << st.error_message();
  add(v1::ROUTE_SECTION_METHODOLOGICAL_MATERIALS, "Продукт", [](v1::RouteItem& i) {
    i.set_product_title(std::string(1001, 'x'));
  }, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Moving a 2.2 row to 1.3 drops its product details; the stale version is refused first.
  auto update = [&](const v1::RouteItem& item, std::vector<std::string> paths, grpc::Status* out = nullptr) {
    v1::UpdateRouteItemRequest req;
    *req.mutable_item() = item;
    for (const auto& path : paths) req.mutable_update_mask()->add_paths(path);
    req.set_request_id(Rq());
    v1::UpdateRouteItemResponse resp;
    grpc::Status got = stub->UpdateRouteItem(Ctx(rm).get(), req, &resp);
    if (out != nullptr) *out = got;
    else EXPECT_TRUE(got.ok()) << got.error_message();
    return resp.item();
  };
  v1::RouteItem moved = product;
  moved.set_section(v1::ROUTE_SECTION_EVENTS);
  moved = update(moved, {"section"});
  EXPECT_EQ(moved.section(), v1::ROUTE_SECTION_EVENTS);
  EXPECT_EQ(moved.product_title(), "");
  EXPECT_EQ(moved.product_placement(), "");
  moved.set_section(v1::ROUTE_SECTION_METHODOLOGICAL_MATERIALS);
  moved.set_product_title("Сборник задач по алгебре");
  moved.set_product_placement("сайт школы");
  product = update(moved, {"section", "product_title", "product_placement"});
  EXPECT_EQ(product.product_placement(), "сайт школы");

  // While the route is carried out the details may still change, the content may not.
  r = Launch(Get(r.name()), "tpl.teacher");
  ASSERT_EQ(r.status(), v1::ROUTE_STATUS_IN_PROGRESS);
  for (const auto& it : r.items()) {
    if (it.name() == talk.name()) talk = it;
  }
  talk.set_experience_event("Всероссийский форум «Педагоги России», 12.03");
  talk = update(talk, {"experience_event"});
  EXPECT_EQ(talk.experience_event(), "Всероссийский форум «Педагоги России», 12.03");
  talk.set_title("Другое");
  update(talk, {"title"}, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The printable ИОМ and the register carry them.
  v1::RenderRouteDocumentRequest doc_req;
  doc_req.set_name(r.name());
  v1::RenderRouteDocumentResponse doc;
  ASSERT_TRUE(stub->RenderRouteDocument(Ctx(Token("tpl.teacher")).get(), doc_req, &doc).ok());
  for (const char* text : {"Тема: Формирующее оценивание на уроках алгебры",
                           "Мероприятие, на котором представлен опыт: Всероссийский форум «Педагоги России», 12.03",
                           "Продукт: Сборник задач по алгебре", "Где представлены, размещены, используются: сайт школы",
                           "Работа в качестве наставника", "Должность подопечного: учитель математики, молодой специалист"}) {
    EXPECT_NE(doc.html().find(text), std::string::npos) << text;
  }
  EXPECT_LT(doc.html().find(">Работа с наставником<"), doc.html().find(">Работа в качестве наставника<"));
  v1::ExportRoutesCsvRequest ex;
  ex.set_scope("organizations/" + std::to_string(f_.school_a1));
  v1::ExportRoutesCsvResponse csv;
  ASSERT_TRUE(stub->ExportRoutesCsv(Ctx(rm).get(), ex, &csv).ok());
  EXPECT_NE(csv.content().find("\"deadline\";\"experience_topic\";\"experience_event\";\"product_title\";"
                               "\"product_placement\";\"mentoring_role\";\"mentee_position\";\"item_status\""),
            std::string::npos);
  EXPECT_NE(csv.content().find("\"Формирующее оценивание на уроках алгебры\";\"Всероссийский форум «Педагоги России», 12.03\""),
            std::string::npos);
  EXPECT_NE(csv.content().find("\"в качестве наставника\";\"учитель математики, молодой специалист\""), std::string::npos);
}

// A completion imported from the federal operator is matched to the teacher's ИОМ item for that
// programme (by its ФР ДПП id) and marked chosen from the diagnostics — nobody ticks it by hand;
// a programme no item names stays unmatched.
TEST_F(RouteTest, AnImportedCompletionIsMatchedToTheTeachersRouteItem) {
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "import.teacher", "Импортова");
  NewResult(t, campaign_, TodayText(-4), 2, 1, FourDeficits());
  v1::Route r = Generate(Token("import.teacher"), t);
  std::string course_item;
  for (const auto& it : r.items()) {
    if (it.activity() == course_) course_item = it.name();
  }
  ASSERT_FALSE(course_item.empty());
  auto feed = v1::FederalExchangeService::NewStub(server_->Channel());
  v1::ImportCompletionsRequest req;
  req.set_region(R());
  req.set_request_id(Rq());
  auto* matched = req.add_records();
  matched->set_external_id("imp-route-1");
  matched->set_person(P(t));
  matched->set_programme_external_id("ФР-2024-001");
  matched->set_programme_title("Проектирование современного урока");
  matched->mutable_end_date()->set_year(2026);
  matched->mutable_end_date()->set_month(6);
  matched->mutable_end_date()->set_day(1);
  matched->set_attestation_passed(true);
  auto* other = req.add_records();
  *other = *matched;
  other->set_external_id("imp-route-2");
  other->set_programme_external_id("ФР-2024-999");
  other->set_programme_title("Программа не из маршрута");
  v1::ImportCompletionsResponse resp;
  auto st = feed->ImportCompletions(Ctx(Token("federal.sync")).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(resp.results_size(), 2);
  auto mon = v1::MonitoringService::NewStub(server_->Channel());
  auto get = [&](const std::string& name) {
    v1::GetTrainingCompletionRequest g;
    g.set_name(name);
    v1::GetTrainingCompletionResponse out;
    EXPECT_TRUE(mon->GetTrainingCompletion(Ctx(Token("regional.admin")).get(), g, &out).ok());
    return out.completion();
  };
  v1::TrainingCompletion first = get(resp.results(0).resource());
  EXPECT_EQ(first.route_item(), course_item);
  EXPECT_TRUE(first.chosen_from_diagnostics());
  EXPECT_EQ(first.activity(), course_);
  v1::TrainingCompletion second = get(resp.results(1).resource());
  EXPECT_EQ(second.route_item(), "");
  EXPECT_FALSE(second.chosen_from_diagnostics());
}

TEST_F(RouteTest, BadInputGetsPreciseStatusesAndNeverCrashes) {
  auto stub = Stub();
  std::string rm = Token("regional.methodist");
  for (const char* name : {"", "routes/", "routes/abc", "routes/-1", "routes/99999999999999999999", "people/1",
                           "routes/1/items/x"}) {
    v1::GetRouteRequest req;
    req.set_name(name);
    v1::GetRouteResponse resp;
    EXPECT_EQ(stub->GetRoute(Ctx(rm).get(), req, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
  }
  v1::ListRoutesRequest list;
  list.set_page_size(1 << 30);
  list.set_page_token("not-a-token");
  v1::ListRoutesResponse listed;
  EXPECT_EQ(stub->ListRoutes(Ctx(rm).get(), list, &listed).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  list.set_page_token("");
  list.set_page_size(-5);
  list.set_filter("status = ROUTE_STATUS_DRAFT OR status = ROUTE_STATUS_AGREED");
  EXPECT_EQ(stub->ListRoutes(Ctx(rm).get(), list, &listed).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  list.set_filter(std::string(5000, 'x'));
  EXPECT_EQ(stub->ListRoutes(Ctx(rm).get(), list, &listed).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  list.set_filter("");
  list.set_page_size(1 << 30);
  ASSERT_TRUE(stub->ListRoutes(Ctx(rm).get(), list, &listed).ok());
  EXPECT_LE(listed.routes_size(), 500);

  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "bad.teacher", "Неверная");
  NewResult(t, campaign_, TodayText(-1), 2, 1, FourDeficits());
  v1::Route r = Generate(Token("bad.teacher"), t);
  v1::CancelRouteRequest cancel;
  cancel.set_name(r.name());
  cancel.set_version(r.version());
  // Invalid UTF-8 in a string field is refused by gRPC's parser before any handler runs.
  cancel.set_comment(std::string("\xd0\xff", 2));
  v1::CancelRouteResponse cancelled;
  EXPECT_NE(stub->CancelRoute(Ctx(rm).get(), cancel, &cancelled).error_code(), grpc::StatusCode::OK);
  cancel.set_comment(std::string(100000, 'a'));
  EXPECT_EQ(stub->CancelRoute(Ctx(rm).get(), cancel, &cancelled).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  cancel.set_comment("ok");
  cancel.set_version(-7);
  EXPECT_EQ(stub->CancelRoute(Ctx(rm).get(), cancel, &cancelled).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::CreateRouteItemRequest add;
  add.set_parent(r.name());
  add.mutable_item()->set_section(static_cast<v1::RouteSection>(77));
  add.mutable_item()->set_title("x");
  v1::CreateRouteItemResponse added;
  EXPECT_EQ(stub->CreateRouteItem(Ctx(rm).get(), add, &added).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  add.mutable_item()->set_section(v1::ROUTE_SECTION_EVENTS);
  add.mutable_item()->set_hours(-3);
  EXPECT_EQ(stub->CreateRouteItem(Ctx(rm).get(), add, &added).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  add.mutable_item()->set_hours(3);
  add.mutable_item()->add_closes_indicator_codes("НЕТ.ТАКОГО");
  EXPECT_EQ(stub->CreateRouteItem(Ctx(rm).get(), add, &added).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  add.mutable_item()->clear_closes_indicator_codes();
  add.mutable_item()->set_activity(internship_);  // a 1.2 activity in section 1.3
  EXPECT_EQ(stub->CreateRouteItem(Ctx(rm).get(), add, &added).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::Date bad_date;
  bad_date.set_year(2026);
  bad_date.set_month(2);
  bad_date.set_day(31);
  add.mutable_item()->clear_activity();
  *add.mutable_item()->mutable_deadline() = bad_date;
  EXPECT_EQ(stub->CreateRouteItem(Ctx(rm).get(), add, &added).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::UpdateRouteRequest upd;
  *upd.mutable_route() = r;
  EXPECT_EQ(stub->UpdateRoute(Ctx(rm).get(), upd, &*std::make_unique<v1::UpdateRouteResponse>()).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // empty mask
  upd.mutable_update_mask()->add_paths("status");
  EXPECT_EQ(stub->UpdateRoute(Ctx(rm).get(), upd, &*std::make_unique<v1::UpdateRouteResponse>()).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // output only
  v1::ImportRoutesCsvRequest im;
  im.set_content(std::string("\xff\xfe\x00\x01", 4));
  v1::ImportRoutesCsvResponse imported;
  EXPECT_EQ(stub->ImportRoutesCsv(Ctx(rm).get(), im, &imported).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(server_->Running());
}

// ---------------------------------------------------------------- revision after a re-diagnosis

class RouteRevisionTest : public RouteTest {
 protected:
  grpc::Status Revise(const std::string& token, const v1::Route& r, const std::string& result, v1::ReviseRouteResponse* out,
                      const std::string& request_id = "", int64_t version = -1, const std::string& comment = "") {
    v1::ReviseRouteRequest req;
    req.set_name(r.name());
    req.set_diagnostic_result(result);
    req.set_version(version < 0 ? r.version() : version);
    req.set_comment(comment);
    *req.mutable_options()->mutable_start_date() = Today();
    req.set_request_id(request_id.empty() ? Rq() : request_id);
    return Stub()->ReviseRoute(Ctx(token).get(), req, out);
  }
  v1::RouteItem SetItem(const std::string& token, const v1::RouteItem& it, v1::RouteItemStatus status) {
    v1::UpdateRouteItemStatusRequest req;
    req.set_name(it.name());
    req.set_status(status);
    if (status == v1::ROUTE_ITEM_STATUS_SKIPPED) req.set_skip_reason("Не состоялось");
    req.set_version(it.version());
    v1::UpdateRouteItemStatusResponse resp;
    auto st = Stub()->UpdateRouteItemStatus(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.item();
  }
  static const v1::RouteItem* ItemOf(const v1::Route& r, const std::string& title_part) {
    for (const auto& it : r.items()) {
      if (it.title().find(title_part) != std::string::npos) return &it;
    }
    return nullptr;
  }
  static std::string Res(int64_t id) { return "results/" + std::to_string(id); }
};

TEST_F(RouteRevisionTest, ReDiagnosisRevisesTheRunningRouteKeepsHistoryAndGoesThroughSignaturesAgain) {
  auto stub = Stub();
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "cycle.teacher", "Цикличная");
  NewTeacher(f_.school_a1, f_.mun_a, "cycle.colleague", "Соседняя");
  int64_t first = NewResult(t, campaign_, TodayText(-60), 2, 1, FourDeficits());
  v1::Route r = Launch(Generate(Token("cycle.teacher"), t), "cycle.teacher");
  EXPECT_EQ(r.revision(), 1);
  EXPECT_TRUE(r.newer_result().empty());
  const v1::RouteItem* course = ItemOf(r, "Проектирование современного урока");
  const v1::RouteItem* internship = ItemOf(r, "Стажировка");
  const v1::RouteItem* webinar = ItemOf(r, "Вебинар");
  ASSERT_TRUE(course && internship && webinar);
  SetItem(Token("cycle.teacher"), *course, v1::ROUTE_ITEM_STATUS_IN_PROGRESS);
  SetItem(Token("cycle.teacher"), *internship, v1::ROUTE_ITEM_STATUS_DONE);
  const std::string course_name = course->name(), internship_name = internship->name(), webinar_name = webinar->name();

  // Re-diagnosis: М.1 persists, М.2 is new; К.1, П.1 and Ц.1 closed.
  int64_t preliminary = NewResult(t, campaign_, TodayText(-2), 1, 2, {{"М.1", 2, 45, 1}});
  int64_t second = NewResult(t, campaign_, TodayText(-1), 2, 2, {{"М.1", 2, 40, 1}, {"М.2", 2, 35, 2}});
  int64_t other_teacher = NewTeacher(f_.school_a1, f_.mun_a, "", "Чужая");
  int64_t foreign = NewResult(other_teacher, campaign_, TodayText(-1), 2, 2, {{"М.1", 2, 40, 1}});
  r = Get(r.name());
  EXPECT_EQ(r.newer_result(), Res(second));

  // Denials and bad input, none of which changes anything.
  v1::ReviseRouteResponse out;
  auto code = [&](const std::string& login, const std::string& result, int64_t version = -1, const std::string& name = "",
                  const std::string& comment = "") {
    v1::Route target = r;
    if (!name.empty()) target.set_name(name);
    return Revise(Token(login), target, result, &out, "", version, comment).error_code();
  };
  EXPECT_EQ(code("cycle.teacher", Res(second), r.version() - 1), grpc::StatusCode::FAILED_PRECONDITION);  // stale
  EXPECT_EQ(code("cycle.teacher", Res(second), 0), grpc::StatusCode::INVALID_ARGUMENT);                   // no version
  EXPECT_EQ(code("cycle.colleague", Res(second)), grpc::StatusCode::PERMISSION_DENIED);                   // wrong person
  EXPECT_EQ(code("school.a1", Res(second)), grpc::StatusCode::PERMISSION_DENIED);  // the school signs, it does not edit
  EXPECT_EQ(code("cycle.teacher", Res(preliminary)), grpc::StatusCode::FAILED_PRECONDITION);  // not final
  // The named result is authorised like its teacher: another teacher's, and a missing one, look
  // alike to a teacher (only a region-wide caller may learn a result does not exist).
  EXPECT_EQ(code("cycle.teacher", Res(foreign)), grpc::StatusCode::PERMISSION_DENIED);       // another teacher's
  EXPECT_EQ(code("cycle.teacher", Res(first)), grpc::StatusCode::FAILED_PRECONDITION);       // the same result
  EXPECT_EQ(code("cycle.teacher", "results/999999999"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code("cycle.teacher", "people/1"), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(code("cycle.teacher", Res(second), -1, "routes/abc"), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(code("cycle.teacher", Res(second), -1, "", std::string(3000, 'x')), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Get(r.name()).version(), r.version());

  // The teacher revises with the new result (as the app does right after it).
  const std::string key = Rq();
  auto st = Revise(Token("cycle.teacher"), r, Res(second), &out, key);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::Route rev = out.route();
  EXPECT_EQ(rev.name(), r.name());
  EXPECT_EQ(rev.revision(), 2);
  EXPECT_EQ(rev.status(), v1::ROUTE_STATUS_DRAFT);
  EXPECT_EQ(rev.signatures_size(), 0);
  EXPECT_EQ(rev.diagnostic_result(), Res(second));
  EXPECT_EQ(rev.header().deficit_count(), 2);
  EXPECT_TRUE(rev.newer_result().empty());
  EXPECT_NE(rev.revision_comment().find("Пересмотр по итоговой диагностике от"), std::string::npos);
  std::map<std::string, v1::RouteItem> items;
  for (const auto& it : rev.items()) items[it.name()] = it;
  EXPECT_EQ(items[course_name].status(), v1::ROUTE_ITEM_STATUS_IN_PROGRESS);   // kept, under way
  EXPECT_EQ(items[internship_name].status(), v1::ROUTE_ITEM_STATUS_DONE);      // history untouched
  EXPECT_EQ(items[webinar_name].status(), v1::ROUTE_ITEM_STATUS_SKIPPED);      // no longer needed, not deleted
  EXPECT_EQ(items[webinar_name].not_needed_since_revision(), 2);
  EXPECT_NE(items[webinar_name].skip_reason().find("закрыт"), std::string::npos) << items[webinar_name].skip_reason();
  const v1::RouteItem* community = ItemOf(rev, "методическое объединение");
  ASSERT_NE(community, nullptr);  // for the new deficit М.2
  EXPECT_EQ(community->added_in_revision(), 2);
  EXPECT_EQ(community->status(), v1::ROUTE_ITEM_STATUS_PLANNED);
  EXPECT_EQ(items[course_name].added_in_revision(), 1);

  const v1::RouteRevision& why = out.revision();
  EXPECT_EQ(why.route(), r.name());
  EXPECT_EQ(why.revision(), 2);
  EXPECT_EQ(why.kind(), v1::ROUTE_REVISION_KIND_REVISION);
  EXPECT_EQ(why.from_status(), v1::ROUTE_STATUS_IN_PROGRESS);
  EXPECT_EQ(why.previous_result(), Res(first));
  EXPECT_EQ(why.diagnostic_result(), Res(second));
  EXPECT_EQ(why.actor_full_name(), "Цикличная Мария Ивановна");
  EXPECT_EQ(why.items_added(), 1);
  EXPECT_EQ(why.items_kept(), 1);
  EXPECT_EQ(why.items_not_needed(), 1);
  EXPECT_EQ(why.deficits_closed(), 3);
  EXPECT_EQ(why.deficits_new(), 1);
  EXPECT_EQ(why.deficits_remaining(), 1);
  std::map<v1::RouteChangeKind, std::vector<const v1::RouteChange*>> by_kind;
  for (const auto& ch : why.changes()) {
    EXPECT_FALSE(ch.reason().empty());
    by_kind[ch.kind()].push_back(&ch);
  }
  ASSERT_EQ(by_kind[v1::ROUTE_CHANGE_KIND_ITEM_ADDED].size(), 1u);
  EXPECT_EQ(by_kind[v1::ROUTE_CHANGE_KIND_ITEM_ADDED][0]->item(), community->name());
  EXPECT_NE(by_kind[v1::ROUTE_CHANGE_KIND_ITEM_ADDED][0]->reason().find("Формирующее оценивание"), std::string::npos);
  EXPECT_EQ(by_kind[v1::ROUTE_CHANGE_KIND_ITEM_NOT_NEEDED][0]->item(), webinar_name);
  EXPECT_EQ(by_kind[v1::ROUTE_CHANGE_KIND_ITEM_KEPT][0]->item(), course_name);
  EXPECT_EQ(by_kind[v1::ROUTE_CHANGE_KIND_DEFICIT_CLOSED].size(), 3u);
  EXPECT_EQ(by_kind[v1::ROUTE_CHANGE_KIND_DEFICIT_NEW][0]->indicator_code(), "М.2");
  EXPECT_EQ(by_kind[v1::ROUTE_CHANGE_KIND_DEFICIT_REMAINING][0]->indicator_code(), "М.1");

  // A retry with the same key answers the same; no third revision.
  v1::ReviseRouteResponse again;
  ASSERT_TRUE(Revise(Token("cycle.teacher"), r, Res(second), &again, key).ok());
  EXPECT_EQ(again.route().revision(), 2);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM route_revisions WHERE route_id = " + r.name().substr(7)), 1);
  // The same result again: nothing newer to revise by.
  EXPECT_EQ(Revise(Token("cycle.teacher"), rev, Res(second), &again).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Revise(Token("cycle.teacher"), rev, "", &again).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The school and the ЦНППМ see the revision and its changes.
  {
    v1::ListRouteRevisionsRequest req;
    req.set_parent(r.name());
    v1::ListRouteRevisionsResponse resp;
    ASSERT_TRUE(stub->ListRouteRevisions(Ctx(Token("school.a1")).get(), req, &resp).ok());
    ASSERT_EQ(resp.revisions_size(), 1);
    EXPECT_EQ(resp.revisions(0).changes_size(), why.changes_size());
    EXPECT_EQ(stub->ListRouteRevisions(Ctx(Token("cycle.colleague")).get(), req, &resp).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    v1::ListRouteStatusChangesRequest req;
    req.set_parent(r.name());
    v1::ListRouteStatusChangesResponse resp;
    ASSERT_TRUE(stub->ListRouteStatusChanges(Ctx(Token("regional.methodist")).get(), req, &resp).ok());
    const auto& last = resp.status_changes(resp.status_changes_size() - 1);
    EXPECT_EQ(last.transition(), v1::ROUTE_TRANSITION_REVISE);
    EXPECT_EQ(last.from_status(), v1::ROUTE_STATUS_IN_PROGRESS);
    EXPECT_EQ(last.to_status(), v1::ROUTE_STATUS_DRAFT);
  }

  // What was carried out stays: deleting it from the revised draft is refused; so is generating anew.
  {
    v1::DeleteRouteItemRequest req;
    req.set_name(internship_name);
    req.set_version(items[internship_name].version());
    v1::DeleteRouteItemResponse resp;
    EXPECT_EQ(stub->DeleteRouteItem(Ctx(Token("regional.methodist")).get(), req, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
    grpc::Status gen;
    Generate(Token("cycle.teacher"), t, true, &gen);
    EXPECT_EQ(gen.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  }
  // Carrying out waits for the signatures; then the same lifecycle runs again.
  {
    v1::UpdateRouteItemStatusRequest req;
    req.set_name(course_name);
    req.set_status(v1::ROUTE_ITEM_STATUS_DONE);
    req.set_version(items[course_name].version());
    v1::UpdateRouteItemStatusResponse resp;
    EXPECT_EQ(stub->UpdateRouteItemStatus(Ctx(Token("cycle.teacher")).get(), req, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  rev = Launch(rev, "cycle.teacher");
  EXPECT_EQ(rev.revision(), 2);
  EXPECT_EQ(ItemOf(rev, "Проектирование современного урока")->status(), v1::ROUTE_ITEM_STATUS_IN_PROGRESS);
  // The effect is measured from the diagnosis the route started from.
  {
    v1::GetRouteEffectRequest req;
    req.set_name(r.name());
    v1::GetRouteEffectResponse resp;
    ASSERT_TRUE(stub->GetRouteEffect(Ctx(Token("cycle.teacher")).get(), req, &resp).ok());
    EXPECT_EQ(resp.baseline_result(), Res(first));
  }
}

TEST_F(RouteRevisionTest, CompletedRouteIsContinuedByANextPeriodRouteAndCancelledOnesAreNot) {
  auto stub = Stub();
  int64_t t = NewTeacher(f_.school_a1, f_.mun_a, "next.teacher", "Следующая");
  int64_t first = NewResult(t, campaign_, TodayText(-200), 2, 1, {{"М.1", 2, 20, 1}, {"П.1", 1, 30, 2}});
  v1::Route r = Launch(Generate(Token("next.teacher"), t), "next.teacher");
  for (const auto& it : r.items()) SetItem(Token("next.teacher"), it, v1::ROUTE_ITEM_STATUS_DONE);
  {
    v1::CompleteRouteRequest req;
    req.set_name(r.name());
    req.set_version(Get(r.name()).version());
    v1::CompleteRouteResponse resp;
    auto st = stub->CompleteRoute(Ctx(Token("next.teacher")).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    r = resp.route();
  }
  int64_t second = NewResult(t, campaign_, TodayText(-1), 2, 2, {{"М.1", 2, 40, 1}, {"Ц.1", 5, 35, 2}});
  r = Get(r.name());
  EXPECT_EQ(r.newer_result(), Res(second));
  v1::ReviseRouteResponse out;
  auto st = Revise(Token("next.teacher"), r, "", &out);  // empty = the latest FINAL result
  ASSERT_TRUE(st.ok()) << st.error_message();
  const v1::Route& next = out.route();
  EXPECT_NE(next.name(), r.name());
  EXPECT_EQ(next.status(), v1::ROUTE_STATUS_DRAFT);
  EXPECT_EQ(next.revision(), 1);
  EXPECT_EQ(next.previous_route(), r.name());
  EXPECT_EQ(next.diagnostic_result(), Res(second));
  // The course done last period is not offered again.
  EXPECT_EQ(ItemOf(next, "Проектирование современного урока"), nullptr);
  EXPECT_NE(ItemOf(next, "Вебинар"), nullptr);
  EXPECT_EQ(out.revision().kind(), v1::ROUTE_REVISION_KIND_NEXT_PERIOD);
  EXPECT_EQ(out.revision().previous_route(), r.name());
  EXPECT_EQ(out.revision().previous_result(), Res(first));
  EXPECT_EQ(out.revision().from_status(), v1::ROUTE_STATUS_COMPLETED);
  EXPECT_EQ(out.revision().deficits_closed(), 1);
  EXPECT_EQ(out.revision().deficits_new(), 1);
  EXPECT_EQ(out.revision().deficits_remaining(), 1);
  // The completed route stays as it was, and is continued only once.
  v1::Route old = Get(r.name());
  EXPECT_EQ(old.status(), v1::ROUTE_STATUS_COMPLETED);
  EXPECT_TRUE(old.newer_result().empty());
  EXPECT_EQ(Revise(Token("next.teacher"), old, Res(second), &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // A cancelled route is not revised.
  {
    v1::CancelRouteRequest req;
    req.set_name(next.name());
    req.set_version(next.version());
    req.set_comment("Педагог уволился");
    v1::CancelRouteResponse resp;
    ASSERT_TRUE(stub->CancelRoute(Ctx(Token("regional.methodist")).get(), req, &resp).ok());
    NewResult(t, campaign_, TodayText(0), 2, 2, {{"М.1", 2, 45, 1}});
    st = Revise(Token("next.teacher"), resp.route(), "", &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(st.error_message().find("отменён"), std::string::npos) << st.error_message();
  }
}

}  // namespace
}  // namespace nms::testing
