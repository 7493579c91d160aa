// PracticeService against a real MariaDB and a real nms-server: the life of a practice (draft,
// submit, review with the rubric, publish or return), who may take each step and where
// (scope denials), stale versions, idempotent retries, bad input, and the search of published
// practices by area, indicator, subject, level and territory.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nms/v1/practices.grpc.pb.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using grpc::StatusCode;
constexpr char kDb[] = "it_practices";

class PracticeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    server_ = new ServerProcess(kDb);
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string Token(const std::string& login) {
    static std::map<std::string, std::string>* tokens = new std::map<std::string, std::string>;
    auto it = tokens->find(login);
    if (it != tokens->end()) return it->second;
    return (*tokens)[login] = SignIn(*server_->Channel(), login);
  }
  static std::unique_ptr<v1::PracticeService::Stub> Api() { return v1::PracticeService::NewStub(server_->Channel()); }

  static v1::Practice Content(int64_t author, const std::string& title) {
    v1::Practice p;
    p.set_author(absl::StrCat("people/", author));
    p.set_title(title);
    p.set_description("Приёмы смыслового чтения при решении текстовых задач");
    p.add_links("https://example.org/practice.pdf");
    p.add_areas(v1::COMPETENCY_AREA_METHODOLOGICAL);
    p.add_indicator_codes("М-1");
    p.set_level(v1::PRACTICE_LEVEL_MUNICIPAL);
    p.set_subject("Математика");
    return p;
  }

  static grpc::Status Create(const std::string& login, const v1::Practice& p, v1::Practice* out,
                             const std::string& request_id = "") {
    v1::CreatePracticeRequest req;
    *req.mutable_practice() = p;
    req.set_request_id(request_id);
    v1::CreatePracticeResponse resp;
    auto st = Api()->CreatePractice(Ctx(Token(login)).get(), req, &resp);
    if (out != nullptr) *out = resp.practice();
    return st;
  }
  static v1::Practice MustCreate(const std::string& login, const v1::Practice& p) {
    v1::Practice out;
    auto st = Create(login, p, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
  static grpc::Status Get(const std::string& login, const std::string& name, v1::Practice* out = nullptr) {
    v1::GetPracticeRequest req;
    req.set_name(name);
    v1::GetPracticeResponse resp;
    auto st = Api()->GetPractice(Ctx(Token(login)).get(), req, &resp);
    if (out != nullptr) *out = resp.practice();
    return st;
  }
  static grpc::Status Submit(const std::string& login, v1::Practice* p) {
    v1::SubmitPracticeRequest req;
    req.set_name(p->name());
    req.set_version(p->version());
    v1::SubmitPracticeResponse resp;
    auto st = Api()->SubmitPractice(Ctx(Token(login)).get(), req, &resp);
    if (st.ok()) *p = resp.practice();
    return st;
  }
  static v1::PracticeReview GoodReview(int score_each = 2) {
    v1::PracticeReview r;
    for (const char* code : {"relevance", "effect", "reproducibility", "novelty", "description"}) {
      auto* s = r.add_scores();
      s->set_criterion(code);
      s->set_score(score_each);
    }
    r.set_recommend(true);
    r.set_comment("Практика воспроизводима, рекомендую к публикации");
    return r;
  }
  static grpc::Status Review(const std::string& login, v1::Practice* p, const v1::PracticeReview& review,
                             const std::string& request_id = "") {
    v1::ReviewPracticeRequest req;
    req.set_name(p->name());
    req.set_version(p->version());
    *req.mutable_review() = review;
    req.set_request_id(request_id);
    v1::ReviewPracticeResponse resp;
    auto st = Api()->ReviewPractice(Ctx(Token(login)).get(), req, &resp);
    if (st.ok()) *p = resp.practice();
    return st;
  }
  static grpc::Status Publish(const std::string& login, v1::Practice* p) {
    v1::PublishPracticeRequest req;
    req.set_name(p->name());
    req.set_version(p->version());
    v1::PublishPracticeResponse resp;
    auto st = Api()->PublishPractice(Ctx(Token(login)).get(), req, &resp);
    if (st.ok()) *p = resp.practice();
    return st;
  }
  static grpc::Status Return(const std::string& login, v1::Practice* p, const std::string& comment) {
    v1::ReturnPracticeRequest req;
    req.set_name(p->name());
    req.set_version(p->version());
    req.set_comment(comment);
    v1::ReturnPracticeResponse resp;
    auto st = Api()->ReturnPractice(Ctx(Token(login)).get(), req, &resp);
    if (st.ok()) *p = resp.practice();
    return st;
  }
  static grpc::Status List(const std::string& login, const std::string& filter, v1::ListPracticesResponse* resp,
                           int page_size = 0, const std::string& token = "", const std::string& order = "") {
    v1::ListPracticesRequest req;
    req.set_filter(filter);
    req.set_page_size(page_size);
    req.set_page_token(token);
    req.set_order_by(order);
    return Api()->ListPractices(Ctx(Token(login)).get(), req, resp);
  }
  static std::vector<std::string> Titles(const std::string& login, const std::string& filter) {
    v1::ListPracticesResponse resp;
    auto st = List(login, filter, &resp, 0, "", "title");
    EXPECT_TRUE(st.ok()) << filter << ": " << st.error_message();
    std::vector<std::string> out;
    for (const auto& p : resp.practices()) out.push_back(p.title());
    return out;
  }
  // A practice of `author` carried to PUBLISHED by its school, the municipal methodist and the ЦНППМ.
  static v1::Practice Published(const v1::Practice& content, const std::string& author_login,
                                const std::string& reviewer = "regional.methodist") {
    v1::Practice p = MustCreate(author_login, content);
    EXPECT_TRUE(Submit(author_login, &p).ok());
    EXPECT_TRUE(Review(reviewer, &p, GoodReview()).ok());
    auto st = Publish("regional.methodist", &p);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return p;
  }

  static Fixture f_;
  static ServerProcess* server_;
};
Fixture PracticeTest::f_;
ServerProcess* PracticeTest::server_ = nullptr;

TEST_F(PracticeTest, LifeOfAPracticeFromDraftToTheBank) {
  v1::Practice p = MustCreate("teacher.a1", Content(f_.teacher_a1, "Смысловое чтение в задачах"));
  EXPECT_EQ(p.status(), v1::PRACTICE_STATUS_DRAFT);
  EXPECT_EQ(p.author_name(), "Иванова Анна Петровна");
  EXPECT_EQ(p.organization(), absl::StrCat("organizations/", f_.school_a1));
  EXPECT_EQ(p.organization_title(), "Школа А1");
  EXPECT_EQ(p.municipality(), absl::StrCat("municipalities/", f_.mun_a));
  EXPECT_EQ(p.version(), 1);

  // A draft is read in scope only: the author's school and municipality, never another teacher.
  EXPECT_TRUE(Get("school.a1", p.name()).ok());
  EXPECT_TRUE(Get("mun.a", p.name()).ok());
  EXPECT_EQ(Get("teacher.b1", p.name()).error_code(), StatusCode::PERMISSION_DENIED);

  // Edit with a stale version, then the current one; only the masked field changes.
  v1::UpdatePracticeRequest up;
  *up.mutable_practice() = p;
  up.mutable_practice()->set_subject("Алгебра");
  up.mutable_practice()->set_title("не меняется");
  up.mutable_update_mask()->add_paths("subject");
  up.mutable_practice()->set_version(7);
  v1::UpdatePracticeResponse upr;
  auto st = Api()->UpdatePractice(Ctx(Token("teacher.a1")).get(), up, &upr);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(st.error_message(), "версия")) << st.error_message();
  up.mutable_practice()->set_version(1);
  ASSERT_TRUE(Api()->UpdatePractice(Ctx(Token("teacher.a1")).get(), up, &upr).ok());
  EXPECT_EQ(upr.practice().subject(), "Алгебра");
  EXPECT_EQ(upr.practice().title(), "Смысловое чтение в задачах");
  EXPECT_EQ(upr.practice().version(), 2);
  p = upr.practice();

  // Nobody reviews a draft; then the author submits it and may no longer edit it.
  EXPECT_EQ(Review("mun.a", &p, GoodReview()).error_code(), StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Submit("teacher.a1", &p).ok());
  EXPECT_EQ(p.status(), v1::PRACTICE_STATUS_SUBMITTED);
  up.mutable_practice()->set_version(p.version());
  EXPECT_EQ(Api()->UpdatePractice(Ctx(Token("teacher.a1")).get(), up, &upr).error_code(),
            StatusCode::FAILED_PRECONDITION);

  // Who reviews: a methodist, not the author's side; the rubric is checked.
  EXPECT_EQ(Review("teacher.a1", &p, GoodReview()).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Review("school.a1", &p, GoodReview()).error_code(), StatusCode::PERMISSION_DENIED);
  v1::PracticeReview bad = GoodReview();
  bad.mutable_scores(3)->set_score(5);  // novelty is 0..2
  st = Review("mun.a", &p, bad);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(st.error_message(), "Новизна")) << st.error_message();
  bad = GoodReview();
  bad.mutable_scores()->RemoveLast();
  EXPECT_EQ(Review("mun.a", &p, bad).error_code(), StatusCode::INVALID_ARGUMENT);
  bad = GoodReview();
  bad.clear_comment();
  EXPECT_EQ(Review("mun.a", &p, bad).error_code(), StatusCode::INVALID_ARGUMENT);

  // Not yet reviewed: the ЦНППМ cannot publish.
  EXPECT_EQ(Publish("regional.methodist", &p).error_code(), StatusCode::FAILED_PRECONDITION);

  // The review, retried with the same request_id, counts once.
  v1::Practice before = p;
  ASSERT_TRUE(Review("mun.a", &p, GoodReview(2), "review-1").ok());
  v1::Practice again = before;
  ASSERT_TRUE(Review("mun.a", &again, GoodReview(2), "review-1").ok());
  EXPECT_EQ(again.reviews_size(), 1);
  EXPECT_EQ(p.status(), v1::PRACTICE_STATUS_REVIEWED);
  ASSERT_EQ(p.reviews_size(), 1);
  EXPECT_EQ(p.reviews(0).total_score(), 10);
  EXPECT_EQ(p.reviews(0).max_total_score(), 13);
  EXPECT_TRUE(absl::StrContains(p.reviews(0).reviewer_name(), "Методистова"));
  EXPECT_EQ(p.score_percent(), 77);
  EXPECT_EQ(Review("mun.a", &p, GoodReview()).error_code(), StatusCode::ALREADY_EXISTS);

  // Only the regional methodist decides.
  EXPECT_EQ(Publish("mun.a", &p).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Publish("regional.admin", &p).error_code(), StatusCode::PERMISSION_DENIED);
  v1::Practice stale = p;
  ASSERT_TRUE(Publish("regional.methodist", &p).ok());
  EXPECT_EQ(p.status(), v1::PRACTICE_STATUS_PUBLISHED);
  EXPECT_TRUE(p.has_publish_time());
  EXPECT_EQ(Return("regional.methodist", &stale, "поздно").error_code(), StatusCode::FAILED_PRECONDITION);

  // Published: every teacher of the region reads it.
  v1::Practice seen;
  ASSERT_TRUE(Get("teacher.b1", p.name(), &seen).ok());
  EXPECT_EQ(seen.reviews_size(), 1);
}

TEST_F(PracticeTest, SchoolSubmitsForItsTeacherAndTheCentreReturnsWithAComment) {
  EXPECT_EQ(Create("school.a1", Content(f_.teacher_b1, "Чужая"), nullptr).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create("teacher.a1", Content(f_.teacher_b1, "Чужая"), nullptr).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create("mun.a", Content(f_.teacher_a1, "Методист не автор"), nullptr).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::Practice p = MustCreate("school.a1", Content(f_.teacher_a1, "Проектные недели"));
  ASSERT_TRUE(Submit("school.a1", &p).ok());
  EXPECT_EQ(Return("regional.methodist", &p, "  ").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Return("mun.a", &p, "Доработать").error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Return("regional.methodist", &p, "Добавьте результаты обучающихся").ok());
  EXPECT_EQ(p.status(), v1::PRACTICE_STATUS_RETURNED);
  EXPECT_EQ(p.return_comment(), "Добавьте результаты обучающихся");
  // The author reads the comment, edits and submits again.
  v1::Practice mine;
  ASSERT_TRUE(Get("teacher.a1", p.name(), &mine).ok());
  EXPECT_EQ(mine.return_comment(), "Добавьте результаты обучающихся");
  ASSERT_TRUE(Submit("teacher.a1", &mine).ok());
  EXPECT_EQ(mine.status(), v1::PRACTICE_STATUS_SUBMITTED);
}

TEST_F(PracticeTest, ReviewersWorkInTheirScopeAndNeverOnTheirOwn) {
  v1::Practice b = MustCreate("teacher.b1", Content(f_.teacher_b1, "Практика Города Б"));
  ASSERT_TRUE(Submit("teacher.b1", &b).ok());
  // The municipal methodist of Город А neither reads nor reviews Город Б's submissions.
  EXPECT_EQ(Get("mun.a", b.name()).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Review("mun.a", &b, GoodReview()).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Review("regional.methodist", &b, GoodReview(1)).ok());
  // A missing practice: NOT_FOUND to region-wide callers, PERMISSION_DENIED to the rest.
  EXPECT_EQ(Get("regional.admin", "practices/999999").error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("teacher.a1", "practices/999999").error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Get("federal.sync", b.name()).error_code(), StatusCode::PERMISSION_DENIED);
}

TEST_F(PracticeTest, IdempotentCreateAndBadInput) {
  v1::Practice first, second;
  ASSERT_TRUE(Create("teacher.a1", Content(f_.teacher_a1, "Повтор"), &first, "create-1").ok());
  ASSERT_TRUE(Create("teacher.a1", Content(f_.teacher_a1, "Повтор"), &second, "create-1").ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(Create("teacher.a1", Content(f_.teacher_a1, "Другое"), nullptr, "create-1").error_code(),
            StatusCode::INVALID_ARGUMENT);

  struct Case {
    void (*mutate)(v1::Practice&);
    const char* field;
  } cases[] = {
      {[](v1::Practice& p) { p.set_title(""); }, "practice.title"},
      {[](v1::Practice& p) { p.set_links(0, "ftp://example.org/x"); }, "practice.links[0]"},
      {[](v1::Practice& p) { p.clear_areas(); }, "practice.areas"},
      {[](v1::Practice& p) { p.set_level(v1::PRACTICE_LEVEL_UNSPECIFIED); }, "practice.level"},
      {[](v1::Practice& p) { p.set_author("people/0x1"); }, "practice.author"},
  };
  for (const auto& c : cases) {
    v1::Practice p = Content(f_.teacher_a1, "Плохая");
    c.mutate(p);
    auto st = Create("teacher.a1", p, nullptr);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_TRUE(absl::StrContains(st.error_message(), c.field)) << st.error_message();
  }
  EXPECT_EQ(Get("teacher.a1", "practice/1").error_code(), StatusCode::INVALID_ARGUMENT);
  v1::ListPracticesResponse resp;
  EXPECT_EQ(List("teacher.a1", "colour = RED", &resp).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(List("teacher.a1", "", &resp, 0, "garbage").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(List("teacher.a1", "", &resp, 0, "", "colour").error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(List("teacher.a1", "", &resp, -1).error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(PracticeTest, PublishedPracticesAreSearchedByDeficitSubjectLevelAndTerritory) {
  v1::Practice digital = Content(f_.teacher_b1, "Цифровая лаборатория");
  digital.clear_areas();
  digital.add_areas(v1::COMPETENCY_AREA_DIGITAL);
  digital.clear_indicator_codes();
  digital.add_indicator_codes("Ц-2");
  digital.set_subject("Физика");
  digital.set_level(v1::PRACTICE_LEVEL_REGIONAL);
  Published(digital, "teacher.b1");
  Published(Content(f_.teacher_a1, "Карта урока"), "teacher.a1", "mun.a");
  MustCreate("teacher.a1", Content(f_.teacher_a1, "Черновик А1"));

  const std::string published = "status = PUBLISHED AND ";
  EXPECT_EQ(Titles("teacher.b1", published + "area = DIGITAL"), std::vector<std::string>{"Цифровая лаборатория"});
  auto has = [](const std::vector<std::string>& v, const std::string& t) {
    return std::find(v.begin(), v.end(), t) != v.end();
  };
  auto m1 = Titles("teacher.b1", published + "indicator = \"М-1\"");
  EXPECT_TRUE(has(m1, "Карта урока"));
  EXPECT_FALSE(has(m1, "Цифровая лаборатория"));
  EXPECT_EQ(Titles("teacher.b1", published + "subject = \"физика\""), std::vector<std::string>{"Цифровая лаборатория"});
  EXPECT_EQ(Titles("teacher.b1", published + "level = REGIONAL"), std::vector<std::string>{"Цифровая лаборатория"});
  auto in_a = Titles("teacher.b1", published + absl::StrCat("municipality = \"municipalities/", f_.mun_a, "\""));
  EXPECT_TRUE(has(in_a, "Карта урока"));
  EXPECT_FALSE(has(in_a, "Цифровая лаборатория"));
  EXPECT_FALSE(has(in_a, "Черновик А1"));
  EXPECT_EQ(Titles("teacher.b1", published + "text : \"лаборатория\""),
            std::vector<std::string>{"Цифровая лаборатория"});
  // A teacher sees published practices and own ones, never another teacher's draft.
  for (const auto& t : Titles("teacher.b1", "")) EXPECT_NE(t, "Черновик А1");
  auto own = Titles("teacher.a1", "status = DRAFT");
  EXPECT_NE(std::find(own.begin(), own.end(), "Черновик А1"), own.end());
  // The municipal methodist of Город А sees its drafts, not Город Б's.
  auto mun = Titles("mun.a", "status != PUBLISHED");
  EXPECT_NE(std::find(mun.begin(), mun.end(), "Черновик А1"), mun.end());
  EXPECT_EQ(std::find(mun.begin(), mun.end(), "Практика Города Б"), mun.end());
  // The federal sync account reads nothing.
  v1::ListPracticesResponse resp;
  EXPECT_EQ(List("federal.sync", "", &resp).error_code(), StatusCode::PERMISSION_DENIED);

  // Paging walks the whole list once.
  ASSERT_TRUE(List("regional.admin", "", &resp).ok());
  const int64_t total = resp.total_size();
  std::string token;
  int seen = 0;
  do {
    v1::ListPracticesResponse page;
    ASSERT_TRUE(List("regional.admin", "", &page, 1, token).ok());
    seen += page.practices_size();
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(seen, total);
  EXPECT_GE(total, 3);  // so the walk above took several pages
}

TEST_F(PracticeTest, RubricIsReadByEveryRoleOfTheRegion) {
  v1::GetPracticeRubricResponse resp;
  ASSERT_TRUE(Api()->GetPracticeRubric(Ctx(Token("teacher.a1")).get(), {}, &resp).ok());
  ASSERT_EQ(resp.criteria_size(), 5);
  EXPECT_EQ(resp.criteria(0).title(), "Актуальность");
  EXPECT_EQ(Api()->GetPracticeRubric(Ctx(Token("federal.sync")).get(), {}, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace nms::testing
