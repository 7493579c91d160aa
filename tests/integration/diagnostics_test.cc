// DiagnosticsService against a real MariaDB and real nms-server processes: frameworks and
// instruments, campaigns (listed and stratified), a teacher's session resumed on another
// server process after a fresh sign-in, scoring by hand, deadlines, retakes, expert scores,
// external imports, scoped aggregate reports and CSV, item problem reports, denials by role
// and scope, and idempotent retries. Every test builds what it needs, so each passes alone.
//
// Hand-scored instrument (framework areas: методическая [М-1, М-2], цифровая [Ц-1, Ц-2]; bands
// 50/70/85 everywhere): Q1 single (a correct) -> М-1; Q2 multiple partial (a, b correct of a, b, c)
// -> М-2; Q3 short «Выготский» (required) -> М-1; Q4 Likert 1..5 -> Ц-1; Q5 single (b correct) -> Ц-2.
// The reference answers Q1 a, Q2 {a, c}, Q3 " выготский", Q4 4, Q5 a give М-1 100, М-2 0, Ц-1 75,
// Ц-2 0; методическая 50 (базовый), цифровая 37.5 (недостаточный), overall 43.75
// (недостаточный); deficits М-2 then Ц-2 (equal gaps, методическая listed first).
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "nms/v1/diagnostics.grpc.pb.h"
#include "nms/v1/inbox.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/services/diagnostics_common.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using nms::v1::DiagnosticsService;
using grpc::StatusCode;
constexpr char kDb[] = "it_diagnostics";

google::protobuf::Timestamp At(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

v1::Date D(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

v1::InstrumentItem Item(const std::string& id, v1::InstrumentItemKind kind, const std::string& code, double max = 1) {
  v1::InstrumentItem i;
  i.set_item_id(id);
  i.set_kind(kind);
  i.set_text(absl::StrCat("Задание ", id));
  i.set_max_score(max);
  auto* w = i.add_indicator_weights();
  w->set_indicator_code(code);
  w->set_weight(1);
  return i;
}

void Option(v1::InstrumentItem& i, const std::string& id, bool correct) {
  auto* o = i.add_options();
  o->set_option_id(id);
  o->set_text(absl::StrCat("Вариант ", id));
  o->set_correct(correct);
}

class DiagnosticsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    server_ = new ServerProcess(kDb);
    Sql([&](sql::Connection& c) {
      auto rs = db::Stmt(c, "SELECT id FROM people WHERE last_name = 'Директорова'").Query();
      rs->next();
      head_ = rs->getInt64(1);
    });
  }
  static void TearDownTestSuite() { delete server_; }

  static void Sql(const std::function<void(sql::Connection&)>& fn) {
    auto config = db::ParseDsn(TestDsn(kDb));
    db::ConnectionPool pool(*config);
    auto st = db::WithConnection(pool, [&](sql::Connection& c) {
      fn(c);
      return absl::OkStatus();
    });
    ASSERT_TRUE(st.ok()) << st;
  }
  static int64_t SqlInt(const std::string& query) {
    int64_t out = -1;
    Sql([&](sql::Connection& c) {
      auto rs = db::Stmt(c, query).Query();
      if (rs->next()) out = rs->getInt64(1);
    });
    return out;
  }

  std::unique_ptr<DiagnosticsService::Stub> Stub() { return DiagnosticsService::NewStub(server_->Channel()); }
  std::string Token(const char* login) { return SignIn(*server_->Channel(), login); }
  static std::string P(int64_t id) { return "people/" + std::to_string(id); }
  static std::string O(int64_t id) { return "organizations/" + std::to_string(id); }
  static std::string M(int64_t id) { return "municipalities/" + std::to_string(id); }
  static std::string R() { return "regions/" + std::to_string(f_.region); }

  // A published two-area framework (a new version each call: the previous one is retired).
  v1::CompetencyFramework PublishedFramework() {
    auto stub = Stub();
    std::string admin = Token("regional.admin");
    v1::CreateCompetencyFrameworkRequest req;
    auto* f = req.mutable_framework();
    f->set_region(R());
    f->set_title("Рамка профессиональных компетенций");
    for (auto area : {v1::COMPETENCY_AREA_METHODOLOGICAL, v1::COMPETENCY_AREA_DIGITAL}) {
      auto* a = f->add_areas();
      a->set_area(area);
      a->mutable_thresholds()->set_basic_min_percent(50);
      a->mutable_thresholds()->set_advanced_min_percent(70);
      a->mutable_thresholds()->set_high_min_percent(85);
    }
    auto ind = [&](const char* code, v1::CompetencyArea area, const char* title) {
      auto* i = f->add_indicators();
      i->set_code(code);
      i->set_area(area);
      i->set_title(title);
    };
    ind("М-1", v1::COMPETENCY_AREA_METHODOLOGICAL, "Проектирование урока");
    ind("М-2", v1::COMPETENCY_AREA_METHODOLOGICAL, "Оценивание образовательных результатов");
    ind("Ц-1", v1::COMPETENCY_AREA_DIGITAL, "Цифровые образовательные ресурсы");
    ind("Ц-2", v1::COMPETENCY_AREA_DIGITAL, "Дистанционное обучение");
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
    return presp.framework();
  }

  static v1::Instrument InstrumentDraft(const std::string& framework, bool expert_block) {
    v1::Instrument in;
    in.set_region(R());
    in.set_framework(framework);
    in.set_title("Диагностика профессиональных дефицитов учителей");
    in.set_purpose("Диагностика формирующая: по её итогам вы получите профиль и индивидуальный маршрут.");
    in.add_positions("учитель");
    auto* b = in.add_blocks();
    b->set_block_id("B1");
    b->set_title("Методика и цифровая среда");
    b->set_kind(v1::INSTRUMENT_BLOCK_KIND_ONLINE);
    auto q1 = Item("Q1", v1::INSTRUMENT_ITEM_KIND_SINGLE_CHOICE, "М-1");
    Option(q1, "a", true);
    Option(q1, "b", false);
    auto q2 = Item("Q2", v1::INSTRUMENT_ITEM_KIND_MULTIPLE_CHOICE, "М-2", 2);
    Option(q2, "a", true);
    Option(q2, "b", true);
    Option(q2, "c", false);
    q2.set_multiple_choice_scoring(v1::MULTIPLE_CHOICE_SCORING_PARTIAL);
    auto q3 = Item("Q3", v1::INSTRUMENT_ITEM_KIND_SHORT_ANSWER, "М-1");
    q3.add_accepted_answers("Выготский");
    q3.set_required(true);
    auto q4 = Item("Q4", v1::INSTRUMENT_ITEM_KIND_LIKERT, "Ц-1");
    q4.mutable_likert()->set_min_value(1);
    q4.mutable_likert()->set_max_value(5);
    auto q5 = Item("Q5", v1::INSTRUMENT_ITEM_KIND_SINGLE_CHOICE, "Ц-2");
    Option(q5, "a", false);
    Option(q5, "b", true);
    for (auto* q : {&q1, &q2, &q3, &q4, &q5}) *b->add_items() = *q;
    if (expert_block) {
      auto* e = in.add_blocks();
      e->set_block_id("B2");
      e->set_title("Видеозапись урока");
      e->set_kind(v1::INSTRUMENT_BLOCK_KIND_EXTERNALLY_SCORED);
      *e->add_items() = Item("V1", v1::INSTRUMENT_ITEM_KIND_EXTERNAL_SCORE, "М-2", 10);
    }
    return in;
  }

  v1::Instrument PublishedInstrument(const std::string& framework, bool expert_block = false) {
    auto stub = Stub();
    std::string admin = Token("regional.methodist");
    v1::CreateInstrumentRequest req;
    *req.mutable_instrument() = InstrumentDraft(framework, expert_block);
    v1::CreateInstrumentResponse resp;
    auto st = stub->CreateInstrument(Ctx(admin).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    v1::PublishInstrumentRequest pub;
    pub.set_name(resp.instrument().name());
    pub.set_version(resp.instrument().version());
    v1::PublishInstrumentResponse presp;
    st = stub->PublishInstrument(Ctx(admin).get(), pub, &presp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return presp.instrument();
  }

  // A launched campaign: school A1 (teacher a1 and the head) plus teacher b1, open now.
  v1::Campaign LaunchedCampaign(const std::string& instrument, const char* manager = "regional.methodist",
                                std::vector<std::string> scopes = {}, std::vector<std::string> people = {},
                                bool allow_retake = false) {
    auto stub = Stub();
    std::string token = Token(manager);
    v1::CreateCampaignRequest req;
    auto* k = req.mutable_campaign();
    k->set_title("Региональная диагностика, весна");
    k->set_instrument(instrument);
    k->set_wave_kind(v1::CAMPAIGN_WAVE_KIND_REGIONAL);
    k->set_purpose("Выявить дефициты и построить ИОМ");
    k->set_voluntary(true);
    if (scopes.empty() && people.empty()) {
      scopes = {O(f_.school_a1)};
      people = {P(f_.teacher_b1)};
    }
    for (const auto& s : scopes) k->mutable_population()->mutable_listed()->add_scopes(s);
    for (const auto& s : people) k->mutable_population()->mutable_listed()->add_people(s);
    *k->mutable_open_time() = At(absl::Now() - absl::Hours(1));
    *k->mutable_close_time() = At(absl::Now() + absl::Hours(48));
    k->set_time_limit_seconds(3600);
    k->set_allow_retake(allow_retake);
    v1::CreateCampaignResponse resp;
    auto st = stub->CreateCampaign(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    v1::LaunchCampaignRequest launch;
    launch.set_name(resp.campaign().name());
    launch.set_version(resp.campaign().version());
    v1::LaunchCampaignResponse lresp;
    st = stub->LaunchCampaign(Ctx(token).get(), launch, &lresp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return lresp.campaign();
  }

  // Framework + instrument + campaign in one go.
  v1::Campaign Ready(bool expert_block = false, bool allow_retake = false) {
    auto f = PublishedFramework();
    auto in = PublishedInstrument(f.name(), expert_block);
    return LaunchedCampaign(in.name(), "regional.methodist", {}, {}, allow_retake);
  }

  v1::Session Start(const v1::Campaign& k, const std::string& token, bool* resumed = nullptr) {
    v1::StartSessionRequest req;
    req.set_campaign(k.name());
    v1::StartSessionResponse resp;
    auto st = Stub()->StartSession(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    if (resumed) *resumed = resp.resumed();
    return resp.session();
  }

  static v1::ItemAnswer Choice(const std::string& item, std::vector<std::string> ids) {
    v1::ItemAnswer a;
    a.set_item_id(item);
    for (auto& id : ids) a.add_selected_option_ids(id);
    return a;
  }
  static v1::ItemAnswer Text(const std::string& item, const std::string& text) {
    v1::ItemAnswer a;
    a.set_item_id(item);
    a.set_text(text);
    return a;
  }
  static v1::ItemAnswer Rate(const std::string& item, int v) {
    v1::ItemAnswer a;
    a.set_item_id(item);
    a.set_likert_value(v);
    return a;
  }

  grpc::Status Save(const std::string& token, const std::string& session, const v1::ItemAnswer& a,
                    v1::SaveAnswerResponse* out = nullptr, int64_t version = 0, const std::string& request_id = "",
                    DiagnosticsService::Stub* stub = nullptr) {
    v1::SaveAnswerRequest req;
    req.set_session(session);
    *req.mutable_answer() = a;
    req.set_version(version);
    req.set_request_id(request_id);
    v1::SaveAnswerResponse resp;
    auto own = Stub();
    auto st = (stub ? stub : own.get())->SaveAnswer(Ctx(token).get(), req, &resp);
    if (out) *out = resp;
    return st;
  }

  void SaveReferenceAnswers(const std::string& token, const std::string& session) {
    for (const auto& a : {Choice("Q1", {"a"}), Choice("Q2", {"a", "c"}), Text("Q3", " выготский"), Rate("Q4", 4),
                          Choice("Q5", {"a"})}) {
      auto st = Save(token, session, a);
      ASSERT_TRUE(st.ok()) << a.item_id() << ": " << st.error_message();
    }
  }

  v1::SubmitSessionResponse Submit(const std::string& token, const std::string& session, grpc::Status* status = nullptr,
                                   const std::string& request_id = "") {
    v1::SubmitSessionRequest req;
    req.set_name(session);
    req.set_request_id(request_id);
    v1::SubmitSessionResponse resp;
    auto st = Stub()->SubmitSession(Ctx(token).get(), req, &resp);
    if (status) *status = st;
    else EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  static Fixture f_;
  static int64_t head_;
  static ServerProcess* server_;
};
Fixture DiagnosticsTest::f_;
int64_t DiagnosticsTest::head_ = 0;
ServerProcess* DiagnosticsTest::server_ = nullptr;

double AreaScore(const v1::DiagnosticResult& r, v1::CompetencyArea area) {
  for (const auto& a : r.area_scores()) {
    if (a.area() == area) return a.score_percent();
  }
  return -1;
}

// ------------------------------------------------------------------ frameworks and instruments

TEST_F(DiagnosticsTest, FrameworkVersionsArePublishedOnceAndNeverRewritten) {
  auto stub = Stub();
  std::string admin = Token("regional.admin");
  auto v1f = PublishedFramework();
  EXPECT_EQ(v1f.state(), v1::COMPETENCY_FRAMEWORK_STATE_PUBLISHED);
  EXPECT_EQ(v1f.indicators_size(), 4);
  EXPECT_EQ(v1f.areas(0).title(), "Методические компетенции");  // default title filled in

  // A published version is immutable.
  v1::UpdateCompetencyFrameworkRequest upd;
  *upd.mutable_framework() = v1f;
  upd.mutable_framework()->set_title("Правка");
  upd.mutable_update_mask()->add_paths("title");
  v1::UpdateCompetencyFrameworkResponse uresp;
  EXPECT_EQ(stub->UpdateCompetencyFramework(Ctx(admin).get(), upd, &uresp).error_code(), StatusCode::FAILED_PRECONDITION);

  // A new version based on it copies the content and stays a draft until published.
  v1::CreateCompetencyFrameworkRequest next;
  next.mutable_framework()->set_region(R());
  next.mutable_framework()->set_based_on(v1f.name());
  v1::CreateCompetencyFrameworkResponse nresp;
  ASSERT_TRUE(stub->CreateCompetencyFramework(Ctx(admin).get(), next, &nresp).ok());
  const auto& draft = nresp.framework();
  EXPECT_EQ(draft.state(), v1::COMPETENCY_FRAMEWORK_STATE_DRAFT);
  EXPECT_EQ(draft.revision(), v1f.revision() + 1);
  EXPECT_EQ(draft.indicators_size(), 4);
  EXPECT_EQ(draft.based_on(), v1f.name());

  // Drafts change; a stale version is refused.
  *upd.mutable_framework() = draft;
  upd.mutable_framework()->mutable_indicators(0)->set_basic_min_percent(60);
  upd.mutable_update_mask()->Clear();
  upd.mutable_update_mask()->add_paths("indicators");
  ASSERT_TRUE(stub->UpdateCompetencyFramework(Ctx(admin).get(), upd, &uresp).ok());
  EXPECT_EQ(uresp.framework().version(), draft.version() + 1);
  EXPECT_DOUBLE_EQ(uresp.framework().indicators(0).basic_min_percent(), 60);
  EXPECT_EQ(stub->UpdateCompetencyFramework(Ctx(admin).get(), upd, &uresp).error_code(), StatusCode::FAILED_PRECONDITION);

  // Bad bands name the field.
  upd.mutable_framework()->set_version(uresp.framework().version());
  upd.mutable_framework()->mutable_overall_thresholds()->set_basic_min_percent(90);
  upd.mutable_update_mask()->Clear();
  upd.mutable_update_mask()->add_paths("overall_thresholds");
  auto bad = stub->UpdateCompetencyFramework(Ctx(admin).get(), upd, &uresp);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("overall_thresholds"), std::string::npos);

  // Publishing the new version retires the old one.
  v1::PublishCompetencyFrameworkRequest pub;
  pub.set_name(draft.name());
  pub.set_version(uresp.framework().version());
  v1::PublishCompetencyFrameworkResponse presp;
  ASSERT_TRUE(stub->PublishCompetencyFramework(Ctx(admin).get(), pub, &presp).ok());
  v1::GetCompetencyFrameworkRequest get;
  get.set_name(v1f.name());
  v1::GetCompetencyFrameworkResponse gresp;
  // Teachers read frameworks (to understand their profile) but never change them.
  ASSERT_TRUE(stub->GetCompetencyFramework(Ctx(Token("teacher.a1")).get(), get, &gresp).ok());
  EXPECT_EQ(gresp.framework().state(), v1::COMPETENCY_FRAMEWORK_STATE_RETIRED);
  for (const char* who : {"teacher.a1", "school.a1", "mun.a"}) {
    EXPECT_EQ(stub->CreateCompetencyFramework(Ctx(Token(who)).get(), next, &nresp).error_code(),
              StatusCode::PERMISSION_DENIED)
        << who;
  }
  v1::ListCompetencyFrameworksRequest list;
  list.set_filter("state = PUBLISHED");
  v1::ListCompetencyFrameworksResponse lresp;
  ASSERT_TRUE(stub->ListCompetencyFrameworks(Ctx(admin).get(), list, &lresp).ok());
  ASSERT_EQ(lresp.frameworks_size(), 1);
  EXPECT_EQ(lresp.frameworks(0).name(), draft.name());
}

TEST_F(DiagnosticsTest, InstrumentsAreValidatedPublishedAndRoundTripThroughJson) {
  auto stub = Stub();
  std::string author = Token("regional.methodist");
  auto framework = PublishedFramework();

  v1::CreateInstrumentRequest req;
  *req.mutable_instrument() = InstrumentDraft(framework.name(), true);
  req.mutable_instrument()->mutable_blocks(0)->mutable_items(0)->mutable_indicator_weights(0)->set_indicator_code("НЕТ");
  v1::CreateInstrumentResponse resp;
  auto bad = stub->CreateInstrument(Ctx(author).get(), req, &resp);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("blocks[0].items[0].indicator_weights[0]"), std::string::npos);

  // A draft without an answer key is saved, but cannot be published.
  *req.mutable_instrument() = InstrumentDraft(framework.name(), true);
  req.mutable_instrument()->mutable_blocks(0)->mutable_items(2)->clear_accepted_answers();
  ASSERT_TRUE(stub->CreateInstrument(Ctx(author).get(), req, &resp).ok());
  EXPECT_EQ(resp.instrument().item_count(), 6);
  EXPECT_DOUBLE_EQ(resp.instrument().max_score(), 16);
  v1::PublishInstrumentRequest pub;
  pub.set_name(resp.instrument().name());
  pub.set_version(resp.instrument().version());
  v1::PublishInstrumentResponse presp;
  auto not_ready = stub->PublishInstrument(Ctx(author).get(), pub, &presp);
  EXPECT_EQ(not_ready.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(not_ready.error_message().find("«Q3»"), std::string::npos);

  v1::UpdateInstrumentRequest upd;
  *upd.mutable_instrument() = resp.instrument();
  upd.mutable_instrument()->mutable_blocks(0)->mutable_items(2)->add_accepted_answers("Л. С. Выготский");
  upd.mutable_update_mask()->add_paths("blocks");
  v1::UpdateInstrumentResponse uresp;
  ASSERT_TRUE(stub->UpdateInstrument(Ctx(author).get(), upd, &uresp).ok());
  pub.set_version(resp.instrument().version());  // stale
  EXPECT_EQ(stub->PublishInstrument(Ctx(author).get(), pub, &presp).error_code(), StatusCode::FAILED_PRECONDITION);
  pub.set_version(uresp.instrument().version());
  ASSERT_TRUE(stub->PublishInstrument(Ctx(author).get(), pub, &presp).ok());
  EXPECT_EQ(presp.instrument().state(), v1::INSTRUMENT_STATE_PUBLISHED);
  upd.mutable_instrument()->set_version(presp.instrument().version());
  EXPECT_EQ(stub->UpdateInstrument(Ctx(author).get(), upd, &uresp).error_code(), StatusCode::FAILED_PRECONDITION);
  v1::DeleteInstrumentRequest del;
  del.set_name(presp.instrument().name());
  del.set_version(presp.instrument().version());
  v1::DeleteInstrumentResponse dresp;
  EXPECT_EQ(stub->DeleteInstrument(Ctx(author).get(), del, &dresp).error_code(), StatusCode::FAILED_PRECONDITION);

  // Teachers see the taker view: no key, and may not ask for it.
  v1::GetInstrumentRequest get;
  get.set_name(presp.instrument().name());
  v1::GetInstrumentResponse gresp;
  std::string teacher = Token("teacher.a1");
  ASSERT_TRUE(stub->GetInstrument(Ctx(teacher).get(), get, &gresp).ok());
  EXPECT_EQ(gresp.instrument().blocks(0).items(2).accepted_answers_size(), 0);
  EXPECT_FALSE(gresp.instrument().blocks(0).items(0).options(0).correct());
  get.set_view(v1::INSTRUMENT_VIEW_FULL);
  EXPECT_EQ(stub->GetInstrument(Ctx(teacher).get(), get, &gresp).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub->GetInstrument(Ctx(author).get(), get, &gresp).ok());
  EXPECT_TRUE(gresp.instrument().blocks(0).items(0).options(0).correct());

  // Export -> import gives an equal draft; unknown indicators are dropped with a warning.
  v1::ExportInstrumentRequest ex;
  ex.set_name(presp.instrument().name());
  v1::ExportInstrumentResponse exresp;
  EXPECT_EQ(stub->ExportInstrument(Ctx(teacher).get(), ex, &exresp).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub->ExportInstrument(Ctx(author).get(), ex, &exresp).ok());
  EXPECT_NE(exresp.json_content().find("Выготский"), std::string::npos);
  std::string json = exresp.json_content();
  size_t at = json.find("\"М-2\"");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, std::string("\"М-2\"").size(), "\"ЧУЖОЙ-1\"");
  v1::ImportInstrumentRequest im;
  im.set_region(R());
  im.set_json_content(json);
  v1::ImportInstrumentResponse imresp;
  ASSERT_TRUE(stub->ImportInstrument(Ctx(author).get(), im, &imresp).ok());
  EXPECT_EQ(imresp.instrument().state(), v1::INSTRUMENT_STATE_DRAFT);
  EXPECT_NE(imresp.instrument().name(), presp.instrument().name());
  EXPECT_EQ(imresp.instrument().item_count(), 6);
  ASSERT_EQ(imresp.warnings_size(), 1);
  EXPECT_NE(imresp.warnings(0).find("ЧУЖОЙ-1"), std::string::npos);
  im.set_json_content("{not json");
  EXPECT_EQ(stub->ImportInstrument(Ctx(author).get(), im, &imresp).error_code(), StatusCode::INVALID_ARGUMENT);

  // A draft is deleted.
  del.set_name(uresp.instrument().name().empty() ? imresp.instrument().name() : imresp.instrument().name());
  del.set_version(1);
  EXPECT_TRUE(stub->DeleteInstrument(Ctx(author).get(), del, &dresp).ok());
  v1::ListInstrumentsRequest list;
  list.set_filter("state = PUBLISHED AND position = \"учитель\"");
  v1::ListInstrumentsResponse lresp;
  ASSERT_TRUE(stub->ListInstruments(Ctx(author).get(), list, &lresp).ok());
  bool listed = false;
  for (const auto& i : lresp.instruments()) listed = listed || i.name() == presp.instrument().name();
  EXPECT_TRUE(listed);
}

// ------------------------------------------------------------------ the teacher's session

TEST_F(DiagnosticsTest, TeacherSessionResumesOnAnotherServerAfterFreshSignInAndIsScored) {
  auto campaign = Ready();
  EXPECT_EQ(campaign.participant_count(), 3);  // a1 and the head of A1, plus b1
  std::string teacher = Token("teacher.a1");
  bool resumed = true;
  v1::Session s = Start(campaign, teacher, &resumed);
  EXPECT_FALSE(resumed);
  EXPECT_EQ(s.attempt(), 1);
  EXPECT_EQ(s.item_count(), 5);
  EXPECT_GT(s.remaining_seconds(), 3500);
  EXPECT_LE(s.remaining_seconds(), 3600);
  ASSERT_TRUE(Save(teacher, s.name(), Choice("Q1", {"a"})).ok());
  v1::SaveAnswerResponse saved;
  ASSERT_TRUE(Save(teacher, s.name(), Choice("Q2", {"a", "c"}), &saved).ok());
  EXPECT_EQ(saved.answered_count(), 2);
  EXPECT_TRUE(saved.answer().has_save_time());

  // The phone drops off: another replica, a new connection and a fresh sign-in continue it.
  ServerProcess other(kDb);
  auto other_stub = DiagnosticsService::NewStub(other.Channel());
  std::string again = SignIn(*other.Channel(), "teacher.a1");
  v1::StartSessionRequest start;
  start.set_campaign(campaign.name());
  v1::StartSessionResponse sresp;
  ASSERT_TRUE(other_stub->StartSession(Ctx(again).get(), start, &sresp).ok());
  EXPECT_TRUE(sresp.resumed());
  EXPECT_EQ(sresp.session().name(), s.name());
  EXPECT_EQ(sresp.session().current_item_id(), "Q2");
  ASSERT_EQ(sresp.session().answers_size(), 2);
  for (const auto& a : sresp.session().answers()) {
    if (a.item_id() == "Q2") EXPECT_EQ(a.selected_option_ids_size(), 2);
  }
  for (const auto& a : {Text("Q3", " выготский"), Rate("Q4", 4), Choice("Q5", {"a"})}) {
    ASSERT_TRUE(Save(again, s.name(), a, nullptr, 0, "", other_stub.get()).ok());
  }
  v1::SubmitSessionRequest submit;
  submit.set_name(s.name());
  v1::SubmitSessionResponse done;
  auto st = other_stub->SubmitSession(Ctx(again).get(), submit, &done);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(done.session().state(), v1::SESSION_STATE_SUBMITTED);
  EXPECT_EQ(done.session().answered_count(), 5);
  const auto& r = done.result();
  EXPECT_EQ(r.status(), v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
  EXPECT_EQ(r.source(), v1::DIAGNOSTIC_RESULT_SOURCE_SESSION);
  EXPECT_EQ(r.person(), P(f_.teacher_a1));
  EXPECT_DOUBLE_EQ(AreaScore(r, v1::COMPETENCY_AREA_METHODOLOGICAL), 50);
  EXPECT_DOUBLE_EQ(AreaScore(r, v1::COMPETENCY_AREA_DIGITAL), 37.5);
  EXPECT_DOUBLE_EQ(r.overall_score_percent(), 43.75);
  EXPECT_EQ(r.overall_level(), v1::COMPETENCY_LEVEL_INSUFFICIENT);
  ASSERT_EQ(r.indicator_scores_size(), 4);
  EXPECT_EQ(r.indicator_scores(0).indicator_code(), "М-1");
  EXPECT_DOUBLE_EQ(r.indicator_scores(0).score_percent(), 100);
  EXPECT_EQ(r.indicator_scores(0).level(), v1::COMPETENCY_LEVEL_HIGH);
  ASSERT_EQ(r.deficits_size(), 2);
  EXPECT_EQ(r.deficits(0).indicator_code(), "М-2");
  EXPECT_EQ(r.deficits(0).rank(), 1);
  EXPECT_EQ(r.deficits(0).title(), "Оценивание образовательных результатов");
  EXPECT_DOUBLE_EQ(r.deficits(0).gap_percent(), 50);
  EXPECT_EQ(r.deficits(1).indicator_code(), "Ц-2");

  // Stored for the routes and monitoring, fed to the federal exchange, participant moved on.
  int64_t result_id = std::stoll(std::string(absl::StripPrefix(r.name(), "results/")));
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT status FROM diagnostic_results WHERE id = ", result_id)), 2);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM diagnostic_deficits WHERE result_id = ", result_id)), 2);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE entity_type = 'diagnostic_result' AND resource = '",
                                r.name(), "'")),
            1);
  v1::ListCampaignParticipantsRequest preq;
  preq.set_campaign(campaign.name());
  preq.set_filter("status = SUBMITTED");
  v1::ListCampaignParticipantsResponse presp;
  ASSERT_TRUE(Stub()->ListCampaignParticipants(Ctx(Token("regional.methodist")).get(), preq, &presp).ok());
  ASSERT_EQ(presp.participants_size(), 1);
  EXPECT_EQ(presp.participants(0).person(), P(f_.teacher_a1));
  EXPECT_EQ(presp.participants(0).last_result(), r.name());

  // The teacher sees their own profile at once.
  v1::GetIndividualReportRequest ireq;
  v1::GetIndividualReportResponse iresp;
  ASSERT_TRUE(Stub()->GetIndividualReport(Ctx(teacher).get(), ireq, &iresp).ok());
  EXPECT_EQ(iresp.current().name(), r.name());
  EXPECT_EQ(iresp.full_name(), "Иванова Анна Петровна");
  EXPECT_EQ(iresp.organization(), O(f_.school_a1));
}

TEST_F(DiagnosticsTest, BadAnswersLateAnswersAndAnswersAfterSubmitAreRefused) {
  auto campaign = Ready();
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  auto code = [&](const v1::ItemAnswer& a) { return Save(teacher, s.name(), a).error_code(); };
  EXPECT_EQ(code(Choice("Q99", {"a"})), StatusCode::INVALID_ARGUMENT);       // not in the session
  EXPECT_EQ(code(Choice("Q1", {"z"})), StatusCode::INVALID_ARGUMENT);        // no such option
  EXPECT_EQ(code(Choice("Q1", {"a", "b"})), StatusCode::INVALID_ARGUMENT);   // single choice
  EXPECT_EQ(code(Rate("Q4", 6)), StatusCode::INVALID_ARGUMENT);              // off the scale
  EXPECT_EQ(code(Rate("Q4", -2147483647)), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(code(Text("Q3", std::string(3000, 'x'))), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(code(Text("", "x")), StatusCode::INVALID_ARGUMENT);
  // Someone else's session is out of scope.
  EXPECT_EQ(Save(Token("teacher.b1"), s.name(), Choice("Q1", {"a"})).error_code(), StatusCode::PERMISSION_DENIED);
  // A required item blocks the submit; an empty answer clears a saved one.
  ASSERT_TRUE(Save(teacher, s.name(), Text("Q3", "Выготский")).ok());
  v1::SaveAnswerResponse cleared;
  ASSERT_TRUE(Save(teacher, s.name(), Text("Q3", ""), &cleared).ok());
  EXPECT_EQ(cleared.answered_count(), 0);
  grpc::Status st;
  Submit(teacher, s.name(), &st);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("Q3"), std::string::npos);
  ASSERT_TRUE(Save(teacher, s.name(), Text("Q3", "Выготский")).ok());
  Submit(teacher, s.name());
  EXPECT_EQ(code(Choice("Q1", {"a"})), StatusCode::FAILED_PRECONDITION);  // after submit
  Submit(teacher, s.name(), &st);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);

  // Teacher b1: the server's deadline passes (moved into the past in the database).
  std::string b1 = Token("teacher.b1");
  v1::Session late = Start(campaign, b1);
  ASSERT_TRUE(Save(b1, late.name(), Choice("Q1", {"a"})).ok());
  Sql([&](sql::Connection& c) {
    db::Stmt(c, "UPDATE diagnostic_sessions SET deadline_at = NOW(6) - INTERVAL 1 MINUTE WHERE id = ?")
        .Int(std::stoll(std::string(absl::StripPrefix(late.name(), "sessions/"))))
        .Execute();
  });
  auto refused = Save(b1, late.name(), Choice("Q5", {"b"}));
  EXPECT_EQ(refused.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("Время"), std::string::npos);
  // The server ended it and scored the saved answer (Q1 right -> М-1 50 %: Q3 unanswered).
  v1::GetSessionRequest get;
  get.set_name(late.name());
  v1::GetSessionResponse gresp;
  ASSERT_TRUE(Stub()->GetSession(Ctx(b1).get(), get, &gresp).ok());
  EXPECT_EQ(gresp.session().state(), v1::SESSION_STATE_TIMED_OUT);
  EXPECT_EQ(gresp.session().remaining_seconds(), 0);
  ASSERT_FALSE(gresp.session().result().empty());
  v1::GetDiagnosticResultRequest rreq;
  rreq.set_name(gresp.session().result());
  v1::GetDiagnosticResultResponse rresp;
  ASSERT_TRUE(Stub()->GetDiagnosticResult(Ctx(b1).get(), rreq, &rresp).ok());
  EXPECT_DOUBLE_EQ(rresp.result().indicator_scores(0).score_percent(), 50);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT status FROM diagnostic_campaign_participants WHERE person_id = ",
                                f_.teacher_b1, " AND campaign_id = ",
                                std::string(absl::StripPrefix(campaign.name(), "campaigns/")))),
            4);  // TIMED_OUT
}

TEST_F(DiagnosticsTest, TheSweeperEndsSessionsNobodyTouchesAfterTheirDeadline) {
  auto campaign = Ready();
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  ASSERT_TRUE(Save(teacher, s.name(), Choice("Q1", {"a"})).ok());
  std::string id(absl::StripPrefix(s.name(), "sessions/"));
  Sql([&](sql::Connection& c) {
    db::Stmt(c, "UPDATE diagnostic_sessions SET deadline_at = NOW(6) - INTERVAL 5 SECOND WHERE id = ?")
        .Int(std::stoll(id))
        .Execute();
  });
  // The same sweep every replica runs in the background, run here once.
  auto config = db::ParseDsn(TestDsn(kDb));
  db::ConnectionPool pool(*config);
  auto swept = services::diag::SweepExpiredSessions(pool, 100);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_GE(*swept, 1);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT state FROM diagnostic_sessions WHERE id = ", id)), 3);
  int64_t result = SqlInt(absl::StrCat("SELECT result_id FROM diagnostic_sessions WHERE id = ", id));
  EXPECT_GT(result, 0);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT status FROM diagnostic_results WHERE id = ", result)), 2);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE resource = 'results/", result, "'")), 1);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT status FROM diagnostic_campaign_participants WHERE person_id = ",
                                f_.teacher_a1, " AND campaign_id = ", absl::StripPrefix(campaign.name(), "campaigns/"))),
            4);
  // Nothing left to sweep for this session; a second sweep does not touch it again.
  ASSERT_TRUE(services::diag::SweepExpiredSessions(pool, 100).ok());
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM diagnostic_results WHERE session_id = ", id)), 1);
  auto late = Save(teacher, s.name(), Choice("Q5", {"b"}));
  EXPECT_EQ(late.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(late.error_message().find("Время"), std::string::npos);
}

TEST_F(DiagnosticsTest, StaleVersionsAreRefused) {
  auto campaign = Ready();
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  v1::SaveAnswerResponse first;
  ASSERT_TRUE(Save(teacher, s.name(), Choice("Q1", {"a"}), &first, s.version()).ok());
  EXPECT_EQ(first.version(), s.version() + 1);
  auto stale = Save(teacher, s.name(), Choice("Q1", {"b"}), nullptr, s.version());
  EXPECT_EQ(stale.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Save(teacher, s.name(), Choice("Q1", {"b"}), nullptr, first.version()).ok());

  v1::UpdateCampaignRequest upd;
  *upd.mutable_campaign() = campaign;
  upd.mutable_campaign()->set_title("Новое название");
  upd.mutable_update_mask()->add_paths("title");
  v1::UpdateCampaignResponse uresp;
  std::string manager = Token("regional.methodist");
  ASSERT_TRUE(Stub()->UpdateCampaign(Ctx(manager).get(), upd, &uresp).ok());
  EXPECT_EQ(Stub()->UpdateCampaign(Ctx(manager).get(), upd, &uresp).error_code(), StatusCode::FAILED_PRECONDITION);
  // After launch the population is frozen.
  upd.mutable_campaign()->set_version(uresp.campaign().version());
  upd.mutable_update_mask()->Clear();
  upd.mutable_update_mask()->add_paths("population");
  EXPECT_EQ(Stub()->UpdateCampaign(Ctx(manager).get(), upd, &uresp).error_code(), StatusCode::FAILED_PRECONDITION);
}

TEST_F(DiagnosticsTest, OneSubmittedSessionPerCampaignUnlessARetakeIsGranted) {
  auto campaign = Ready();
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  SaveReferenceAnswers(teacher, s.name());
  auto first = Submit(teacher, s.name()).result();

  v1::StartSessionRequest again;
  again.set_campaign(campaign.name());
  v1::StartSessionResponse resp;
  auto refused = Stub()->StartSession(Ctx(teacher).get(), again, &resp);
  EXPECT_EQ(refused.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("пересдач"), std::string::npos);

  v1::GrantRetakeRequest grant;
  grant.set_campaign(campaign.name());
  grant.set_person(P(f_.teacher_a1));
  grant.set_comment("Сбой связи во время теста");
  v1::GrantRetakeResponse gresp;
  EXPECT_EQ(Stub()->GrantRetake(Ctx(teacher).get(), grant, &gresp).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Stub()->GrantRetake(Ctx(Token("school.a1")).get(), grant, &gresp).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::GrantRetakeRequest other = grant;
  other.set_person(P(f_.teacher_b1));  // another municipality
  std::string mun = Token("mun.a");
  EXPECT_EQ(Stub()->GrantRetake(Ctx(mun).get(), other, &gresp).error_code(), StatusCode::PERMISSION_DENIED);
  // b1 has not taken it yet: nothing to retake.
  EXPECT_EQ(Stub()->GrantRetake(Ctx(Token("regional.methodist")).get(), other, &gresp).error_code(),
            StatusCode::FAILED_PRECONDITION);
  auto st = Stub()->GrantRetake(Ctx(mun).get(), grant, &gresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(gresp.participant().retakes_granted(), 1);
  EXPECT_EQ(Stub()->GrantRetake(Ctx(mun).get(), grant, &gresp).error_code(), StatusCode::FAILED_PRECONDITION);

  v1::Session second = Start(campaign, teacher);
  EXPECT_EQ(second.attempt(), 2);
  EXPECT_EQ(second.answers_size(), 0);
  for (const auto& a : {Choice("Q1", {"a"}), Choice("Q2", {"a", "b"}), Text("Q3", "Выготский"), Rate("Q4", 5),
                        Choice("Q5", {"b"})}) {
    ASSERT_TRUE(Save(teacher, second.name(), a).ok());
  }
  auto better = Submit(teacher, second.name()).result();
  EXPECT_DOUBLE_EQ(better.overall_score_percent(), 100);
  EXPECT_EQ(better.deficits_size(), 0);
  EXPECT_EQ(Stub()->StartSession(Ctx(teacher).get(), again, &resp).error_code(), StatusCode::FAILED_PRECONDITION);

  // The individual report compares with the previous diagnosis.
  v1::GetIndividualReportRequest ireq;
  ireq.set_person(P(f_.teacher_a1));
  v1::GetIndividualReportResponse iresp;
  ASSERT_TRUE(Stub()->GetIndividualReport(Ctx(mun).get(), ireq, &iresp).ok());
  EXPECT_EQ(iresp.current().name(), better.name());
  EXPECT_EQ(iresp.previous().name(), first.name());
  ASSERT_EQ(iresp.comparisons_size(), 2);
  EXPECT_EQ(iresp.comparisons(0).area(), v1::COMPETENCY_AREA_METHODOLOGICAL);
  EXPECT_DOUBLE_EQ(iresp.comparisons(0).delta_percent(), 50);
  EXPECT_DOUBLE_EQ(iresp.comparisons(1).delta_percent(), 62.5);
  EXPECT_EQ(iresp.closed_deficit_codes_size(), 2);
  EXPECT_EQ(iresp.new_deficit_codes_size(), 0);
}

TEST_F(DiagnosticsTest, ExpertScoredPartsKeepTheResultPreliminaryUntilScored) {
  auto campaign = Ready(true);
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  EXPECT_EQ(s.item_count(), 5);  // the expert item is not answered online
  EXPECT_EQ(Save(teacher, s.name(), Text("V1", "видео")).error_code(), StatusCode::INVALID_ARGUMENT);
  SaveReferenceAnswers(teacher, s.name());
  auto done = Submit(teacher, s.name());
  EXPECT_EQ(done.result().status(), v1::DIAGNOSTIC_RESULT_STATUS_PRELIMINARY);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE resource = '", done.result().name(), "'")), 0);

  v1::RecordExternalScoresRequest req;
  req.set_session(s.name());
  req.set_version(done.session().version());
  auto* score = req.add_scores();
  score->set_item_id("V1");
  score->set_score(11);
  score->set_comment("Урок выстроен логично");
  v1::RecordExternalScoresResponse resp;
  std::string expert = Token("regional.methodist");
  EXPECT_EQ(Stub()->RecordExternalScores(Ctx(expert).get(), req, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
  score->set_score(8);
  EXPECT_EQ(Stub()->RecordExternalScores(Ctx(teacher).get(), req, &resp).error_code(), StatusCode::PERMISSION_DENIED);
  score->set_item_id("Q1");
  EXPECT_EQ(Stub()->RecordExternalScores(Ctx(expert).get(), req, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
  score->set_item_id("V1");
  req.set_version(done.session().version() - 1);
  EXPECT_EQ(Stub()->RecordExternalScores(Ctx(expert).get(), req, &resp).error_code(), StatusCode::FAILED_PRECONDITION);
  req.set_version(done.session().version());
  auto st = Stub()->RecordExternalScores(Ctx(expert).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.result().name(), done.result().name());
  EXPECT_EQ(resp.result().status(), v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
  // М-2 now: Q2 0 (w 1) and V1 0.8 (w 1) -> 40; методическая (100 + 40) / 2 = 70.
  EXPECT_DOUBLE_EQ(AreaScore(resp.result(), v1::COMPETENCY_AREA_METHODOLOGICAL), 70);
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE resource = '", done.result().name(), "'")), 1);
  req.set_version(resp.session().version());
  EXPECT_EQ(Stub()->RecordExternalScores(Ctx(expert).get(), req, &resp).error_code(), StatusCode::FAILED_PRECONDITION);
}

// Issue 13 §6: the teacher hands in a written answer, a file or a link for the expert-scored
// item; only the teacher writes it, only scorers in scope read it, the inbox lists it once the
// session ended, the score makes the result final and notifies the teacher.
TEST_F(DiagnosticsTest, ExpertWorksAreHandedInScopedListedScoredAndNotified) {
  auto campaign = Ready(true);
  std::string teacher = Token("teacher.b1");  // municipality B
  v1::Session s = Start(campaign, teacher);
  EXPECT_EQ(s.expert_item_count(), 1);
  auto submit = [&](const std::string& token, const v1::ExpertWork& w, int64_t version, const std::string& rid,
                    v1::SubmitExpertWorkResponse* out = nullptr) {
    v1::SubmitExpertWorkRequest req;
    req.set_session(s.name());
    *req.mutable_work() = w;
    req.set_version(version);
    req.set_request_id(rid);
    v1::SubmitExpertWorkResponse resp;
    auto st = Stub()->SubmitExpertWork(Ctx(token).get(), req, &resp);
    if (out) *out = resp;
    return st;
  };
  auto text = [](const std::string& item, const std::string& t) {
    v1::ExpertWork w;
    w.set_item_id(item);
    w.set_kind(v1::EXPERT_WORK_KIND_TEXT);
    w.set_text(t);
    return w;
  };
  v1::ExpertWork file;
  file.set_item_id("V1");
  file.set_kind(v1::EXPERT_WORK_KIND_FILE);
  file.set_file_name("План урока.pdf");
  file.set_content_type("application/pdf");
  std::string bytes = "%PDF-1.4\n";
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));  // every byte value survives
  file.set_file_content(bytes);
  v1::ExpertWork link;
  link.set_item_id("V1");
  link.set_kind(v1::EXPERT_WORK_KIND_LINK);
  link.set_link_url("https://video.example.ru/urok-7");

  // Bad input: precise codes and Russian messages naming the field.
  auto st = submit(teacher, text("Q1", "ответ"), 0, "");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("не задание экспертной оценки"), std::string::npos) << st.error_message();
  v1::ExpertWork bad = link;
  bad.set_link_url("javascript:alert(1)");
  st = submit(teacher, bad, 0, "");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "Поле work.link_url: нужна ссылка, начинающаяся с http:// или https://");
  bad = file;
  bad.set_file_content(std::string(5 * 1024 * 1024 + 1, 'x'));
  st = submit(teacher, bad, 0, "");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("больше 5 МБ"), std::string::npos) << st.error_message();
  bad = file;
  bad.set_file_name("setup.exe");
  bad.set_content_type("application/x-msdownload");
  EXPECT_EQ(submit(teacher, bad, 0, "").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(submit(teacher, text("V1", "  "), 0, "").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(submit(teacher, v1::ExpertWork(), 0, "").error_code(), StatusCode::INVALID_ARGUMENT);

  // Only the session's teacher hands in: a colleague elsewhere and a methodist are refused.
  EXPECT_EQ(submit(Token("teacher.a1"), text("V1", "чужой"), 0, "").error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(submit(Token("regional.methodist"), text("V1", "за педагога"), 0, "").error_code(),
            StatusCode::PERMISSION_DENIED);

  // The written answer; a retry with the same key is applied once.
  v1::SubmitExpertWorkResponse first, again;
  ASSERT_TRUE(submit(teacher, text("V1", "Разбор кейса: …"), 0, "work-1", &first).ok());
  EXPECT_EQ(first.work().version(), 1);
  EXPECT_EQ(first.work().session(), s.name());
  ASSERT_TRUE(submit(teacher, text("V1", "Разбор кейса: …"), 0, "work-1", &again).ok());
  EXPECT_EQ(again.work().version(), 1);
  std::string sid(absl::StripPrefix(s.name(), "sessions/"));
  EXPECT_EQ(SqlInt("SELECT version FROM diagnostic_expert_works WHERE session_id = " + sid), 1);
  // A stale version is refused; the current one replaces the work with the file.
  EXPECT_EQ(submit(teacher, file, 7, "").error_code(), StatusCode::FAILED_PRECONDITION);
  v1::SubmitExpertWorkResponse second;
  ASSERT_TRUE(submit(teacher, file, 1, "work-2", &second).ok());
  EXPECT_EQ(second.work().version(), 2);
  EXPECT_EQ(second.work().file_size(), static_cast<int64_t>(bytes.size()));
  EXPECT_TRUE(second.work().file_content().empty());

  auto get = [&](const std::string& token, v1::GetExpertWorkResponse* out, bool include_file = true) {
    v1::GetExpertWorkRequest req;
    req.set_session(s.name());
    req.set_item_id("V1");
    req.set_include_file(include_file);
    return Stub()->GetExpertWork(Ctx(token).get(), req, out);
  };
  v1::GetExpertWorkResponse got;
  ASSERT_TRUE(get(teacher, &got).ok());
  EXPECT_EQ(got.work().file_content(), bytes);
  EXPECT_EQ(got.work().file_name(), "План урока.pdf");
  // Scorers in scope read it; the school, another municipality and a colleague do not.
  for (const char* login : {"mun.a", "school.a1", "teacher.a1"}) {
    v1::GetExpertWorkResponse denied;
    EXPECT_EQ(get(Token(login), &denied).error_code(), StatusCode::PERMISSION_DENIED) << login;
  }
  std::string expert = Token("regional.methodist");
  auto inbox = v1::InboxService::NewStub(server_->Channel());
  auto listed = [&](const std::string& token, grpc::Status* status = nullptr) {
    v1::ListInboxEntriesRequest req;
    req.set_kind(v1::INBOX_ENTRY_KIND_EXPERT_WORK);
    req.set_page_size(200);
    v1::ListInboxEntriesResponse resp;
    auto st = inbox->ListInboxEntries(Ctx(token).get(), req, &resp);
    if (status) *status = st;
    for (const auto& e : resp.entries()) {
      if (e.target() == s.name()) return std::optional<v1::InboxEntry>(e);
    }
    return std::optional<v1::InboxEntry>();
  };
  EXPECT_FALSE(listed(expert).has_value()) << "listed while the session is in progress";

  SaveReferenceAnswers(teacher, s.name());
  auto done = Submit(teacher, s.name());
  EXPECT_EQ(done.result().status(), v1::DIAGNOSTIC_RESULT_STATUS_PRELIMINARY);
  // After submit the lesson video may still come, replacing the file.
  v1::SubmitExpertWorkResponse third;
  ASSERT_TRUE(submit(teacher, link, 2, "work-3", &third).ok());
  EXPECT_EQ(third.work().version(), 3);
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM diagnostic_expert_works WHERE file_content IS NOT NULL AND session_id = " +
                   sid),
            0);

  auto entry = listed(expert);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->item_id(), "V1");
  EXPECT_EQ(entry->detail(), "Ссылка на видеозапись");
  EXPECT_NE(entry->title().find("Региональная диагностика, весна"), std::string::npos) << entry->title();
  EXPECT_FALSE(listed(Token("mun.a")).has_value()) << "another municipality's work";
  grpc::Status school_status;
  listed(Token("school.a1"), &school_status);
  EXPECT_EQ(school_status.error_code(), StatusCode::PERMISSION_DENIED);

  ASSERT_TRUE(get(expert, &got, false).ok());
  EXPECT_EQ(got.work().link_url(), "https://video.example.ru/urok-7");
  EXPECT_EQ(got.max_score(), 10);
  EXPECT_EQ(got.block_title(), "Видеозапись урока");
  EXPECT_EQ(got.result_status(), v1::DIAGNOSTIC_RESULT_STATUS_PRELIMINARY);
  EXPECT_FALSE(got.person_name().empty());

  v1::RecordExternalScoresRequest rec;
  rec.set_session(s.name());
  rec.set_version(got.session_version());
  auto* score = rec.add_scores();
  score->set_item_id("V1");
  score->set_score(8);
  score->set_comment("Урок выстроен логично");
  v1::RecordExternalScoresResponse scored;
  st = Stub()->RecordExternalScores(Ctx(expert).get(), rec, &scored);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(scored.result().status(), v1::DIAGNOSTIC_RESULT_STATUS_FINAL);

  // The teacher is told, by the campaign's title.
  auto notes = v1::NotificationService::NewStub(server_->Channel());
  v1::ListNotificationsRequest nreq;
  v1::ListNotificationsResponse nresp;
  ASSERT_TRUE(notes->ListNotifications(Ctx(teacher).get(), nreq, &nresp).ok());
  bool told = false;
  for (const auto& n : nresp.notifications()) {
    if (n.kind() != v1::NOTIFICATION_KIND_EXPERT_SCORE_RECORDED || n.subject() != done.result().name()) continue;
    told = true;
    EXPECT_EQ(n.title(), "Результат диагностики окончательный");
    EXPECT_NE(n.body().find("«Региональная диагностика, весна»"), std::string::npos) << n.body();
  }
  EXPECT_TRUE(told);
  // Scored: no longer waiting, no longer replaceable, and the score is on the work.
  EXPECT_FALSE(listed(expert).has_value());
  st = submit(teacher, text("V1", "ещё раз"), 0, "");
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(get(teacher, &got, false).ok());
  EXPECT_TRUE(got.work().scored());
  EXPECT_EQ(got.work().score(), 8);
  EXPECT_EQ(got.work().score_comment(), "Урок выстроен логично");
  v1::GetSessionRequest gs;
  gs.set_name(s.name());
  v1::GetSessionResponse gsr;
  ASSERT_TRUE(Stub()->GetSession(Ctx(teacher).get(), gs, &gsr).ok());
  ASSERT_EQ(gsr.session().expert_works_size(), 1);
  EXPECT_EQ(gsr.session().expert_works(0).kind(), v1::EXPERT_WORK_KIND_LINK);
  EXPECT_TRUE(gsr.session().expert_works(0).scored());
}

TEST_F(DiagnosticsTest, ClosingACampaignTimesOutOpenSessionsAndCancelsDrafts) {
  auto campaign = Ready();
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  ASSERT_TRUE(Save(teacher, s.name(), Choice("Q5", {"b"})).ok());
  std::string manager = Token("regional.methodist");
  v1::CloseCampaignRequest close;
  close.set_name(campaign.name());
  close.set_version(campaign.version());
  close.set_comment("Срок проведения завершён");
  v1::CloseCampaignResponse cresp;
  EXPECT_EQ(Stub()->CloseCampaign(Ctx(Token("mun.a")).get(), close, &cresp).error_code(), StatusCode::PERMISSION_DENIED);
  auto st = Stub()->CloseCampaign(Ctx(manager).get(), close, &cresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cresp.campaign().state(), v1::CAMPAIGN_STATE_CLOSED);
  EXPECT_EQ(cresp.campaign().submitted_count(), 1);
  int64_t closed_version = cresp.campaign().version();
  v1::GetSessionRequest get;
  get.set_name(s.name());
  v1::GetSessionResponse gresp;
  ASSERT_TRUE(Stub()->GetSession(Ctx(teacher).get(), get, &gresp).ok());
  EXPECT_EQ(gresp.session().state(), v1::SESSION_STATE_TIMED_OUT);
  EXPECT_FALSE(gresp.session().result().empty());
  v1::StartSessionRequest start;
  start.set_campaign(campaign.name());
  v1::StartSessionResponse sresp;
  EXPECT_EQ(Stub()->StartSession(Ctx(Token("teacher.b1")).get(), start, &sresp).error_code(),
            StatusCode::FAILED_PRECONDITION);
  close.set_version(cresp.campaign().version());
  EXPECT_EQ(Stub()->CloseCampaign(Ctx(manager).get(), close, &cresp).error_code(), StatusCode::FAILED_PRECONDITION);

  // A draft is cancelled; a launched one cannot be deleted.
  v1::CreateCampaignRequest create;
  create.mutable_campaign()->set_title("Черновик");
  create.mutable_campaign()->set_instrument(campaign.instrument());
  create.mutable_campaign()->mutable_population()->mutable_listed()->add_scopes(M(f_.mun_a));
  v1::CreateCampaignResponse created;
  ASSERT_TRUE(Stub()->CreateCampaign(Ctx(manager).get(), create, &created).ok());
  v1::DeleteCampaignRequest del;
  del.set_name(campaign.name());
  del.set_version(closed_version);
  v1::DeleteCampaignResponse dresp;
  EXPECT_EQ(Stub()->DeleteCampaign(Ctx(manager).get(), del, &dresp).error_code(), StatusCode::FAILED_PRECONDITION);
  close.set_name(created.campaign().name());
  close.set_version(created.campaign().version());
  ASSERT_TRUE(Stub()->CloseCampaign(Ctx(manager).get(), close, &cresp).ok());
  EXPECT_EQ(cresp.campaign().state(), v1::CAMPAIGN_STATE_CANCELLED);
}

// ------------------------------------------------------------------ populations

TEST_F(DiagnosticsTest, StratifiedSampleIsReproducibleAndKeepsTheRegulationQuotas) {
  // A municipality with 40 school, 10 kindergarten, 12 college and 8 further-education staff.
  int64_t mun = 0;
  Sql([&](sql::Connection& c) {
    auto rs = db::Stmt(c, "SELECT id FROM municipalities WHERE display_name = 'Город В'").Query();
    if (rs->next()) {
      mun = rs->getInt64(1);
      return;
    }
    db::Stmt(c, "INSERT INTO municipalities (region_id, display_name) VALUES (?, 'Город В')").Int(f_.region).Execute();
    mun = db::LastInsertId(c);
    for (auto [type, count] : {std::pair{1, 40}, {2, 10}, {3, 12}, {4, 8}}) {
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) "
                  "VALUES (?, ?, ?, 'Организация В', 'Организация В')")
          .Int(f_.region).Int(mun).Int(type).Execute();
      int64_t org = db::LastInsertId(c);
      for (int i = 0; i < count; ++i) {
        db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, position) "
                    "VALUES (?, ?, ?, 'Выборочная', 'Ольга', 'учитель')")
            .Int(f_.region).Int(mun).Int(org).Execute();
      }
    }
  });
  auto framework = PublishedFramework();
  auto instrument = PublishedInstrument(framework.name());
  auto launch = [&](int64_t seed, const char* who, grpc::Status* status) {
    v1::CreateCampaignRequest req;
    auto* k = req.mutable_campaign();
    k->set_title("Выборочное исследование");
    k->set_instrument(instrument.name());
    auto* s = k->mutable_population()->mutable_stratified_sample();
    s->add_scopes(M(mun));
    s->set_sample_fraction(0.3);
    s->set_seed(seed);
    for (auto [type, share] : {std::pair{v1::ORGANIZATION_TYPE_SCHOOL, 0.65}, {v1::ORGANIZATION_TYPE_KINDERGARTEN, 0.11},
                               {v1::ORGANIZATION_TYPE_COLLEGE, 0.17}, {v1::ORGANIZATION_TYPE_ADDITIONAL_EDUCATION, 0.07}}) {
      auto* q = s->add_quotas();
      q->set_organization_type(type);
      q->set_share(share);
    }
    v1::CreateCampaignResponse created;
    std::string token = Token(who);
    *status = Stub()->CreateCampaign(Ctx(token).get(), req, &created);
    if (!status->ok()) return v1::LaunchCampaignResponse();
    v1::LaunchCampaignRequest l;
    l.set_name(created.campaign().name());
    l.set_version(created.campaign().version());
    v1::LaunchCampaignResponse out;
    *status = Stub()->LaunchCampaign(Ctx(token).get(), l, &out);
    return out;
  };
  grpc::Status st;
  launch(1, "mun.a", &st);  // another municipality's methodist
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  auto a = launch(2026, "regional.methodist", &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  // 70 in the frame -> 21 drawn: 13.65, 2.31, 3.57, 1.47 -> 14, 2, 4, 1 by largest remainder.
  EXPECT_EQ(a.campaign().participant_count(), 21);
  ASSERT_EQ(a.strata_size(), 4);
  EXPECT_EQ(a.strata(0).frame_size(), 40);
  EXPECT_EQ(a.strata(0).target_size(), 14);
  EXPECT_EQ(a.strata(1).target_size(), 2);
  EXPECT_EQ(a.strata(2).target_size(), 4);
  EXPECT_EQ(a.strata(3).target_size(), 1);
  for (const auto& s : a.strata()) EXPECT_EQ(s.drawn(), s.target_size());
  auto people = [&](const v1::Campaign& k) {
    std::vector<int64_t> out;
    Sql([&](sql::Connection& c) {
      auto rs = db::Stmt(c, "SELECT person_id FROM diagnostic_campaign_participants WHERE campaign_id = ? ORDER BY 1")
                    .Int(std::stoll(std::string(absl::StripPrefix(k.name(), "campaigns/"))))
                    .Query();
      while (rs->next()) out.push_back(rs->getInt64(1));
    });
    return out;
  };
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM diagnostic_campaign_participants WHERE organization_type = 3 "
                                "AND campaign_id = ", absl::StripPrefix(a.campaign().name(), "campaigns/"))),
            4);
  auto b = launch(2026, "regional.admin", &st);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(people(a.campaign()), people(b.campaign()));  // same seed, same people
  auto c = launch(7, "regional.admin", &st);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(people(c.campaign()).size(), 21u);
  EXPECT_NE(people(a.campaign()), people(c.campaign()));
}

TEST_F(DiagnosticsTest, MunicipalMethodistRunsCampaignsOnlyInTheirMunicipality) {
  auto framework = PublishedFramework();
  auto instrument = PublishedInstrument(framework.name());
  std::string mun = Token("mun.a");
  v1::CreateCampaignRequest req;
  req.mutable_campaign()->set_title("Муниципальная диагностика");
  req.mutable_campaign()->set_instrument(instrument.name());
  req.mutable_campaign()->set_wave_kind(v1::CAMPAIGN_WAVE_KIND_MUNICIPAL);
  req.mutable_campaign()->mutable_population()->mutable_listed()->add_scopes(R());
  v1::CreateCampaignResponse resp;
  EXPECT_EQ(Stub()->CreateCampaign(Ctx(mun).get(), req, &resp).error_code(), StatusCode::PERMISSION_DENIED);
  req.mutable_campaign()->mutable_population()->mutable_listed()->clear_scopes();
  req.mutable_campaign()->mutable_population()->mutable_listed()->add_scopes(M(f_.mun_b));
  EXPECT_EQ(Stub()->CreateCampaign(Ctx(mun).get(), req, &resp).error_code(), StatusCode::PERMISSION_DENIED);
  req.mutable_campaign()->mutable_population()->mutable_listed()->clear_scopes();
  req.mutable_campaign()->mutable_population()->mutable_listed()->add_scopes(M(f_.mun_a));
  req.mutable_campaign()->mutable_population()->mutable_listed()->add_positions("учитель");
  auto st = Stub()->CreateCampaign(Ctx(mun).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::LaunchCampaignRequest launch;
  launch.set_name(resp.campaign().name());
  launch.set_version(resp.campaign().version());
  v1::LaunchCampaignResponse lresp;
  EXPECT_EQ(Stub()->LaunchCampaign(Ctx(Token("school.a1")).get(), launch, &lresp).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Stub()->LaunchCampaign(Ctx(mun).get(), launch, &lresp).ok());
  EXPECT_EQ(lresp.campaign().participant_count(), 3);  // a1, a2 and the head of A1: all «учитель»
  // Others see it only through their own participants.
  v1::GetCampaignRequest get;
  get.set_name(resp.campaign().name());
  v1::GetCampaignResponse gresp;
  EXPECT_TRUE(Stub()->GetCampaign(Ctx(Token("teacher.a1")).get(), get, &gresp).ok());
  EXPECT_EQ(Stub()->GetCampaign(Ctx(Token("teacher.b1")).get(), get, &gresp).error_code(), StatusCode::PERMISSION_DENIED);
  v1::ListCampaignsRequest list;
  v1::ListCampaignsResponse l1, l2;
  ASSERT_TRUE(Stub()->ListCampaigns(Ctx(Token("teacher.b1")).get(), list, &l1).ok());
  for (const auto& k : l1.campaigns()) EXPECT_NE(k.name(), resp.campaign().name());
  ASSERT_TRUE(Stub()->ListCampaigns(Ctx(mun).get(), list, &l2).ok());
  bool found = false;
  for (const auto& k : l2.campaigns()) found = found || k.name() == resp.campaign().name();
  EXPECT_TRUE(found);
  // A teacher starts only their own session.
  v1::StartSessionRequest start;
  start.set_campaign(resp.campaign().name());
  start.set_person(P(f_.teacher_a2));
  v1::StartSessionResponse sresp;
  EXPECT_EQ(Stub()->StartSession(Ctx(Token("teacher.a1")).get(), start, &sresp).error_code(),
            StatusCode::PERMISSION_DENIED);
}

// ------------------------------------------------------------------ imports and reports

TEST_F(DiagnosticsTest, ExternalResultsImportIdempotentlyIntoTheSameProfile) {
  PublishedFramework();
  std::string admin = Token("regional.admin");
  auto record = [&](const std::string& ext, const std::string& person, double m1, double c1) {
    v1::ExternalResultRecord r;
    r.set_external_id(ext);
    r.set_person_external_id(person);
    *r.mutable_diagnosis_date() = D(2025, 2, 10);
    for (auto [code, score] : {std::pair{"М-1", m1}, {"Ц-1", c1}}) {
      auto* s = r.add_indicator_scores();
      s->set_indicator_code(code);
      s->set_score_percent(score);
    }
    return r;
  };
  v1::ImportExternalResultsRequest req;
  req.set_region(R());
  req.set_external_source("ЦОКО «Перспектива»");
  *req.add_records() = record("IMP-1", "EXT-A1", 40, 90);
  *req.add_records() = record("IMP-2", "EXT-NOBODY", 40, 90);
  *req.add_records() = record("IMP-3", "EXT-B1", 120, 90);
  *req.add_records() = record("IMP-4", "EXT-B1", 80, 60);
  req.mutable_records(3)->mutable_indicator_scores(0)->set_indicator_code("НЕТ-1");
  *req.add_records() = record("IMP-1", "EXT-A2", 40, 90);  // repeated id in one batch
  v1::ImportExternalResultsResponse resp;
  EXPECT_EQ(Stub()->ImportExternalResults(Ctx(Token("mun.a")).get(), req, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
  req.set_dry_run(true);
  ASSERT_TRUE(Stub()->ImportExternalResults(Ctx(admin).get(), req, &resp).ok());
  EXPECT_EQ(resp.created_count(), 1);
  EXPECT_EQ(resp.rejected_count(), 4);
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM diagnostic_results WHERE external_id = 'IMP-1'"), 0);  // dry run
  req.set_dry_run(false);
  ASSERT_TRUE(Stub()->ImportExternalResults(Ctx(admin).get(), req, &resp).ok());
  ASSERT_EQ(resp.results_size(), 5);
  EXPECT_EQ(resp.results(0).outcome(), v1::IMPORT_RECORD_OUTCOME_CREATED);
  EXPECT_EQ(resp.results(1).outcome(), v1::IMPORT_RECORD_OUTCOME_REJECTED);
  EXPECT_NE(resp.results(1).message().find("не найден"), std::string::npos);
  EXPECT_EQ(resp.results(2).outcome(), v1::IMPORT_RECORD_OUTCOME_REJECTED);
  EXPECT_NE(resp.results(2).message().find("0..100"), std::string::npos);
  EXPECT_EQ(resp.results(3).outcome(), v1::IMPORT_RECORD_OUTCOME_REJECTED);
  EXPECT_EQ(resp.results(4).outcome(), v1::IMPORT_RECORD_OUTCOME_REJECTED);
  v1::GetDiagnosticResultRequest get;
  get.set_name(resp.results(0).result());
  v1::GetDiagnosticResultResponse gresp;
  ASSERT_TRUE(Stub()->GetDiagnosticResult(Ctx(Token("teacher.a1")).get(), get, &gresp).ok());
  const auto& r = gresp.result();
  EXPECT_EQ(r.source(), v1::DIAGNOSTIC_RESULT_SOURCE_EXTERNAL_IMPORT);
  EXPECT_EQ(r.status(), v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
  EXPECT_EQ(r.external_source(), "ЦОКО «Перспектива»");
  EXPECT_DOUBLE_EQ(AreaScore(r, v1::COMPETENCY_AREA_METHODOLOGICAL), 40);
  EXPECT_EQ(r.overall_level(), v1::COMPETENCY_LEVEL_BASIC);  // (40 + 90) / 2 = 65
  ASSERT_EQ(r.deficits_size(), 1);
  EXPECT_EQ(r.deficits(0).indicator_code(), "М-1");
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE entity_type = 'diagnostic_result' AND resource = '",
                                r.name(), "' AND operation = 'create'")),
            1);

  // The same record again changes nothing; a corrected one updates the result in place.
  v1::ImportExternalResultsRequest again;
  again.set_region(R());
  again.set_external_source("ЦОКО «Перспектива»");
  *again.add_records() = record("IMP-1", "EXT-A1", 40, 90);
  ASSERT_TRUE(Stub()->ImportExternalResults(Ctx(admin).get(), again, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), v1::IMPORT_RECORD_OUTCOME_UNCHANGED);
  again.mutable_records(0)->mutable_indicator_scores(0)->set_score_percent(75);
  ASSERT_TRUE(Stub()->ImportExternalResults(Ctx(admin).get(), again, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), v1::IMPORT_RECORD_OUTCOME_UPDATED);
  EXPECT_EQ(resp.results(0).result(), gresp.result().name());
  ASSERT_TRUE(Stub()->GetDiagnosticResult(Ctx(admin).get(), get, &gresp).ok());
  EXPECT_EQ(gresp.result().deficits_size(), 0);
  // The id belongs to a1's result: another teacher cannot take it over.
  again.mutable_records(0)->set_person_external_id("EXT-A2");
  ASSERT_TRUE(Stub()->ImportExternalResults(Ctx(admin).get(), again, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), v1::IMPORT_RECORD_OUTCOME_REJECTED);
}

TEST_F(DiagnosticsTest, AggregateReportsShowTheRightNumbersForEachScopedAdmin) {
  PublishedFramework();
  std::string admin = Token("regional.admin");
  // Dated March 2024 so that results of other tests (dated today) stay outside the window.
  v1::ImportExternalResultsRequest req;
  req.set_region(R());
  auto add = [&](const std::string& ext, int64_t person, int day, double m1, double m2, double c1, double c2) {
    auto* r = req.add_records();
    r->set_external_id(ext);
    r->set_person(P(person));
    *r->mutable_diagnosis_date() = D(2024, 3, day);
    for (auto [code, score] : {std::pair{"М-1", m1}, {"М-2", m2}, {"Ц-1", c1}, {"Ц-2", c2}}) {
      auto* s = r->add_indicator_scores();
      s->set_indicator_code(code);
      s->set_score_percent(score);
    }
  };
  // a1 twice: only the later (day 20) counts. a1: М 45 (недост.), Ц 90 (высокий), overall 67.5 базовый;
  // deficit М-1 only (М-2 at exactly 50 is базовый).
  add("AGG-A1-old", f_.teacher_a1, 5, 10, 10, 10, 10);
  add("AGG-A1", f_.teacher_a1, 20, 40, 50, 90, 90);
  // a2 (school A2): М 80 (повышенный), Ц 30 (недост.), overall 55 базовый; deficits Ц-1, Ц-2.
  add("AGG-A2", f_.teacher_a2, 12, 80, 80, 20, 40);
  // b1 (Город Б): everything 100 -> высокий.
  add("AGG-B1", f_.teacher_b1, 12, 100, 100, 100, 100);
  v1::ImportExternalResultsResponse iresp;
  ASSERT_TRUE(Stub()->ImportExternalResults(Ctx(admin).get(), req, &iresp).ok());
  ASSERT_EQ(iresp.created_count() + iresp.unchanged_count(), 4);

  auto report = [&](const char* who, const std::string& scope, v1::GetAggregateReportResponse* out) {
    v1::GetAggregateReportRequest r;
    r.set_scope(scope);
    *r.mutable_from_date() = D(2024, 3, 1);
    *r.mutable_to_date() = D(2024, 3, 31);
    r.set_include_children(true);
    return Stub()->GetAggregateReport(Ctx(Token(who)).get(), r, out);
  };
  // Город А (municipal methodist): staff of educational organisations a1, head, a2 = 3; diagnosed a1, a2.
  v1::GetAggregateReportResponse mun;
  auto st = report("mun.a", M(f_.mun_a), &mun);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(mun.title(), "Город А");
  EXPECT_EQ(mun.population_count(), 3);
  EXPECT_EQ(mun.diagnosed_count(), 2);
  EXPECT_DOUBLE_EQ(mun.diagnosed_share_percent(), 66.67);
  ASSERT_EQ(mun.overall_levels_size(), 4);
  EXPECT_EQ(mun.overall_levels(1).level(), v1::COMPETENCY_LEVEL_BASIC);
  EXPECT_EQ(mun.overall_levels(1).count(), 2);
  EXPECT_DOUBLE_EQ(mun.overall_levels(1).share_percent(), 100);
  ASSERT_EQ(mun.areas_size(), 2);
  EXPECT_EQ(mun.areas(0).area(), v1::COMPETENCY_AREA_METHODOLOGICAL);
  EXPECT_DOUBLE_EQ(mun.areas(0).mean_score_percent(), 62.5);  // (45 + 80) / 2
  EXPECT_EQ(mun.areas(0).levels(0).count(), 1);              // a1 недостаточный
  EXPECT_EQ(mun.areas(0).levels(2).count(), 1);              // a2 повышенный
  EXPECT_EQ(mun.areas(1).levels(0).count(), 1);              // a2 недостаточный
  EXPECT_EQ(mun.areas(1).levels(3).count(), 1);              // a1 высокий
  ASSERT_EQ(mun.top_deficits_size(), 3);
  EXPECT_EQ(mun.top_deficits(0).indicator_code(), "М-1");  // all once: area order, then code
  EXPECT_EQ(mun.top_deficits(0).count(), 1);
  EXPECT_DOUBLE_EQ(mun.top_deficits(0).share_percent(), 50);
  EXPECT_EQ(mun.top_deficits(0).title(), "Проектирование урока");
  EXPECT_EQ(mun.top_deficits(1).indicator_code(), "Ц-1");
  EXPECT_EQ(mun.top_deficits(2).indicator_code(), "Ц-2");
  ASSERT_EQ(mun.children_size(), 2);  // schools A1, A2
  EXPECT_EQ(mun.children(0).scope(), O(f_.school_a1));
  EXPECT_EQ(mun.children(0).population_count(), 2);
  EXPECT_EQ(mun.children(0).diagnosed_count(), 1);
  EXPECT_EQ(mun.children(1).population_count(), 1);
  EXPECT_DOUBLE_EQ(mun.children(1).diagnosed_share_percent(), 100);

  // School A1 (school admin): a1 and the head; a1 diagnosed.
  v1::GetAggregateReportResponse school;
  ASSERT_TRUE(report("school.a1", O(f_.school_a1), &school).ok());
  EXPECT_EQ(school.population_count(), 2);
  EXPECT_EQ(school.diagnosed_count(), 1);
  EXPECT_DOUBLE_EQ(school.diagnosed_share_percent(), 50);

  // Region (regional methodist): 4 staff in schools (a1, head, a2, b1), 3 diagnosed.
  v1::GetAggregateReportResponse region;
  ASSERT_TRUE(report("regional.methodist", R(), &region).ok());
  int64_t region_population = SqlInt(absl::StrCat(
      "SELECT COUNT(*) FROM people p JOIN organizations o ON o.id = p.organization_id WHERE p.region_id = ",
      f_.region, " AND o.type IN (1, 2, 3, 4)"));
  EXPECT_EQ(region.population_count(), region_population);
  EXPECT_EQ(region.diagnosed_count(), 3);
  EXPECT_EQ(region.overall_levels(3).count(), 1);  // b1 высокий
  bool saw_b = false;
  for (const auto& child : region.children()) {
    if (child.scope() == M(f_.mun_b)) {
      saw_b = true;
      EXPECT_EQ(child.population_count(), 1);
      EXPECT_EQ(child.diagnosed_count(), 1);
    }
  }
  EXPECT_TRUE(saw_b);

  // Out of scope is refused.
  v1::GetAggregateReportResponse denied;
  EXPECT_EQ(report("school.a1", M(f_.mun_a), &denied).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(report("mun.a", M(f_.mun_b), &denied).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(report("mun.a", R(), &denied).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(report("teacher.a1", O(f_.school_a1), &denied).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(report("mun.a", "districts/" + std::to_string(f_.district), &denied).error_code(),
            StatusCode::PERMISSION_DENIED);

  // CSV of the municipality: a1 and a2, latest result each.
  v1::ExportResultsCsvRequest csv;
  csv.set_scope(M(f_.mun_a));
  csv.set_filter("diagnosis_date >= 2024-03-01 AND diagnosis_date <= 2024-03-31");
  v1::ExportResultsCsvResponse cresp;
  st = Stub()->ExportResultsCsv(Ctx(Token("mun.a")).get(), csv, &cresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cresp.row_count(), 2);
  EXPECT_EQ(cresp.filename(), absl::StrCat("results-municipalities-", f_.mun_a, ".csv"));
  ASSERT_EQ(cresp.content().rfind("\xEF\xBB\xBF", 0), 0u) << "a BOM: Excel reads UTF-8";
  std::vector<std::string> lines = absl::StrSplit(cresp.content(), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find("Иванова Анна Петровна"), std::string::npos);
  EXPECT_NE(lines[1].find("2024-03-20"), std::string::npos);
  EXPECT_NE(lines[1].find(";\"М-1\";"), std::string::npos);
  EXPECT_NE(lines[2].find("Петрова"), std::string::npos);
  csv.set_scope(M(f_.mun_b));
  EXPECT_EQ(Stub()->ExportResultsCsv(Ctx(Token("mun.a")).get(), csv, &cresp).error_code(), StatusCode::PERMISSION_DENIED);
}

// ------------------------------------------------------------------ access, lists, retries, robustness

TEST_F(DiagnosticsTest, ReadsAreScopedByRole) {
  auto campaign = Ready();
  std::string a1 = Token("teacher.a1"), b1 = Token("teacher.b1");
  v1::Session sa = Start(campaign, a1);
  SaveReferenceAnswers(a1, sa.name());
  auto ra = Submit(a1, sa.name()).result();
  v1::Session sb = Start(campaign, b1);
  SaveReferenceAnswers(b1, sb.name());
  auto rb = Submit(b1, sb.name()).result();

  v1::GetSessionRequest gs;
  gs.set_name(sa.name());
  v1::GetSessionResponse gsr;
  EXPECT_EQ(Stub()->GetSession(Ctx(b1).get(), gs, &gsr).error_code(), StatusCode::PERMISSION_DENIED);
  gs.set_name("sessions/999999");
  EXPECT_EQ(Stub()->GetSession(Ctx(b1).get(), gs, &gsr).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Stub()->GetSession(Ctx(Token("regional.admin")).get(), gs, &gsr).error_code(), StatusCode::NOT_FOUND);

  auto get = [&](const std::string& token, const std::string& name) {
    v1::GetDiagnosticResultRequest r;
    r.set_name(name);
    v1::GetDiagnosticResultResponse out;
    return Stub()->GetDiagnosticResult(Ctx(token).get(), r, &out).error_code();
  };
  std::string school = Token("school.a1"), mun = Token("mun.a"), rm = Token("regional.methodist");
  EXPECT_EQ(get(a1, ra.name()), StatusCode::OK);
  EXPECT_EQ(get(a1, rb.name()), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get(school, ra.name()), StatusCode::OK);
  EXPECT_EQ(get(school, rb.name()), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get(mun, ra.name()), StatusCode::OK);
  EXPECT_EQ(get(mun, rb.name()), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get(rm, rb.name()), StatusCode::OK);
  EXPECT_EQ(get(Token("federal.sync"), rb.name()), StatusCode::PERMISSION_DENIED);  // the feed only

  auto list = [&](const std::string& token) {
    v1::ListDiagnosticResultsRequest r;
    r.set_filter(absl::StrCat("campaign = ", campaign.name()));
    v1::ListDiagnosticResultsResponse out;
    EXPECT_TRUE(Stub()->ListDiagnosticResults(Ctx(token).get(), r, &out).ok());
    std::set<std::string> people;
    for (const auto& x : out.results()) people.insert(x.person());
    return people;
  };
  EXPECT_EQ(list(a1), std::set<std::string>{P(f_.teacher_a1)});
  EXPECT_EQ(list(mun), std::set<std::string>{P(f_.teacher_a1)});
  EXPECT_EQ(list(rm), (std::set<std::string>{P(f_.teacher_a1), P(f_.teacher_b1)}));

  // Participant lists with names stay inside the caller's scope.
  v1::ListCampaignParticipantsRequest preq;
  preq.set_campaign(campaign.name());
  v1::ListCampaignParticipantsResponse presp;
  ASSERT_TRUE(Stub()->ListCampaignParticipants(Ctx(school).get(), preq, &presp).ok());
  EXPECT_EQ(presp.participants_size(), 2);  // a1 and the head, not b1
  ASSERT_TRUE(Stub()->ListCampaignParticipants(Ctx(b1).get(), preq, &presp).ok());
  ASSERT_EQ(presp.participants_size(), 1);
  EXPECT_EQ(presp.participants(0).full_name(), "Сидорова Анна Петровна");

  // Writes by the wrong role.
  v1::CreateCampaignRequest create;
  create.mutable_campaign()->set_title("Попытка");
  create.mutable_campaign()->set_instrument(campaign.instrument());
  create.mutable_campaign()->mutable_population()->mutable_listed()->add_scopes(O(f_.school_a1));
  v1::CreateCampaignResponse cresp;
  for (const std::string& who : {a1, school}) {
    EXPECT_EQ(Stub()->CreateCampaign(Ctx(who).get(), create, &cresp).error_code(), StatusCode::PERMISSION_DENIED);
  }
  v1::SubmitSessionRequest submit;
  submit.set_name(sa.name());
  v1::SubmitSessionResponse sresp;
  EXPECT_EQ(Stub()->SubmitSession(Ctx(rm).get(), submit, &sresp).error_code(), StatusCode::PERMISSION_DENIED);
  grpc::ClientContext anonymous;
  EXPECT_EQ(Stub()->SubmitSession(&anonymous, submit, &sresp).error_code(), StatusCode::UNAUTHENTICATED);
}

TEST_F(DiagnosticsTest, RetriedWritesApplyOnce) {
  auto stub = Stub();
  std::string admin = Token("regional.admin");
  v1::CreateCompetencyFrameworkRequest req;
  req.mutable_framework()->set_region(R());
  req.mutable_framework()->set_title("Черновик для повтора");
  auto* a = req.mutable_framework()->add_areas();
  a->set_area(v1::COMPETENCY_AREA_SUBJECT);
  a->mutable_thresholds()->set_basic_min_percent(40);
  a->mutable_thresholds()->set_advanced_min_percent(60);
  a->mutable_thresholds()->set_high_min_percent(80);
  *req.mutable_framework()->mutable_overall_thresholds() = a->thresholds();
  req.set_request_id("retry-framework-1");
  v1::CreateCompetencyFrameworkResponse r1, r2;
  ASSERT_TRUE(stub->CreateCompetencyFramework(Ctx(admin).get(), req, &r1).ok());
  ASSERT_TRUE(stub->CreateCompetencyFramework(Ctx(admin).get(), req, &r2).ok());
  EXPECT_EQ(r1.framework().name(), r2.framework().name());
  req.mutable_framework()->set_title("Другое");
  EXPECT_EQ(stub->CreateCompetencyFramework(Ctx(admin).get(), req, &r2).error_code(), StatusCode::INVALID_ARGUMENT);

  auto campaign = Ready();
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  v1::SaveAnswerResponse first, replay;
  ASSERT_TRUE(Save(teacher, s.name(), Choice("Q1", {"a"}), &first, 0, "save-q1").ok());
  ASSERT_TRUE(Save(teacher, s.name(), Choice("Q1", {"a"}), &replay, 0, "save-q1").ok());
  EXPECT_EQ(first.version(), replay.version());
  v1::GetSessionRequest get;
  get.set_name(s.name());
  v1::GetSessionResponse gresp;
  ASSERT_TRUE(stub->GetSession(Ctx(teacher).get(), get, &gresp).ok());
  EXPECT_EQ(gresp.session().version(), first.version());  // applied once
  SaveReferenceAnswers(teacher, s.name());
  grpc::Status st;
  auto done = Submit(teacher, s.name(), &st, "submit-1");
  ASSERT_TRUE(st.ok());
  auto again = Submit(teacher, s.name(), &st, "submit-1");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(again.result().name(), done.result().name());
  EXPECT_EQ(SqlInt(absl::StrCat("SELECT COUNT(*) FROM diagnostic_results WHERE session_id = ",
                                absl::StripPrefix(s.name(), "sessions/"))),
            1);
}

TEST_F(DiagnosticsTest, ItemProblemsAreReportedByTakersAndResolvedByAuthors) {
  auto campaign = Ready();
  std::string teacher = Token("teacher.a1");
  v1::Session s = Start(campaign, teacher);
  v1::ReportItemProblemRequest req;
  req.set_session(s.name());
  req.set_item_id("Q2");
  req.set_category(v1::ITEM_PROBLEM_CATEGORY_AMBIGUOUS);
  req.set_text("Непонятно, можно ли выбрать несколько вариантов");
  v1::ReportItemProblemResponse resp;
  EXPECT_EQ(Stub()->ReportItemProblem(Ctx(Token("teacher.b1")).get(), req, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
  req.set_item_id("Q404");
  EXPECT_EQ(Stub()->ReportItemProblem(Ctx(teacher).get(), req, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
  req.set_item_id("Q2");
  std::string long_text;
  for (int i = 0; i < 2001; ++i) long_text += "я";  // 2001 characters, 4002 bytes
  req.set_text(long_text);
  EXPECT_EQ(Stub()->ReportItemProblem(Ctx(teacher).get(), req, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
  req.set_text("Непонятно, можно ли выбрать несколько вариантов");
  ASSERT_TRUE(Stub()->ReportItemProblem(Ctx(teacher).get(), req, &resp).ok());
  EXPECT_EQ(resp.report().status(), v1::ITEM_PROBLEM_STATUS_OPEN);
  EXPECT_EQ(resp.report().reporter(), P(f_.teacher_a1));

  v1::ListItemProblemReportsRequest list;
  list.set_filter(absl::StrCat("instrument = ", campaign.instrument(), " AND status = OPEN"));
  v1::ListItemProblemReportsResponse lresp;
  ASSERT_TRUE(Stub()->ListItemProblemReports(Ctx(teacher).get(), list, &lresp).ok());
  EXPECT_EQ(lresp.reports_size(), 1);
  ASSERT_TRUE(Stub()->ListItemProblemReports(Ctx(Token("teacher.b1")).get(), list, &lresp).ok());
  EXPECT_EQ(lresp.reports_size(), 0);
  EXPECT_EQ(Stub()->ListItemProblemReports(Ctx(Token("school.a1")).get(), list, &lresp).error_code(),
            StatusCode::PERMISSION_DENIED);

  v1::ResolveItemProblemReportRequest resolve;
  resolve.set_name(resp.report().name());
  resolve.set_status(v1::ITEM_PROBLEM_STATUS_ACCEPTED);
  resolve.set_resolution_comment("Формулировка будет уточнена в новой версии");
  resolve.set_version(resp.report().version());
  v1::ResolveItemProblemReportResponse rresp;
  EXPECT_EQ(Stub()->ResolveItemProblemReport(Ctx(teacher).get(), resolve, &rresp).error_code(),
            StatusCode::PERMISSION_DENIED);
  std::string author = Token("regional.methodist");
  ASSERT_TRUE(Stub()->ResolveItemProblemReport(Ctx(author).get(), resolve, &rresp).ok());
  EXPECT_EQ(rresp.report().status(), v1::ITEM_PROBLEM_STATUS_ACCEPTED);
  EXPECT_EQ(Stub()->ResolveItemProblemReport(Ctx(author).get(), resolve, &rresp).error_code(),
            StatusCode::FAILED_PRECONDITION);
  resolve.set_status(v1::ITEM_PROBLEM_STATUS_OPEN);
  EXPECT_EQ(Stub()->ResolveItemProblemReport(Ctx(author).get(), resolve, &rresp).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(DiagnosticsTest, GarbageInputNeverCrashesTheServer) {
  auto stub = Stub();
  std::string admin = Token("regional.admin");
  v1::ListCampaignsRequest list;
  list.set_page_size(2147483647);
  v1::ListCampaignsResponse lresp;
  EXPECT_TRUE(stub->ListCampaigns(Ctx(admin).get(), list, &lresp).ok());
  list.set_page_size(-5);  // refused, as by every list (issue 14.5), not read as "default"
  EXPECT_EQ(stub->ListCampaigns(Ctx(admin).get(), list, &lresp).error_code(), StatusCode::INVALID_ARGUMENT);
  list.set_page_size(0);
  list.set_page_token("not-a-token");
  EXPECT_EQ(stub->ListCampaigns(Ctx(admin).get(), list, &lresp).error_code(), StatusCode::INVALID_ARGUMENT);
  list.clear_page_token();
  for (const char* filter : {"state = NOPE", "zzz = 1", "state =", "state = 1 OR state = 2", "region = people/1",
                             "\"unclosed"}) {
    list.set_filter(filter);
    EXPECT_EQ(stub->ListCampaigns(Ctx(admin).get(), list, &lresp).error_code(), StatusCode::INVALID_ARGUMENT) << filter;
  }
  list.set_filter(std::string(100000, 'a'));
  EXPECT_EQ(stub->ListCampaigns(Ctx(admin).get(), list, &lresp).error_code(), StatusCode::INVALID_ARGUMENT);

  v1::GetCampaignRequest get;
  v1::GetCampaignResponse gresp;
  for (const char* name : {"", "campaigns/", "campaigns/-1", "campaigns/abc", "campaigns/99999999999999999999",
                           "people/1", "campaigns/1/../2"}) {
    get.set_name(name);
    EXPECT_EQ(stub->GetCampaign(Ctx(admin).get(), get, &gresp).error_code(), StatusCode::INVALID_ARGUMENT) << name;
  }
  v1::CreateCompetencyFrameworkRequest f;
  f.mutable_framework()->set_region(R());
  f.mutable_framework()->set_title(std::string(10000, 'x'));
  v1::CreateCompetencyFrameworkResponse fresp;
  EXPECT_EQ(stub->CreateCompetencyFramework(Ctx(admin).get(), f, &fresp).error_code(), StatusCode::INVALID_ARGUMENT);
  f.mutable_framework()->set_title("Рамка");
  auto* area = f.mutable_framework()->add_areas();
  area->set_area(static_cast<v1::CompetencyArea>(77));
  EXPECT_EQ(stub->CreateCompetencyFramework(Ctx(admin).get(), f, &fresp).error_code(), StatusCode::INVALID_ARGUMENT);

  v1::CreateCampaignRequest k;
  k.mutable_campaign()->set_title("Плохая");
  k.mutable_campaign()->set_instrument("instruments/999999");
  k.mutable_campaign()->set_time_limit_seconds(-10);
  v1::CreateCampaignResponse kresp;
  // What the request names is looked at before what it says: a missing instrument first.
  EXPECT_EQ(stub->CreateCampaign(Ctx(admin).get(), k, &kresp).error_code(), StatusCode::NOT_FOUND);
  k.mutable_campaign()->set_instrument(PublishedInstrument(PublishedFramework().name()).name());
  EXPECT_EQ(stub->CreateCampaign(Ctx(admin).get(), k, &kresp).error_code(), StatusCode::INVALID_ARGUMENT);
  k.mutable_campaign()->set_time_limit_seconds(60);
  *k.mutable_campaign()->mutable_open_time() = At(absl::Now());
  *k.mutable_campaign()->mutable_close_time() = At(absl::Now() - absl::Hours(1));
  EXPECT_EQ(stub->CreateCampaign(Ctx(admin).get(), k, &kresp).error_code(), StatusCode::INVALID_ARGUMENT);

  v1::GetAggregateReportRequest rep;
  rep.set_scope("regions/abc");
  v1::GetAggregateReportResponse rresp;
  EXPECT_EQ(stub->GetAggregateReport(Ctx(admin).get(), rep, &rresp).error_code(), StatusCode::INVALID_ARGUMENT);
  rep.set_scope(R());
  rep.set_top_deficits(-1);
  EXPECT_EQ(stub->GetAggregateReport(Ctx(admin).get(), rep, &rresp).error_code(), StatusCode::INVALID_ARGUMENT);
  rep.set_top_deficits(0);
  *rep.mutable_from_date() = D(2024, 2, 31);
  EXPECT_EQ(stub->GetAggregateReport(Ctx(admin).get(), rep, &rresp).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(server_->Running());
}

}  // namespace
}  // namespace nms::testing
