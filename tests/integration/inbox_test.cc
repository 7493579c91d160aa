// InboxService and NotificationService against a real MariaDB and a real nms-server: the
// summary per role (each kind only to those who act on it), a list searched, sorted and paged,
// reminders that reach the teacher's notifications (idempotent, once a day, scope-checked),
// notifications written by the events a teacher waits on (ИОМ approved / returned, enrolment
// approved), overdue items, pairs without meetings under the region's setting, and bad input.
#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nms/v1/inbox.grpc.pb.h"
#include "nms/v1/mentoring.grpc.pb.h"
#include "nms/v1/route.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using grpc::StatusCode;
constexpr char kDb[] = "it_inbox";

class InboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    pool_ = new db::ConnectionPool(*db::ParseDsn(TestDsn(kDb)));
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO diagnostic_frameworks (region_id, title, revision, state, overall_basic, overall_advanced, "
                  "overall_high) VALUES (?, 'Рамка', 1, 2, 50, 70, 85)")
          .Int(f_.region).Execute();
      int64_t framework = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO diagnostic_instruments (region_id, framework_id, title, state) VALUES (?, ?, 'Тест', 2)")
          .Int(f_.region).Int(framework).Execute();
      int64_t instrument = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO diagnostic_campaigns (region_id, title, instrument_id, framework_id, population_json, state, "
                  "open_time, close_time) VALUES (?, 'Зимняя диагностика', ?, ?, '{}', 2, NOW() - INTERVAL 1 DAY, "
                  "NOW() + INTERVAL 10 DAY)")
          .Int(f_.region).Int(instrument).Int(framework).Execute();
      campaign_ = db::LastInsertId(c);
      auto participant = [&](int64_t person, int64_t org, int status) {
        db::Stmt(c, "INSERT INTO diagnostic_campaign_participants (campaign_id, person_id, organization_id, status) "
                    "VALUES (?, ?, ?, ?)")
            .Int(campaign_).Int(person).Int(org).Int(status).Execute();
      };
      participant(f_.teacher_a1, f_.school_a1, 1);
      participant(f_.teacher_a2, f_.school_a2, 2);
      participant(f_.teacher_b1, f_.school_b1, 1);
      finished_ = Person(c, f_.school_a1, f_.mun_a, "Готова");
      participant(finished_, f_.school_a1, 3);
      // ИОМ: a1's draft signed by the teacher (school to agree), a2's and b1's agreed (to approve).
      route_a1_ = Route(c, f_.teacher_a1, 1);
      db::Stmt(c, "INSERT INTO route_signatures (route_id, kind, person_id, full_name) VALUES (?, 1, ?, 'Иванова')")
          .Int(route_a1_).Int(f_.teacher_a1).Execute();
      route_a2_ = Route(c, f_.teacher_a2, 2);
      route_b1_ = Route(c, f_.teacher_b1, 2);
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
  static int64_t Person(sql::Connection& c, int64_t org, int64_t mun, const std::string& last) {
    db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, middle_name, "
                "position) VALUES (?, ?, ?, ?, 'Ольга', 'Ивановна', 'учитель')")
        .Int(f_.region).OptInt(mun).Int(org).Str(last).Execute();
    return db::LastInsertId(c);
  }
  static int64_t Route(sql::Connection& c, int64_t person, int status) {
    db::Stmt(c, "INSERT INTO routes (person_id, region_id, status, goal, full_name) VALUES (?, ?, ?, 'Развитие "
                "методических компетенций', 'x')")
        .Int(person).Int(f_.region).Int(status).Execute();
    return db::LastInsertId(c);
  }

  static std::string Token(const std::string& login) {
    static std::map<std::string, std::string>* tokens = new std::map<std::string, std::string>;
    auto it = tokens->find(login);
    if (it != tokens->end()) return it->second;
    return (*tokens)[login] = SignIn(*server_->Channel(), login);
  }
  static std::unique_ptr<v1::InboxService::Stub> Inbox() { return v1::InboxService::NewStub(server_->Channel()); }
  static std::unique_ptr<v1::NotificationService::Stub> Notes() {
    return v1::NotificationService::NewStub(server_->Channel());
  }

  static std::map<int, int64_t> Summary(const std::string& login) {
    v1::GetInboxSummaryResponse resp;
    auto st = Inbox()->GetInboxSummary(Ctx(Token(login)).get(), {}, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::map<int, int64_t> out;
    for (const auto& n : resp.counts()) out[n.kind()] = n.count();
    return out;
  }

  static grpc::Status List(const std::string& login, v1::InboxEntryKind kind, v1::ListInboxEntriesResponse* resp,
                           const std::string& query = "", v1::InboxSort sort = v1::INBOX_SORT_UNSPECIFIED,
                           int page_size = 0, const std::string& token = "") {
    v1::ListInboxEntriesRequest req;
    req.set_kind(kind);
    req.set_query(query);
    req.set_sort(sort);
    req.set_page_size(page_size);
    req.set_page_token(token);
    return Inbox()->ListInboxEntries(Ctx(Token(login)).get(), req, resp);
  }

  static grpc::Status Remind(const std::string& login, std::vector<int64_t> people, v1::RemindTeachersResponse* resp,
                             const std::string& request_id, const std::string& campaign = "") {
    v1::RemindTeachersRequest req;
    req.set_campaign(campaign.empty() ? absl::StrCat("campaigns/", campaign_) : campaign);
    for (int64_t id : people) req.add_people(absl::StrCat("people/", id));
    req.set_request_id(request_id);
    return Inbox()->RemindTeachers(Ctx(Token(login)).get(), req, resp);
  }

  static v1::ListNotificationsResponse Notifications(const std::string& login) {
    v1::ListNotificationsRequest req;
    v1::ListNotificationsResponse resp;
    auto st = Notes()->ListNotifications(Ctx(Token(login)).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  static int64_t Scalar(const std::string& query) {
    int64_t v = 0;
    Sql([&](sql::Connection& c) {
      auto rs = db::Stmt(c, query).Query();
      if (rs->next()) v = rs->getInt64(1);
    });
    return v;
  }

  static inline Fixture f_;
  static inline db::ConnectionPool* pool_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline int64_t campaign_ = 0, finished_ = 0, route_a1_ = 0, route_a2_ = 0, route_b1_ = 0;
};

TEST_F(InboxTest, SummaryShowsEachRoleTheWorkItMayDo) {
  auto school = Summary("school.a1");
  EXPECT_EQ(school[v1::INBOX_ENTRY_KIND_ROUTE_TO_AGREE], 1);
  EXPECT_EQ(school.count(v1::INBOX_ENTRY_KIND_ROUTE_TO_APPROVE), 0u) << "a school does not approve";
  EXPECT_EQ(school.count(v1::INBOX_ENTRY_KIND_MATCHING_PROPOSAL), 0u);
  EXPECT_EQ(school[v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE], 1) << "only its own teacher, not the finished one";

  auto municipal = Summary("mun.a");
  EXPECT_EQ(municipal[v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE], 2);
  EXPECT_EQ(municipal.count(v1::INBOX_ENTRY_KIND_ROUTE_TO_APPROVE), 0u);
  EXPECT_EQ(municipal.count(v1::INBOX_ENTRY_KIND_MATCHING_PROPOSAL), 1u);

  auto regional = Summary("regional.methodist");
  EXPECT_EQ(regional[v1::INBOX_ENTRY_KIND_ROUTE_TO_APPROVE], 2);
  EXPECT_EQ(regional[v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE], 3);
  EXPECT_EQ(regional.count(v1::INBOX_ENTRY_KIND_ITEM_REMARK), 1u);

  EXPECT_TRUE(Summary("teacher.a1").empty());
  EXPECT_TRUE(Summary("federal.sync").empty());
}

TEST_F(InboxTest, ListsAreSearchedSortedAndPaged) {
  v1::ListInboxEntriesResponse page;
  ASSERT_TRUE(List("regional.methodist", v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE, &page, "", v1::INBOX_SORT_NAME, 2).ok());
  ASSERT_EQ(page.entries_size(), 2);
  EXPECT_EQ(page.total_size(), 3);
  EXPECT_EQ(page.entries(0).person_name(), "Иванова Анна Петровна");
  EXPECT_EQ(page.entries(1).person_name(), "Петрова Анна Петровна");
  EXPECT_EQ(page.entries(1).detail(), "Начал(а), но не закончил(а)");
  EXPECT_EQ(page.entries(0).title(), "Зимняя диагностика");
  EXPECT_EQ(page.entries(0).related(), absl::StrCat("campaigns/", campaign_));
  EXPECT_EQ(page.entries(0).organization_title(), "Школа А1");
  ASSERT_FALSE(page.next_page_token().empty());
  v1::ListInboxEntriesResponse next;
  ASSERT_TRUE(List("regional.methodist", v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE, &next, "", v1::INBOX_SORT_NAME, 2,
                   page.next_page_token())
                  .ok());
  ASSERT_EQ(next.entries_size(), 1);
  EXPECT_EQ(next.entries(0).person_name(), "Сидорова Анна Петровна");
  EXPECT_TRUE(next.next_page_token().empty());

  v1::ListInboxEntriesResponse found;
  ASSERT_TRUE(List("regional.methodist", v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE, &found, "сидор").ok());
  ASSERT_EQ(found.entries_size(), 1);
  EXPECT_EQ(found.entries(0).person(), absl::StrCat("people/", f_.teacher_b1));

  // A token of one query is refused for another; unknown kind; a kind the caller cannot act on.
  v1::ListInboxEntriesResponse r;
  EXPECT_EQ(List("regional.methodist", v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE, &r, "петр", v1::INBOX_SORT_NAME, 2,
                 page.next_page_token())
                .error_code(),
            StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(List("regional.methodist", v1::INBOX_ENTRY_KIND_UNSPECIFIED, &r).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(List("regional.methodist", static_cast<v1::InboxEntryKind>(42), &r).error_code(),
            StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(List("school.a1", v1::INBOX_ENTRY_KIND_ROUTE_TO_APPROVE, &r).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(List("teacher.a1", v1::INBOX_ENTRY_KIND_CAMPAIGN_NOT_DONE, &r).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(List("regional.methodist", v1::INBOX_ENTRY_KIND_ROUTE_TO_APPROVE, &r, std::string(300, 'x')).error_code(),
            StatusCode::INVALID_ARGUMENT);

  // Routes to agree carry their version for the signature and read as steps, not ids.
  ASSERT_TRUE(List("school.a1", v1::INBOX_ENTRY_KIND_ROUTE_TO_AGREE, &r).ok());
  ASSERT_EQ(r.entries_size(), 1);
  EXPECT_EQ(r.entries(0).target(), absl::StrCat("routes/", route_a1_));
  EXPECT_EQ(r.entries(0).target_version(), 1);
  EXPECT_EQ(r.entries(0).detail(), "Подписан педагогом — ждёт подписи ОО");
}

TEST_F(InboxTest, ReminderReachesOnlyTheTeacherOnceADay) {
  v1::RemindTeachersResponse resp;
  ASSERT_TRUE(Remind("school.a1", {f_.teacher_a1}, &resp, "remind-1").ok());
  EXPECT_EQ(resp.reminded(), 1);
  // A retry with the same key answers the same; a new click the same day sends nothing new.
  v1::RemindTeachersResponse again;
  ASSERT_TRUE(Remind("school.a1", {f_.teacher_a1}, &again, "remind-1").ok());
  EXPECT_EQ(again.reminded(), 1);
  ASSERT_TRUE(Remind("school.a1", {f_.teacher_a1}, &again, "remind-2").ok());
  EXPECT_EQ(again.reminded(), 0);
  EXPECT_EQ(again.already_reminded(), 1);

  auto mine = Notifications("teacher.a1");
  ASSERT_EQ(mine.notifications_size(), 1);
  const auto& n = mine.notifications(0);
  EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_CAMPAIGN_REMINDER);
  EXPECT_EQ(n.title(), "Напоминание о диагностике");
  EXPECT_TRUE(absl::StrContains(n.body(), "«Зимняя диагностика»")) << n.body();
  EXPECT_TRUE(absl::StrContains(n.body(), "Директорова Анна Петровна")) << n.body();
  EXPECT_FALSE(absl::StrContains(n.body(), "people/")) << n.body();
  EXPECT_EQ(n.sender_name(), "Директорова Анна Петровна");
  EXPECT_FALSE(n.read());
  EXPECT_EQ(mine.unread_count(), 1);

  // Another teacher reads only their own and cannot mark someone else's.
  EXPECT_EQ(Notifications("teacher.b1").notifications_size(), 0);
  v1::MarkNotificationsReadRequest mark;
  mark.add_names(n.name());
  v1::MarkNotificationsReadResponse marked;
  EXPECT_EQ(Notes()->MarkNotificationsRead(Ctx(Token("teacher.b1")).get(), mark, &marked).error_code(),
            StatusCode::NOT_FOUND);
  ASSERT_TRUE(Notes()->MarkNotificationsRead(Ctx(Token("teacher.a1")).get(), mark, &marked).ok());
  EXPECT_EQ(marked.marked(), 1);
  EXPECT_EQ(marked.unread_count(), 0);
  EXPECT_TRUE(Notifications("teacher.a1").notifications(0).read());

  // Scope: a school admin cannot remind another school's teacher; a teacher reminds no one.
  EXPECT_EQ(Remind("school.a1", {f_.teacher_b1}, &resp, "remind-3").error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Remind("mun.a", {f_.teacher_b1}, &resp, "remind-4").error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Remind("teacher.a1", {f_.teacher_a1}, &resp, "remind-5").error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM notifications WHERE person_id = ", f_.teacher_b1)), 0);

  // Bad input and states.
  EXPECT_EQ(Remind("school.a1", {}, &resp, "remind-6").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Remind("school.a1", {f_.teacher_a1, f_.teacher_a1}, &resp, "remind-7").error_code(),
            StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Remind("school.a1", {f_.teacher_a1}, &resp, "remind-8", "campaign/1").error_code(),
            StatusCode::INVALID_ARGUMENT);
  auto done = Remind("school.a1", {finished_}, &resp, "remind-9");
  EXPECT_EQ(done.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(done.error_message(), "Готова Ольга Ивановна уже прошёл(а)")) << done.error_message();
  EXPECT_EQ(Remind("regional.methodist", {f_.teacher_a1}, &resp, "remind-10", "campaigns/999999").error_code(),
            StatusCode::NOT_FOUND);
  v1::MarkNotificationsReadRequest both;
  both.set_all(true);
  both.add_names(n.name());
  EXPECT_EQ(Notes()->MarkNotificationsRead(Ctx(Token("teacher.a1")).get(), both, &marked).error_code(),
            StatusCode::INVALID_ARGUMENT);
  v1::MarkNotificationsReadRequest none;
  EXPECT_EQ(Notes()->MarkNotificationsRead(Ctx(Token("teacher.a1")).get(), none, &marked).error_code(),
            StatusCode::INVALID_ARGUMENT);
  v1::ListNotificationsRequest bad_page;
  bad_page.set_page_token("junk!");
  v1::ListNotificationsResponse listed;
  EXPECT_EQ(Notes()->ListNotifications(Ctx(Token("teacher.a1")).get(), bad_page, &listed).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(InboxTest, RouteEventsNotifyTheTeacher) {
  auto routes = v1::RouteService::NewStub(server_->Channel());
  v1::ApproveRouteRequest approve;
  approve.set_name(absl::StrCat("routes/", route_b1_));
  approve.set_version(1);
  approve.set_request_id("approve-b1");
  v1::ApproveRouteResponse approved;
  auto st = routes->ApproveRoute(Ctx(Token("regional.methodist")).get(), approve, &approved);
  ASSERT_TRUE(st.ok()) << st.error_message();
  auto mine = Notifications("teacher.b1");
  ASSERT_GE(mine.notifications_size(), 1);
  EXPECT_EQ(mine.notifications(0).title(), "ИОМ утверждён");
  EXPECT_TRUE(absl::StrContains(mine.notifications(0).body(), "Смирнова Анна Петровна")) << mine.notifications(0).body();
  EXPECT_EQ(mine.notifications(0).subject(), absl::StrCat("routes/", route_b1_));

  v1::ReturnRouteForRevisionRequest back;
  back.set_name(absl::StrCat("routes/", route_a2_));
  back.set_version(1);
  back.set_comment("Добавьте стажировку");
  back.set_request_id("return-a2");
  v1::ReturnRouteForRevisionResponse returned;
  st = routes->ReturnRouteForRevision(Ctx(Token("regional.methodist")).get(), back, &returned);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM notifications WHERE kind = 3 AND person_id = ", f_.teacher_a2,
                                " AND body LIKE '%Добавьте стажировку%'")),
            1);
  // The approved route left the approval list; the returned one too.
  v1::ListInboxEntriesResponse left;
  ASSERT_TRUE(List("regional.methodist", v1::INBOX_ENTRY_KIND_ROUTE_TO_APPROVE, &left).ok());
  EXPECT_EQ(left.total_size(), 0);
}

TEST_F(InboxTest, EnrolmentAndOverdueItems) {
  int64_t teacher = 0, route = 0, item = 0;
  Sql([&](sql::Connection& c) {
    teacher = Person(c, f_.school_a1, f_.mun_a, "Курсова");
    route = Route(c, teacher, 4);
    db::Stmt(c, "INSERT INTO route_items (route_id, section, position, title, deadline, status, enrolment_status, "
                "enrol_applied_at) VALUES (?, 1, 1, 'Проектирование современного урока', CURDATE() - INTERVAL 3 DAY, 1, 1, "
                "NOW())")
        .Int(route).Execute();
    item = db::LastInsertId(c);
  });
  v1::ListInboxEntriesResponse r;
  ASSERT_TRUE(List("school.a1", v1::INBOX_ENTRY_KIND_ENROLMENT, &r, "курсова").ok());
  ASSERT_EQ(r.entries_size(), 1);
  EXPECT_EQ(r.entries(0).target(), absl::StrCat("routes/", route, "/items/", item));
  EXPECT_EQ(r.entries(0).state(), v1::ENROLMENT_STATUS_APPLIED);
  ASSERT_TRUE(List("mun.a", v1::INBOX_ENTRY_KIND_ENROLMENT, &r, "курсова").ok());
  EXPECT_EQ(r.entries_size(), 0) << "methodists confirm approved applications only";

  ASSERT_TRUE(List("school.a1", v1::INBOX_ENTRY_KIND_OVERDUE_ITEM, &r, "курсова").ok());
  ASSERT_EQ(r.entries_size(), 1);
  EXPECT_GE(r.entries(0).state(), 2);
  EXPECT_EQ(r.entries(0).related(), absl::StrCat("routes/", route));

  auto routes = v1::RouteService::NewStub(server_->Channel());
  v1::ApproveRouteItemEnrolmentRequest ok;
  ok.set_name(absl::StrCat("routes/", route, "/items/", item));
  ok.set_version(1);
  ok.set_request_id("enrol-ok");
  v1::ApproveRouteItemEnrolmentResponse done;
  auto st = routes->ApproveRouteItemEnrolment(Ctx(Token("school.a1")).get(), ok, &done);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM notifications WHERE kind = 4 AND person_id = ", teacher,
                                " AND body LIKE '%«Проектирование современного урока» одобрена%'")),
            1);
  ASSERT_TRUE(List("mun.a", v1::INBOX_ENTRY_KIND_ENROLMENT, &r, "курсова").ok());
  EXPECT_EQ(r.entries_size(), 1) << "now waiting for the confirmation";
}

TEST_F(InboxTest, PairsWithoutMeetingsFollowTheRegionSetting) {
  int64_t mentor = 0, mentee = 0, pair = 0;
  Sql([&](sql::Connection& c) {
    mentor = Person(c, f_.school_a1, f_.mun_a, "Наставникова");
    mentee = Person(c, f_.school_a1, f_.mun_a, "Молодова");
    db::Stmt(c, "INSERT INTO mentor_profiles (region_id, mentor_person_id, nomination, status, eligibility_json, capacity) "
                "VALUES (?, ?, 1, 1, '{}', 3)")
        .Int(f_.region).Int(mentor).Execute();
    int64_t profile = db::LastInsertId(c);
    db::Stmt(c, "INSERT INTO mentoring_pairs (region_id, mentor_profile_id, mentor_person_id, mentee_person_id, pair_type, "
                "status, started_at) VALUES (?, ?, ?, ?, 1, 2, CURDATE() - INTERVAL 30 DAY)")
        .Int(f_.region).Int(profile).Int(mentor).Int(mentee).Execute();
    pair = db::LastInsertId(c);
  });
  auto mentoring = v1::MentoringService::NewStub(server_->Channel());
  auto set_gap = [&](int weeks) {
    v1::GetMentoringSettingsRequest get;
    get.set_name(absl::StrCat("regions/", f_.region, "/mentoringSettings"));
    v1::GetMentoringSettingsResponse current;
    EXPECT_TRUE(mentoring->GetMentoringSettings(Ctx(Token("regional.admin")).get(), get, &current).ok());
    v1::UpdateMentoringSettingsRequest req;
    *req.mutable_settings() = current.settings();
    req.mutable_settings()->set_meeting_gap_weeks(weeks);
    req.mutable_update_mask()->add_paths("meeting_gap_weeks");
    req.set_request_id(absl::StrCat("gap-", weeks));
    v1::UpdateMentoringSettingsResponse resp;
    return mentoring->UpdateMentoringSettings(Ctx(Token("regional.admin")).get(), req, &resp);
  };
  ASSERT_TRUE(set_gap(2).ok());
  v1::ListInboxEntriesResponse r;
  ASSERT_TRUE(List("school.a1", v1::INBOX_ENTRY_KIND_PAIR_WITHOUT_MEETING, &r, "молодова").ok());
  ASSERT_EQ(r.entries_size(), 1);
  EXPECT_EQ(r.entries(0).target(), absl::StrCat("mentoringPairs/", pair));
  EXPECT_EQ(r.entries(0).state(), 4);
  EXPECT_EQ(r.entries(0).title(), "Наставникова Ольга Ивановна");
  ASSERT_TRUE(set_gap(6).ok());
  ASSERT_TRUE(List("school.a1", v1::INBOX_ENTRY_KIND_PAIR_WITHOUT_MEETING, &r, "молодова").ok());
  EXPECT_EQ(r.entries_size(), 0);
  EXPECT_EQ(set_gap(0).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(set_gap(27).error_code(), StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace nms::testing
