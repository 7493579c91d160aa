// Answers per item kind: validation of what may be saved, the fraction each answer earns,
// short-answer normalisation (case, ё/е, spaces, decimal comma), and a whole session's
// scored items with expert parts outstanding.

#include "server/domain/diagnostics/item_scoring.h"

#include <gtest/gtest.h>

namespace nms::diagnostics {
namespace {

ItemDef Single() {
  ItemDef i;
  i.item_id = "S1";
  i.kind = ItemKind::kSingleChoice;
  i.options = {{"a", "да", false}, {"b", "нет", true}, {"c", "не знаю", false}};
  i.max_score = 1;
  return i;
}

ItemDef Multiple(ChoiceScoring scoring) {
  ItemDef i;
  i.item_id = "M1";
  i.kind = ItemKind::kMultipleChoice;
  i.options = {{"a", "1", true}, {"b", "2", true}, {"c", "3", true}, {"d", "4", false}};
  i.choice_scoring = scoring;
  i.max_score = 3;
  return i;
}

ItemDef Short(std::vector<std::string> accepted, bool case_sensitive = false) {
  ItemDef i;
  i.item_id = "T1";
  i.kind = ItemKind::kShortAnswer;
  i.accepted_answers = std::move(accepted);
  i.case_sensitive = case_sensitive;
  i.max_score = 2;
  return i;
}

ItemDef Likert(bool reversed) {
  ItemDef i;
  i.item_id = "L1";
  i.kind = ItemKind::kLikert;
  i.likert_min = 1;
  i.likert_max = 5;
  i.likert_reversed = reversed;
  i.max_score = 1;
  return i;
}

Answer Pick(std::vector<std::string> ids) {
  Answer a;
  a.selected_option_ids = std::move(ids);
  return a;
}
Answer Text(std::string t) {
  Answer a;
  a.text = std::move(t);
  return a;
}
Answer Rate(int v) {
  Answer a;
  a.likert_value = v;
  return a;
}

TEST(AnswerFractionTest, SingleChoiceIsAllOrNothing) {
  EXPECT_EQ(AnswerFraction(Single(), Pick({"b"})), 1.0);
  EXPECT_EQ(AnswerFraction(Single(), Pick({"a"})), 0.0);
  EXPECT_EQ(AnswerFraction(Single(), Pick({})), 0.0);
  EXPECT_EQ(AnswerFraction(Single(), Pick({"b", "a"})), 0.0);
}

TEST(AnswerFractionTest, MultipleChoiceAllOrNothingNeedsExactlyTheCorrectSet) {
  for (auto scoring : {ChoiceScoring::kUnspecified, ChoiceScoring::kAllOrNothing}) {
    ItemDef i = Multiple(scoring);
    EXPECT_EQ(AnswerFraction(i, Pick({"c", "a", "b"})), 1.0);
    EXPECT_EQ(AnswerFraction(i, Pick({"a", "b"})), 0.0);
    EXPECT_EQ(AnswerFraction(i, Pick({"a", "b", "c", "d"})), 0.0);
  }
}

TEST(AnswerFractionTest, MultipleChoicePartialSubtractsWrongChoicesAndFloorsAtZero) {
  ItemDef i = Multiple(ChoiceScoring::kPartial);
  EXPECT_DOUBLE_EQ(AnswerFraction(i, Pick({"a", "b", "c"})), 1.0);
  EXPECT_DOUBLE_EQ(AnswerFraction(i, Pick({"a", "b"})), 2.0 / 3);
  EXPECT_DOUBLE_EQ(AnswerFraction(i, Pick({"a", "b", "d"})), 1.0 / 3);
  EXPECT_DOUBLE_EQ(AnswerFraction(i, Pick({"a", "d"})), 0.0);
  EXPECT_DOUBLE_EQ(AnswerFraction(i, Pick({"d"})), 0.0);
  EXPECT_DOUBLE_EQ(AnswerFraction(i, Pick({})), 0.0);
}

TEST(AnswerFractionTest, ShortAnswerIgnoresCaseSpacesAndYo) {
  ItemDef i = Short({"Выготский", "Л. С. Выготский"});
  EXPECT_EQ(AnswerFraction(i, Text("  выготский ")), 1.0);
  EXPECT_EQ(AnswerFraction(i, Text("ВЫГОТСКИЙ")), 1.0);
  EXPECT_EQ(AnswerFraction(i, Text("л.  с.\tвыготский")), 1.0);
  EXPECT_EQ(AnswerFraction(i, Text("Пиаже")), 0.0);
  EXPECT_EQ(AnswerFraction(i, Text("")), 0.0);
  EXPECT_EQ(AnswerFraction(Short({"Ёлка"}), Text("елка")), 1.0);
  EXPECT_EQ(AnswerFraction(Short({"ФГОС"}), Text("фгос")), 1.0);
}

TEST(AnswerFractionTest, ShortAnswerCaseSensitiveKeepsCase) {
  ItemDef i = Short({"ФГОС ООО"}, true);
  EXPECT_EQ(AnswerFraction(i, Text(" ФГОС  ООО ")), 1.0);
  EXPECT_EQ(AnswerFraction(i, Text("фгос ооо")), 0.0);
}

TEST(AnswerFractionTest, ShortAnswerNumbersCompareByValue) {
  ItemDef i = Short({"0,5"});
  EXPECT_EQ(AnswerFraction(i, Text("0.5")), 1.0);
  EXPECT_EQ(AnswerFraction(i, Text("0.50")), 1.0);
  EXPECT_EQ(AnswerFraction(i, Text("0.6")), 0.0);
  EXPECT_EQ(AnswerFraction(Short({"1 200"}), Text("1200")), 1.0);
}

TEST(AnswerFractionTest, LikertIsPositionOnTheScaleInvertedWhenReversed) {
  EXPECT_DOUBLE_EQ(AnswerFraction(Likert(false), Rate(1)), 0.0);
  EXPECT_DOUBLE_EQ(AnswerFraction(Likert(false), Rate(4)), 0.75);
  EXPECT_DOUBLE_EQ(AnswerFraction(Likert(false), Rate(5)), 1.0);
  EXPECT_DOUBLE_EQ(AnswerFraction(Likert(true), Rate(4)), 0.25);
  EXPECT_DOUBLE_EQ(AnswerFraction(Likert(false), Answer{}), 0.0);
}

TEST(ValidateAnswerTest, AcceptsWellFormedAnswersOfEachKind) {
  EXPECT_TRUE(ValidateAnswer(Single(), Pick({"a"})).ok());
  EXPECT_TRUE(ValidateAnswer(Single(), Pick({})).ok());  // clears the answer
  EXPECT_TRUE(ValidateAnswer(Multiple(ChoiceScoring::kPartial), Pick({"a", "d"})).ok());
  EXPECT_TRUE(ValidateAnswer(Short({"x"}), Text("Ответ")).ok());
  EXPECT_TRUE(ValidateAnswer(Likert(false), Rate(5)).ok());
}

TEST(ValidateAnswerTest, RejectsMalformedAnswersNamingTheProblem) {
  auto invalid = [](const absl::Status& st) { return st.code() == absl::StatusCode::kInvalidArgument; };
  EXPECT_TRUE(invalid(ValidateAnswer(Single(), Pick({"a", "b"}))));
  EXPECT_TRUE(invalid(ValidateAnswer(Single(), Pick({"z"}))));
  EXPECT_TRUE(invalid(ValidateAnswer(Multiple(ChoiceScoring::kPartial), Pick({"a", "a"}))));
  EXPECT_TRUE(invalid(ValidateAnswer(Single(), Text("текст"))));
  EXPECT_TRUE(invalid(ValidateAnswer(Short({"x"}), Pick({"a"}))));
  EXPECT_TRUE(invalid(ValidateAnswer(Short({"x"}), Text(std::string(kMaxAnswerTextBytes + 1, 'a')))));
  EXPECT_TRUE(invalid(ValidateAnswer(Short({"x"}), Text("\xff\xfe"))));
  EXPECT_TRUE(invalid(ValidateAnswer(Likert(false), Rate(0))));
  EXPECT_TRUE(invalid(ValidateAnswer(Likert(false), Rate(6))));
  EXPECT_TRUE(invalid(ValidateAnswer(Likert(false), Text("5"))));
  ItemDef expert;
  expert.kind = ItemKind::kExternalScore;
  EXPECT_TRUE(invalid(ValidateAnswer(expert, Answer{})));
  auto st = ValidateAnswer(Single(), Pick({"z"}));
  EXPECT_NE(st.message().find("«z»"), std::string::npos);
}

TEST(IsEmptyAnswerTest, NothingChosenTypedOrRated) {
  EXPECT_TRUE(IsEmptyAnswer(Answer{}));
  EXPECT_TRUE(IsEmptyAnswer(Text("  ")));
  EXPECT_FALSE(IsEmptyAnswer(Rate(1)));
  EXPECT_FALSE(IsEmptyAnswer(Pick({"a"})));
}

TEST(LowerRuTest, LowersLatinAndCyrillicKeepsTheRest) {
  EXPECT_EQ(LowerRu("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"), "абвгдеёжзийклмнопрстуфхцчшщъыьэюя");
  EXPECT_EQ(LowerRu("ИКТ-Компетенции 5B"), "икт-компетенции 5b");
}

TEST(ScoreSessionTest, UnansweredItemsScoreZeroAndMissingExpertScoresAreCounted) {
  ItemDef s = Single();
  s.weights = {{"И-1", 1}};
  ItemDef l = Likert(false);
  l.weights = {{"И-2", 1}};
  ItemDef video;
  video.item_id = "V1";
  video.kind = ItemKind::kExternalScore;
  video.max_score = 10;
  video.weights = {{"И-3", 2}};
  ItemDef cases = video;
  cases.item_id = "V2";
  std::map<std::string, Answer> answers = {{"S1", Pick({"b"})}};
  SessionScore score = ScoreSession({s, l, video, cases}, answers, {{"V1", 7}});
  EXPECT_EQ(score.missing_external, 1);
  ASSERT_EQ(score.items.size(), 3u);
  EXPECT_EQ(score.items[0].item_id, "S1");
  EXPECT_DOUBLE_EQ(score.items[0].fraction, 1.0);
  EXPECT_EQ(score.items[1].item_id, "L1");
  EXPECT_DOUBLE_EQ(score.items[1].fraction, 0.0);
  EXPECT_EQ(score.items[2].item_id, "V1");
  EXPECT_DOUBLE_EQ(score.items[2].fraction, 0.7);
  EXPECT_EQ(score.items[2].weights[0].second, 2);
}

TEST(MissingRequiredTest, ListsRequiredOnlineItemsWithoutAnAnswerInOrder) {
  ItemDef a = Single();
  a.required = true;
  ItemDef b = Short({"x"});
  b.required = true;
  ItemDef c = Likert(false);
  ItemDef d;
  d.item_id = "V";
  d.kind = ItemKind::kExternalScore;
  d.required = true;
  EXPECT_EQ(MissingRequired({a, b, c, d}, {{"T1", Text("  ")}}), (std::vector<std::string>{"S1", "T1"}));
  EXPECT_TRUE(MissingRequired({a, b, c, d}, {{"S1", Pick({"a"})}, {"T1", Text("x")}}).empty());
}

}  // namespace
}  // namespace nms::diagnostics
