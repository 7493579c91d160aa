// MonitoringService against a real MariaDB and nms-server: a hand-computed small region
// (the SeedFixture territory plus three young teachers) with facts recorded through the RPCs,
// reproduced exactly for the Moscow Oblast set and parts of the Sakhalin set, with drill-down,
// quarterly series, CSV/HTML, target changes and access rules.
//
// Reference date 2026-06-30. Teachers (all in schools): a1, a2 (Город А), b1 (Город Б), head
// (Директорова, school A1), y1 (school A2: born 1995-01-01, working since 2024-07-01 → young),
// y2 (school B1: born 1991-06-30 → 35 on the reference date → not young), y3 (school B1: born
// 1992-01-01, working since 2023-07-01 → young). 7 teachers; 4 in Город А, 3 in Город Б.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

#include "nms/v1/monitoring.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using nms::v1::MonitoringService;
constexpr char kDb[] = "it_monitoring";

v1::Date D(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class MonitoringTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    auto config = db::ParseDsn(TestDsn(kDb));
    db::ConnectionPool pool(*config);
    auto st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
      auto person = [&](int64_t org, int64_t mun, const char* last, const char* birth, const char* start) {
        db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, "
                    "birth_date, work_start_date) VALUES (?, ?, ?, ?, 'Юлия', ?, ?)")
            .Int(f_.region).Int(mun).Int(org).Str(last).Str(birth).Str(start).Execute();
        return db::LastInsertId(c);
      };
      y1_ = person(f_.school_a2, f_.mun_a, "Молодова", "1995-01-01", "2024-07-01");
      y2_ = person(f_.school_b1, f_.mun_b, "Граничная", "1991-06-30", "2025-01-01");
      y3_ = person(f_.school_b1, f_.mun_b, "Стажёрова", "1992-01-01", "2023-07-01");
      auto id_of = [&](const char* last) {
        auto rs = db::Stmt(c, "SELECT id FROM people WHERE last_name = ?").Str(last).Query();
        rs->next();
        return rs->getInt64(1);
      };
      head_ = id_of("Директорова");
      staff_ = id_of("Смирнова");
      mm_ = id_of("Методистова");
      return absl::OkStatus();
    });
    ASSERT_TRUE(st.ok()) << st;
    server_ = new ServerProcess(kDb);
  }
  static void TearDownTestSuite() { delete server_; }

  std::unique_ptr<MonitoringService::Stub> Stub() { return MonitoringService::NewStub(server_->Channel()); }
  std::string Token(const char* login) { return SignIn(*server_->Channel(), login); }
  static std::string P(int64_t id) { return "people/" + std::to_string(id); }
  static std::string O(int64_t id) { return "organizations/" + std::to_string(id); }
  static std::string R() { return "regions/" + std::to_string(f_.region); }

  // Applies a preset to the fixture's region (idempotent: a fixed request id per preset).
  v1::ApplyIndicatorPresetResponse ApplyPreset(const std::string& admin, v1::IndicatorPreset preset) {
    v1::ApplyIndicatorPresetRequest req;
    req.set_region(R());
    req.set_preset(preset);
    req.set_request_id(absl::StrCat("apply-", preset));
    v1::ApplyIndicatorPresetResponse resp;
    auto st = Stub()->ApplyIndicatorPreset(Ctx(admin).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  // Records the fixture's facts once per process: each test may run alone (ctest runs every
  // test in its own process) or after the others.
  void RecordFacts() {
    if (facts_recorded_) return;
    facts_recorded_ = true;
    auto stub = Stub();
    std::string admin = Token("regional.admin");
    auto completion = [&](int64_t person, bool fr, bool diag, bool passed, v1::Date end) {
      v1::CreateTrainingCompletionRequest req;
      auto* t = req.mutable_completion();
      t->set_person(P(person));
      t->set_programme_title("Программа");
      t->set_hours(36);
      t->set_federal_registry(fr);
      t->set_chosen_from_diagnostics(diag);
      t->set_attestation_passed(passed);
      *t->mutable_end_date() = end;
      v1::CreateTrainingCompletionResponse resp;
      auto st = stub->CreateTrainingCompletion(Ctx(admin).get(), req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
    };
    completion(f_.teacher_a1, true, true, true, D(2026, 3, 1));   // counts for #5
    completion(f_.teacher_a2, true, true, false, D(2026, 3, 1));  // failed
    completion(f_.teacher_b1, true, false, true, D(2026, 3, 1));  // not from diagnostics
    completion(head_, false, false, true, D(2026, 2, 1));         // trains the management team of A1

    auto membership = [&](int64_t person, int64_t org, v1::ManagementTeamRole role, v1::Date end) {
      v1::CreateManagementTeamMembershipRequest req;
      auto* m = req.mutable_membership();
      m->set_person(P(person));
      m->set_organization(O(org));
      m->set_role(role);
      *m->mutable_start_date() = D(2020, 1, 1);
      *m->mutable_end_date() = end;
      v1::CreateManagementTeamMembershipResponse resp;
      auto st = stub->CreateManagementTeamMembership(Ctx(admin).get(), req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
    };
    membership(head_, f_.school_a1, v1::MANAGEMENT_TEAM_ROLE_HEAD, v1::Date());
    membership(f_.teacher_a2, f_.school_a2, v1::MANAGEMENT_TEAM_ROLE_DEPUTY, D(2026, 1, 1));  // ended

    auto assign = [&](int64_t methodist, int64_t teacher, v1::MethodistRole role) {
      v1::CreateMethodistAssignmentRequest req;
      auto* a = req.mutable_assignment();
      a->set_methodist(P(methodist));
      a->set_teacher(P(teacher));
      a->set_role(role);
      *a->mutable_start_date() = D(2026, 1, 1);
      v1::CreateMethodistAssignmentResponse resp;
      auto st = stub->CreateMethodistAssignment(Ctx(admin).get(), req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
    };
    assign(staff_, f_.teacher_a1, v1::METHODIST_ROLE_REGIONAL_METHODIST);
    assign(staff_, f_.teacher_a2, v1::METHODIST_ROLE_REGIONAL_METHODIST);
    assign(mm_, f_.teacher_b1, v1::METHODIST_ROLE_TUTOR);  // tutors are not counted by #7

    {  // Internship platform hosted by B1; the management team of A1 trains there (#10).
      v1::CreateInternshipPlatformRequest req;
      req.mutable_platform()->set_organization(O(f_.school_b1));
      req.mutable_platform()->set_title("Управление качеством");
      v1::CreateInternshipPlatformResponse resp;
      ASSERT_TRUE(stub->CreateInternshipPlatform(Ctx(admin).get(), req, &resp).ok());
      v1::CreateInternshipParticipantRequest preq;
      preq.set_parent(resp.platform().name());
      preq.mutable_participant()->set_person(P(head_));
      preq.mutable_participant()->set_organization(O(f_.school_a1));
      preq.mutable_participant()->set_role(v1::INTERNSHIP_PARTICIPANT_ROLE_MANAGEMENT_TRAINEE);
      *preq.mutable_participant()->mutable_start_date() = D(2026, 2, 1);
      v1::CreateInternshipParticipantResponse presp;
      auto st = stub->CreateInternshipParticipant(Ctx(admin).get(), preq, &presp);
      ASSERT_TRUE(st.ok()) << st.error_message();
    }
    {  // Sakhalin facts: one community member, one expert, two ЦНППМ staff (one trained), events.
      v1::CreateCommunityMembershipRequest req;
      req.mutable_membership()->set_person(P(f_.teacher_a1));
      req.mutable_membership()->set_community_title("РМО учителей математики");
      req.mutable_membership()->set_community_kind(v1::COMMUNITY_KIND_METHODOLOGICAL_ASSOCIATION);
      req.mutable_membership()->set_level(v1::COMMUNITY_LEVEL_REGIONAL);
      v1::CreateCommunityMembershipResponse resp;
      ASSERT_TRUE(stub->CreateCommunityMembership(Ctx(admin).get(), req, &resp).ok());
      v1::CreateExpertActivityRequest ereq;
      ereq.mutable_expert_activity()->set_person(P(f_.teacher_b1));
      ereq.mutable_expert_activity()->set_kind(v1::EXPERT_ACTIVITY_KIND_ATTESTATION);
      *ereq.mutable_expert_activity()->mutable_start_date() = D(2026, 4, 1);
      v1::CreateExpertActivityResponse eresp;
      ASSERT_TRUE(stub->CreateExpertActivity(Ctx(admin).get(), ereq, &eresp).ok());
      for (auto [person, trained] : {std::pair{staff_, true}, std::pair{mm_, false}}) {
        v1::CreateCnppmStaffMemberRequest sreq;
        sreq.mutable_member()->set_person(P(person));
        sreq.mutable_member()->set_organization(O(f_.cnppm));
        sreq.mutable_member()->set_federally_trained(trained);
        v1::CreateCnppmStaffMemberResponse sresp;
        auto st = stub->CreateCnppmStaffMember(Ctx(admin).get(), sreq, &sresp);
        ASSERT_TRUE(st.ok()) << st.error_message();
      }
      for (auto day : {D(2025, 11, 1), D(2026, 2, 10), D(2026, 5, 15), D(2026, 6, 1)}) {
        v1::CreateRegionalEventRequest rreq;
        rreq.mutable_event()->set_region(R());
        rreq.mutable_event()->set_title("Региональный форум");
        *rreq.mutable_event()->mutable_start_date() = day;
        v1::CreateRegionalEventResponse rresp;
        auto st = stub->CreateRegionalEvent(Ctx(admin).get(), rreq, &rresp);
        ASSERT_TRUE(st.ok()) << st.error_message();
      }
    }
  }

  static Fixture f_;
  static int64_t y1_, y2_, y3_, head_, staff_, mm_;
  static ServerProcess* server_;
  static bool facts_recorded_;
};
Fixture MonitoringTest::f_;
bool MonitoringTest::facts_recorded_ = false;
int64_t MonitoringTest::y1_, MonitoringTest::y2_, MonitoringTest::y3_, MonitoringTest::head_, MonitoringTest::staff_,
    MonitoringTest::mm_;
ServerProcess* MonitoringTest::server_ = nullptr;

const v1::IndicatorValue& Find(const v1::ScopeIndicatorValues& s, const std::string& code) {
  for (const auto& v : s.values()) {
    if (v.code() == code) return v;
  }
  ADD_FAILURE() << "no " << code;
  static v1::IndicatorValue none;
  return none;
}

TEST_F(MonitoringTest, HandComputedRegionIsReproduced) {
  RecordFacts();
  auto stub = Stub();
  std::string admin = Token("regional.admin");
  {
    ASSERT_EQ(ApplyPreset(admin, v1::INDICATOR_PRESET_MOSCOW_OBLAST).definitions_size(), 11);  // item 4 has two targets
    auto resp = ApplyPreset(admin, v1::INDICATOR_PRESET_SAKHALIN);
    ASSERT_EQ(resp.definitions_size(), 19);  // merged
    // Attest МО-01 for the year.
    v1::RecordIndicatorAttestationRequest areq;
    areq.set_definition(resp.definitions(0).name());
    ASSERT_EQ(resp.definitions(0).code(), "МО-01");
    areq.set_scope(R());
    *areq.mutable_period_end_date() = D(2026, 6, 30);
    areq.set_value(true);
    areq.set_document("распоряжение № 1");
    v1::RecordIndicatorAttestationResponse aresp;
    auto st = stub->RecordIndicatorAttestation(Ctx(admin).get(), areq, &aresp);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  v1::ComputeIndicatorsRequest req;
  req.set_scope(R());
  *req.mutable_reference_date() = D(2026, 6, 30);
  req.set_include_children(true);
  v1::ComputeIndicatorsResponse resp;
  auto st = stub->ComputeIndicators(Ctx(admin).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const auto& r = resp.scope_values();
  struct Want {
    const char* code;
    int64_t num, den;
    v1::IndicatorStatus status;
  };
  const Want want[] = {
      {"МО-01", 1, 1, v1::INDICATOR_STATUS_REACHED},         // attested yes
      {"МО-02", 0, 1, v1::INDICATOR_STATUS_NOT_APPLICABLE},  // not attested
      {"МО-03", 0, 0, v1::INDICATOR_STATUS_NOT_APPLICABLE},  // nobody diagnosed here
      {"МО-04", 0, 7, v1::INDICATOR_STATUS_NOT_REACHED},     // no routes
      {"МО-05", 1, 7, v1::INDICATOR_STATUS_NOT_REACHED},     // only a1
      {"МО-06", 1, 1, v1::INDICATOR_STATUS_REACHED},         // team of A1 (deputy of A2 ended), head trained
      {"МО-07", 2, 1, v1::INDICATOR_STATUS_REACHED},         // a1, a2 assigned to 1 regional methodist
      {"МО-08", 0, 2, v1::INDICATOR_STATUS_NOT_REACHED},     // cohort y1, y3 (y2 turns 35)
      {"МО-09", 0, 3, v1::INDICATOR_STATUS_NOT_REACHED},     // no mentoring programmes recorded
      {"МО-10", 1, 3, v1::INDICATOR_STATUS_REACHED},         // A1's team in an internship platform
      {"САХ-1", 1, 2, v1::INDICATOR_STATUS_REACHED},         // a1 of {a1, b1}: 50 %
      {"САХ-4", 1, 7, v1::INDICATOR_STATUS_NOT_REACHED},
      {"САХ-5", 1, 7, v1::INDICATOR_STATUS_REACHED},         // 14 % ≥ 2 %
      {"САХ-7", 1, 2, v1::INDICATOR_STATUS_NOT_REACHED},
      {"САХ-8", 3, 1, v1::INDICATOR_STATUS_NOT_REACHED},     // 3 events in 2026 < 4
  };
  for (const auto& w : want) {
    const auto& v = Find(r, w.code);
    EXPECT_EQ(v.numerator(), w.num) << w.code;
    EXPECT_EQ(v.denominator(), w.den) << w.code;
    EXPECT_EQ(v.status(), w.status) << w.code;
  }
  EXPECT_NEAR(Find(r, "МО-05").value(), 100.0 / 7, 1e-9);
  // Drill-down to municipalities: Город А (a1, a2, head, y1), Город Б (b1, y2, y3).
  ASSERT_EQ(resp.children_size(), 2);
  EXPECT_EQ(resp.children(0).title(), "Город А");
  EXPECT_EQ(Find(resp.children(0), "МО-05").numerator(), 1);
  EXPECT_EQ(Find(resp.children(0), "МО-05").denominator(), 4);
  EXPECT_EQ(Find(resp.children(1), "МО-05").denominator(), 3);
  EXPECT_EQ(Find(resp.children(0), "МО-07").value(), 2);  // a1, a2 (b1 has a tutor)
  EXPECT_EQ(Find(resp.children(1), "МО-07").status(), v1::INDICATOR_STATUS_NOT_APPLICABLE);
  EXPECT_EQ(Find(resp.children(0), "МО-01").status(), v1::INDICATOR_STATUS_NOT_APPLICABLE);  // region-level only
  EXPECT_EQ(Find(resp.children(1), "МО-08").denominator(), 1);  // y3

  // Quarterly series of САХ-8: one event in Q1 2026, three by Q2 (yearly period).
  v1::GetIndicatorTimeSeriesRequest treq;
  treq.set_scope(R());
  *treq.mutable_from_date() = D(2026, 1, 1);
  *treq.mutable_to_date() = D(2026, 6, 30);
  treq.add_codes("САХ-8");
  v1::GetIndicatorTimeSeriesResponse tresp;
  st = stub->GetIndicatorTimeSeries(Ctx(admin).get(), treq, &tresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(tresp.series_size(), 1);
  ASSERT_EQ(tresp.series(0).points_size(), 2);
  EXPECT_EQ(tresp.series(0).points(0).quarter(), 1);
  EXPECT_EQ(tresp.series(0).points(0).value().numerator(), 1);
  EXPECT_EQ(tresp.series(0).points(1).value().numerator(), 3);

  // CSV and HTML.
  v1::ExportIndicatorsCsvRequest creq;
  creq.set_scope(R());
  *creq.mutable_reference_date() = D(2026, 6, 30);
  v1::ExportIndicatorsCsvResponse cresp;
  ASSERT_TRUE(stub->ExportIndicatorsCsv(Ctx(admin).get(), creq, &cresp).ok());
  EXPECT_NE(cresp.content().find("\"МО-07\";\"Количество педагогических работников, закрепленных за 1 региональным методистом для "
                                    "осуществления методического сопровождения\";2;1;2;250;\"≤\";\"достигнуто\""),
            std::string::npos)
      << cresp.content();
  v1::RenderIndicatorReportRequest hreq;
  hreq.set_scope(R());
  *hreq.mutable_reference_date() = D(2026, 6, 30);
  v1::RenderIndicatorReportResponse hresp;
  ASSERT_TRUE(stub->RenderIndicatorReport(Ctx(admin).get(), hreq, &hresp).ok());
  EXPECT_NE(hresp.html().find("Тестовая область"), std::string::npos);
  EXPECT_NE(hresp.html().find("САХ-8"), std::string::npos);

  // A regional admin lowers the #5 target; a stale version is refused.
  v1::GetIndicatorDefinitionRequest greq;
  greq.set_name(Find(r, "МО-05").definition());
  v1::GetIndicatorDefinitionResponse gresp;
  ASSERT_TRUE(stub->GetIndicatorDefinition(Ctx(admin).get(), greq, &gresp).ok());
  v1::UpdateIndicatorDefinitionRequest ureq;
  *ureq.mutable_definition() = gresp.definition();
  ureq.mutable_definition()->set_target_value(10);
  ureq.mutable_update_mask()->add_paths("target_value");
  v1::UpdateIndicatorDefinitionResponse uresp;
  st = stub->UpdateIndicatorDefinition(Ctx(admin).get(), ureq, &uresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(uresp.definition().version(), gresp.definition().version() + 1);
  EXPECT_EQ(stub->UpdateIndicatorDefinition(Ctx(admin).get(), ureq, &uresp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  req.clear_include_children();
  req.add_codes("МО-05");
  ASSERT_TRUE(stub->ComputeIndicators(Ctx(admin).get(), req, &resp).ok());
  ASSERT_EQ(resp.scope_values().values_size(), 1);
  EXPECT_EQ(resp.scope_values().values(0).status(), v1::INDICATOR_STATUS_REACHED);  // 14.3 % ≥ 10 %

  // REPLACE with the municipal set disables the rest.
  v1::ApplyIndicatorPresetRequest preq;
  preq.set_region(R());
  preq.set_preset(v1::INDICATOR_PRESET_MUNICIPAL);
  preq.set_mode(v1::PRESET_APPLY_MODE_REPLACE);
  v1::ApplyIndicatorPresetResponse presp;
  ASSERT_TRUE(stub->ApplyIndicatorPreset(Ctx(admin).get(), preq, &presp).ok());
  EXPECT_EQ(presp.definitions_size(), 5);
}

TEST_F(MonitoringTest, AccessAndValidation) {
  auto stub = Stub();
  v1::ComputeIndicatorsRequest req;
  req.set_scope(R());
  v1::ComputeIndicatorsResponse resp;
  EXPECT_EQ(stub->ComputeIndicators(Ctx(Token("teacher.a1")).get(), req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  std::string mun = Token("mun.a");
  EXPECT_EQ(stub->ComputeIndicators(Ctx(mun).get(), req, &resp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  req.set_scope("municipalities/" + std::to_string(f_.mun_a));
  EXPECT_TRUE(stub->ComputeIndicators(Ctx(mun).get(), req, &resp).ok());
  req.set_scope(P(f_.teacher_a1));  // a person is not a scope
  EXPECT_EQ(stub->ComputeIndicators(Ctx(mun).get(), req, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  req.set_scope(O(f_.school_b1));  // outside the municipality
  EXPECT_EQ(stub->ComputeIndicators(Ctx(mun).get(), req, &resp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  req.set_scope("");
  EXPECT_EQ(stub->ComputeIndicators(Ctx(mun).get(), req, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Only the regional admin manages definitions.
  v1::ApplyIndicatorPresetRequest preq;
  preq.set_region(R());
  preq.set_preset(v1::INDICATOR_PRESET_MORDOVIA);
  v1::ApplyIndicatorPresetResponse presp;
  EXPECT_EQ(stub->ApplyIndicatorPreset(Ctx(mun).get(), preq, &presp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  preq.set_preset(static_cast<v1::IndicatorPreset>(42));
  EXPECT_EQ(stub->ApplyIndicatorPreset(Ctx(Token("regional.admin")).get(), preq, &presp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Facts: a school admin records only for people of the school.
  std::string school = Token("school.a1");
  v1::CreateTrainingCompletionRequest treq;
  treq.mutable_completion()->set_person(P(f_.teacher_b1));
  treq.mutable_completion()->set_programme_title("Курс");
  v1::CreateTrainingCompletionResponse tresp;
  EXPECT_EQ(stub->CreateTrainingCompletion(Ctx(school).get(), treq, &tresp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  treq.mutable_completion()->set_person(P(f_.teacher_a1));
  treq.mutable_completion()->set_attestation_passed(true);
  EXPECT_EQ(stub->CreateTrainingCompletion(Ctx(school).get(), treq, &tresp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // passed without an end date
  *treq.mutable_completion()->mutable_end_date() = D(2025, 12, 1);
  treq.set_request_id("tc-1");
  ASSERT_TRUE(stub->CreateTrainingCompletion(Ctx(school).get(), treq, &tresp).ok());
  v1::CreateTrainingCompletionResponse again;
  ASSERT_TRUE(stub->CreateTrainingCompletion(Ctx(school).get(), treq, &again).ok());
  EXPECT_EQ(again.completion().name(), tresp.completion().name());  // idempotent
  // Presets are listed for anyone signed in.
  v1::ListIndicatorPresetsResponse lresp;
  ASSERT_TRUE(stub->ListIndicatorPresets(Ctx(school).get(), v1::ListIndicatorPresetsRequest(), &lresp).ok());
  EXPECT_EQ(lresp.presets_size(), 4);
}

TEST_F(MonitoringTest, FactRecordsAreListedReadAndDeleted) {
  RecordFacts();
  auto stub = Stub();
  std::string admin = Token("regional.admin");
  // Among the recorded facts: one community membership of a1.
  v1::ListCommunityMembershipsRequest lreq;
  lreq.set_filter("person = \"" + P(f_.teacher_a1) + "\" AND active = true");
  v1::ListCommunityMembershipsResponse lresp;
  auto st = stub->ListCommunityMemberships(Ctx(admin).get(), lreq, &lresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(lresp.memberships_size(), 1);
  EXPECT_EQ(lresp.total_size(), 1);
  EXPECT_EQ(lresp.memberships(0).community_kind(), v1::COMMUNITY_KIND_METHODOLOGICAL_ASSOCIATION);
  EXPECT_EQ(lresp.memberships(0).community_title(), "РМО учителей математики");
  {  // Update: end the membership; references cannot be changed; stale versions are refused.
    v1::UpdateCommunityMembershipRequest ureq;
    *ureq.mutable_membership() = lresp.memberships(0);
    *ureq.mutable_membership()->mutable_end_date() = D(2026, 12, 31);
    ureq.mutable_membership()->set_member_status("руководитель");
    ureq.mutable_update_mask()->add_paths("end_date");
    ureq.mutable_update_mask()->add_paths("member_status");
    v1::UpdateCommunityMembershipResponse uresp;
    st = stub->UpdateCommunityMembership(Ctx(admin).get(), ureq, &uresp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(uresp.membership().version(), 2);
    EXPECT_EQ(uresp.membership().end_date().year(), 2026);
    EXPECT_EQ(uresp.membership().member_status(), "руководитель");
    EXPECT_EQ(uresp.membership().community_title(), "РМО учителей математики");
    EXPECT_EQ(stub->UpdateCommunityMembership(Ctx(admin).get(), ureq, &uresp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
    ureq.mutable_update_mask()->add_paths("person");
    EXPECT_EQ(stub->UpdateCommunityMembership(Ctx(admin).get(), ureq, &uresp).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    ureq.mutable_update_mask()->Clear();
    ureq.mutable_update_mask()->add_paths("end_date");
    ureq.mutable_membership()->set_version(2);
    *ureq.mutable_membership()->mutable_end_date() = D(2000, 1, 1);  // before the start
    ureq.mutable_membership()->mutable_start_date()->set_year(0);
    *ureq.mutable_membership()->mutable_start_date() = D(2020, 1, 1);
    ureq.mutable_update_mask()->add_paths("start_date");
    EXPECT_EQ(stub->UpdateCommunityMembership(Ctx(admin).get(), ureq, &uresp).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  lreq.set_filter("person = \"" + P(f_.teacher_b1) + "\"");
  ASSERT_TRUE(stub->ListCommunityMemberships(Ctx(admin).get(), lreq, &lresp).ok());
  EXPECT_EQ(lresp.memberships_size(), 0);
  lreq.set_filter("colour = 1");
  EXPECT_EQ(stub->ListCommunityMemberships(Ctx(admin).get(), lreq, &lresp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Paging over the four regional events.
  v1::ListRegionalEventsRequest ereq;
  ereq.set_page_size(3);
  v1::ListRegionalEventsResponse eresp;
  ASSERT_TRUE(stub->ListRegionalEvents(Ctx(admin).get(), ereq, &eresp).ok());
  EXPECT_EQ(eresp.events_size(), 3);
  EXPECT_EQ(eresp.total_size(), 4);
  ASSERT_FALSE(eresp.next_page_token().empty());
  ereq.set_page_token(eresp.next_page_token());
  v1::ListRegionalEventsResponse eresp2;
  ASSERT_TRUE(stub->ListRegionalEvents(Ctx(admin).get(), ereq, &eresp2).ok());
  EXPECT_EQ(eresp2.events_size(), 1);
  EXPECT_TRUE(eresp2.next_page_token().empty());

  // Get and delete an assignment: stale version refused, then deleted, then NOT_FOUND.
  v1::ListMethodistAssignmentsRequest areq;
  areq.set_filter("role = METHODIST_ROLE_TUTOR");
  v1::ListMethodistAssignmentsResponse aresp;
  ASSERT_TRUE(stub->ListMethodistAssignments(Ctx(admin).get(), areq, &aresp).ok());
  ASSERT_EQ(aresp.assignments_size(), 1);
  v1::GetMethodistAssignmentRequest greq;
  greq.set_name(aresp.assignments(0).name());
  v1::GetMethodistAssignmentResponse gresp;
  ASSERT_TRUE(stub->GetMethodistAssignment(Ctx(admin).get(), greq, &gresp).ok());
  EXPECT_EQ(gresp.assignment().teacher(), P(f_.teacher_b1));
  EXPECT_EQ(gresp.assignment().start_date().year(), 2026);
  v1::DeleteMethodistAssignmentRequest dreq;
  dreq.set_name(gresp.assignment().name());
  dreq.set_version(gresp.assignment().version() + 1);
  v1::DeleteMethodistAssignmentResponse dresp;
  EXPECT_EQ(stub->DeleteMethodistAssignment(Ctx(admin).get(), dreq, &dresp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // A school admin of another school cannot see it (out of scope looks like missing).
  EXPECT_EQ(stub->GetMethodistAssignment(Ctx(Token("school.a1")).get(), greq, &gresp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  dreq.set_version(1);
  ASSERT_TRUE(stub->DeleteMethodistAssignment(Ctx(admin).get(), dreq, &dresp).ok());
  EXPECT_EQ(stub->GetMethodistAssignment(Ctx(admin).get(), greq, &gresp).error_code(), grpc::StatusCode::NOT_FOUND);

  // Nested participants of the internship platform.
  v1::ListInternshipPlatformsResponse presp;
  ASSERT_TRUE(stub->ListInternshipPlatforms(Ctx(admin).get(), v1::ListInternshipPlatformsRequest(), &presp).ok());
  ASSERT_EQ(presp.platforms_size(), 1);
  v1::ListInternshipParticipantsRequest ipreq;
  ipreq.set_parent(presp.platforms(0).name());
  v1::ListInternshipParticipantsResponse ipresp;
  st = stub->ListInternshipParticipants(Ctx(admin).get(), ipreq, &ipresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(ipresp.participants_size(), 1);
  EXPECT_EQ(ipresp.participants(0).role(), v1::INTERNSHIP_PARTICIPANT_ROLE_MANAGEMENT_TRAINEE);
  EXPECT_EQ(ipresp.participants(0).name().rfind(presp.platforms(0).name() + "/participants/", 0), 0u);
}

// The server reuses a region's loaded facts between computations (MonitoringFactsCache): an
// update through the API that adds no row must still show in the very next computation.
TEST_F(MonitoringTest, IndicatorsFollowEveryWriteAtOnce) {
  RecordFacts();
  auto stub = Stub();
  std::string admin = Token("regional.admin");
  ASSERT_EQ(ApplyPreset(admin, v1::INDICATOR_PRESET_MOSCOW_OBLAST).definitions_size(), 11);  // item 4 has two targets
  auto passed = [&]() -> int64_t {  // МО-05: trained by ДПП chosen from diagnostics, attestation passed
    v1::ComputeIndicatorsRequest req;
    req.set_scope(R());
    *req.mutable_reference_date() = D(2026, 6, 30);
    req.add_codes("МО-05");
    v1::ComputeIndicatorsResponse resp;
    auto st = stub->ComputeIndicators(Ctx(admin).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return Find(resp.scope_values(), "МО-05").numerator();
  };
  int64_t before = passed();
  EXPECT_EQ(passed(), before) << "the same data gives the same value";

  v1::ListTrainingCompletionsRequest lreq;
  lreq.set_filter("person = \"" + P(f_.teacher_a2) + "\"");
  v1::ListTrainingCompletionsResponse lresp;
  ASSERT_TRUE(stub->ListTrainingCompletions(Ctx(admin).get(), lreq, &lresp).ok());
  ASSERT_EQ(lresp.completions_size(), 1);
  ASSERT_FALSE(lresp.completions(0).attestation_passed());
  auto set_passed = [&](v1::TrainingCompletion c, bool value) {
    v1::UpdateTrainingCompletionRequest ureq;
    c.set_attestation_passed(value);
    *ureq.mutable_completion() = c;
    ureq.mutable_update_mask()->add_paths("attestation_passed");
    ureq.set_request_id(absl::StrCat("cache-", value, "-", c.version()));
    v1::UpdateTrainingCompletionResponse uresp;
    auto st = stub->UpdateTrainingCompletion(Ctx(admin).get(), ureq, &uresp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return uresp.completion();
  };
  v1::TrainingCompletion updated = set_passed(lresp.completions(0), true);
  EXPECT_EQ(passed(), before + 1) << "an update is counted at once";
  set_passed(updated, false);
  EXPECT_EQ(passed(), before) << "and so is its reversal";
}

}  // namespace
}  // namespace nms::testing
