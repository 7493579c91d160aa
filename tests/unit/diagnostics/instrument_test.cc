// Instrument structure: a well-formed draft, every structural error named by its path, what
// publishing adds (answer keys, indicator mappings), dropping unknown indicators on import,
// counts and max score; and the list-filter grammar the diagnostics lists share.

#include "server/domain/diagnostics/instrument.h"

#include <gtest/gtest.h>


namespace nms::diagnostics {
namespace {

Framework Fw() {
  Framework f;
  f.areas = {{2, "Методические", {50, 70, 85}}};
  f.indicators = {{"М-1", 2, "Урок", std::nullopt}, {"М-2", 2, "Оценивание", std::nullopt}};
  f.overall = {50, 70, 85};
  return f;
}

InstrumentDef Good() {
  InstrumentDef d;
  d.title = "Диагностика";
  BlockDef online{"B1", "Методический блок", "", BlockKind::kOnline, 20, {}};
  ItemDef single;
  single.item_id = "B1-01";
  single.kind = ItemKind::kSingleChoice;
  single.text = "Что такое УУД?";
  single.options = {{"a", "Универсальные учебные действия", true}, {"b", "Учебные умения", false}};
  single.max_score = 1;
  single.weights = {{"М-1", 1}};
  ItemDef text;
  text.item_id = "B1-02";
  text.kind = ItemKind::kShortAnswer;
  text.text = "Автор теории зоны ближайшего развития?";
  text.accepted_answers = {"Выготский"};
  text.max_score = 2;
  text.weights = {{"М-1", 1}, {"М-2", 0.5}};
  ItemDef likert;
  likert.item_id = "B1-03";
  likert.kind = ItemKind::kLikert;
  likert.text = "Я уверенно применяю формирующее оценивание";
  likert.likert_min = 1;
  likert.likert_max = 5;
  likert.likert_labels = {"1", "2", "3", "4", "5"};
  likert.max_score = 1;
  likert.weights = {{"М-2", 1}};
  online.items = {single, text, likert};
  BlockDef expert{"B2", "Видеоурок", "", BlockKind::kExternallyScored, 0, {}};
  ItemDef video;
  video.item_id = "B2-01";
  video.kind = ItemKind::kExternalScore;
  video.max_score = 10;
  video.weights = {{"М-1", 2}};
  expert.items = {video};
  d.blocks = {online, expert};
  return d;
}

bool Has(const std::vector<std::string>& errors, const std::string& needle) {
  for (const auto& e : errors) {
    if (e.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(ValidateInstrumentTest, WellFormedDraftAndPublishable) {
  EXPECT_TRUE(ValidateInstrument(Good(), Fw()).empty()) << ValidateInstrument(Good(), Fw())[0];
  EXPECT_TRUE(ValidateForPublish(Good()).empty());
  EXPECT_EQ(ItemCount(Good()), 4);
  EXPECT_EQ(OnlineItemCount(Good()), 3);
  EXPECT_DOUBLE_EQ(MaxScore(Good()), 14);
  auto all = AllItems(Good());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].item_id, "B2-01");
}

TEST(ValidateInstrumentTest, NamesEachStructuralProblemByPath) {
  InstrumentDef d = Good();
  d.title = " ";
  d.blocks[0].items[1].item_id = "B1-01";               // duplicate
  d.blocks[0].items[0].options[1].option_id = "a|b";    // separator
  d.blocks[0].items[2].likert_labels = {"мало"};        // wrong label count
  d.blocks[0].items[1].max_score = 0;
  d.blocks[0].items[1].weights.push_back({"НЕТ", 1});   // unknown code
  d.blocks[0].items[1].weights.push_back({"М-1", 1});   // duplicate code
  d.blocks[1].items[0].kind = ItemKind::kSingleChoice;  // online kind in an expert block
  d.blocks.push_back({"B1", "", "", BlockKind::kUnspecified, 0, {}});
  auto e = ValidateInstrument(d, Fw());
  EXPECT_TRUE(Has(e, "title"));
  EXPECT_TRUE(Has(e, "blocks[0].items[1].item_id"));
  EXPECT_TRUE(Has(e, "blocks[0].items[0].options[1]"));
  EXPECT_TRUE(Has(e, "blocks[0].items[2].likert.labels"));
  EXPECT_TRUE(Has(e, "blocks[0].items[1].max_score"));
  EXPECT_TRUE(Has(e, "blocks[0].items[1].indicator_weights[2]"));
  EXPECT_TRUE(Has(e, "«НЕТ»"));
  EXPECT_TRUE(Has(e, "blocks[0].items[1].indicator_weights[3]"));
  EXPECT_TRUE(Has(e, "blocks[1].items[0].kind"));
  EXPECT_TRUE(Has(e, "blocks[2].block_id"));
  EXPECT_TRUE(Has(e, "blocks[2].kind"));
}

TEST(ValidateInstrumentTest, ExpertItemsOnlyInExpertBlocksAndChoiceItemsNeedOptions) {
  InstrumentDef d = Good();
  d.blocks[0].items[0].kind = ItemKind::kExternalScore;
  d.blocks[0].items[1].kind = ItemKind::kMultipleChoice;  // no options
  d.blocks[0].items[2].likert_max = 1;                     // min == max
  auto e = ValidateInstrument(d, Fw());
  EXPECT_TRUE(Has(e, "blocks[0].items[0].kind"));
  EXPECT_TRUE(Has(e, "blocks[0].items[1].options"));
  EXPECT_TRUE(Has(e, "blocks[0].items[1].accepted_answers"));
  EXPECT_TRUE(Has(e, "blocks[0].items[2].likert"));
}

TEST(ValidateInstrumentTest, SizeLimits) {
  InstrumentDef d = Good();
  d.blocks.resize(kMaxBlocks + 1, d.blocks[1]);
  EXPECT_TRUE(Has(ValidateInstrument(d, Fw()), "blocks: не больше"));
}

TEST(ValidateForPublishTest, NeedsKeysAndMappings) {
  InstrumentDef d = Good();
  d.blocks[0].items[0].options[1].correct = true;  // two correct in single choice
  d.blocks[0].items[1].accepted_answers.clear();
  d.blocks[0].items[2].weights.clear();
  auto e = ValidateForPublish(d);
  EXPECT_TRUE(Has(e, "«B1-01»"));
  EXPECT_TRUE(Has(e, "«B1-02»"));
  EXPECT_TRUE(Has(e, "«B1-03»"));
  EXPECT_EQ(e.size(), 3u);
  InstrumentDef empty;
  empty.title = "пусто";
  EXPECT_FALSE(ValidateForPublish(empty).empty());
  InstrumentDef multi = Good();
  multi.blocks[0].items[0].kind = ItemKind::kMultipleChoice;
  multi.blocks[0].items[0].options[0].correct = false;
  EXPECT_TRUE(Has(ValidateForPublish(multi), "хотя бы один правильный"));
}

TEST(DropUnknownIndicatorsTest, KeepsKnownWeightsAndWarnsPerDroppedOne) {
  InstrumentDef d = Good();
  d.blocks[0].items[0].weights = {{"М-1", 1}, {"ЧУЖОЙ-7", 2}};
  auto warnings = DropUnknownIndicators(d, Fw());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("ЧУЖОЙ-7"), std::string::npos);
  EXPECT_NE(warnings[0].find("B1-01"), std::string::npos);
  ASSERT_EQ(d.blocks[0].items[0].weights.size(), 1u);
  EXPECT_EQ(d.blocks[0].items[0].weights[0].first, "М-1");
  EXPECT_TRUE(ValidateInstrument(d, Fw()).empty());
}

}  // namespace
}  // namespace nms::diagnostics
