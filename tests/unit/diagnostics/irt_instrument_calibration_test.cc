// One instrument version calibrated end to end from simulated stored sessions (areas, banks,
// blueprints, θ cuts, area correlations, progress), an area with too little data, and an adaptive
// session's answers scored into the usual profile, with and without the other areas' evidence.

#include "server/domain/diagnostics/irt/instrument_calibration.h"

#include <gtest/gtest.h>

#include <random>

namespace nms::diagnostics::irt {
namespace {

struct World {
  Framework f;
  std::vector<ItemDef> items;
  std::vector<std::map<std::string, double>> sessions;
};

World MakeWorld() {
  World w;
  w.f.areas = {{1, "предметная", {50, 70, 85}}, {2, "методическая", {50, 70, 85}}, {3, "цифровая", {50, 70, 85}}};
  w.f.indicators = {{"A1.1", 1, "Знание предмета", std::nullopt}, {"A1.2", 1, "Решение задач", std::nullopt},
                    {"A2.1", 2, "Планирование", std::nullopt}, {"A2.2", 2, "Оценивание", std::nullopt},
                    {"A3.1", 3, "Цифровые ресурсы", std::nullopt}};
  w.f.overall = {50, 70, 85};
  std::vector<ItemParams> truth;
  for (int area = 1; area <= 2; ++area) {
    for (int j = 0; j < 12; ++j) {
      ItemDef d;
      d.item_id = "a" + std::to_string(area) + "q" + std::to_string(j);
      d.kind = ItemKind::kSingleChoice;
      d.max_score = 1;
      d.weights = {{"A" + std::to_string(area) + "." + std::to_string(1 + j % 2), 1.0}};
      w.items.push_back(d);
      truth.push_back({0.9 + 0.08 * j, -1.8 + 0.3 * j});
    }
  }
  ItemDef lonely;
  lonely.item_id = "digital";
  lonely.kind = ItemKind::kShortAnswer;
  lonely.max_score = 1;
  lonely.weights = {{"A3.1", 1.0}};
  w.items.push_back(lonely);
  std::mt19937_64 rng(61);
  std::normal_distribution<double> n(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  for (int s = 0; s < 1500; ++s) {
    const double g = n(rng);
    const double th[2] = {std::sqrt(0.7) * g + std::sqrt(0.3) * n(rng), std::sqrt(0.7) * g + std::sqrt(0.3) * n(rng)};
    std::map<std::string, double> fr;
    for (int j = 0; j < 24; ++j) fr[w.items[j].item_id] = u(rng) < Probability(truth[j], th[j / 12]) ? 1.0 : 0.0;
    fr["digital"] = u(rng) < 0.5 ? 1.0 : 0.0;
    w.sessions.push_back(fr);
  }
  return w;
}

TEST(IrtInstrumentCalibrationTest, CalibratesEveryAreaWithProgress) {
  const World w = MakeWorld();
  std::vector<double> progress;
  const InstrumentCalibration c = CalibrateInstrument(w.f, w.items, w.sessions, {}, [&](double d) { progress.push_back(d); });
  ASSERT_EQ(c.areas.size(), 3u);
  for (int k = 0; k < 2; ++k) {
    const AreaCalibration& a = c.areas[k];
    EXPECT_EQ(a.area, k + 1);
    ASSERT_TRUE(a.status.ok()) << a.status;
    EXPECT_EQ(a.item_ids.size(), 12u);
    EXPECT_GE(a.bank.size(), 10u);  // a misfit false alarm or two may stay on the fixed form
    EXPECT_EQ(a.blueprint.indicators.size(), 2u);
    EXPECT_LT(a.cuts.basic, a.cuts.advanced);
    EXPECT_LT(a.cuts.advanced, a.cuts.high);
  }
  EXPECT_EQ(c.areas[2].status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(c.areas[2].status.message().find("Недостаточно данных"), std::string::npos);
  ASSERT_EQ(c.correlated_areas, (std::vector<int>{1, 2}));
  ASSERT_EQ(c.correlation.size(), 4u);
  EXPECT_NEAR(c.correlation[1], 0.7, 0.08);
  ASSERT_FALSE(progress.empty());
  for (size_t t = 1; t < progress.size(); ++t) EXPECT_GE(progress[t], progress[t - 1]) << t;
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
}

TEST(IrtInstrumentCalibrationTest, AdaptiveAnswersGiveTheUsualProfile) {
  const World w = MakeWorld();
  const InstrumentCalibration c = CalibrateInstrument(w.f, w.items, w.sessions);
  // Area 1 answered right throughout, area 2 wrong throughout, by real adaptive sessions.
  AdaptiveAnswers answers;
  for (int area = 1; area <= 2; ++area) {
    const auto& bank = c.areas[area - 1].bank;
    AdaptiveConfig cfg;
    cfg.max_items = 8;
    std::vector<Response> r;
    for (;;) {
      auto step = NextStep(bank, cfg, r, 5);
      ASSERT_TRUE(step.ok());
      if (step->stop != StopReason::kContinue) break;
      r.push_back({step->next_item, area == 1});
    }
    answers[area] = r;
  }
  const AdaptiveResult plain = ScoreAdaptive(w.f, c, answers, false);
  ASSERT_EQ(plain.profile.areas.size(), 2u);
  EXPECT_GE(plain.profile.areas[0].level, Level::kAdvanced);
  EXPECT_EQ(plain.profile.areas[1].level, Level::kInsufficient);
  ASSERT_FALSE(plain.profile.deficits.empty());
  for (const auto& d : plain.profile.deficits) EXPECT_EQ(d.area, 2) << d.code;
  EXPECT_EQ(plain.ability.count(3), 0u);

  // With the other area's evidence, the strong area 1 pulls area 2 up and area 2 pulls area 1 down.
  const AdaptiveResult joint = ScoreAdaptive(w.f, c, answers, true);
  EXPECT_LT(joint.ability.at(1).theta, plain.ability.at(1).theta);
  EXPECT_GT(joint.ability.at(2).theta, plain.ability.at(2).theta);
  EXPECT_LT(joint.ability.at(2).sd, plain.ability.at(2).sd);

  // Only area 1 answered: area 2 is not assessed, with or without collateral information.
  answers.erase(2);
  const AdaptiveResult one = ScoreAdaptive(w.f, c, answers, true);
  ASSERT_EQ(one.profile.areas.size(), 1u);
  EXPECT_EQ(one.profile.areas[0].area, 1);
  EXPECT_NEAR(one.ability.at(1).theta, plain.ability.at(1).theta, 1e-9);
}

}  // namespace
}  // namespace nms::diagnostics::irt
