// From an instrument and its stored answers to the item response model and back: the area of an
// item, which items enter calibration and where they are dichotomised, the per-area response
// matrices, the adaptive bank (excluded and misfitting items out) and the fixed form's blueprint
// with calibrated parameters (excluded items as flat curves); differential item functioning
// between groups of respondents (Mantel–Haenszel).

#include "server/domain/diagnostics/irt/item_bank.h"

#include <gtest/gtest.h>

#include <random>

#include "server/domain/diagnostics/irt/dif.h"

namespace nms::diagnostics::irt {
namespace {

ItemDef Item(const std::string& id, ItemKind kind, std::vector<std::pair<std::string, double>> weights) {
  ItemDef d;
  d.item_id = id;
  d.kind = kind;
  d.text = "Задание " + id;
  d.max_score = 1;
  d.weights = std::move(weights);
  return d;
}

Framework TwoAreas() {
  Framework f;
  f.areas = {{1, "предметная", {50, 70, 85}}, {2, "методическая", {40, 60, 80}}};
  f.indicators = {{"A1.1", 1, "Знание предмета", std::nullopt}, {"A1.2", 1, "Решение задач", std::nullopt},
                  {"A2.1", 2, "Планирование урока", std::nullopt}};
  f.overall = {50, 70, 85};
  return f;
}

TEST(IrtItemBankTest, AreaKindAndPassFraction) {
  const Framework f = TwoAreas();
  const ItemDef mixed = Item("m", ItemKind::kSingleChoice, {{"A1.1", 0.3}, {"A2.1", 0.7}});
  EXPECT_EQ(ItemArea(f, mixed), 2);
  EXPECT_EQ(PrimaryIndicator(mixed), "A2.1");
  EXPECT_EQ(ItemArea(f, Item("x", ItemKind::kSingleChoice, {{"Z9.9", 1}})), 0);
  EXPECT_TRUE(Calibratable(mixed));
  EXPECT_FALSE(Calibratable(Item("l", ItemKind::kLikert, {{"A1.1", 1}})));
  EXPECT_DOUBLE_EQ(PassFraction(f, mixed), 1.0);
  EXPECT_DOUBLE_EQ(PassFraction(f, Item("e", ItemKind::kExternalScore, {{"A2.1", 1}})), 0.4);
}

TEST(IrtItemBankTest, BuildsOneMatrixPerAreaFromPresentedItems) {
  const Framework f = TwoAreas();
  const std::vector<ItemDef> items = {Item("c1", ItemKind::kSingleChoice, {{"A1.1", 1}}),
                                      Item("mc", ItemKind::kMultipleChoice, {{"A1.2", 1}}),
                                      Item("lk", ItemKind::kLikert, {{"A1.1", 1}}),
                                      Item("ex", ItemKind::kExternalScore, {{"A2.1", 1}})};
  const std::vector<std::map<std::string, double>> sessions = {
      {{"c1", 1.0}, {"mc", 0.5}, {"lk", 0.75}, {"ex", 0.45}},
      {{"c1", 0.0}, {"mc", 1.0}, {"ex", 0.35}},
      {{"mc", 1.0}},  // an adaptive session that showed only mc
  };
  const auto areas = BuildAreaMatrices(f, items, sessions);
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].area, 1);
  EXPECT_EQ(areas[0].item_ids, (std::vector<std::string>{"c1", "mc"}));  // Likert left out
  const ResponseMatrix& m = areas[0].matrix;
  ASSERT_EQ(m.persons, 3);
  EXPECT_EQ(m.at(0, 0), 1);
  EXPECT_EQ(m.at(0, 1), 0);  // partial credit is not mastery
  EXPECT_EQ(m.at(1, 0), 0);
  EXPECT_EQ(m.at(1, 1), 1);
  EXPECT_EQ(m.at(2, 0), kNotPresented);
  EXPECT_EQ(areas[1].item_ids, (std::vector<std::string>{"ex"}));
  EXPECT_EQ(areas[1].matrix.at(0, 0), 1);  // 45 % ≥ the area's basic 40 %
  EXPECT_EQ(areas[1].matrix.at(1, 0), 0);
  EXPECT_EQ(areas[1].matrix.at(2, 0), kNotPresented);
}

TEST(IrtItemBankTest, CalibratedBankAndBlueprintFromSimulatedSessions) {
  const Framework f = TwoAreas();
  std::vector<ItemDef> items;
  std::vector<ItemParams> truth;
  for (int j = 0; j < 10; ++j) {
    items.push_back(Item("q" + std::to_string(j), ItemKind::kSingleChoice, {{j % 2 ? "A1.2" : "A1.1", 1}}));
    truth.push_back({0.8 + 0.1 * j, -1.5 + 0.3 * j});
  }
  items.push_back(Item("easy", ItemKind::kShortAnswer, {{"A1.1", 2}}));
  std::mt19937_64 rng(41);
  std::normal_distribution<double> n(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::map<std::string, double>> sessions;
  for (int s = 0; s < 800; ++s) {
    const double th = n(rng);
    std::map<std::string, double> fr;
    for (int j = 0; j < 10; ++j) fr[items[j].item_id] = u(rng) < Probability(truth[j], th) ? 1.0 : 0.0;
    fr["easy"] = 1.0;
    sessions.push_back(fr);
  }
  const auto areas = BuildAreaMatrices(f, items, sessions);
  ASSERT_EQ(areas.size(), 1u);
  auto cal = Calibrate(areas[0].matrix);
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_EQ(cal->items[10].model, ItemModel::kExcluded);

  int misfits = 0;
  for (int j = 0; j < 10; ++j) {
    EXPECT_NE(cal->items[j].model, ItemModel::kExcluded) << j;
    misfits += cal->items[j].misfit;
  }
  EXPECT_LE(misfits, 1);  // 1 % false alarms on 10 items
  EXPECT_EQ(AreaBank(areas[0], *cal, items).size(), static_cast<size_t>(10 - misfits));
  const auto bank = AreaBank(areas[0], *cal, items, /*keep_misfits=*/true);
  ASSERT_EQ(bank.size(), 10u);
  EXPECT_EQ(bank[1].item_id, "q1");
  EXPECT_EQ(bank[1].indicator, "A1.2");
  EXPECT_NEAR(bank[9].params.b, truth[9].b, 0.4);

  const AreaBlueprint bp = AreaBlueprintFor(f, areas[0], *cal, items);
  ASSERT_EQ(bp.indicators.size(), 2u);
  EXPECT_EQ(bp.indicators[0].code, "A1.1");
  ASSERT_EQ(bp.indicators[0].items.size(), 6u);  // q0 q2 q4 q6 q8 and the flat "easy"
  EXPECT_DOUBLE_EQ(bp.indicators[0].items[5].second, 2.0);
  const ItemParams& flat = bp.indicators[0].items[5].first;
  EXPECT_GT(Probability(flat, -3), 0.99);
  EXPECT_GT(Probability(flat, 3), 0.99);
  // Everyone gets "easy" (weight 2 of 7 in A1.1), so A1.1 never falls below 2/7 of the score.
  EXPECT_GT(ExpectedIndicatorPercent(bp.indicators[0], -6), 100.0 * 2 / 7 - 0.5);
  const ThetaCuts cuts = AreaCuts(bp, f.areas[0].thresholds);
  EXPECT_TRUE(std::isfinite(cuts.basic));
  EXPECT_LT(cuts.basic, cuts.advanced);
  EXPECT_LT(cuts.advanced, cuts.high);
}

}  // namespace
}  // namespace nms::diagnostics::irt

namespace nms::diagnostics::irt {
namespace {

// Differential functioning: item 0 is one logit harder for the focal group at the same ability;
// the focal group is also weaker overall, which matching on the rest score must not mistake for
// bias in the other items.
TEST(IrtDifTest, MantelHaenszelFindsTheBiasedItemOnly) {
  std::mt19937_64 rng(53);
  std::normal_distribution<double> n(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  const int persons = 3000, items = 15;
  ResponseMatrix m = ResponseMatrix::Empty(persons, items);
  std::vector<int> group(persons);
  for (int i = 0; i < persons; ++i) {
    group[i] = i % 2;
    const double th = n(rng) - (group[i] ? 0.5 : 0.0);
    for (int j = 0; j < items; ++j) {
      ItemParams p{1.0, -1.5 + 0.2 * j};
      if (j == 0 && group[i] == 1) p.b += 1.0;
      m.at(i, j) = u(rng) < Probability(p, th);
    }
  }
  const auto dif = MantelHaenszelDif(m, group);
  ASSERT_EQ(dif.size(), static_cast<size_t>(items));
  EXPECT_TRUE(dif[0].enough);
  EXPECT_EQ(dif[0].reference, 1500);
  EXPECT_EQ(dif[0].category, 'C');
  EXPECT_LT(dif[0].delta, -1.5);
  EXPECT_LT(dif[0].p, 1e-6);
  int flagged = 0;
  for (int j = 1; j < items; ++j) flagged += dif[j].category != 'A';
  EXPECT_LE(flagged, 1);

  // Too small a focal group: no verdict.
  std::vector<int> tiny(persons, 0);
  for (int i = 0; i < 30; ++i) tiny[i] = 1;
  EXPECT_FALSE(MantelHaenszelDif(m, tiny)[0].enough);
  EXPECT_EQ(MantelHaenszelDif(m, tiny)[0].category, 'A');
  EXPECT_FALSE(MantelHaenszelDif(m, {0, 1})[0].enough);  // group vector of the wrong size
}

}  // namespace
}  // namespace nms::diagnostics::irt
