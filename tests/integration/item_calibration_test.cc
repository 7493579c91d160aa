// Item calibration and item analytics (issue 18) against a real MariaDB and a real nms-server:
// 400 finished sessions of a published instrument are seeded through SQL from a 2PL model with
// known parameters (one item everyone passes, one item much harder for kindergarten teachers at
// equal ability); StartItemCalibration runs as a background operation whose progress is polled
// until it succeeds, and the stored calibration and the analytics are read back and compared
// with the truth and with proportions counted here. Denials by role, bad names, a draft
// instrument, and an instrument with too few answers (the operation fails with a Russian reason).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nms/v1/diagnostics.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using grpc::StatusCode;
using nms::v1::DiagnosticsService;
constexpr char kDb[] = "it_item_calibration";

// True difficulties of the methodological items M1..M8 (a = 1.5); M9 everyone passes; D1 is
// the biased item.
constexpr double kTrueB[] = {-1.5, -1.0, -0.5, 0.0, 0.3, 0.7, 1.1, 1.6};

class ItemCalibrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    server_ = new ServerProcess(kDb);
  }
  static void TearDownTestSuite() { delete server_; }

  static void Sql(const std::function<void(sql::Connection&)>& fn) {
    auto config = db::ParseDsn(TestDsn(kDb));
    db::ConnectionPool pool(*config);
    auto st = db::InTransaction(pool, [&](sql::Connection& c) {
      fn(c);
      return absl::OkStatus();
    });
    ASSERT_TRUE(st.ok()) << st;
  }

  std::unique_ptr<DiagnosticsService::Stub> Stub() { return DiagnosticsService::NewStub(server_->Channel()); }
  std::string Token(const char* login) { return SignIn(*server_->Channel(), login); }
  static std::string R() { return "regions/" + std::to_string(f_.region); }

  static v1::InstrumentItem Choice(const std::string& id, const std::string& code) {
    v1::InstrumentItem i;
    i.set_item_id(id);
    i.set_kind(v1::INSTRUMENT_ITEM_KIND_SINGLE_CHOICE);
    i.set_text(absl::StrCat("Задание ", id));
    i.set_max_score(1);
    auto* w = i.add_indicator_weights();
    w->set_indicator_code(code);
    w->set_weight(1);
    for (auto [opt, correct] : {std::pair{"a", true}, {"b", false}, {"c", false}}) {
      auto* o = i.add_options();
      o->set_option_id(opt);
      o->set_text(absl::StrCat("Вариант ", opt));
      o->set_correct(correct);
    }
    return i;
  }

  std::string PublishedFramework() {
    auto stub = Stub();
    std::string admin = Token("regional.admin");
    v1::CreateCompetencyFrameworkRequest req;
    auto* f = req.mutable_framework();
    f->set_region(R());
    f->set_title("Рамка для калибровки");
    auto* a = f->add_areas();
    a->set_area(v1::COMPETENCY_AREA_METHODOLOGICAL);
    a->mutable_thresholds()->set_basic_min_percent(50);
    a->mutable_thresholds()->set_advanced_min_percent(70);
    a->mutable_thresholds()->set_high_min_percent(85);
    for (auto [code, title] : {std::pair{"М-1", "Проектирование урока"}, {"М-2", "Оценивание результатов"}}) {
      auto* i = f->add_indicators();
      i->set_code(code);
      i->set_area(v1::COMPETENCY_AREA_METHODOLOGICAL);
      i->set_title(title);
    }
    f->mutable_overall_thresholds()->set_basic_min_percent(50);
    f->mutable_overall_thresholds()->set_advanced_min_percent(70);
    f->mutable_overall_thresholds()->set_high_min_percent(85);
    v1::CreateCompetencyFrameworkResponse resp;
    auto st = stub->CreateCompetencyFramework(Ctx(admin).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    v1::PublishCompetencyFrameworkRequest pub;
    pub.set_name(resp.framework().name());
    pub.set_version(resp.framework().version());
    v1::PublishCompetencyFrameworkResponse presp;
    st = stub->PublishCompetencyFramework(Ctx(admin).get(), pub, &presp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return presp.framework().name();
  }

  // An instrument of M1..M8, M9 and D1; published unless `draft`.
  v1::Instrument MakeInstrument(const std::string& framework, bool draft = false) {
    auto stub = Stub();
    std::string token = Token("regional.methodist");
    v1::CreateInstrumentRequest req;
    auto* in = req.mutable_instrument();
    in->set_region(R());
    in->set_framework(framework);
    in->set_title("Методическая диагностика");
    auto* b = in->add_blocks();
    b->set_block_id("B1");
    b->set_title("Методика");
    b->set_kind(v1::INSTRUMENT_BLOCK_KIND_ONLINE);
    for (int j = 1; j <= 8; ++j) *b->add_items() = Choice(absl::StrCat("M", j), j % 2 ? "М-1" : "М-2");
    *b->add_items() = Choice("M9", "М-1");
    *b->add_items() = Choice("D1", "М-2");
    v1::CreateInstrumentResponse resp;
    auto st = stub->CreateInstrument(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    if (draft) return resp.instrument();
    v1::PublishInstrumentRequest pub;
    pub.set_name(resp.instrument().name());
    pub.set_version(resp.instrument().version());
    v1::PublishInstrumentResponse presp;
    st = stub->PublishInstrument(Ctx(token).get(), pub, &presp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return presp.instrument();
  }

  static int64_t IdOf(const std::string& name) { return std::stoll(name.substr(name.rfind('/') + 1)); }

  // `n` finished sessions of simulated teachers (every third from a kindergarten); returns the
  // number of correct answers per item.
  std::map<std::string, int> SeedSessions(const v1::Instrument& in, const std::string& framework, int n,
                                          uint32_t seed) {
    std::map<std::string, int> correct;
    Sql([&](sql::Connection& c) {
      db::Stmt(c,
               "INSERT INTO diagnostic_campaigns (region_id, title, instrument_id, framework_id, population_json, "
               "state) VALUES (?, 'Калибровочная волна', ?, ?, '{}', 3)")
          .Int(f_.region)
          .Int(IdOf(in.name()))
          .Int(IdOf(framework))
          .Execute();
      int64_t campaign = db::LastInsertId(c);
      std::mt19937 rng(seed);
      std::normal_distribution<double> ability(0, 1);
      std::uniform_real_distribution<double> u(0, 1);
      for (int k = 0; k < n; ++k) {
        const bool kindergarten = k % 3 == 0;
        db::Stmt(c,
                 "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, position) "
                 "VALUES (?, ?, ?, ?, 'Мария', 'учитель')")
            .Int(f_.region)
            .Int(f_.mun_a)
            .Int(f_.school_a1)
            .Str(absl::StrCat("Калибровочная-", seed, "-", k))
            .Execute();
        int64_t person = db::LastInsertId(c);
        db::Stmt(c,
                 "INSERT INTO diagnostic_campaign_participants (campaign_id, person_id, organization_id, "
                 "municipality_id, organization_type, status) VALUES (?, ?, ?, ?, ?, 3)")
            .Int(campaign)
            .Int(person)
            .Int(f_.school_a1)
            .Int(f_.mun_a)
            .Int(kindergarten ? 2 : 1)
            .Execute();
        db::Stmt(c,
                 "INSERT INTO diagnostic_sessions (campaign_id, person_id, instrument_id, attempt, state, "
                 "submitted_at) VALUES (?, ?, ?, 1, 2, NOW(6))")
            .Int(campaign)
            .Int(person)
            .Int(IdOf(in.name()))
            .Execute();
        int64_t session = db::LastInsertId(c);
        const double theta = ability(rng);
        auto answer = [&](const std::string& item, double a, double b) {
          const bool right = u(rng) < 1 / (1 + std::exp(-a * (theta - b)));
          correct[item] += right;
          db::Stmt(c, "INSERT INTO diagnostic_answers (session_id, item_id, selected_options) VALUES (?, ?, ?)")
              .Int(session)
              .Str(item)
              .Str(right ? "a" : (u(rng) < 0.7 ? "b" : "c"))
              .Execute();
        };
        for (int j = 0; j < 8; ++j) answer(absl::StrCat("M", j + 1), 1.5, kTrueB[j]);
        answer("M9", 1.0, -40);                          // everyone passes
        answer("D1", 1.5, kindergarten ? 1.5 : -1.0);  // far harder for kindergarten teachers
      }
    });
    return correct;
  }

  v1::CalibrationOperation WaitFor(const std::string& token, const std::string& name) {
    auto stub = Stub();
    v1::GetCalibrationOperationResponse resp;
    const absl::Time until = absl::Now() + absl::Seconds(120);
    while (absl::Now() < until) {
      v1::GetCalibrationOperationRequest req;
      req.set_name(name);
      auto st = stub->GetCalibrationOperation(Ctx(token).get(), req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      const auto state = resp.operation().state();
      if (state == v1::CALIBRATION_OPERATION_STATE_SUCCEEDED || state == v1::CALIBRATION_OPERATION_STATE_FAILED) break;
      absl::SleepFor(absl::Milliseconds(200));
    }
    return resp.operation();
  }

  static Fixture f_;
  static ServerProcess* server_;
};

Fixture ItemCalibrationTest::f_;
ServerProcess* ItemCalibrationTest::server_ = nullptr;

TEST_F(ItemCalibrationTest, CalibratesInTheBackgroundStoresParametersAndServesAnalytics) {
  const std::string framework = PublishedFramework();
  const v1::Instrument in = MakeInstrument(framework);
  const int kSessions = 400;
  auto correct = SeedSessions(in, framework, kSessions, 7);
  auto stub = Stub();
  const std::string token = Token("regional.methodist");

  // Never calibrated yet.
  v1::GetItemCalibrationRequest get;
  get.set_instrument(in.name());
  v1::GetItemCalibrationResponse cal;
  auto st = stub->GetItemCalibration(Ctx(token).get(), get, &cal);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("не калиброван"), std::string::npos) << st.error_message();

  v1::StartItemCalibrationRequest start;
  start.set_instrument(in.name());
  start.set_request_id("calibrate-1");
  v1::StartItemCalibrationResponse started;
  st = stub->StartItemCalibration(Ctx(token).get(), start, &started);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(started.operation().instrument(), in.name());
  EXPECT_EQ(started.operation().progress().total(), 100);
  // A retry with the same key is the same operation.
  v1::StartItemCalibrationResponse again;
  ASSERT_TRUE(stub->StartItemCalibration(Ctx(token).get(), start, &again).ok());
  EXPECT_EQ(again.operation().name(), started.operation().name());

  v1::CalibrationOperation done = WaitFor(token, started.operation().name());
  ASSERT_EQ(done.state(), v1::CALIBRATION_OPERATION_STATE_SUCCEEDED) << done.error_message();
  EXPECT_EQ(done.progress().done(), 100);
  EXPECT_EQ(done.areas_calibrated(), 1);
  EXPECT_EQ(done.items_calibrated(), 9);  // M1..M8 and D1; M9 (everyone passes) excluded
  EXPECT_TRUE(done.has_end_time());

  st = stub->GetItemCalibration(Ctx(token).get(), get, &cal);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const v1::ItemCalibration& c = cal.calibration();
  EXPECT_EQ(c.operation(), done.name());
  EXPECT_EQ(c.sessions_used(), kSessions);
  ASSERT_EQ(c.areas_size(), 1);
  EXPECT_TRUE(c.areas(0).calibrated());
  EXPECT_EQ(c.areas(0).area(), v1::COMPETENCY_AREA_METHODOLOGICAL);
  EXPECT_EQ(c.areas(0).persons_used(), kSessions);
  EXPECT_TRUE(c.areas(0).has_theta_basic());
  EXPECT_LT(c.areas(0).theta_basic(), c.areas(0).theta_advanced());
  ASSERT_EQ(c.items_size(), 10);
  std::map<std::string, v1::ItemParameters> by_id;
  for (const auto& i : c.items()) by_id[i.item_id()] = i;
  // Recovered difficulties follow the true order and lie near the truth (the region's scale is
  // fixed by N(0, 1), which is how the teachers were drawn).
  for (int j = 0; j < 8; ++j) {
    const auto& p = by_id[absl::StrCat("M", j + 1)];
    EXPECT_EQ(p.model(), v1::ITEM_RESPONSE_MODEL_TWO_PL) << p.item_id() << ": " << p.note();
    EXPECT_NEAR(p.difficulty(), kTrueB[j], 0.45) << p.item_id();
    EXPECT_NEAR(p.discrimination(), 1.5, 0.8) << p.item_id();
    EXPECT_TRUE(p.has_difficulty_se());
    EXPECT_GT(p.difficulty_se(), 0);
    EXPECT_EQ(p.responses(), kSessions);
    EXPECT_EQ(p.correct(), correct[p.item_id()]);
    if (j > 0) EXPECT_GT(p.difficulty(), by_id[absl::StrCat("M", j)].difficulty()) << p.item_id();
  }
  EXPECT_EQ(by_id["M9"].model(), v1::ITEM_RESPONSE_MODEL_EXCLUDED);
  EXPECT_FALSE(by_id["M9"].note().empty());

  // Analytics: proportions as counted here, the all-pass item, distractors, DIF against
  // kindergartens on D1 only.
  v1::GetItemAnalyticsRequest areq;
  areq.set_instrument(in.name());
  v1::GetItemAnalyticsResponse an;
  st = stub->GetItemAnalytics(Ctx(token).get(), areq, &an);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(an.respondents(), kSessions);
  EXPECT_EQ(an.dif_reference(), v1::ORGANIZATION_TYPE_SCHOOL);
  EXPECT_TRUE(an.has_calibrate_time());
  ASSERT_EQ(an.items_size(), 10);
  for (const auto& i : an.items()) {
    EXPECT_EQ(i.responses(), kSessions) << i.item_id();
    EXPECT_NEAR(i.difficulty(), correct[i.item_id()] / double(kSessions), 1e-9) << i.item_id();
    EXPECT_EQ(i.calibration().item_id(), i.item_id());
    ASSERT_EQ(i.options_size(), 3) << i.item_id();
    EXPECT_TRUE(i.options(0).correct());
    EXPECT_EQ(i.options(0).chosen(), correct[i.item_id()]) << i.item_id();
    EXPECT_EQ(i.everyone_passes(), i.item_id() == "M9") << i.item_id();
    EXPECT_FALSE(i.everyone_fails());
    if (i.item_id() == "M9") {
      EXPECT_FALSE(i.flags().empty());
      continue;
    }
    EXPECT_TRUE(i.has_discrimination()) << i.item_id();
    EXPECT_GT(i.discrimination(), 0.1) << i.item_id();
    ASSERT_EQ(i.dif_size(), 1) << i.item_id();
    EXPECT_EQ(i.dif(0).focal(), v1::ORGANIZATION_TYPE_KINDERGARTEN);
    EXPECT_TRUE(i.dif(0).enough()) << i.item_id();
    if (i.item_id() == "D1") {
      EXPECT_EQ(i.dif(0).category(), "C");
      EXPECT_LT(i.dif(0).delta(), -1.5);
    } else {
      // Only D1 is harder for kindergartens. (D1 in the matching score makes some other items
      // look easier for them: at an equal total they are the abler ones.)
      EXPECT_FALSE(i.dif(0).category() == "C" && i.dif(0).delta() < 0) << i.item_id() << " delta " << i.dif(0).delta();
    }
  }
}

TEST_F(ItemCalibrationTest, TooFewAnswersFailTheOperationWithAReason) {
  const std::string framework = PublishedFramework();
  const v1::Instrument in = MakeInstrument(framework);
  SeedSessions(in, framework, 12, 11);
  auto stub = Stub();
  const std::string token = Token("regional.admin");
  v1::StartItemCalibrationRequest start;
  start.set_instrument(in.name());
  v1::StartItemCalibrationResponse started;
  auto st = stub->StartItemCalibration(Ctx(token).get(), start, &started);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::CalibrationOperation done = WaitFor(token, started.operation().name());
  EXPECT_EQ(done.state(), v1::CALIBRATION_OPERATION_STATE_FAILED);
  EXPECT_NE(done.error_message().find("Ни одна область не откалибрована"), std::string::npos) << done.error_message();
  // Nothing was stored; analytics still work from the twelve sessions.
  v1::GetItemCalibrationRequest get;
  get.set_instrument(in.name());
  v1::GetItemCalibrationResponse cal;
  EXPECT_EQ(stub->GetItemCalibration(Ctx(token).get(), get, &cal).error_code(), StatusCode::FAILED_PRECONDITION);
  v1::GetItemAnalyticsRequest areq;
  areq.set_instrument(in.name());
  v1::GetItemAnalyticsResponse an;
  ASSERT_TRUE(stub->GetItemAnalytics(Ctx(token).get(), areq, &an).ok());
  EXPECT_EQ(an.respondents(), 12);
  EXPECT_FALSE(an.items(0).has_calibration());
}

TEST_F(ItemCalibrationTest, DeniesOthersAndRefusesBadInput) {
  const std::string framework = PublishedFramework();
  const v1::Instrument in = MakeInstrument(framework);
  const v1::Instrument draft = MakeInstrument(framework, /*draft=*/true);
  auto stub = Stub();
  for (const char* login : {"teacher.a1", "school.a1", "mun.a"}) {
    const std::string token = Token(login);
    v1::StartItemCalibrationRequest start;
    start.set_instrument(in.name());
    v1::StartItemCalibrationResponse sr;
    EXPECT_EQ(stub->StartItemCalibration(Ctx(token).get(), start, &sr).error_code(), StatusCode::PERMISSION_DENIED)
        << login;
    v1::GetItemAnalyticsRequest areq;
    areq.set_instrument(in.name());
    v1::GetItemAnalyticsResponse ar;
    EXPECT_EQ(stub->GetItemAnalytics(Ctx(token).get(), areq, &ar).error_code(), StatusCode::PERMISSION_DENIED)
        << login;
    v1::GetItemCalibrationRequest creq;
    creq.set_instrument(in.name());
    v1::GetItemCalibrationResponse cr;
    EXPECT_EQ(stub->GetItemCalibration(Ctx(token).get(), creq, &cr).error_code(), StatusCode::PERMISSION_DENIED)
        << login;
  }
  const std::string token = Token("regional.methodist");
  // An operation is read only by its instrument's owners.
  v1::StartItemCalibrationRequest start;
  start.set_instrument(in.name());
  v1::StartItemCalibrationResponse sr;
  ASSERT_TRUE(stub->StartItemCalibration(Ctx(token).get(), start, &sr).ok());
  v1::GetCalibrationOperationRequest oreq;
  oreq.set_name(sr.operation().name());
  v1::GetCalibrationOperationResponse orr;
  EXPECT_EQ(stub->GetCalibrationOperation(Ctx(Token("teacher.a1")).get(), oreq, &orr).error_code(),
            StatusCode::PERMISSION_DENIED);
  oreq.set_name("calibrationOperations/0042");
  EXPECT_EQ(stub->GetCalibrationOperation(Ctx(token).get(), oreq, &orr).error_code(), StatusCode::INVALID_ARGUMENT);
  oreq.set_name("calibrationOperations/999999");
  EXPECT_EQ(stub->GetCalibrationOperation(Ctx(token).get(), oreq, &orr).error_code(), StatusCode::NOT_FOUND);

  // A draft still changes and has no answers.
  start.set_instrument(draft.name());
  auto st = stub->StartItemCalibration(Ctx(token).get(), start, &sr);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("опубликованный"), std::string::npos) << st.error_message();
  start.set_instrument("instruments/abc");
  EXPECT_EQ(stub->StartItemCalibration(Ctx(token).get(), start, &sr).error_code(), StatusCode::INVALID_ARGUMENT);
  start.set_instrument("");
  EXPECT_EQ(stub->StartItemCalibration(Ctx(token).get(), start, &sr).error_code(), StatusCode::INVALID_ARGUMENT);
  start.set_instrument("instruments/999999");
  EXPECT_EQ(stub->StartItemCalibration(Ctx(token).get(), start, &sr).error_code(), StatusCode::NOT_FOUND);
  v1::GetItemAnalyticsRequest areq;
  areq.set_instrument("frameworks/1");
  v1::GetItemAnalyticsResponse ar;
  EXPECT_EQ(stub->GetItemAnalytics(Ctx(token).get(), areq, &ar).error_code(), StatusCode::INVALID_ARGUMENT);
}

// A teacher's adaptive session: the server picks one item at a time from the calibrated bank,
// another device of the same teacher (a fresh sign-in on a new connection) sees the same next
// item, only that item is accepted, the stop rule ends the session within the campaign's item
// limit, and the result has the fixed form's levels and deficits.
TEST_F(ItemCalibrationTest, AdaptiveSessionStopsResumesOnAnotherDeviceAndGivesLevelsAndDeficits) {
  const std::string framework = PublishedFramework();
  const v1::Instrument in = MakeInstrument(framework);
  const v1::Instrument uncalibrated = MakeInstrument(framework);
  SeedSessions(in, framework, 400, 23);
  auto stub = Stub();
  const std::string methodist = Token("regional.methodist");
  v1::StartItemCalibrationRequest start;
  start.set_instrument(in.name());
  v1::StartItemCalibrationResponse started;
  ASSERT_TRUE(stub->StartItemCalibration(Ctx(methodist).get(), start, &started).ok());
  ASSERT_EQ(WaitFor(methodist, started.operation().name()).state(), v1::CALIBRATION_OPERATION_STATE_SUCCEEDED);

  v1::CreateCampaignRequest create;
  auto* k = create.mutable_campaign();
  k->set_title("Адаптивная диагностика");
  k->set_instrument(uncalibrated.name());
  k->set_wave_kind(v1::CAMPAIGN_WAVE_KIND_REGIONAL);
  k->mutable_population()->mutable_listed()->add_people("people/" + std::to_string(f_.teacher_a1));
  *k->mutable_open_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(absl::Now()) - 3600);
  *k->mutable_close_time() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(absl::Now()) + 48 * 3600);
  k->set_adaptive(true);
  k->set_adaptive_max_items(5);
  k->set_adaptive_target_se(0.45);
  v1::CreateCampaignResponse created;
  // Without a calibration: refused with the reason.
  auto st = stub->CreateCampaign(Ctx(methodist).get(), create, &created);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("калибровкой заданий"), std::string::npos) << st.error_message();
  k->set_instrument(in.name());
  k->set_adaptive_max_items(200);
  EXPECT_EQ(stub->CreateCampaign(Ctx(methodist).get(), create, &created).error_code(), StatusCode::INVALID_ARGUMENT);
  k->set_adaptive_max_items(5);
  st = stub->CreateCampaign(Ctx(methodist).get(), create, &created);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(created.campaign().adaptive());
  EXPECT_EQ(created.campaign().adaptive_max_items(), 5);
  v1::LaunchCampaignRequest launch;
  launch.set_name(created.campaign().name());
  launch.set_version(created.campaign().version());
  v1::LaunchCampaignResponse launched;
  ASSERT_TRUE(stub->LaunchCampaign(Ctx(methodist).get(), launch, &launched).ok());

  const std::string phone = Token("teacher.a1");
  v1::StartSessionRequest sreq;
  sreq.set_campaign(created.campaign().name());
  v1::StartSessionResponse session;
  st = stub->StartSession(Ctx(phone).get(), sreq, &session);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(session.session().adaptive());
  std::string next = session.session().next_item_id();
  ASSERT_FALSE(next.empty());
  EXPECT_NE(next, "M9") << "an item everyone passes is not in the bank";

  // The tablet: a new connection and a fresh sign-in of the same teacher.
  auto tablet_channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  auto tablet = DiagnosticsService::NewStub(tablet_channel);
  const std::string tablet_token = SignIn(*tablet_channel, "teacher.a1");

  std::set<std::string> shown;
  std::string result;
  for (int step = 0; step < 10 && result.empty(); ++step) {
    ASSERT_TRUE(shown.insert(next).second) << "an item is shown once: " << next;
    v1::GetSessionRequest g;
    g.set_name(session.session().name());
    v1::GetSessionResponse resumed;
    ASSERT_TRUE(tablet->GetSession(Ctx(tablet_token).get(), g, &resumed).ok());
    EXPECT_EQ(resumed.session().next_item_id(), next) << "the same next item on the other device";
    // Another item than the current one is refused.
    v1::SaveAnswerRequest wrong;
    wrong.set_session(session.session().name());
    wrong.mutable_answer()->set_item_id(next == "M1" ? "M2" : "M1");
    wrong.mutable_answer()->add_selected_option_ids("b");
    if (shown.count(wrong.answer().item_id()) == 0) {
      v1::SaveAnswerResponse refused;
      st = stub->SaveAnswer(Ctx(phone).get(), wrong, &refused);
      EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
      EXPECT_NE(st.error_message().find("текущее задание"), std::string::npos) << st.error_message();
    }
    // Every answer wrong, half from each device.
    v1::SaveAnswerRequest save;
    save.set_session(session.session().name());
    save.set_request_id(absl::StrCat("adaptive-", step));
    save.mutable_answer()->set_item_id(next);
    save.mutable_answer()->add_selected_option_ids("b");
    v1::SaveAnswerResponse saved;
    st = (step % 2 ? tablet->SaveAnswer(Ctx(tablet_token).get(), save, &saved)
                   : stub->SaveAnswer(Ctx(phone).get(), save, &saved));
    ASSERT_TRUE(st.ok()) << st.error_message();
    next = saved.next_item_id();
    result = saved.result();
    EXPECT_EQ(next.empty(), !result.empty());
  }
  ASSERT_FALSE(result.empty()) << "the stop rule fired";
  EXPECT_GE(shown.size(), 3u);
  EXPECT_LE(shown.size(), 5u) << "adaptive_max_items";

  v1::GetSessionRequest g;
  g.set_name(session.session().name());
  v1::GetSessionResponse ended;
  ASSERT_TRUE(stub->GetSession(Ctx(phone).get(), g, &ended).ok());
  EXPECT_EQ(ended.session().state(), v1::SESSION_STATE_SUBMITTED);
  EXPECT_TRUE(ended.session().next_item_id().empty());
  EXPECT_EQ(ended.session().result(), result);

  v1::GetDiagnosticResultRequest rreq;
  rreq.set_name(result);
  v1::GetDiagnosticResultResponse r;
  st = stub->GetDiagnosticResult(Ctx(phone).get(), rreq, &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.result().status(), v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
  ASSERT_EQ(r.result().area_scores_size(), 1);
  EXPECT_EQ(r.result().area_scores(0).area(), v1::COMPETENCY_AREA_METHODOLOGICAL);
  EXPECT_EQ(r.result().area_scores(0).level(), v1::COMPETENCY_LEVEL_INSUFFICIENT);
  EXPECT_EQ(r.result().overall_level(), v1::COMPETENCY_LEVEL_INSUFFICIENT);
  std::set<std::string> deficits;
  for (const auto& d : r.result().deficits()) deficits.insert(d.indicator_code());
  EXPECT_EQ(deficits, (std::set<std::string>{"М-1", "М-2"}));
}

}  // namespace
}  // namespace nms::testing
