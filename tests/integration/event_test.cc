// EventService against a real MariaDB and a real nms-server: who organises at which level (scope
// denials), bad input, publication, registration within capacity (double registration, full,
// not published), withdrawal, suggestions by the deficits of the latest diagnostics, adding an
// event to the ИОМ, and attendance that closes the ИОМ item and records the regional-event fact
// with its participant — while facts entered by hand keep working.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nms/v1/events.grpc.pb.h"
#include "nms/v1/monitoring.grpc.pb.h"
#include "nms/v1/route.grpc.pb.h"
#include "server/auth/password.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/mapping/proto_time.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using grpc::StatusCode;
constexpr char kDb[] = "it_events";

class EventTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    pool_ = new db::ConnectionPool(*db::ParseDsn(TestDsn(kDb)));
    // Accounts the shared fixture lacks: the second teacher, and the heads of two more schools.
    const std::string hash = *auth::HashPassword("Passw0rd!", 1000);
    Sql([&](sql::Connection& c) {
      auto account = [&](const char* login, int64_t person, int role, int64_t org) {
        db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash) VALUES (?, ?, ?)")
            .Str(login).Int(person).Str(hash).Execute();
        db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, ?, 3, ?)")
            .Int(db::LastInsertId(c)).Int(role).Int(org).Execute();
      };
      auto head = [&](int64_t org, int64_t mun, const char* last) {
        db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, middle_name, "
                    "birth_date, position, work_start_date) "
                    "VALUES (?, ?, ?, ?, 'Анна', 'Ивановна', '1980-01-01', 'директор', '2005-09-01')")
            .Int(f_.region).Int(mun).Int(org).Str(last).Execute();
        return db::LastInsertId(c);
      };
      account("teacher.a2", f_.teacher_a2, 1, f_.school_a2);
      account("school.a2", head(f_.school_a2, f_.mun_a, "Завучева"), 2, f_.school_a2);
      account("school.b1", head(f_.school_b1, f_.mun_b, "Борисова"), 2, f_.school_b1);
    });
    server_ = new ServerProcess(kDb);
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
  static std::string Token(const std::string& login) {
    static auto* tokens = new std::map<std::string, std::string>;
    auto it = tokens->find(login);
    if (it != tokens->end()) return it->second;
    return (*tokens)[login] = SignIn(*server_->Channel(), login);
  }
  static std::unique_ptr<v1::EventService::Stub> Api() { return v1::EventService::NewStub(server_->Channel()); }
  static std::string Org(int64_t id) { return absl::StrCat("organizations/", id); }
  static std::string P(int64_t id) { return absl::StrCat("people/", id); }
  static std::string Rq() { return absl::StrCat("ev-rq-", ++seq_); }

  static v1::Event Content(v1::EventLevel level, int64_t organizer, const std::string& title, int capacity = 0) {
    v1::Event e;
    e.set_level(level);
    e.set_kind(v1::EVENT_KIND_WEBINAR);
    e.set_title(title);
    e.set_description("Приёмы формирующего оценивания");
    e.set_organizer(Org(organizer));
    *e.mutable_start_time() = mapping::ToProtoTime(absl::Now() + absl::Hours(72));
    *e.mutable_end_time() = mapping::ToProtoTime(absl::Now() + absl::Hours(74));
    e.set_link("https://webinar.example.ru/room");
    e.set_capacity(capacity);
    e.add_areas(v1::COMPETENCY_AREA_METHODOLOGICAL);
    e.add_indicator_codes("М.1");
    return e;
  }
  static grpc::Status Create(const std::string& login, v1::Event e, v1::Event* out, bool publish = false,
                             const std::string& request_id = "") {
    v1::CreateEventRequest req;
    if (publish) e.set_status(v1::EVENT_STATUS_PUBLISHED);
    *req.mutable_event() = e;
    req.set_request_id(request_id);
    v1::CreateEventResponse resp;
    auto st = Api()->CreateEvent(Ctx(Token(login)).get(), req, &resp);
    if (out != nullptr) *out = resp.event();
    return st;
  }
  static v1::Event MustCreate(const std::string& login, const v1::Event& e, bool publish = true) {
    v1::Event out;
    auto st = Create(login, e, &out, publish);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
  static grpc::Status Get(const std::string& login, const std::string& name, v1::Event* out = nullptr) {
    v1::GetEventRequest req;
    req.set_name(name);
    v1::GetEventResponse resp;
    auto st = Api()->GetEvent(Ctx(Token(login)).get(), req, &resp);
    if (out != nullptr) *out = resp.event();
    return st;
  }
  static grpc::Status Register(const std::string& login, const std::string& event, int64_t person,
                               v1::EventRegistration* out = nullptr) {
    v1::RegisterForEventRequest req;
    req.set_parent(event);
    req.set_person(P(person));
    req.set_request_id(Rq());
    v1::RegisterForEventResponse resp;
    auto st = Api()->RegisterForEvent(Ctx(Token(login)).get(), req, &resp);
    if (out != nullptr) *out = resp.registration();
    return st;
  }
  static grpc::Status Mark(const std::string& login, const v1::EventRegistration& r, bool attended,
                           v1::EventRegistration* out = nullptr) {
    v1::MarkEventAttendanceRequest req;
    req.set_name(r.name());
    req.set_version(r.version());
    req.set_attended(attended);
    req.set_request_id(Rq());
    v1::MarkEventAttendanceResponse resp;
    auto st = Api()->MarkEventAttendance(Ctx(Token(login)).get(), req, &resp);
    if (out != nullptr) *out = resp.registration();
    return st;
  }
  // The event started an hour ago (time passing, without waiting for it).
  static void MoveIntoPast(const std::string& name) {
    const int64_t id = std::stoll(name.substr(7));
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "UPDATE events SET start_at = NOW() - INTERVAL 1 HOUR, end_at = NOW() - INTERVAL 10 MINUTE WHERE id = ?")
          .Int(id)
          .Execute();
    });
  }
  // teacher_a1's FINAL result with deficits М.1 (methodological) and Ц.1 (digital), and a
  // route in progress built from it.
  static int64_t SeedResultAndRoute() {
    int64_t route = 0;
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO diagnostic_frameworks (region_id, title, revision, state, overall_basic, overall_advanced, "
                  "overall_high) VALUES (?, 'Рамка', 1, 2, 50, 70, 85)")
          .Int(f_.region)
          .Execute();
      const int64_t fw = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO diagnostic_results (person_id, region_id, framework_version, source, status, "
                  "overall_score, overall_level, diagnosis_date) VALUES (?, ?, ?, 1, 2, 40, 1, CURDATE())")
          .Int(f_.teacher_a1)
          .Int(f_.region)
          .Int(fw)
          .Execute();
      const int64_t result = db::LastInsertId(c);
      int rank = 0;
      for (auto [code, area] : std::vector<std::pair<const char*, int>>{{"М.1", 2}, {"Ц.1", 5}}) {
        db::Stmt(c, "INSERT INTO diagnostic_deficits (result_id, indicator_code, area, score, threshold, gap, severity_rank) "
                    "VALUES (?, ?, ?, 30, 50, 20, ?)")
            .Int(result)
            .Str(code)
            .Int(area)
            .Int(++rank)
            .Execute();
      }
      db::Stmt(c, "INSERT INTO routes (person_id, region_id, result_id, status, full_name, municipality_id, organization_id) "
                  "VALUES (?, ?, ?, 4, 'Иванова', ?, ?)")
          .Int(f_.teacher_a1)
          .Int(f_.region)
          .Int(result)
          .Int(f_.mun_a)
          .Int(f_.school_a1)
          .Execute();
      route = db::LastInsertId(c);
    });
    return route;
  }

  static Fixture f_;
  static ServerProcess* server_;
  static db::ConnectionPool* pool_;
  static int seq_;
};
Fixture EventTest::f_;
ServerProcess* EventTest::server_ = nullptr;
db::ConnectionPool* EventTest::pool_ = nullptr;
int EventTest::seq_ = 0;

TEST_F(EventTest, EachLevelIsOrganisedInItsScope) {
  // A school admin: school events of the own school only.
  EXPECT_TRUE(Create("school.a1", Content(v1::EVENT_LEVEL_SCHOOL, f_.school_a1, "Школьный семинар"), nullptr).ok());
  EXPECT_EQ(Create("school.a1", Content(v1::EVENT_LEVEL_MUNICIPAL, f_.school_a1, "Чужой уровень"), nullptr).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create("school.a1", Content(v1::EVENT_LEVEL_SCHOOL, f_.school_a2, "Чужая школа"), nullptr).error_code(),
            StatusCode::PERMISSION_DENIED);
  // A municipal methodist: municipal events of the own municipality, never regional ones.
  EXPECT_TRUE(Create("mun.a", Content(v1::EVENT_LEVEL_MUNICIPAL, f_.school_a2, "Муниципальный вебинар"), nullptr).ok());
  EXPECT_EQ(Create("mun.a", Content(v1::EVENT_LEVEL_MUNICIPAL, f_.school_b1, "Другой муниципалитет"), nullptr).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create("mun.a", Content(v1::EVENT_LEVEL_REGIONAL, f_.school_a1, "Региональный"), nullptr).error_code(),
            StatusCode::PERMISSION_DENIED);
  // The ЦНППМ: regional events; a regional organisation holds no municipal one.
  EXPECT_TRUE(Create("regional.methodist", Content(v1::EVENT_LEVEL_REGIONAL, f_.cnppm, "Региональный форум"), nullptr).ok());
  v1::Event out;
  auto st = Create("regional.methodist", Content(v1::EVENT_LEVEL_MUNICIPAL, f_.cnppm, "ЦНППМ муниципальное"), &out);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << st.error_message();
  // Teachers organise nothing.
  EXPECT_EQ(Create("teacher.a1", Content(v1::EVENT_LEVEL_SCHOOL, f_.school_a1, "Учитель"), nullptr).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(EventTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::Event&)> mutate;
    const char* field;
  } cases[] = {
      {[](v1::Event& e) { e.set_title(" "); }, "event.title"},
      {[](v1::Event& e) { e.set_kind(v1::EVENT_KIND_UNSPECIFIED); }, "event.kind"},
      {[](v1::Event& e) { e.clear_end_time(); }, "event.end_time"},
      {[](v1::Event& e) { *e.mutable_end_time() = e.start_time(); }, "event.end_time"},
      {[](v1::Event& e) { e.set_link("javascript:alert(1)"); }, "event.link"},
      {[](v1::Event& e) { e.clear_link(); }, "event.place"},
      {[](v1::Event& e) { e.set_capacity(-5); }, "event.capacity"},
      {[](v1::Event& e) { e.clear_areas(); }, "event.areas"},
      {[](v1::Event& e) { e.set_organizer("organizations/0012"); }, "event.organizer"},
  };
  for (const auto& c : cases) {
    v1::Event e = Content(v1::EVENT_LEVEL_SCHOOL, f_.school_a1, "Семинар");
    c.mutate(e);
    auto st = Create("school.a1", e, nullptr);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << c.field << ": " << st.error_message();
    EXPECT_TRUE(absl::StrContains(st.error_message(), c.field)) << st.error_message();
  }
  // Published in the past: refused.
  v1::Event past = Content(v1::EVENT_LEVEL_SCHOOL, f_.school_a1, "Прошедшее");
  *past.mutable_start_time() = mapping::ToProtoTime(absl::Now() - absl::Hours(5));
  EXPECT_EQ(Create("school.a1", past, nullptr, true).error_code(), StatusCode::FAILED_PRECONDITION);
  // A filter outside the grammar.
  v1::ListEventsRequest req;
  req.set_filter("capacity > 3");
  v1::ListEventsResponse resp;
  EXPECT_EQ(Api()->ListEvents(Ctx(Token("teacher.a1")).get(), req, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(EventTest, DraftsStayWithOrganisersPublishedAreTheRegions) {
  v1::Event draft = MustCreate("school.a1", Content(v1::EVENT_LEVEL_SCHOOL, f_.school_a1, "Черновик школы"), false);
  EXPECT_EQ(draft.status(), v1::EVENT_STATUS_DRAFT);
  EXPECT_TRUE(Get("school.a1", draft.name()).ok());
  EXPECT_TRUE(Get("mun.a", draft.name()).ok());
  EXPECT_EQ(Get("teacher.a1", draft.name()).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Register("teacher.a1", draft.name(), f_.teacher_a1).error_code(), StatusCode::PERMISSION_DENIED);
  // Publishing (stale version refused first).
  v1::PublishEventRequest pub;
  pub.set_name(draft.name());
  pub.set_version(draft.version() + 5);
  v1::PublishEventResponse pub_resp;
  EXPECT_EQ(Api()->PublishEvent(Ctx(Token("school.a1")).get(), pub, &pub_resp).error_code(),
            StatusCode::FAILED_PRECONDITION);
  pub.set_version(draft.version());
  EXPECT_EQ(Api()->PublishEvent(Ctx(Token("school.a2")).get(), pub, &pub_resp).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Api()->PublishEvent(Ctx(Token("school.a1")).get(), pub, &pub_resp).ok());
  EXPECT_EQ(pub_resp.event().status(), v1::EVENT_STATUS_PUBLISHED);
  // Now the region reads it; the school admin of another school still may not edit it.
  EXPECT_TRUE(Get("teacher.b1", draft.name()).ok());
  v1::UpdateEventRequest up;
  *up.mutable_event() = pub_resp.event();
  up.mutable_event()->set_title("Новое название");
  up.mutable_update_mask()->add_paths("title");
  v1::UpdateEventResponse up_resp;
  EXPECT_EQ(Api()->UpdateEvent(Ctx(Token("school.a2")).get(), up, &up_resp).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Api()->UpdateEvent(Ctx(Token("school.a1")).get(), up, &up_resp).ok());
  EXPECT_EQ(up_resp.event().title(), "Новое название");
  // Teachers list it; a teacher's list never holds drafts.
  v1::ListEventsRequest lr;
  lr.set_filter(absl::StrCat("organizer = \"", Org(f_.school_a1), "\""));
  v1::ListEventsResponse lresp;
  ASSERT_TRUE(Api()->ListEvents(Ctx(Token("teacher.a1")).get(), lr, &lresp).ok());
  for (const auto& e : lresp.events()) EXPECT_NE(e.status(), v1::EVENT_STATUS_DRAFT) << e.title();
  EXPECT_TRUE(std::any_of(lresp.events().begin(), lresp.events().end(),
                          [&](const v1::Event& e) { return e.name() == draft.name(); }));
}

TEST_F(EventTest, RegistrationWithinCapacity) {
  v1::Event e = MustCreate("mun.a", Content(v1::EVENT_LEVEL_MUNICIPAL, f_.school_a1, "Мастер-класс на двоих", 2));
  v1::EventRegistration r1;
  ASSERT_TRUE(Register("teacher.a1", e.name(), f_.teacher_a1, &r1).ok());
  EXPECT_EQ(r1.status(), v1::EVENT_REGISTRATION_STATUS_REGISTERED);
  EXPECT_EQ(Register("teacher.a1", e.name(), f_.teacher_a1).error_code(), StatusCode::ALREADY_EXISTS);
  // Someone else's person: denied; the other municipality's teacher is not of the audience.
  EXPECT_EQ(Register("teacher.a1", e.name(), f_.teacher_a2).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Register("teacher.b1", e.name(), f_.teacher_b1).error_code(), StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Register("teacher.a2", e.name(), f_.teacher_a2).ok());
  // Full: a third person is refused; the capacity cannot drop below two.
  int64_t third = 0;
  Sql([&](sql::Connection& c) {
    auto rs = db::Stmt(c, "SELECT person_id FROM accounts WHERE login = 'school.a1'").Query();
    rs->next();
    third = rs->getInt64(1);
  });
  auto full = Register("school.a1", e.name(), third);
  EXPECT_EQ(full.error_code(), StatusCode::FAILED_PRECONDITION) << full.error_message();
  EXPECT_TRUE(absl::StrContains(full.error_message(), "Мест нет")) << full.error_message();
  v1::Event now;
  ASSERT_TRUE(Get("mun.a", e.name(), &now).ok());
  EXPECT_EQ(now.registered_count(), 2);
  v1::UpdateEventRequest up;
  *up.mutable_event() = now;
  up.mutable_event()->set_capacity(1);
  up.mutable_update_mask()->add_paths("capacity");
  v1::UpdateEventResponse up_resp;
  EXPECT_EQ(Api()->UpdateEvent(Ctx(Token("mun.a")).get(), up, &up_resp).error_code(), StatusCode::FAILED_PRECONDITION);
  // Withdrawing frees the place.
  v1::CancelEventRegistrationRequest cr;
  cr.set_name(r1.name());
  cr.set_version(r1.version());
  v1::CancelEventRegistrationResponse cresp;
  EXPECT_EQ(Api()->CancelEventRegistration(Ctx(Token("teacher.a2")).get(), cr, &cresp).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Api()->CancelEventRegistration(Ctx(Token("teacher.a1")).get(), cr, &cresp).ok());
  EXPECT_EQ(cresp.registration().status(), v1::EVENT_REGISTRATION_STATUS_CANCELLED);
  EXPECT_TRUE(Register("school.a1", e.name(), third).ok());
  // Attendance before the start is refused.
  v1::ListEventRegistrationsRequest lr;
  lr.set_parent(e.name());
  lr.set_filter("status = REGISTERED");
  v1::ListEventRegistrationsResponse lresp;
  EXPECT_EQ(Api()->ListEventRegistrations(Ctx(Token("teacher.a1")).get(), lr, &lresp).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Api()->ListEventRegistrations(Ctx(Token("mun.a")).get(), lr, &lresp).ok());
  ASSERT_EQ(lresp.registrations_size(), 2);
  EXPECT_EQ(Mark("mun.a", lresp.registrations(0), true).error_code(), StatusCode::FAILED_PRECONDITION);
  // A cancelled event takes no registrations.
  v1::CancelEventRequest cancel;
  cancel.set_name(e.name());
  ASSERT_TRUE(Get("mun.a", e.name(), &now).ok());
  cancel.set_version(now.version());
  v1::CancelEventResponse cancel_resp;
  EXPECT_EQ(Api()->CancelEvent(Ctx(Token("mun.a")).get(), cancel, &cancel_resp).error_code(),
            StatusCode::INVALID_ARGUMENT);  // no reason
  cancel.set_reason("Болезнь ведущего");
  ASSERT_TRUE(Api()->CancelEvent(Ctx(Token("mun.a")).get(), cancel, &cancel_resp).ok());
  EXPECT_EQ(cancel_resp.event().status(), v1::EVENT_STATUS_CANCELLED);
  EXPECT_EQ(Register("teacher.a1", e.name(), f_.teacher_a1).error_code(), StatusCode::FAILED_PRECONDITION);
}

TEST_F(EventTest, AttendanceClosesTheRouteItemAndRecordsTheFact) {
  const int64_t route = SeedResultAndRoute();
  v1::Event match = MustCreate("regional.methodist",
                               Content(v1::EVENT_LEVEL_REGIONAL, f_.cnppm, "Вебинар «Проектирование урока»", 100));
  v1::Event other = Content(v1::EVENT_LEVEL_REGIONAL, f_.cnppm, "Вебинар по предмету");
  other.clear_areas();
  other.add_areas(v1::COMPETENCY_AREA_SUBJECT);
  other.clear_indicator_codes();
  other.add_indicator_codes("П.9");
  MustCreate("regional.methodist", other);
  // Suggested: the event naming the deficit М.1, not the subject one.
  v1::ListSuggestedEventsRequest sreq;
  sreq.set_person(P(f_.teacher_a1));
  v1::ListSuggestedEventsResponse sresp;
  ASSERT_TRUE(Api()->ListSuggestedEvents(Ctx(Token("teacher.a1")).get(), sreq, &sresp).ok());
  EXPECT_TRUE(sresp.has_diagnostics());
  ASSERT_TRUE(std::any_of(sresp.events().begin(), sresp.events().end(), [&](const v1::SuggestedEvent& s) {
    return s.event().name() == match.name() && s.matched_indicator_codes_size() == 1 &&
           s.matched_indicator_codes(0) == "М.1";
  }));
  for (const auto& s : sresp.events()) EXPECT_NE(s.event().title(), "Вебинар по предмету");
  sreq.set_person(P(f_.teacher_a2));
  EXPECT_EQ(Api()->ListSuggestedEvents(Ctx(Token("teacher.a1")).get(), sreq, &sresp).error_code(),
            StatusCode::PERMISSION_DENIED);
  // Into the ИОМ (which registers); only once; a school admin may not edit the teacher's ИОМ.
  v1::AddEventToRouteRequest add;
  add.set_name(match.name());
  add.set_person(P(f_.teacher_a1));
  add.set_request_id(Rq());
  v1::AddEventToRouteResponse added;
  EXPECT_EQ(Api()->AddEventToRoute(Ctx(Token("school.a1")).get(), add, &added).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Api()->AddEventToRoute(Ctx(Token("teacher.a1")).get(), add, &added).ok());
  const std::string item = added.registration().route_item();
  ASSERT_TRUE(absl::StartsWith(item, absl::StrCat("routes/", route, "/items/"))) << item;
  // The same key answers the same; a new key is refused.
  v1::AddEventToRouteResponse again;
  ASSERT_TRUE(Api()->AddEventToRoute(Ctx(Token("teacher.a1")).get(), add, &again).ok());
  EXPECT_EQ(again.registration().name(), added.registration().name());
  add.set_request_id(Rq());
  EXPECT_EQ(Api()->AddEventToRoute(Ctx(Token("teacher.a1")).get(), add, &again).error_code(),
            StatusCode::FAILED_PRECONDITION);
  auto routes = v1::RouteService::NewStub(server_->Channel());
  v1::GetRouteItemRequest gi;
  gi.set_name(item);
  v1::GetRouteItemResponse gi_resp;
  ASSERT_TRUE(routes->GetRouteItem(Ctx(Token("teacher.a1")).get(), gi, &gi_resp).ok());
  EXPECT_EQ(gi_resp.item().section(), v1::ROUTE_SECTION_EVENTS);
  EXPECT_EQ(gi_resp.item().title(), match.title());
  ASSERT_EQ(gi_resp.item().closes_indicator_codes_size(), 1);
  EXPECT_EQ(gi_resp.item().closes_indicator_codes(0), "М.1");
  EXPECT_EQ(gi_resp.item().status(), v1::ROUTE_ITEM_STATUS_PLANNED);

  // The event takes place; the organiser marks attendance (another municipality's may not).
  MoveIntoPast(match.name());
  EXPECT_EQ(Mark("mun.a", added.registration(), true).error_code(), StatusCode::PERMISSION_DENIED);
  v1::EventRegistration marked;
  ASSERT_TRUE(Mark("regional.methodist", added.registration(), true, &marked).ok());
  EXPECT_EQ(marked.status(), v1::EVENT_REGISTRATION_STATUS_ATTENDED);
  EXPECT_EQ(Mark("regional.methodist", added.registration(), true).error_code(),
            StatusCode::FAILED_PRECONDITION);  // stale version
  v1::Event held;
  ASSERT_TRUE(Get("teacher.a1", match.name(), &held).ok());
  EXPECT_EQ(held.status(), v1::EVENT_STATUS_HELD);
  EXPECT_EQ(held.attended_count(), 1);
  ASSERT_TRUE(routes->GetRouteItem(Ctx(Token("teacher.a1")).get(), gi, &gi_resp).ok());
  EXPECT_EQ(gi_resp.item().status(), v1::ROUTE_ITEM_STATUS_DONE);

  // The regional-event fact and its participant, derived — and a fact entered by hand beside it.
  auto mon = v1::MonitoringService::NewStub(server_->Channel());
  v1::CreateRegionalEventRequest manual;
  manual.mutable_event()->set_region(absl::StrCat("regions/", f_.region));
  manual.mutable_event()->set_title("Форум, внесённый вручную");
  manual.mutable_event()->mutable_start_date()->set_year(2025);
  manual.mutable_event()->mutable_start_date()->set_month(3);
  manual.mutable_event()->mutable_start_date()->set_day(1);
  manual.set_request_id(Rq());
  v1::CreateRegionalEventResponse manual_resp;
  ASSERT_TRUE(mon->CreateRegionalEvent(Ctx(Token("regional.methodist")).get(), manual, &manual_resp).ok());
  v1::ListRegionalEventsRequest lr;
  v1::ListRegionalEventsResponse lresp;
  ASSERT_TRUE(mon->ListRegionalEvents(Ctx(Token("regional.methodist")).get(), lr, &lresp).ok());
  std::string fact;
  int titles = 0;
  for (const auto& e : lresp.events()) {
    if (e.title() == match.title()) {
      fact = e.name();
      ++titles;
      EXPECT_EQ(e.level(), v1::COMMUNITY_LEVEL_REGIONAL);
      EXPECT_EQ(e.kind(), "вебинар");
    }
    if (e.title() == "Форум, внесённый вручную") ++titles;
  }
  EXPECT_EQ(titles, 2);
  ASSERT_FALSE(fact.empty());
  v1::ListRegionalEventParticipantsRequest pr;
  pr.set_parent(fact);
  v1::ListRegionalEventParticipantsResponse presp;
  ASSERT_TRUE(mon->ListRegionalEventParticipants(Ctx(Token("regional.methodist")).get(), pr, &presp).ok());
  ASSERT_EQ(presp.participants_size(), 1);
  EXPECT_EQ(presp.participants(0).person(), P(f_.teacher_a1));
  // Marked absent after all: the participant leaves the fact; the event stays held.
  ASSERT_TRUE(Mark("regional.methodist", marked, false, &marked).ok());
  ASSERT_TRUE(mon->ListRegionalEventParticipants(Ctx(Token("regional.methodist")).get(), pr, &presp).ok());
  EXPECT_EQ(presp.participants_size(), 0);
  ASSERT_TRUE(mon->ListRegionalEvents(Ctx(Token("regional.methodist")).get(), lr, &lresp).ok());
  EXPECT_EQ(std::count_if(lresp.events().begin(), lresp.events().end(),
                          [&](const v1::RegionalEvent& e) { return e.title() == match.title(); }),
            1);
}

TEST_F(EventTest, IdempotentCreateAndListPaging) {
  v1::Event e = Content(v1::EVENT_LEVEL_SCHOOL, f_.school_b1, "Открытый урок Б1");
  v1::Event a, b;
  ASSERT_TRUE(Create("school.b1", e, &a, true, "same-key-ev").ok());
  ASSERT_TRUE(Create("school.b1", e, &b, true, "same-key-ev").ok());
  EXPECT_EQ(a.name(), b.name());
  ASSERT_TRUE(Create("school.b1", e, &b, true, "other-key-ev").ok());
  EXPECT_NE(a.name(), b.name());
  v1::ListEventsRequest req;
  req.set_filter(absl::StrCat("organizer = \"", Org(f_.school_b1), "\" AND level = SCHOOL"));
  req.set_page_size(1);
  v1::ListEventsResponse resp;
  ASSERT_TRUE(Api()->ListEvents(Ctx(Token("teacher.b1")).get(), req, &resp).ok());
  EXPECT_EQ(resp.total_size(), 2);
  ASSERT_EQ(resp.events_size(), 1);
  ASSERT_FALSE(resp.next_page_token().empty());
  const std::string first = resp.events(0).name();
  req.set_page_token(resp.next_page_token());
  ASSERT_TRUE(Api()->ListEvents(Ctx(Token("teacher.b1")).get(), req, &resp).ok());
  ASSERT_EQ(resp.events_size(), 1);
  EXPECT_NE(resp.events(0).name(), first);
  EXPECT_TRUE(resp.next_page_token().empty());
  // Another municipality's teacher sees the school event in the calendar (read region-wide) but
  // may not register (not of its audience).
  EXPECT_EQ(Register("teacher.a1", a.name(), f_.teacher_a1).error_code(), StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace nms::testing
