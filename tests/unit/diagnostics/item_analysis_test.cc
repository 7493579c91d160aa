// Item analytics for the instrument's owners: difficulty, corrected point-biserial, distractors,
// and the flags for items everyone passes or fails, miskeyed items, dead distractors and too few
// answers, plus the CSV.

#include "server/domain/diagnostics/item_analysis.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace nms::diagnostics {
namespace {

ItemDef Choice(const std::string& id, const std::string& text, const std::string& key) {
  ItemDef d;
  d.item_id = id;
  d.kind = ItemKind::kSingleChoice;
  d.text = text;
  for (std::string o : {"a", "b", "c", "d"}) d.options.push_back({o, "вариант " + o, o == key});
  d.max_score = 1;
  return d;
}

ItemDef Short(const std::string& id) {
  ItemDef d;
  d.item_id = id;
  d.kind = ItemKind::kShortAnswer;
  d.text = "Задание " + id;
  d.max_score = 1;
  return d;
}

bool HasFlag(const ItemStats& s, const std::string& part) {
  return std::any_of(s.flags.begin(), s.flags.end(), [&](const std::string& f) { return f.find(part) != std::string::npos; });
}

// 40 respondents ranked by strength r = 0..39: five anchor items passed from r ≥ 8k; q1 is a good
// item (right from r ≥ 12, the weaker split between b and c, nobody takes d); q2 is miskeyed (the
// strong, r ≥ 20, choose b); q3 everyone passes; q4 everyone fails.
struct Fixture {
  std::vector<ItemDef> items;
  std::vector<RespondentAnswers> people;
  Fixture() {
    items = {Choice("q1", "Что такое ФГОС?", "a"), Choice("q2", "Выберите форму оценивания", "a"), Short("q3"),
             Short("q4")};
    for (int k = 1; k <= 5; ++k) items.push_back(Short("anchor" + std::to_string(k)));
    for (int r = 0; r < 40; ++r) {
      RespondentAnswers a;
      const std::string q1 = r >= 12 ? "a" : (r % 2 ? "b" : "c");
      a["q1"] = {q1 == "a" ? 1.0 : 0.0, {q1}};
      const std::string q2 = r >= 20 ? "b" : "a";
      a["q2"] = {q2 == "a" ? 1.0 : 0.0, {q2}};
      a["q3"] = {1.0, {}};
      a["q4"] = {0.0, {}};
      for (int k = 1; k <= 5; ++k) a["anchor" + std::to_string(k)] = {r >= 8 * k - 4 ? 1.0 : 0.0, {}};
      people.push_back(a);
    }
  }
};

TEST(ItemAnalysisTest, DifficultyDiscriminationAndFlags) {
  Fixture fx;
  const auto stats = AnalyseItems(fx.items, fx.people);
  ASSERT_EQ(stats.size(), fx.items.size());
  const ItemStats& q1 = stats[0];
  EXPECT_EQ(q1.position, 1);
  EXPECT_EQ(q1.responses, 40);
  EXPECT_DOUBLE_EQ(q1.difficulty, 28.0 / 40);
  ASSERT_TRUE(q1.discrimination.has_value());
  EXPECT_GT(*q1.discrimination, 0.5);
  ASSERT_EQ(q1.options.size(), 4u);
  EXPECT_EQ(q1.options[0].chosen, 28);
  EXPECT_EQ(q1.options[1].chosen, 6);
  EXPECT_EQ(q1.options[2].chosen, 6);
  EXPECT_EQ(q1.options[3].chosen, 0);
  EXPECT_DOUBLE_EQ(q1.options[1].share, 0.15);
  EXPECT_FALSE(q1.options[3].mean_rest.has_value());
  EXPECT_LT(*q1.options[1].mean_rest, *q1.options[0].mean_rest);
  EXPECT_TRUE(HasFlag(q1, "«вариант d» не выбрал никто"));
  EXPECT_FALSE(HasFlag(q1, "проверьте ключ"));

  const ItemStats& q2 = stats[1];
  EXPECT_DOUBLE_EQ(q2.difficulty, 0.5);
  ASSERT_TRUE(q2.discrimination.has_value());
  EXPECT_LT(*q2.discrimination, -0.5);
  EXPECT_TRUE(HasFlag(q2, "Сильные участники выполняют задание хуже слабых"));
  EXPECT_TRUE(HasFlag(q2, "«вариант b» выбирают участники сильнее ответивших верно"));

  EXPECT_TRUE(stats[2].everyone_passes);
  EXPECT_TRUE(HasFlag(stats[2], "Все выполнили"));
  EXPECT_FALSE(stats[2].discrimination.has_value());  // no variance
  EXPECT_TRUE(stats[3].everyone_fails);
  EXPECT_TRUE(HasFlag(stats[3], "Никто не выполнил"));
  for (size_t j = 4; j < stats.size(); ++j) {
    EXPECT_TRUE(stats[j].flags.empty() || HasFlag(stats[j], "Почти")) << stats[j].item_id;
    EXPECT_GT(*stats[j].discrimination, 0.3) << stats[j].item_id;
  }
}

TEST(ItemAnalysisTest, FewAnswersGiveNoStatisticalVerdicts) {
  Fixture fx;
  fx.people = std::vector<RespondentAnswers>(fx.people.begin() + 6, fx.people.begin() + 16);  // r = 6..15
  fx.items.push_back(Short("unanswered"));
  const auto stats = AnalyseItems(fx.items, fx.people);
  EXPECT_TRUE(HasFlag(stats[0], "Мало ответов"));
  EXPECT_FALSE(HasFlag(stats[0], "не выбрал никто"));
  EXPECT_FALSE(HasFlag(stats[0], "различает"));
  EXPECT_TRUE(stats[1].everyone_passes);  // a fact, not a statistic: flagged even on few answers
  EXPECT_TRUE(HasFlag(stats[1], "Все выполнили"));
  EXPECT_EQ(stats.back().responses, 0);
  EXPECT_TRUE(HasFlag(stats.back(), "нет ответов"));
}

TEST(ItemAnalysisTest, CsvCarriesTextsNotIds) {
  Fixture fx;
  const std::string csv = ItemStatsCsv(fx.items, AnalyseItems(fx.items, fx.people));
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.find("Выполнение, %"), std::string::npos);
  EXPECT_NE(csv.find("\"Что такое ФГОС?\";40;70;"), std::string::npos) << csv;
  EXPECT_NE(csv.find("вариант a (верный) — 70 %"), std::string::npos);
  EXPECT_NE(csv.find("не выбрал никто"), std::string::npos);
  EXPECT_EQ(csv.find("\"q1\""), std::string::npos);
}

}  // namespace
}  // namespace nms::diagnostics
