// MentoringService against a real MariaDB and nms-server processes. Every test builds its own
// town (a municipality of the fixture region with two schools) and its own people, so tests
// pass alone (ctest runs each in its own process) and together in one process.
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "absl/strings/str_cat.h"
#include "nms/v1/mentoring.grpc.pb.h"
#include "server/auth/password.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using nms::v1::MentoringService;
using Stub = MentoringService::Stub;
constexpr char kDb[] = "it_mentoring";

v1::Date D(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

std::string P(int64_t id) { return absl::StrCat("people/", id); }
std::string O(int64_t id) { return absl::StrCat("organizations/", id); }
std::string M(int64_t id) { return absl::StrCat("municipalities/", id); }

class MentoringTest : public ::testing::Test {
 protected:
  struct Town {
    int64_t mun = 0, school1 = 0, school2 = 0;
  };

  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    hash_ = new std::string(*auth::HashPassword("Passw0rd!", 1000));
    server_ = new ServerProcess(kDb);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete hash_;
  }

  static void Sql(const std::function<void(sql::Connection&)>& fn) {
    auto config = db::ParseDsn(TestDsn(kDb));
    db::ConnectionPool pool(*config);
    auto st = db::InTransaction(pool, [&](sql::Connection& c) {
      fn(c);
      return absl::OkStatus();
    });
    ASSERT_TRUE(st.ok()) << st;
  }

  static int64_t Scalar(const std::string& query) {
    int64_t v = -1;
    Sql([&](sql::Connection& c) {
      auto rs = db::Stmt(c, query).Query();
      if (rs->next()) v = rs->isNull(1) ? 0 : rs->getInt64(1);
    });
    return v;
  }

  // A municipality of the fixture's district with two schools.
  Town NewTown(bool in_district = true) {
    const int n = ++counter_;
    Town t;
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO municipalities (region_id, district_id, display_name) VALUES (?, ?, ?)")
          .Int(f_.region)
          .OptInt(in_district ? f_.district : 0)
          .Str(absl::StrCat("Посёлок ", n))
          .Execute();
      t.mun = db::LastInsertId(c);
      for (int64_t* school : {&t.school1, &t.school2}) {
        db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) "
                    "VALUES (?, ?, 1, ?, ?)")
            .Int(f_.region)
            .Int(t.mun)
            .Str(absl::StrCat("Школа ", n, school == &t.school1 ? "-1" : "-2"))
            .Str(absl::StrCat("Школа ", n, school == &t.school1 ? "-1" : "-2"))
            .Execute();
        *school = db::LastInsertId(c);
      }
    });
    return t;
  }

  // A teacher of `org` in `mun` with a primary employment.
  int64_t Person(int64_t org, int64_t mun, const std::string& subjects = "математика", const char* birth = "1980-03-01",
                 const char* start = "2005-09-01", int category = 3) {
    int64_t id = 0;
    const int n = ++counter_;
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, last_name, first_name, middle_name, "
                  "birth_date, position, subjects, work_start_date, qualification_category) "
                  "VALUES (?, ?, ?, ?, 'Мария', 'Ивановна', ?, 'учитель', ?, ?, ?)")
          .Int(f_.region)
          .Int(mun)
          .Int(org)
          .Str(absl::StrCat("Учитель", n))
          .Str(birth)
          .Str(subjects)
          .Str(start)
          .Int(category)
          .Execute();
      id = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO employments (person_id, organization_id, position, is_primary, start_date) "
                  "VALUES (?, ?, 'учитель', TRUE, ?)")
          .Int(id)
          .Int(org)
          .Str(start)
          .Execute();
    });
    return id;
  }

  // Signs in a new account of `person` with one grant; role 1 teacher, 2 school admin, 3 municipal methodist.
  std::string Login(int64_t person, int role, int scope_kind, int64_t scope_id) {
    const std::string login = absl::StrCat("user", ++counter_, "@it");
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash) VALUES (?, ?, ?)")
          .Str(login)
          .Int(person)
          .Str(*hash_)
          .Execute();
      const int64_t acc = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)")
          .Int(acc)
          .Int(role)
          .Int(scope_kind)
          .Int(scope_id)
          .Execute();
    });
    return SignIn(*server_->Channel(), login);
  }
  std::string TeacherLogin(int64_t person, int64_t org) { return Login(person, 1, 3, org); }
  std::string Token(const char* login) { return SignIn(*server_->Channel(), login); }

  template <class Req, class Resp>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*), const std::string& token,
                    const Req& req, Resp* resp) {
    auto stub = MentoringService::NewStub(server_->Channel());
    return (stub.get()->*method)(Ctx(token).get(), req, resp);
  }

  std::string RequestId() { return absl::StrCat("it-", ++counter_, "-", getpid()); }

  v1::MentorProfile Profile(const std::string& token, const std::string& mentor, int capacity = 2,
                            std::vector<std::string> subjects = {}) {
    v1::CreateMentorProfileRequest req;
    req.mutable_profile()->set_mentor(mentor);
    req.mutable_profile()->set_capacity(capacity);
    for (auto& s : subjects) req.mutable_profile()->add_subjects(s);
    req.set_request_id(RequestId());
    v1::CreateMentorProfileResponse resp;
    auto st = Call(&Stub::CreateMentorProfile, token, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.profile();
  }

  v1::MenteeRequest Request(const std::string& token, const std::string& mentee, v1::PairType type = v1::PAIR_TYPE_UNSPECIFIED,
                            std::vector<std::string> subjects = {}) {
    v1::CreateMenteeRequestRequest req;
    req.mutable_request()->set_mentee(mentee);
    req.mutable_request()->set_pair_type(type);
    for (auto& s : subjects) req.mutable_request()->add_subjects(s);
    req.set_request_id(RequestId());
    v1::CreateMenteeRequestResponse resp;
    auto st = Call(&Stub::CreateMenteeRequest, token, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.request();
  }

  v1::MatchingProposal Propose(const std::string& token, const std::string& scope, bool replace_pending = false) {
    v1::ProposeMatchingRequest req;
    req.set_scope(scope);
    req.mutable_options()->set_replace_pending_pairs(replace_pending);
    req.set_request_id(RequestId());
    v1::ProposeMatchingResponse resp;
    auto st = Call(&Stub::ProposeMatching, token, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.proposal();
  }

  std::vector<v1::MentoringPair> Apply(const std::string& token, const v1::MatchingProposal& proposal) {
    v1::ApplyMatchingProposalRequest req;
    req.set_name(proposal.name());
    req.set_version(proposal.version());
    req.set_request_id(RequestId());
    v1::ApplyMatchingProposalResponse resp;
    auto st = Call(&Stub::ApplyMatchingProposal, token, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return {resp.pairs().begin(), resp.pairs().end()};
  }

  grpc::Status Accept(const std::string& token, const v1::MentoringPair& pair, v1::PairSide side, v1::MentoringPair* out) {
    v1::AcceptMentoringPairRequest req;
    req.set_name(pair.name());
    req.set_side(side);
    req.set_version(pair.version());
    req.set_request_id(RequestId());
    v1::AcceptMentoringPairResponse resp;
    auto st = Call(&Stub::AcceptMentoringPair, token, req, &resp);
    if (st.ok()) *out = resp.pair();
    return st;
  }

  v1::MentoringPair GetPair(const std::string& token, const std::string& name) {
    v1::GetMentoringPairRequest req;
    req.set_name(name);
    v1::GetMentoringPairResponse resp;
    auto st = Call(&Stub::GetMentoringPair, token, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.pair();
  }

  v1::MenteeRequest GetRequest(const std::string& token, const std::string& name) {
    v1::GetMenteeRequestRequest req;
    req.set_name(name);
    v1::GetMenteeRequestResponse resp;
    auto st = Call(&Stub::GetMenteeRequest, token, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.request();
  }

  static const v1::ProposedPair* PairOf(const v1::MatchingProposal& p, const std::string& mentee) {
    for (const auto& x : p.pairs()) {
      if (x.mentee() == mentee) return &x;
    }
    return nullptr;
  }

  static Fixture f_;
  static ServerProcess* server_;
  static std::string* hash_;
  static std::atomic<int> counter_;
};

Fixture MentoringTest::f_;
ServerProcess* MentoringTest::server_ = nullptr;
std::string* MentoringTest::hash_ = nullptr;
std::atomic<int> MentoringTest::counter_{0};

// ---------------------------------------------------------------- the whole way

TEST_F(MentoringTest, ProfilesRequestsProposalAcceptMeetingsFeedbackComplete) {
  const Town t = NewTown();
  const int64_t head = Person(t.school1, t.mun, "");
  const std::string school = Login(head, 2, 3, t.school1);
  const std::string methodist = Token("regional.methodist");
  const int64_t m1 = Person(t.school1, t.mun, "математика|информатика");
  const int64_t m2 = Person(t.school2, t.mun, "физика");
  const int64_t e1 = Person(t.school1, t.mun, "математика", "2000-02-01", "2025-09-01", 1);
  const int64_t e2 = Person(t.school2, t.mun, "физика", "1999-02-01", "2024-09-01", 1);
  const int64_t e3 = Person(t.school2, t.mun, "химия", "1998-02-01", "2024-09-01", 1);
  const std::string m1_token = TeacherLogin(m1, t.school1);
  const std::string m2_token = TeacherLogin(m2, t.school2);
  const std::string e1_token = TeacherLogin(e1, t.school1);

  // Profiles: nominated by the school, and a volunteer.
  const v1::MentorProfile p1 = Profile(school, P(m1), 2);
  EXPECT_EQ(p1.nomination(), v1::MENTOR_NOMINATION_SCHOOL);
  EXPECT_TRUE(p1.eligibility().eligible());
  EXPECT_EQ(p1.subjects_size(), 2);  // taken from the person's card
  EXPECT_EQ(p1.organization(), O(t.school1));
  const v1::MentorProfile p2 = Profile(m2_token, P(m2), 1);
  EXPECT_EQ(p2.nomination(), v1::MENTOR_NOMINATION_SELF);

  // Requests: by the teacher herself, by a methodist, and one nobody can satisfy.
  const v1::MenteeRequest r1 = Request(e1_token, P(e1));
  EXPECT_EQ(r1.source(), v1::MENTEE_REQUEST_SOURCE_TEACHER);
  EXPECT_EQ(r1.subjects(0), "математика");
  const v1::MenteeRequest r2 = Request(methodist, P(e2));
  EXPECT_EQ(r2.source(), v1::MENTEE_REQUEST_SOURCE_SCHOOL);
  const v1::MenteeRequest r3 = Request(methodist, P(e3), v1::PAIR_TYPE_SUBJECT);

  const v1::MatchingProposal proposal = Propose(methodist, M(t.mun));
  EXPECT_EQ(proposal.state(), v1::MATCHING_PROPOSAL_STATE_OPEN);
  EXPECT_EQ(proposal.stats().mentees(), 3);
  EXPECT_EQ(proposal.stats().matched(), 2);
  ASSERT_EQ(proposal.pairs_size(), 2);
  const v1::ProposedPair* x1 = PairOf(proposal, P(e1));
  const v1::ProposedPair* x2 = PairOf(proposal, P(e2));
  ASSERT_NE(x1, nullptr);
  ASSERT_NE(x2, nullptr);
  EXPECT_EQ(x1->mentor(), P(m1));
  EXPECT_TRUE(x1->explanation().subject_match());
  EXPECT_EQ(x1->explanation().distance(), v1::PAIR_DISTANCE_SAME_ORGANIZATION);
  EXPECT_NE(x1->explanation().summary().find("тот же предмет"), std::string::npos) << x1->explanation().summary();
  EXPECT_EQ(x1->explanation().mentor_capacity(), 2);
  EXPECT_EQ(x2->mentor(), P(m2));
  ASSERT_EQ(proposal.unmatched_size(), 1);
  EXPECT_EQ(proposal.unmatched(0).mentee_request(), r3.name());
  EXPECT_EQ(proposal.unmatched(0).reason(), v1::UNMATCHED_REASON_NO_CANDIDATES);
  EXPECT_FALSE(proposal.unmatched(0).detail().empty());

  const auto pairs = Apply(methodist, proposal);
  ASSERT_EQ(pairs.size(), 2u);
  v1::MentoringPair pair;
  for (const auto& p : pairs) {
    EXPECT_EQ(p.status(), v1::MENTORING_PAIR_STATUS_PROPOSED);
    if (p.mentee() == P(e1)) pair = p;
  }
  ASSERT_FALSE(pair.name().empty());
  EXPECT_EQ(pair.proposal(), proposal.name());
  EXPECT_EQ(GetRequest(e1_token, r1.name()).status(), v1::MENTEE_REQUEST_STATUS_PROPOSED);

  // Accepting for the other side is refused; both sides accept → ACTIVE.
  v1::MentoringPair out;
  EXPECT_EQ(Accept(e1_token, pair, v1::PAIR_SIDE_MENTOR, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Accept(e1_token, pair, v1::PAIR_SIDE_MENTEE, &out).ok());
  EXPECT_EQ(out.status(), v1::MENTORING_PAIR_STATUS_PROPOSED);
  EXPECT_TRUE(out.has_mentee_accept_time());
  ASSERT_TRUE(Accept(m1_token, out, v1::PAIR_SIDE_MENTOR, &out).ok());
  EXPECT_EQ(out.status(), v1::MENTORING_PAIR_STATUS_ACTIVE);
  EXPECT_GT(out.start_date().year(), 2000);
  EXPECT_EQ(GetRequest(e1_token, r1.name()).status(), v1::MENTEE_REQUEST_STATUS_PAIRED);

  // The plan: the mentor sets goals; the mentee may not.
  v1::UpdateMentoringPairRequest plan;
  *plan.mutable_pair() = out;
  plan.mutable_pair()->clear_goals();
  plan.mutable_pair()->add_goals()->set_title("Подготовить и провести открытый урок");
  plan.mutable_pair()->add_goals()->set_title("Освоить формирующее оценивание");
  plan.mutable_update_mask()->add_paths("goals");
  plan.set_request_id(RequestId());
  v1::UpdateMentoringPairResponse planned;
  EXPECT_EQ(Call(&Stub::UpdateMentoringPair, e1_token, plan, &planned).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  plan.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::UpdateMentoringPair, m1_token, plan, &planned).ok());
  ASSERT_EQ(planned.pair().goals_size(), 2);
  EXPECT_EQ(planned.pair().goals(0).goal_id(), "g1");
  EXPECT_EQ(planned.pair().goals(1).status(), v1::MENTORING_GOAL_STATUS_OPEN);

  // Meetings by either side; a stale version is refused.
  v1::CreateMentoringMeetingRequest mreq;
  mreq.set_parent(pair.name());
  *mreq.mutable_meeting()->mutable_meeting_date() = D(2026, 10, 5);
  mreq.mutable_meeting()->set_topic("Планирование урока");
  mreq.mutable_meeting()->set_format(v1::MEETING_FORMAT_IN_PERSON);
  mreq.mutable_meeting()->set_held(true);
  mreq.mutable_meeting()->set_duration_minutes(45);
  mreq.set_request_id(RequestId());
  v1::CreateMentoringMeetingResponse meeting;
  ASSERT_TRUE(Call(&Stub::CreateMentoringMeeting, m1_token, mreq, &meeting).ok());
  EXPECT_EQ(meeting.meeting().name().rfind(pair.name() + "/meetings/", 0), 0u);
  mreq.mutable_meeting()->set_topic("Посещение урока наставляемого");
  mreq.mutable_meeting()->set_format(v1::MEETING_FORMAT_LESSON_VISIT);
  mreq.set_request_id(RequestId());
  v1::CreateMentoringMeetingResponse meeting2;
  ASSERT_TRUE(Call(&Stub::CreateMentoringMeeting, e1_token, mreq, &meeting2).ok());
  v1::ListMentoringMeetingsRequest lreq;
  lreq.set_parent(pair.name());
  v1::ListMentoringMeetingsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListMentoringMeetings, e1_token, lreq, &listed).ok());
  EXPECT_EQ(listed.meetings_size(), 2);
  EXPECT_EQ(listed.total_size(), 2);
  // The pair carries its activity: both held meetings, the latest date (a planned one does not count).
  mreq.mutable_meeting()->set_held(false);
  *mreq.mutable_meeting()->mutable_meeting_date() = D(2026, 11, 20);
  mreq.set_request_id(RequestId());
  v1::CreateMentoringMeetingResponse planned_meeting;
  ASSERT_TRUE(Call(&Stub::CreateMentoringMeeting, m1_token, mreq, &planned_meeting).ok());
  const v1::MentoringPair with_meetings = GetPair(e1_token, pair.name());
  EXPECT_EQ(with_meetings.meetings_held(), 2);
  EXPECT_EQ(with_meetings.last_meeting_date().year(), 2026);
  EXPECT_EQ(with_meetings.last_meeting_date().month(), 10);
  EXPECT_EQ(with_meetings.last_meeting_date().day(), 5);
  v1::UpdateMentoringMeetingRequest ureq;
  *ureq.mutable_meeting() = meeting.meeting();
  ureq.mutable_meeting()->set_notes("Обсудили технологическую карту");
  ureq.mutable_update_mask()->add_paths("notes");
  ureq.set_request_id(RequestId());
  v1::UpdateMentoringMeetingResponse updated;
  ASSERT_TRUE(Call(&Stub::UpdateMentoringMeeting, e1_token, ureq, &updated).ok());
  EXPECT_EQ(updated.meeting().version(), meeting.meeting().version() + 1);
  ureq.set_request_id(RequestId());  // same stale version again
  EXPECT_EQ(Call(&Stub::UpdateMentoringMeeting, m1_token, ureq, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Feedback from both sides; the side comes from the caller, a manager leaves none.
  v1::CreateMentoringFeedbackRequest fb;
  fb.set_parent(pair.name());
  fb.mutable_feedback()->set_rating(5);
  fb.mutable_feedback()->set_text("Очень полезно");
  fb.mutable_feedback()->set_side(v1::PAIR_SIDE_MENTOR);  // ignored: output only
  fb.set_request_id(RequestId());
  v1::CreateMentoringFeedbackResponse fbr;
  ASSERT_TRUE(Call(&Stub::CreateMentoringFeedback, e1_token, fb, &fbr).ok());
  EXPECT_EQ(fbr.feedback().side(), v1::PAIR_SIDE_MENTEE);
  EXPECT_EQ(fbr.feedback().author(), P(e1));
  fb.mutable_feedback()->set_rating(4);
  fb.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::CreateMentoringFeedback, m1_token, fb, &fbr).ok());
  EXPECT_EQ(fbr.feedback().side(), v1::PAIR_SIDE_MENTOR);
  fb.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::CreateMentoringFeedback, school, fb, &fbr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  fb.mutable_feedback()->set_rating(9);
  fb.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::CreateMentoringFeedback, m1_token, fb, &fbr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListMentoringFeedbacksRequest lf;
  lf.set_parent(pair.name());
  lf.set_filter("side = PAIR_SIDE_MENTEE");
  v1::ListMentoringFeedbacksResponse lfr;
  ASSERT_TRUE(Call(&Stub::ListMentoringFeedbacks, school, lf, &lfr).ok());
  ASSERT_EQ(lfr.feedbacks_size(), 1);
  EXPECT_EQ(lfr.feedbacks(0).rating(), 5);

  // Completed by the mentor with an outcome.
  v1::CompleteMentoringPairRequest done;
  done.set_name(pair.name());
  done.set_version(planned.pair().version());
  done.set_outcome(v1::MENTORING_OUTCOME_ACHIEVED);
  done.set_comment("Цели достигнуты");
  done.set_request_id(RequestId());
  v1::CompleteMentoringPairResponse completed;
  ASSERT_TRUE(Call(&Stub::CompleteMentoringPair, m1_token, done, &completed).ok());
  EXPECT_EQ(completed.pair().status(), v1::MENTORING_PAIR_STATUS_COMPLETED);
  EXPECT_EQ(completed.pair().outcome(), v1::MENTORING_OUTCOME_ACHIEVED);
  EXPECT_GT(completed.pair().end_date().year(), 2000);
  EXPECT_EQ(GetRequest(e1_token, r1.name()).status(), v1::MENTEE_REQUEST_STATUS_PAIRED);

  // Contract columns for monitoring and the federal feed.
  const std::string id = pair.name().substr(sizeof("mentoringPairs/") - 1);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT status FROM mentoring_pairs WHERE id = ", id)), 4);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT mentee_person_id FROM mentoring_pairs WHERE id = ", id)), e1);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT started_at IS NOT NULL AND ended_at IS NOT NULL FROM mentoring_pairs WHERE id = ", id)), 1);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT mentor_organization_id IS NULL FROM mentoring_pairs WHERE id = ", id)), 1);
  // Created, accepted twice, plan, completed: every change is in the change feed.
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM outbox WHERE entity_type = 'mentoring_pair' AND resource = '",
                                pair.name(), "'")),
            5);
  EXPECT_GE(Scalar(absl::StrCat("SELECT COUNT(*) FROM audit_log WHERE resource = '", pair.name(), "'")), 5);
}

// ---------------------------------------------------------------- overrides and re-runs

TEST_F(MentoringTest, PinsAndBansAreHonouredAndReRunKeepsAcceptedPairs) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  // Three mentors with one place each; X and Y work in school 1 like A, so both prefer A.
  const int64_t a = Person(t.school1, t.mun);
  const int64_t b = Person(t.school2, t.mun);
  const int64_t c = Person(t.school2, t.mun);
  const int64_t x = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const int64_t y = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const std::string x_token = TeacherLogin(x, t.school1);
  const v1::MentorProfile pa = Profile(methodist, P(a), 1);
  const v1::MentorProfile pb = Profile(methodist, P(b), 1);
  const v1::MentorProfile pc = Profile(methodist, P(c), 1);
  Request(methodist, P(x));
  Request(methodist, P(y));
  auto constraint = [&](v1::MatchingConstraintKind kind, const v1::MentorProfile& prof, int64_t mentee) {
    v1::CreateMatchingConstraintRequest req;
    req.mutable_constraint()->set_kind(kind);
    req.mutable_constraint()->set_mentor_profile(prof.name());
    req.mutable_constraint()->set_mentee(P(mentee));
    req.mutable_constraint()->set_scope(M(t.mun));
    req.mutable_constraint()->set_reason("решение методиста");
    req.set_request_id(RequestId());
    v1::CreateMatchingConstraintResponse resp;
    auto st = Call(&Stub::CreateMatchingConstraint, methodist, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    // The same pair twice in one scope is refused.
    req.set_request_id(RequestId());
    v1::CreateMatchingConstraintResponse dup;
    EXPECT_EQ(Call(&Stub::CreateMatchingConstraint, methodist, req, &dup).error_code(), grpc::StatusCode::ALREADY_EXISTS);
    return resp.constraint();
  };
  constraint(v1::MATCHING_CONSTRAINT_KIND_FORBID, pa, x);
  constraint(v1::MATCHING_CONSTRAINT_KIND_PIN, pc, y);
  v1::ListMatchingConstraintsRequest lc;
  lc.set_filter(absl::StrCat("mentor_profile = ", pc.name()));
  v1::ListMatchingConstraintsResponse lcr;
  ASSERT_TRUE(Call(&Stub::ListMatchingConstraints, methodist, lc, &lcr).ok());
  ASSERT_EQ(lcr.constraints_size(), 1);
  EXPECT_EQ(lcr.constraints(0).kind(), v1::MATCHING_CONSTRAINT_KIND_PIN);

  const v1::MatchingProposal first = Propose(methodist, M(t.mun));
  ASSERT_EQ(first.pairs_size(), 2);
  ASSERT_NE(PairOf(first, P(x)), nullptr);
  ASSERT_NE(PairOf(first, P(y)), nullptr);
  EXPECT_NE(PairOf(first, P(x))->mentor(), P(a)) << "X is banned from A";
  EXPECT_EQ(PairOf(first, P(y))->mentor(), P(c));
  EXPECT_TRUE(PairOf(first, P(y))->pinned());
  EXPECT_NE(PairOf(first, P(y))->explanation().summary().find("закреплено"), std::string::npos);
  const auto applied = Apply(methodist, first);
  ASSERT_EQ(applied.size(), 2u);
  v1::MentoringPair xp, yp;
  for (const auto& p : applied) (p.mentee() == P(x) ? xp : yp) = p;
  ASSERT_TRUE(Accept(x_token, xp, v1::PAIR_SIDE_MENTEE, &xp).ok());  // X's side accepted: kept from now on

  // A new mentee; the re-run releases Y's unaccepted pair (the pin puts Y back with C), keeps
  // X's accepted pair, and gives Z the free mentor A.
  const int64_t z = Person(t.school1, t.mun, "математика", "2001-01-01", "2025-09-01");
  Request(methodist, P(z));
  const v1::MatchingProposal second = Propose(methodist, M(t.mun), /*replace_pending=*/true);
  EXPECT_EQ(second.stats().mentees(), 2);
  EXPECT_EQ(second.stats().matched(), 3);
  ASSERT_EQ(second.pairs_size(), 3);
  EXPECT_EQ(PairOf(second, P(x))->kept_pair(), xp.name());
  EXPECT_EQ(PairOf(second, P(y))->mentor(), P(c));
  EXPECT_TRUE(PairOf(second, P(y))->kept_pair().empty());
  EXPECT_EQ(PairOf(second, P(z))->mentor(), P(a));
  // Capacity: every mentor holds one mentee at most in the whole picture.
  std::map<std::string, int> load;
  for (const auto& p : second.pairs()) ++load[p.mentor()];
  for (const auto& [mentor, n] : load) EXPECT_EQ(n, 1) << mentor;
  const auto again = Apply(methodist, second);
  EXPECT_EQ(again.size(), 2u);  // kept pairs are not created again
  EXPECT_EQ(GetPair(methodist, yp.name()).status(), v1::MENTORING_PAIR_STATUS_CANCELLED);
  EXPECT_EQ(GetPair(methodist, yp.name()).close_reason(), "Заменена новым подбором");
  const v1::MentoringPair x_now = GetPair(methodist, xp.name());
  EXPECT_EQ(x_now.status(), v1::MENTORING_PAIR_STATUS_PROPOSED);
  EXPECT_TRUE(x_now.has_mentee_accept_time());

  // A newer run over an overlapping scope supersedes an open proposal; it can no longer be applied.
  Request(methodist, P(Person(t.school2, t.mun, "математика", "2001-01-01", "2025-09-01")));
  const v1::MatchingProposal third = Propose(methodist, O(t.school2));
  EXPECT_EQ(third.state(), v1::MATCHING_PROPOSAL_STATE_OPEN);
  Propose(methodist, M(t.mun));
  v1::GetMatchingProposalRequest g;
  g.set_name(third.name());
  v1::GetMatchingProposalResponse gr;
  ASSERT_TRUE(Call(&Stub::GetMatchingProposal, methodist, g, &gr).ok());
  EXPECT_EQ(gr.proposal().state(), v1::MATCHING_PROPOSAL_STATE_SUPERSEDED);
  v1::ApplyMatchingProposalRequest ap;
  ap.set_name(third.name());
  ap.set_version(gr.proposal().version());
  ap.set_request_id(RequestId());
  v1::ApplyMatchingProposalResponse apr;
  EXPECT_EQ(Call(&Stub::ApplyMatchingProposal, methodist, ap, &apr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(MentoringTest, CapacityIsNeverExceeded) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  const int64_t m = Person(t.school1, t.mun);
  const v1::MentorProfile prof = Profile(methodist, P(m), 1);
  const int64_t e1 = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const int64_t e2 = Person(t.school2, t.mun, "математика", "2000-01-01", "2025-09-01");
  Request(methodist, P(e1));
  const v1::MenteeRequest r2 = Request(methodist, P(e2));
  const v1::MatchingProposal proposal = Propose(methodist, M(t.mun));
  ASSERT_EQ(proposal.pairs_size(), 1);
  EXPECT_EQ(proposal.pairs(0).mentee(), P(e1));  // same school as the mentor
  ASSERT_EQ(proposal.unmatched_size(), 1);
  EXPECT_EQ(proposal.unmatched(0).reason(), v1::UNMATCHED_REASON_CAPACITY_EXHAUSTED);
  Apply(methodist, proposal);
  // A manual pair beyond the mentor's capacity is refused.
  v1::CreateMentoringPairRequest manual;
  manual.mutable_pair()->set_mentor_profile(prof.name());
  manual.mutable_pair()->set_mentee(P(e2));
  manual.mutable_pair()->set_mentee_request(r2.name());
  manual.mutable_pair()->set_pair_type(v1::PAIR_TYPE_SUBJECT);
  manual.set_request_id(RequestId());
  v1::CreateMentoringPairResponse mresp;
  EXPECT_EQ(Call(&Stub::CreateMentoringPair, methodist, manual, &mresp).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Lowering the capacity below the current load is refused too.
  v1::GetMentorProfileRequest gp;
  gp.set_name(prof.name());
  v1::GetMentorProfileResponse gpr;
  ASSERT_TRUE(Call(&Stub::GetMentorProfile, methodist, gp, &gpr).ok());
  EXPECT_EQ(gpr.profile().current_load(), 1);
  v1::UpdateMentorProfileRequest up;
  *up.mutable_profile() = gpr.profile();
  up.mutable_profile()->set_capacity(2);
  up.mutable_update_mask()->add_paths("capacity");
  up.set_request_id(RequestId());
  v1::UpdateMentorProfileResponse upr;
  ASSERT_TRUE(Call(&Stub::UpdateMentorProfile, methodist, up, &upr).ok());
  // With a second place the manual pair fits.
  manual.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::CreateMentoringPair, methodist, manual, &mresp).ok());
  EXPECT_EQ(mresp.pair().status(), v1::MENTORING_PAIR_STATUS_PROPOSED);
  EXPECT_EQ(GetRequest(methodist, r2.name()).status(), v1::MENTEE_REQUEST_STATUS_PROPOSED);
  *up.mutable_profile() = upr.profile();
  up.mutable_profile()->set_capacity(1);
  up.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::UpdateMentorProfile, methodist, up, &upr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // And the profile cannot be deleted while it has pairs in progress.
  v1::DeleteMentorProfileRequest del;
  del.set_name(prof.name());
  del.set_version(upr.profile().version());
  del.set_request_id(RequestId());
  v1::DeleteMentorProfileResponse delr;
  EXPECT_EQ(Call(&Stub::DeleteMentorProfile, methodist, del, &delr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

// ---------------------------------------------------------------- lifecycle and access

TEST_F(MentoringTest, LifecycleDenialsByStatusSideAndRole) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  const int64_t m = Person(t.school1, t.mun);
  const int64_t e = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const std::string m_token = TeacherLogin(m, t.school1);
  const std::string e_token = TeacherLogin(e, t.school1);
  const std::string outsider = Token("teacher.b1");
  Profile(methodist, P(m));
  const v1::MenteeRequest r = Request(e_token, P(e));
  const auto pairs = Apply(methodist, Propose(methodist, M(t.mun)));
  ASSERT_EQ(pairs.size(), 1u);
  const v1::MentoringPair pair = pairs[0];

  // A teacher of another school sees nothing of it.
  v1::GetMentoringPairRequest get;
  get.set_name(pair.name());
  v1::GetMentoringPairResponse got;
  EXPECT_EQ(Call(&Stub::GetMentoringPair, outsider, get, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::AcceptMentoringPairRequest acc;
  acc.set_name(pair.name());
  acc.set_side(v1::PAIR_SIDE_MENTEE);
  acc.set_version(pair.version());
  acc.set_request_id(RequestId());
  v1::AcceptMentoringPairResponse accr;
  EXPECT_EQ(Call(&Stub::AcceptMentoringPair, outsider, acc, &accr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A methodist manages pairs but does not accept for a side.
  acc.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::AcceptMentoringPair, methodist, acc, &accr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Not yet active: no completion, no meetings, no feedback.
  v1::CompleteMentoringPairRequest done;
  done.set_name(pair.name());
  done.set_version(pair.version());
  done.set_outcome(v1::MENTORING_OUTCOME_ACHIEVED);
  done.set_request_id(RequestId());
  v1::CompleteMentoringPairResponse doner;
  EXPECT_EQ(Call(&Stub::CompleteMentoringPair, m_token, done, &doner).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::CreateMentoringMeetingRequest meet;
  meet.set_parent(pair.name());
  *meet.mutable_meeting()->mutable_meeting_date() = D(2026, 10, 1);
  meet.mutable_meeting()->set_topic("Знакомство");
  meet.set_request_id(RequestId());
  v1::CreateMentoringMeetingResponse meetr;
  EXPECT_EQ(Call(&Stub::CreateMentoringMeeting, m_token, meet, &meetr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::CreateMentoringFeedbackRequest fb;
  fb.set_parent(pair.name());
  fb.mutable_feedback()->set_rating(3);
  fb.set_request_id(RequestId());
  v1::CreateMentoringFeedbackResponse fbr;
  EXPECT_EQ(Call(&Stub::CreateMentoringFeedback, e_token, fb, &fbr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // A reason is required to reject; with one the pair is rejected and the request reopens.
  v1::RejectMentoringPairRequest rej;
  rej.set_name(pair.name());
  rej.set_side(v1::PAIR_SIDE_MENTEE);
  rej.set_version(pair.version());
  rej.set_request_id(RequestId());
  v1::RejectMentoringPairResponse rejr;
  EXPECT_EQ(Call(&Stub::RejectMentoringPair, e_token, rej, &rejr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  rej.set_reason("Не совпадают графики");
  rej.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::RejectMentoringPair, e_token, rej, &rejr).ok());
  EXPECT_EQ(rejr.pair().status(), v1::MENTORING_PAIR_STATUS_REJECTED);
  EXPECT_EQ(rejr.pair().close_reason(), "Не совпадают графики");
  const v1::MenteeRequest reopened = GetRequest(e_token, r.name());
  EXPECT_EQ(reopened.status(), v1::MENTEE_REQUEST_STATUS_OPEN);
  EXPECT_TRUE(reopened.pair().empty());
  // Nothing moves a rejected pair any more.
  acc.set_version(rejr.pair().version());
  acc.set_side(v1::PAIR_SIDE_MENTOR);
  acc.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::AcceptMentoringPair, m_token, acc, &accr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::CancelMentoringPairRequest cancel;
  cancel.set_name(pair.name());
  cancel.set_reason("поздно");
  cancel.set_version(rejr.pair().version());
  cancel.set_request_id(RequestId());
  v1::CancelMentoringPairResponse cancelr;
  EXPECT_EQ(Call(&Stub::CancelMentoringPair, methodist, cancel, &cancelr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // A stale version is refused before anything else.
  acc.set_version(pair.version());
  acc.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::AcceptMentoringPair, m_token, acc, &accr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(MentoringTest, StaleVersionsAndIdempotentRetries) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  const int64_t m = Person(t.school1, t.mun);
  v1::CreateMentorProfileRequest create;
  create.mutable_profile()->set_mentor(P(m));
  create.mutable_profile()->set_note("Опыт 20 лет");
  create.set_request_id(RequestId());
  v1::CreateMentorProfileResponse first, second;
  ASSERT_TRUE(Call(&Stub::CreateMentorProfile, methodist, create, &first).ok());
  ASSERT_TRUE(Call(&Stub::CreateMentorProfile, methodist, create, &second).ok());  // retry: same answer
  EXPECT_EQ(first.profile().name(), second.profile().name());
  EXPECT_EQ(first.profile().capacity(), 3);  // the region's default capacity
  // The same key for a different request is refused; a new key hits the existing profile.
  create.mutable_profile()->set_note("Другое");
  EXPECT_EQ(Call(&Stub::CreateMentorProfile, methodist, create, &second).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  create.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::CreateMentorProfile, methodist, create, &second).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  v1::UpdateMentorProfileRequest up;
  *up.mutable_profile() = first.profile();
  up.mutable_profile()->add_pair_types(v1::PAIR_TYPE_YOUNG_SPECIALIST);
  up.mutable_update_mask()->add_paths("pair_types");
  up.set_request_id(RequestId());
  v1::UpdateMentorProfileResponse upr, upr2;
  ASSERT_TRUE(Call(&Stub::UpdateMentorProfile, methodist, up, &upr).ok());
  EXPECT_EQ(upr.profile().version(), first.profile().version() + 1);
  ASSERT_TRUE(Call(&Stub::UpdateMentorProfile, methodist, up, &upr2).ok());  // retry
  EXPECT_EQ(upr2.profile().version(), upr.profile().version());
  up.set_request_id(RequestId());  // a new change from the old version
  EXPECT_EQ(Call(&Stub::UpdateMentorProfile, methodist, up, &upr2).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  up.mutable_update_mask()->add_paths("password");
  up.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::UpdateMentorProfile, methodist, up, &upr2).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM mentor_profiles WHERE mentor_person_id = ", m)), 1);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM audit_log WHERE resource = '", first.profile().name(), "'")), 2);
}

TEST_F(MentoringTest, ScopeDenials) {
  const std::string mun_a = Token("mun.a");
  const std::string school_a1 = Token("school.a1");
  const std::string teacher_a1 = Token("teacher.a1");
  const std::string admin = Token("regional.admin");
  // A municipal methodist runs matching in their municipality only; a school admin never.
  v1::ProposeMatchingRequest prop;
  prop.set_scope(M(f_.mun_b));
  prop.set_request_id(RequestId());
  v1::ProposeMatchingResponse propr;
  EXPECT_EQ(Call(&Stub::ProposeMatching, mun_a, prop, &propr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  prop.set_scope(M(f_.mun_a));
  prop.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::ProposeMatching, school_a1, prop, &propr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  prop.set_request_id(RequestId());
  EXPECT_TRUE(Call(&Stub::ProposeMatching, mun_a, prop, &propr).ok());
  prop.set_scope(absl::StrCat("districts/", f_.district));  // districts are region-level
  prop.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::ProposeMatching, mun_a, prop, &propr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A school admin nominates mentors of their own school only.
  v1::CreateMentorProfileRequest create;
  create.mutable_profile()->set_mentor(P(f_.teacher_b1));
  create.set_request_id(RequestId());
  v1::CreateMentorProfileResponse created;
  EXPECT_EQ(Call(&Stub::CreateMentorProfile, school_a1, create, &created).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  create.mutable_profile()->set_mentor(P(f_.teacher_a1));
  create.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::CreateMentorProfile, school_a1, create, &created).ok());
  // A teacher asks for a mentor for herself only.
  v1::CreateMenteeRequestRequest ask;
  ask.mutable_request()->set_mentee(P(f_.teacher_a2));
  ask.set_request_id(RequestId());
  v1::CreateMenteeRequestResponse asked;
  EXPECT_EQ(Call(&Stub::CreateMenteeRequest, teacher_a1, ask, &asked).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Reading a profile out of scope looks like a missing one, except for regional roles.
  v1::GetMentorProfileRequest get;
  get.set_name(created.profile().name());
  v1::GetMentorProfileResponse got;
  EXPECT_EQ(Call(&Stub::GetMentorProfile, Token("teacher.b1"), get, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Call(&Stub::GetMentorProfile, teacher_a1, get, &got).ok());  // her own profile
  get.set_name("mentorProfiles/999999");
  EXPECT_EQ(Call(&Stub::GetMentorProfile, admin, get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(&Stub::GetMentorProfile, school_a1, get, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Lists are cut to the caller's scope.
  v1::ListMentorProfilesRequest list;
  v1::ListMentorProfilesResponse listed;
  ASSERT_TRUE(Call(&Stub::ListMentorProfiles, Token("school.a1"), list, &listed).ok());
  for (const auto& p : listed.profiles()) EXPECT_EQ(p.organization(), O(f_.school_a1));
  EXPECT_GE(listed.profiles_size(), 1);
  ASSERT_TRUE(Call(&Stub::ListMentorProfiles, Token("teacher.b1"), list, &listed).ok());
  EXPECT_EQ(listed.profiles_size(), 0);
  // Settings: anyone in the region reads them, only regional roles change them.
  v1::GetMentoringSettingsRequest gs;
  gs.set_name(absl::StrCat("regions/", f_.region, "/mentoringSettings"));
  v1::GetMentoringSettingsResponse gsr;
  ASSERT_TRUE(Call(&Stub::GetMentoringSettings, teacher_a1, gs, &gsr).ok());
  v1::UpdateMentoringSettingsRequest us;
  *us.mutable_settings() = gsr.settings();
  us.mutable_settings()->set_default_capacity(4);
  us.mutable_update_mask()->add_paths("default_capacity");
  us.set_request_id(RequestId());
  v1::UpdateMentoringSettingsResponse usr;
  EXPECT_EQ(Call(&Stub::UpdateMentoringSettings, mun_a, us, &usr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Broken input is refused, never crashes.
  v1::ListMentoringPairsRequest bad;
  bad.set_filter("status = 1; DROP TABLE people");
  bad.set_page_size(-5);
  v1::ListMentoringPairsResponse badr;
  EXPECT_EQ(Call(&Stub::ListMentoringPairs, admin, bad, &badr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  bad.set_filter("");
  bad.set_page_token("garbage");
  EXPECT_EQ(Call(&Stub::ListMentoringPairs, admin, bad, &badr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  create.mutable_profile()->set_mentor("people/-3");
  create.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::CreateMentorProfile, admin, create, &created).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// A manual pair names two people: both are authorised before anything else about either is
// looked at, so a caller learns nothing (name, mentor's load) about someone out of scope.
TEST_F(MentoringTest, ManualPairAuthorisesBothSidesBeforeLookingAtEither) {
  const Town t = NewTown();
  const Town far = NewTown();
  const std::string methodist = Token("regional.methodist");
  const std::string school = Login(Person(t.school1, t.mun, ""), 2, 3, t.school1);
  const std::string mun = Login(Person(t.school1, t.mun, ""), 3, 2, t.mun);
  const int64_t mentor = Person(t.school1, t.mun);
  const int64_t mentee = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const int64_t neighbour = Person(t.school2, t.mun, "математика", "2000-01-01", "2025-09-01");
  const int64_t stranger = Person(far.school1, far.mun, "математика", "2000-01-01", "2025-09-01");
  const int64_t far_mentor = Person(far.school1, far.mun);
  const int64_t far_mentee = Person(far.school1, far.mun, "математика", "2000-01-01", "2025-09-01");
  auto last_name = [&](int64_t id) {
    std::string out;
    Sql([&](sql::Connection& c) {
      auto rs = db::Stmt(c, "SELECT last_name FROM people WHERE id = ?").Int(id).Query();
      if (rs->next()) out = rs->getString(1);
    });
    return out;
  };
  // Both mentors are full: one place each, taken.
  const v1::MentorProfile own = Profile(school, P(mentor), 1);
  const v1::MentorProfile foreign = Profile(methodist, P(far_mentor), 1);
  auto pair = [&](const std::string& token, const std::string& profile, int64_t who) {
    v1::CreateMentoringPairRequest req;
    req.mutable_pair()->set_mentor_profile(profile);
    req.mutable_pair()->set_mentee(P(who));
    req.mutable_pair()->set_pair_type(v1::PAIR_TYPE_SUBJECT);
    req.set_request_id(RequestId());
    v1::CreateMentoringPairResponse resp;
    return Call(&Stub::CreateMentoringPair, token, req, &resp);
  };
  ASSERT_TRUE(pair(school, own.name(), mentee).ok());
  ASSERT_TRUE(pair(methodist, foreign.name(), far_mentee).ok());
  auto pairs_of = [&](int64_t who) {
    return Scalar(absl::StrCat("SELECT COUNT(*) FROM mentoring_pairs WHERE mentee_person_id = ", who));
  };
  struct Case {
    const char* what;
    std::string token, profile;
    int64_t mentee;
    std::vector<std::string> secrets;  // names of people the caller may not learn about
  };
  const std::vector<Case> cases = {
      {"school admin, own mentor, mentee of the neighbouring school", school, own.name(), neighbour,
       {last_name(neighbour)}},
      {"school admin, own mentee, mentor of another municipality", school, foreign.name(), mentee,
       {last_name(far_mentor)}},
      {"municipal methodist, own mentor, mentee of another municipality", mun, own.name(), stranger,
       {last_name(stranger)}},
      {"municipal methodist, own mentee, mentor of another municipality", mun, foreign.name(), mentee,
       {last_name(far_mentor)}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const grpc::Status st = pair(c.token, c.profile, c.mentee);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    for (const auto& name : c.secrets) {
      ASSERT_FALSE(name.empty());
      EXPECT_EQ(st.error_message().find(name), std::string::npos) << st.error_message();
    }
    // Nothing about either mentor's load: neither the count nor the fact that it is full.
    EXPECT_EQ(st.error_message().find("мест"), std::string::npos) << st.error_message();
    EXPECT_EQ(st.error_message().find("1 из 1"), std::string::npos) << st.error_message();
  }
  EXPECT_EQ(pairs_of(neighbour), 0);
  EXPECT_EQ(pairs_of(stranger), 0);
  EXPECT_EQ(pairs_of(mentee), 1);
  // Inside the scope the same full mentor is refused for what it is: no free place.
  const grpc::Status full = pair(school, own.name(), Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01"));
  EXPECT_EQ(full.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << full.error_message();
}

// ---------------------------------------------------------------- automatic requests

TEST_F(MentoringTest, SyncAutoRequestsForYoungTeachers) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  const v1::Date ref = D(2026, 6, 30);
  const int64_t mentor = Person(t.school1, t.mun, "история");
  const int64_t young = Person(t.school1, t.mun, "история", "1998-04-01", "2024-09-01", 1);
  const int64_t young2 = Person(t.school2, t.mun, "физика", "1997-04-01", "2025-09-01", 1);
  Person(t.school2, t.mun, "физика", "1991-06-30", "2025-09-01", 1);  // 35 on the reference date: not young
  Person(t.school2, t.mun, "физика", "1996-01-01", "2023-06-30", 1);  // exactly 3 years of work: not young
  const std::string young_token = TeacherLogin(young, t.school1);
  const std::string mentor_token = TeacherLogin(mentor, t.school1);
  auto sync = [&](const v1::Date& date) {
    v1::SyncAutoRequestsRequest req;
    req.set_scope(M(t.mun));
    *req.mutable_reference_date() = date;
    req.set_request_id(RequestId());
    v1::SyncAutoRequestsResponse resp;
    auto st = Call(&Stub::SyncAutoRequests, methodist, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  };
  v1::SyncAutoRequestsResponse s = sync(ref);
  EXPECT_EQ(s.created_young_teacher(), 2);
  EXPECT_EQ(s.closed(), 0);
  s = sync(ref);  // idempotent by content
  EXPECT_EQ(s.created_young_teacher(), 0);
  EXPECT_EQ(s.unchanged(), 2);

  v1::ListMenteeRequestsRequest lr;
  lr.set_filter(absl::StrCat("mentee = ", P(young), " AND source = MENTEE_REQUEST_SOURCE_AUTO_YOUNG_TEACHER"));
  v1::ListMenteeRequestsResponse lrr;
  ASSERT_TRUE(Call(&Stub::ListMenteeRequests, young_token, lr, &lrr).ok());
  ASSERT_EQ(lrr.requests_size(), 1);
  const v1::MenteeRequest auto_request = lrr.requests(0);
  EXPECT_EQ(auto_request.pair_type(), v1::PAIR_TYPE_YOUNG_SPECIALIST);
  EXPECT_EQ(auto_request.status(), v1::MENTEE_REQUEST_STATUS_OPEN);
  EXPECT_EQ(auto_request.subjects(0), "история");

  // The young teacher gets a mentor through matching; the request is satisfied.
  Profile(methodist, P(mentor), 2);
  const v1::MatchingProposal proposal = Propose(methodist, O(t.school1));
  ASSERT_EQ(proposal.pairs_size(), 1);
  EXPECT_EQ(proposal.pairs(0).pair_type(), v1::PAIR_TYPE_YOUNG_SPECIALIST);
  const auto pairs = Apply(methodist, proposal);
  ASSERT_EQ(pairs.size(), 1u);
  v1::MentoringPair pair = pairs[0];
  ASSERT_TRUE(Accept(young_token, pair, v1::PAIR_SIDE_MENTEE, &pair).ok());
  ASSERT_TRUE(Accept(mentor_token, pair, v1::PAIR_SIDE_MENTOR, &pair).ok());
  EXPECT_EQ(pair.status(), v1::MENTORING_PAIR_STATUS_ACTIVE);
  EXPECT_EQ(GetRequest(young_token, auto_request.name()).status(), v1::MENTEE_REQUEST_STATUS_PAIRED);
  s = sync(ref);
  EXPECT_EQ(s.created_young_teacher(), 0);
  EXPECT_EQ(s.closed(), 0);
  // Years later young2 has left the cohort: her open automatic request is closed with the reason.
  s = sync(D(2030, 1, 1));
  EXPECT_EQ(s.closed(), 1);
  lr.set_filter(absl::StrCat("mentee = ", P(young2)));
  ASSERT_TRUE(Call(&Stub::ListMenteeRequests, methodist, lr, &lrr).ok());
  ASSERT_EQ(lrr.requests_size(), 1);
  EXPECT_EQ(lrr.requests(0).status(), v1::MENTEE_REQUEST_STATUS_CANCELLED);
  EXPECT_NE(lrr.requests(0).cancel_reason().find("когорту"), std::string::npos) << lrr.requests(0).cancel_reason();
}

// ---------------------------------------------------------------- rules and programmes

TEST_F(MentoringTest, SettingsDecideEligibilityAndMatching) {
  const Town t = NewTown();
  const std::string admin = Token("regional.admin");
  const std::string methodist = Token("regional.methodist");
  const int64_t junior = Person(t.school1, t.mun, "математика", "1995-01-01", "2022-09-01", 2);  // 4 years, no category
  const int64_t e = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const v1::MentorProfile prof = Profile(methodist, P(junior));
  EXPECT_TRUE(prof.eligibility().eligible());
  Request(methodist, P(e));

  v1::GetMentoringSettingsRequest gs;
  gs.set_name(absl::StrCat("regions/", f_.region, "/mentoringSettings"));
  v1::GetMentoringSettingsResponse gsr;
  ASSERT_TRUE(Call(&Stub::GetMentoringSettings, admin, gs, &gsr).ok());
  v1::UpdateMentoringSettingsRequest us;
  *us.mutable_settings() = gsr.settings();
  us.mutable_settings()->set_min_qualification_category("first");
  us.mutable_update_mask()->add_paths("min_qualification_category");
  us.set_request_id(RequestId());
  v1::UpdateMentoringSettingsResponse usr;
  ASSERT_TRUE(Call(&Stub::UpdateMentoringSettings, admin, us, &usr).ok());
  EXPECT_EQ(usr.settings().min_qualification_category(), "first");
  us.set_request_id(RequestId());
  v1::UpdateMentoringSettingsResponse stale;
  EXPECT_EQ(Call(&Stub::UpdateMentoringSettings, admin, us, &stale).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The profile was re-evaluated with the new rule and is no longer matched.
  v1::GetMentorProfileRequest gp;
  gp.set_name(prof.name());
  v1::GetMentorProfileResponse gpr;
  ASSERT_TRUE(Call(&Stub::GetMentorProfile, methodist, gp, &gpr).ok());
  EXPECT_FALSE(gpr.profile().eligibility().eligible());
  bool category_failed = false;
  for (const auto& c : gpr.profile().eligibility().checks()) category_failed |= c.code() == "qualification_category" && !c.passed();
  EXPECT_TRUE(category_failed);
  const v1::MatchingProposal proposal = Propose(methodist, M(t.mun));
  EXPECT_EQ(proposal.pairs_size(), 0);
  ASSERT_EQ(proposal.unmatched_size(), 1);
  EXPECT_EQ(proposal.unmatched(0).reason(), v1::UNMATCHED_REASON_NO_CANDIDATES);

  // Back to any category for the other tests of this process.
  *us.mutable_settings() = usr.settings();
  us.mutable_settings()->set_min_qualification_category("");
  us.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::UpdateMentoringSettings, admin, us, &usr).ok());
}

// The mentor chooses what mentees see of how to reach them; nobody else may set or change it,
// and it shows on the pair only while the pair is proposed or active.
TEST_F(MentoringTest, OnlyTheMentorSharesContactsAndTheyShowOnLivePairs) {
  const Town t = NewTown();
  const int64_t head = Person(t.school1, t.mun, "");
  const std::string school = Login(head, 2, 3, t.school1);
  const int64_t m = Person(t.school1, t.mun);
  const int64_t e = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const std::string m_token = TeacherLogin(m, t.school1);
  const std::string e_token = TeacherLogin(e, t.school1);
  const std::string contact = "+7 900 123-45-67, после 15:00";

  // The school may not put contacts into a profile it creates for the mentor.
  v1::CreateMentorProfileRequest cr;
  cr.mutable_profile()->set_mentor(P(m));
  cr.mutable_profile()->set_capacity(2);
  cr.mutable_profile()->set_shared_contact(contact);
  cr.set_request_id(RequestId());
  v1::CreateMentorProfileResponse crr;
  auto st = Call(&Stub::CreateMentorProfile, school, cr, &crr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("сам наставник"), std::string::npos) << st.error_message();
  v1::MentorProfile prof = Profile(school, P(m));
  EXPECT_EQ(prof.shared_contact(), "");

  v1::UpdateMentorProfileRequest up;
  up.mutable_profile()->set_name(prof.name());
  up.mutable_profile()->set_shared_contact(contact);
  up.mutable_profile()->set_version(prof.version());
  up.mutable_update_mask()->add_paths("shared_contact");
  up.set_request_id(RequestId());
  v1::UpdateMentorProfileResponse upr;
  EXPECT_EQ(Call(&Stub::UpdateMentorProfile, school, up, &upr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Too long: refused with the field named.
  up.mutable_profile()->set_shared_contact(std::string(601, 'x'));
  up.set_request_id(RequestId());
  st = Call(&Stub::UpdateMentorProfile, m_token, up, &upr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("profile.shared_contact"), std::string::npos) << st.error_message();
  // The mentor sets it.
  up.mutable_profile()->set_shared_contact(contact);
  up.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::UpdateMentorProfile, m_token, up, &upr).ok());
  EXPECT_EQ(upr.profile().shared_contact(), contact);
  prof = upr.profile();
  // The school's form sends every field, the contacts as stored: allowed, the contacts unchanged.
  v1::UpdateMentorProfileRequest all;
  *all.mutable_profile() = prof;
  all.mutable_profile()->set_capacity(3);
  for (const char* path : {"capacity", "note", "shared_contact"}) all.mutable_update_mask()->add_paths(path);
  all.set_request_id(RequestId());
  st = Call(&Stub::UpdateMentorProfile, school, all, &upr);
  ASSERT_TRUE(st.ok()) << "school edits the rest: " << st.error_message();
  EXPECT_EQ(upr.profile().shared_contact(), contact);
  EXPECT_EQ(upr.profile().capacity(), 3);

  // On a proposed and an active pair the mentee sees it; on a finished one nobody does.
  v1::CreateMentoringPairRequest manual;
  manual.mutable_pair()->set_mentor_profile(prof.name());
  manual.mutable_pair()->set_mentee(P(e));
  manual.mutable_pair()->set_pair_type(v1::PAIR_TYPE_YOUNG_SPECIALIST);
  manual.set_request_id(RequestId());
  v1::CreateMentoringPairResponse mr;
  ASSERT_TRUE(Call(&Stub::CreateMentoringPair, school, manual, &mr).ok());
  EXPECT_EQ(GetPair(e_token, mr.pair().name()).mentor_shared_contact(), contact);
  v1::MentoringPair pair = mr.pair();
  ASSERT_TRUE(Accept(e_token, pair, v1::PAIR_SIDE_MENTEE, &pair).ok());
  ASSERT_TRUE(Accept(m_token, pair, v1::PAIR_SIDE_MENTOR, &pair).ok());
  EXPECT_EQ(pair.status(), v1::MENTORING_PAIR_STATUS_ACTIVE);
  EXPECT_EQ(GetPair(e_token, pair.name()).mentor_shared_contact(), contact);
  v1::CancelMentoringPairRequest cancel;
  cancel.set_name(pair.name());
  cancel.set_reason("перевод в другую школу");
  cancel.set_version(pair.version());
  cancel.set_request_id(RequestId());
  v1::CancelMentoringPairResponse cancelr;
  ASSERT_TRUE(Call(&Stub::CancelMentoringPair, school, cancel, &cancelr).ok());
  EXPECT_EQ(GetPair(e_token, pair.name()).mentor_shared_contact(), "");
}

TEST_F(MentoringTest, SchoolProgrammesAndManualPairs) {
  const Town t = NewTown();
  const int64_t head = Person(t.school1, t.mun, "");
  const std::string school = Login(head, 2, 3, t.school1);
  const std::string other_school = Token("school.a1");
  const int64_t m = Person(t.school1, t.mun);
  const int64_t e = Person(t.school1, t.mun, "математика", "2000-01-01", "2025-09-01");
  const std::string e_token = TeacherLogin(e, t.school1);
  const std::string m_token = TeacherLogin(m, t.school1);

  v1::CreateMentoringProgrammeRequest cp;
  cp.mutable_programme()->set_organization(O(t.school1));
  cp.mutable_programme()->set_title("Программа наставничества педагогов 2026–2027");
  cp.mutable_programme()->set_coordinator(P(head));
  cp.mutable_programme()->set_adoption_document("приказ № 45 от 01.09.2026");
  *cp.mutable_programme()->mutable_start_date() = D(2026, 9, 1);
  cp.mutable_programme()->add_pair_types(v1::PAIR_TYPE_YOUNG_SPECIALIST);
  cp.set_request_id(RequestId());
  v1::CreateMentoringProgrammeResponse cpr;
  EXPECT_EQ(Call(&Stub::CreateMentoringProgramme, other_school, cp, &cpr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  cp.set_request_id(RequestId());
  ASSERT_TRUE(Call(&Stub::CreateMentoringProgramme, school, cp, &cpr).ok());
  const v1::MentoringProgramme programme = cpr.programme();
  EXPECT_EQ(programme.status(), v1::MENTORING_PROGRAMME_STATUS_ACTIVE);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT status FROM mentoring_programmes WHERE organization_id = ", t.school1)), 1);
  cp.set_request_id(RequestId());
  EXPECT_EQ(Call(&Stub::CreateMentoringProgramme, school, cp, &cpr).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // The school's teachers read it.
  v1::GetMentoringProgrammeRequest gp;
  gp.set_name(programme.name());
  v1::GetMentoringProgrammeResponse gpr;
  EXPECT_TRUE(Call(&Stub::GetMentoringProgramme, e_token, gp, &gpr).ok());
  EXPECT_EQ(Call(&Stub::GetMentoringProgramme, Token("teacher.b1"), gp, &gpr).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A manual pair inside the programme, with a plan, by the school's coordinator.
  const v1::MentorProfile prof = Profile(school, P(m));
  v1::CreateMentoringPairRequest manual;
  manual.mutable_pair()->set_mentor_profile(prof.name());
  manual.mutable_pair()->set_mentee(P(e));
  manual.mutable_pair()->set_pair_type(v1::PAIR_TYPE_YOUNG_SPECIALIST);
  manual.mutable_pair()->set_programme(programme.name());
  manual.mutable_pair()->add_goals()->set_title("Адаптация в коллективе");
  *manual.mutable_pair()->mutable_planned_end_date() = D(2027, 5, 31);
  manual.set_request_id(RequestId());
  v1::CreateMentoringPairResponse mr;
  ASSERT_TRUE(Call(&Stub::CreateMentoringPair, school, manual, &mr).ok());
  EXPECT_EQ(mr.pair().version(), 1);
  ASSERT_EQ(mr.pair().goals_size(), 1);
  manual.set_request_id(RequestId());
  v1::CreateMentoringPairResponse dup;
  EXPECT_EQ(Call(&Stub::CreateMentoringPair, school, manual, &dup).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  v1::MentoringPair pair = mr.pair();
  ASSERT_TRUE(Accept(e_token, pair, v1::PAIR_SIDE_MENTEE, &pair).ok());
  ASSERT_TRUE(Accept(m_token, pair, v1::PAIR_SIDE_MENTOR, &pair).ok());
  ASSERT_TRUE(Call(&Stub::GetMentoringProgramme, school, gp, &gpr).ok());
  EXPECT_EQ(gpr.programme().active_pairs(), 1);
  v1::ListMentoringPairsRequest lp;
  lp.set_filter(absl::StrCat("programme = ", programme.name(), " AND status = MENTORING_PAIR_STATUS_ACTIVE"));
  v1::ListMentoringPairsResponse lpr;
  ASSERT_TRUE(Call(&Stub::ListMentoringPairs, school, lp, &lpr).ok());
  ASSERT_EQ(lpr.pairs_size(), 1);
  EXPECT_EQ(lpr.pairs(0).goals_size(), 1);

  // A programme with pairs is closed rather than deleted.
  v1::DeleteMentoringProgrammeRequest del;
  del.set_name(programme.name());
  del.set_version(gpr.programme().version());
  del.set_request_id(RequestId());
  v1::DeleteMentoringProgrammeResponse delr;
  ASSERT_TRUE(Call(&Stub::DeleteMentoringProgramme, school, del, &delr).ok());
  ASSERT_TRUE(Call(&Stub::GetMentoringProgramme, school, gp, &gpr).ok());
  EXPECT_EQ(gpr.programme().status(), v1::MENTORING_PROGRAMME_STATUS_CLOSED);
}

TEST_F(MentoringTest, ManagementMentoringOfOrganisations) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  const std::string head1 = Login(Person(t.school1, t.mun, ""), 2, 3, t.school1);
  const std::string head2 = Login(Person(t.school2, t.mun, ""), 2, 3, t.school2);
  const v1::MentorProfile prof = Profile(methodist, O(t.school1), 1);
  EXPECT_TRUE(prof.eligibility().eligible());
  ASSERT_EQ(prof.pair_types_size(), 1);
  EXPECT_EQ(prof.pair_types(0), v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT);
  const v1::MenteeRequest r = Request(head2, O(t.school2));
  EXPECT_EQ(r.pair_type(), v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT);
  const v1::MatchingProposal proposal = Propose(methodist, M(t.mun));
  ASSERT_EQ(proposal.pairs_size(), 1);
  EXPECT_EQ(proposal.pairs(0).mentor(), O(t.school1));
  EXPECT_EQ(proposal.pairs(0).mentee(), O(t.school2));
  const auto pairs = Apply(methodist, proposal);
  ASSERT_EQ(pairs.size(), 1u);
  v1::MentoringPair pair = pairs[0];
  // Each organisation's head accepts for it.
  v1::MentoringPair ignored;
  EXPECT_EQ(Accept(head2, pair, v1::PAIR_SIDE_MENTOR, &ignored).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Accept(head2, pair, v1::PAIR_SIDE_MENTEE, &pair).ok());
  ASSERT_TRUE(Accept(head1, pair, v1::PAIR_SIDE_MENTOR, &pair).ok());
  EXPECT_EQ(pair.status(), v1::MENTORING_PAIR_STATUS_ACTIVE);
  const std::string id = pair.name().substr(sizeof("mentoringPairs/") - 1);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT mentee_person_id IS NULL FROM mentoring_pairs WHERE id = ", id)), 1);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT mentor_organization_id FROM mentoring_pairs WHERE id = ", id)), t.school1);
  EXPECT_EQ(Scalar(absl::StrCat("SELECT mentee_organization_id FROM mentoring_pairs WHERE id = ", id)), t.school2);
}

TEST_F(MentoringTest, ListsArePagedAndFiltered) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  for (const char* subject : {"география", "география", "музыка"}) Profile(methodist, P(Person(t.school1, t.mun, subject)));
  v1::ListMentorProfilesRequest req;
  req.set_filter(absl::StrCat("municipality = ", M(t.mun)));
  req.set_page_size(2);
  v1::ListMentorProfilesResponse page1, page2;
  ASSERT_TRUE(Call(&Stub::ListMentorProfiles, methodist, req, &page1).ok());
  EXPECT_EQ(page1.profiles_size(), 2);
  EXPECT_EQ(page1.total_size(), 3);
  ASSERT_FALSE(page1.next_page_token().empty());
  req.set_page_token(page1.next_page_token());
  ASSERT_TRUE(Call(&Stub::ListMentorProfiles, methodist, req, &page2).ok());
  EXPECT_EQ(page2.profiles_size(), 1);
  EXPECT_TRUE(page2.next_page_token().empty());
  EXPECT_NE(page1.profiles(0).name(), page2.profiles(0).name());
  req.clear_page_token();
  req.set_filter(absl::StrCat("municipality = ", M(t.mun), " AND subjects = \"география\" AND eligible = true"));
  req.set_page_size(100000);
  ASSERT_TRUE(Call(&Stub::ListMentorProfiles, methodist, req, &page1).ok());
  EXPECT_EQ(page1.profiles_size(), 2);
  req.set_filter("colour = red");
  EXPECT_EQ(Call(&Stub::ListMentorProfiles, methodist, req, &page1).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}


TEST_F(MentoringTest, SyncAutoRequestsForRouteItemsWithAMentor) {
  const Town t = NewTown();
  const std::string methodist = Token("regional.methodist");
  const int64_t teacher = Person(t.school1, t.mun, "биология");             // not young
  const int64_t young = Person(t.school2, t.mun, "биология", "2000-01-01", "2025-09-01", 1);
  const int64_t mentor = Person(t.school1, t.mun, "биология");
  // ИОМ in progress with a custom section 3 item «с наставником» closing two deficits.
  auto route_with_item = [&](int64_t person, int route_status) {
    int64_t route = 0, item = 0;
    Sql([&](sql::Connection& c) {
      db::Stmt(c, "INSERT INTO routes (person_id, region_id, status) VALUES (?, ?, ?)")
          .Int(person).Int(f_.region).Int(route_status).Execute();
      route = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO route_items (route_id, section, position, title, closes_codes, status) "
                  "VALUES (?, 7, 1, 'Работа с наставником', 'BIO.1\nBIO.2', 1)")
          .Int(route).Execute();
      item = db::LastInsertId(c);
    });
    return absl::StrCat("routes/", route, "/items/", item);
  };
  const std::string item1 = route_with_item(teacher, 4);
  const std::string item2 = route_with_item(young, 3);
  route_with_item(Person(t.school2, t.mun), 1);  // a draft route asks for nothing yet
  auto sync = [&] {
    v1::SyncAutoRequestsRequest req;
    req.set_scope(M(t.mun));
    *req.mutable_reference_date() = D(2026, 12, 1);
    req.set_request_id(RequestId());
    v1::SyncAutoRequestsResponse resp;
    auto st = Call(&Stub::SyncAutoRequests, methodist, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  };
  v1::SyncAutoRequestsResponse s = sync();
  EXPECT_EQ(s.created_route(), 2);
  EXPECT_EQ(s.created_young_teacher(), 0);  // the young teacher's need is the route item's request
  v1::ListMenteeRequestsRequest lr;
  lr.set_filter(absl::StrCat("mentee = ", P(teacher)));
  v1::ListMenteeRequestsResponse lrr;
  ASSERT_TRUE(Call(&Stub::ListMenteeRequests, methodist, lr, &lrr).ok());
  ASSERT_EQ(lrr.requests_size(), 1);
  const v1::MenteeRequest request = lrr.requests(0);
  EXPECT_EQ(request.source(), v1::MENTEE_REQUEST_SOURCE_AUTO_ROUTE);
  EXPECT_EQ(request.route_item(), item1);
  EXPECT_EQ(request.pair_type(), v1::PAIR_TYPE_COMPETENCY_PEER);
  ASSERT_EQ(request.deficit_indicator_codes_size(), 2);
  EXPECT_EQ(request.deficit_indicator_codes(0), "BIO.1");
  lr.set_filter(absl::StrCat("mentee = ", P(young)));
  ASSERT_TRUE(Call(&Stub::ListMenteeRequests, methodist, lr, &lrr).ok());
  ASSERT_EQ(lrr.requests_size(), 1);
  EXPECT_EQ(lrr.requests(0).route_item(), item2);
  EXPECT_EQ(lrr.requests(0).pair_type(), v1::PAIR_TYPE_YOUNG_SPECIALIST);
  EXPECT_EQ(sync().unchanged(), 2);

  // A mentor strong in BIO.1 takes the competency pair; the pair carries out the route item.
  v1::CreateMentorProfileRequest cp;
  cp.mutable_profile()->set_mentor(P(mentor));
  cp.mutable_profile()->add_strong_indicator_codes("BIO.1");
  cp.mutable_profile()->set_capacity(1);
  cp.set_request_id(RequestId());
  v1::CreateMentorProfileResponse cpr;
  ASSERT_TRUE(Call(&Stub::CreateMentorProfile, methodist, cp, &cpr).ok());
  const v1::MatchingProposal proposal = Propose(methodist, M(t.mun));
  const v1::ProposedPair* pp = PairOf(proposal, P(teacher));
  ASSERT_NE(pp, nullptr);
  ASSERT_EQ(pp->explanation().covered_deficit_codes_size(), 1);
  EXPECT_EQ(pp->explanation().covered_deficit_codes(0), "BIO.1");
  EXPECT_EQ(pp->explanation().uncovered_deficit_codes(0), "BIO.2");
  const auto pairs = Apply(methodist, proposal);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].route_item(), item1);
  ASSERT_EQ(pairs[0].indicator_codes_size(), 1);
  EXPECT_EQ(pairs[0].indicator_codes(0), "BIO.1");
  // The route is completed elsewhere: the young teacher's item no longer needs a mentor.
  Sql([&](sql::Connection& c) {
    db::Stmt(c, "UPDATE routes SET status = 5 WHERE person_id = ?").Int(young).Execute();
  });
  s = sync();
  EXPECT_EQ(s.closed(), 1);
  EXPECT_EQ(s.created_young_teacher(), 1);  // still young, still without a mentor
}

}  // namespace
}  // namespace nms::testing
