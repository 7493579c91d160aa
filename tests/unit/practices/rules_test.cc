// The bank of practices: content validation, the rubric, the transitions and the list filter.
#include "server/domain/practices/rules.h"

#include <gtest/gtest.h>

namespace nms::practices {
namespace {

Draft Valid() {
  Draft d;
  d.title = "Смысловое чтение на уроках математики";
  d.description = "Приёмы работы с текстом задачи";
  d.links = {"https://example.org/a.pdf", "http://school.ru/p?x=1"};
  d.areas = {2, 1};
  d.indicator_codes = {"М-1", "П-2"};
  d.level = 2;
  d.subject = "Математика";
  return d;
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(PracticeRules, ValidDraftPasses) { EXPECT_TRUE(ValidateDraft(Valid(), "practice").ok()); }

TEST(PracticeRules, RefusesBadContentNamingTheField) {
  struct Case {
    void (*mutate)(Draft&);
    const char* field;
  } cases[] = {
      {[](Draft& d) { d.title = "  "; }, "practice.title"},
      {[](Draft& d) { d.description.clear(); }, "practice.description"},
      {[](Draft& d) { d.links[1] = "ftp://x.ru/f"; }, "practice.links[1]"},
      {[](Draft& d) { d.links[0] = "https:///nohost"; }, "practice.links[0]"},
      {[](Draft& d) { d.links[0] = "javascript:alert(1)"; }, "practice.links[0]"},
      {[](Draft& d) { d.links[1] = d.links[0]; }, "practice.links[1]"},
      {[](Draft& d) { d.links.assign(11, "https://a.ru"); }, "practice.links"},
      {[](Draft& d) { d.areas.clear(); }, "practice.areas"},
      {[](Draft& d) { d.areas = {2, 2}; }, "practice.areas[1]"},
      {[](Draft& d) { d.areas = {9}; }, "practice.areas[0]"},
      {[](Draft& d) { d.indicator_codes = {"М-1", "М-1"}; }, "practice.indicator_codes[1]"},
      {[](Draft& d) { d.indicator_codes = {" М-1"}; }, "practice.indicator_codes[0]"},
      {[](Draft& d) { d.level = 0; }, "practice.level"},
      {[](Draft& d) { d.level = 4; }, "practice.level"},
      {[](Draft& d) { d.subject = std::string(201, 'a'); }, "practice.subject"},
  };
  for (const auto& c : cases) {
    Draft d = Valid();
    c.mutate(d);
    absl::Status s = ValidateDraft(d, "practice");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(Message(s).find(c.field), std::string::npos) << Message(s);
  }
}

TEST(PracticeRules, WebLinks) {
  EXPECT_TRUE(IsWebLink("https://a.ru"));
  EXPECT_TRUE(IsWebLink("http://a.ru/x#y"));
  EXPECT_FALSE(IsWebLink("https://"));
  EXPECT_FALSE(IsWebLink("https://a b.ru"));
  EXPECT_FALSE(IsWebLink("https://user@evil.ru"));
  EXPECT_FALSE(IsWebLink("a.ru"));
}

std::vector<std::pair<std::string, int>> FullMarks() {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& c : Rubric()) out.emplace_back(c.code, c.max_score);
  return out;
}

TEST(PracticeRules, RubricScoresEveryCriterionOnceWithinRange) {
  EXPECT_EQ(RubricMax(), 13);
  EXPECT_EQ(*ScoreReview(FullMarks(), "review.scores"), 13);
  auto zero = FullMarks();
  for (auto& s : zero) s.second = 0;
  EXPECT_EQ(*ScoreReview(zero, "review.scores"), 0);

  auto missing = FullMarks();
  missing.pop_back();
  EXPECT_NE(Message(ScoreReview(missing, "review.scores").status()).find("Качество описания"), std::string::npos);
  auto twice = FullMarks();
  twice.push_back(twice.front());
  EXPECT_EQ(ScoreReview(twice, "review.scores").status().code(), absl::StatusCode::kInvalidArgument);
  auto over = FullMarks();
  over[3].second = 3;  // novelty is 0..2
  EXPECT_NE(Message(ScoreReview(over, "review.scores").status()).find("review.scores[3]"), std::string::npos);
  auto negative = FullMarks();
  negative[0].second = -1;
  EXPECT_FALSE(ScoreReview(negative, "review.scores").ok());
  auto unknown = FullMarks();
  unknown[0].first = "beauty";
  EXPECT_FALSE(ScoreReview(unknown, "review.scores").ok());
}

TEST(PracticeRules, ScorePercentIsTheMeanOfTotals) {
  EXPECT_EQ(ScorePercent({}), 0);
  EXPECT_EQ(ScorePercent({13}), 100);
  EXPECT_EQ(ScorePercent({13, 0}), 50);
  EXPECT_EQ(ScorePercent({10}), 77);
}

TEST(PracticeRules, TransitionsFollowTheTable) {
  using S = Status;
  const S all[] = {S::kDraft, S::kSubmitted, S::kReviewed, S::kPublished, S::kReturned};
  for (S s : all) {
    const bool author_side = s == S::kDraft || s == S::kReturned;
    const bool in_review = s == S::kSubmitted || s == S::kReviewed;
    EXPECT_EQ(CanEdit(s).ok(), author_side) << StatusTitle(s);
    EXPECT_EQ(CanSubmit(s).ok(), author_side) << StatusTitle(s);
    EXPECT_EQ(CanReview(s).ok(), in_review) << StatusTitle(s);
    EXPECT_EQ(CanReturn(s).ok(), in_review) << StatusTitle(s);
    EXPECT_EQ(CanPublish(s, 1).ok(), s == S::kReviewed) << StatusTitle(s);
    if (!CanEdit(s).ok()) EXPECT_EQ(CanEdit(s).code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_FALSE(CanPublish(S::kReviewed, 0).ok());
  EXPECT_TRUE(ReadableRegionWide(S::kPublished));
  EXPECT_FALSE(ReadableRegionWide(S::kReviewed));
}

TEST(PracticeRules, NoReviewOfOwnPracticeNorTwice) {
  EXPECT_TRUE(CanReviewAs(1, 2, false).ok());
  EXPECT_EQ(CanReviewAs(2, 2, false).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CanReviewAs(1, 2, true).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CanReviewAs(1, 0, false).code(), absl::StatusCode::kPermissionDenied);
}

TEST(PracticeRules, FilterAndOrder) {
  auto q = ParseQuery(
      "status = PUBLISHED AND area = METHODOLOGICAL AND indicator = \"М-1\" AND subject = \"Математика\" AND "
      "level = MUNICIPAL AND municipality = \"municipalities/3\" AND text : \"чтение задачи\"");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->status, 4);
  EXPECT_EQ(q->area, 2);
  EXPECT_EQ(q->indicator, "М-1");
  EXPECT_EQ(q->subject, "Математика");
  EXPECT_EQ(q->level, 2);
  EXPECT_EQ(q->municipality_id, 3);
  EXPECT_EQ(q->words, (std::vector<std::string>{"чтение", "задачи"}));
  auto not_draft = ParseQuery("status != DRAFT");
  ASSERT_TRUE(not_draft.ok());
  EXPECT_TRUE(not_draft->status_not);
  EXPECT_FALSE(ParseQuery("colour = RED").ok());
  EXPECT_FALSE(ParseQuery("area = NOPE").ok());
  EXPECT_FALSE(ParseQuery("area > METHODOLOGICAL").ok());
  EXPECT_FALSE(ParseQuery("author = \"people/01\"").ok());
  EXPECT_EQ(*ParseOrder(""), Order::kUpdatedDesc);
  EXPECT_EQ(*ParseOrder("score desc"), Order::kScoreDesc);
  EXPECT_EQ(*ParseOrder("title"), Order::kTitle);
  EXPECT_FALSE(ParseOrder("title; drop").ok());
}

}  // namespace
}  // namespace nms::practices
