// Scoring of diagnostic results: level banding at the thresholds, weighted indicator scores,
// area and overall means, deficits by severity with deterministic ties, imported scores,
// framework validation and the immutability of published versions.

#include "server/domain/diagnostics/scoring.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nms::diagnostics {
namespace {

// Two areas: methodological (2) and digital (5) with different bands; indicator МЕТ-02 has its
// own, stricter deficit threshold.
Framework TwoAreas() {
  Framework f;
  f.areas = {{2, "Методические", {50, 70, 85}}, {5, "Цифровые", {40, 60, 80}}};
  f.indicators = {{"МЕТ-01", 2, "Проектирование урока", std::nullopt},
                  {"МЕТ-02", 2, "Оценивание", 60.0},
                  {"ЦИФ-01", 5, "Цифровые ресурсы", std::nullopt}};
  f.overall = {50, 70, 85};
  return f;
}

TEST(BandTest, ScoreAtAThresholdGetsThatLevel) {
  Thresholds t{50, 70, 85};
  EXPECT_EQ(Band(0, t), Level::kInsufficient);
  EXPECT_EQ(Band(49.999, t), Level::kInsufficient);
  EXPECT_EQ(Band(50, t), Level::kBasic);
  EXPECT_EQ(Band(69.9, t), Level::kBasic);
  EXPECT_EQ(Band(70, t), Level::kAdvanced);
  EXPECT_EQ(Band(84.99, t), Level::kAdvanced);
  EXPECT_EQ(Band(85, t), Level::kHigh);
  EXPECT_EQ(Band(100, t), Level::kHigh);
}

TEST(ValidateThresholdsTest, RequiresStrictlyIncreasingBandsWithin0To100) {
  EXPECT_TRUE(ValidateThresholds({0, 1, 100}, "t").ok());
  EXPECT_FALSE(ValidateThresholds({50, 50, 80}, "t").ok());
  EXPECT_FALSE(ValidateThresholds({50, 70, 101}, "t").ok());
  EXPECT_FALSE(ValidateThresholds({-1, 70, 80}, "t").ok());
  EXPECT_FALSE(ValidateThresholds({60, 50, 80}, "t").ok());
  auto st = ValidateThresholds({std::nan(""), 50, 80}, "areas[0].thresholds");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("areas[0].thresholds"), std::string::npos);
}

TEST(ScoreItemsTest, IndicatorIsTheWeightedMeanOfItsItems) {
  Framework f = TwoAreas();
  // МЕТ-01: item a (w 1, 100 %) and item b (w 3, 0 %) -> 25 %. ЦИФ-01: item c 50 %.
  Profile p = ScoreItems(f, {{"a", 1.0, {{"МЕТ-01", 1}}}, {"b", 0.0, {{"МЕТ-01", 3}}}, {"c", 0.5, {{"ЦИФ-01", 2}}}});
  ASSERT_EQ(p.indicators.size(), 2u);  // МЕТ-02 has no items: not assessed
  EXPECT_EQ(p.indicators[0].code, "МЕТ-01");
  EXPECT_DOUBLE_EQ(p.indicators[0].score, 25);
  EXPECT_EQ(p.indicators[0].level, Level::kInsufficient);
  EXPECT_TRUE(p.indicators[0].deficit);
  EXPECT_DOUBLE_EQ(p.indicators[1].score, 50);
  EXPECT_EQ(p.indicators[1].level, Level::kBasic);
  EXPECT_FALSE(p.indicators[1].deficit);
  ASSERT_EQ(p.areas.size(), 2u);
  EXPECT_DOUBLE_EQ(p.areas[0].score, 25);
  EXPECT_EQ(p.areas[0].level, Level::kInsufficient);
  EXPECT_DOUBLE_EQ(p.areas[1].score, 50);
  EXPECT_EQ(p.areas[1].level, Level::kBasic);
  EXPECT_DOUBLE_EQ(p.overall_score, 37.5);
  EXPECT_EQ(p.overall_level, Level::kInsufficient);
  ASSERT_EQ(p.deficits.size(), 1u);
  EXPECT_EQ(p.deficits[0].code, "МЕТ-01");
  EXPECT_DOUBLE_EQ(p.deficits[0].threshold, 50);
  EXPECT_DOUBLE_EQ(p.deficits[0].gap, 25);
  EXPECT_EQ(p.deficits[0].rank, 1);
  EXPECT_EQ(p.deficits[0].title, "Проектирование урока");
}

TEST(ScoreItemsTest, OneItemCanFeedSeveralIndicatorsAndAreas) {
  Framework f = TwoAreas();
  Profile p = ScoreItems(f, {{"a", 0.8, {{"МЕТ-01", 1}, {"ЦИФ-01", 1}}}});
  ASSERT_EQ(p.indicators.size(), 2u);
  EXPECT_DOUBLE_EQ(p.indicators[0].score, 80);
  EXPECT_DOUBLE_EQ(p.indicators[1].score, 80);
  EXPECT_EQ(p.areas[0].level, Level::kAdvanced);  // 80 in methodological bands (70..85)
  EXPECT_EQ(p.areas[1].level, Level::kHigh);      // 80 in digital bands (80+)
}

TEST(ScoreItemsTest, IgnoresUnknownCodesBadWeightsAndClampsFractions) {
  Framework f = TwoAreas();
  Profile p = ScoreItems(f, {{"a", 1.5, {{"МЕТ-01", 1}}},
                             {"b", 0.0, {{"НЕТ-99", 5}}},
                             {"c", 0.0, {{"МЕТ-01", 0}}},
                             {"d", 0.0, {{"МЕТ-01", -2}}},
                             {"e", std::nan(""), {{"ЦИФ-01", 1}}}});
  ASSERT_EQ(p.indicators.size(), 2u);
  EXPECT_DOUBLE_EQ(p.indicators[0].score, 100);
  EXPECT_DOUBLE_EQ(p.indicators[1].score, 0);
}

TEST(ScoreItemsTest, NothingAssessedGivesAnEmptyUnspecifiedProfile) {
  Profile p = ScoreItems(TwoAreas(), {});
  EXPECT_TRUE(p.indicators.empty());
  EXPECT_TRUE(p.areas.empty());
  EXPECT_EQ(p.overall_level, Level::kUnspecified);
  EXPECT_TRUE(p.deficits.empty());
}

TEST(DeficitTest, OwnIndicatorThresholdOverridesTheArea) {
  Framework f = TwoAreas();
  // МЕТ-02 at 55: basic by the area (50) but below its own 60 -> a deficit, level недостаточный.
  Profile p = ProfileFromScores(f, {{"МЕТ-01", 55}, {"МЕТ-02", 55}}, {});
  ASSERT_EQ(p.indicators.size(), 2u);
  EXPECT_FALSE(p.indicators[0].deficit);
  EXPECT_EQ(p.indicators[0].level, Level::kBasic);
  EXPECT_TRUE(p.indicators[1].deficit);
  EXPECT_EQ(p.indicators[1].level, Level::kInsufficient);
  ASSERT_EQ(p.deficits.size(), 1u);
  EXPECT_DOUBLE_EQ(p.deficits[0].threshold, 60);
  EXPECT_DOUBLE_EQ(p.deficits[0].gap, 5);
}

TEST(DeficitTest, OwnLowerThresholdMakesALowScoreBasicNotDeficit) {
  Framework f = TwoAreas();
  f.indicators[0].basic_min = 30;
  Profile p = ProfileFromScores(f, {{"МЕТ-01", 40}}, {});
  EXPECT_FALSE(p.indicators[0].deficit);
  EXPECT_EQ(p.indicators[0].level, Level::kBasic);
}

TEST(DeficitTest, OrderedByGapThenAreaOrderThenCode) {
  Framework f;
  f.areas = {{5, "Цифровые", {50, 70, 85}}, {1, "Предметные", {50, 70, 85}}};  // digital listed first
  f.indicators = {{"П-02", 1, "б", std::nullopt}, {"П-01", 1, "а", std::nullopt},
                  {"Ц-01", 5, "в", std::nullopt}, {"Ц-02", 5, "г", std::nullopt}};
  f.overall = {50, 70, 85};
  Profile p = ProfileFromScores(f, {{"П-01", 30}, {"П-02", 30}, {"Ц-01", 30}, {"Ц-02", 10}}, {});
  ASSERT_EQ(p.deficits.size(), 4u);
  EXPECT_EQ(p.deficits[0].code, "Ц-02");  // gap 40
  EXPECT_EQ(p.deficits[1].code, "Ц-01");  // gap 20, digital area comes first in the framework
  EXPECT_EQ(p.deficits[2].code, "П-01");  // gap 20, then by code
  EXPECT_EQ(p.deficits[3].code, "П-02");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(p.deficits[i].rank, i + 1);
}

TEST(DeficitTest, ScoreExactlyAtTheThresholdIsNoDeficit) {
  Profile p = ProfileFromScores(TwoAreas(), {{"МЕТ-01", 50}, {"ЦИФ-01", 39.99}}, {});
  ASSERT_EQ(p.deficits.size(), 1u);
  EXPECT_EQ(p.deficits[0].code, "ЦИФ-01");
}

TEST(ProfileFromScoresTest, AreaScoresFillAreasWithoutIndicators) {
  Framework f = TwoAreas();
  Profile p = ProfileFromScores(f, {{"МЕТ-01", 90}}, {{2, 10}, {5, 65}});
  ASSERT_EQ(p.areas.size(), 2u);
  EXPECT_DOUBLE_EQ(p.areas[0].score, 90);  // from its indicator, the given area score ignored
  EXPECT_DOUBLE_EQ(p.areas[1].score, 65);  // from the area score
  EXPECT_EQ(p.areas[1].level, Level::kAdvanced);
  EXPECT_DOUBLE_EQ(p.overall_score, 77.5);
  EXPECT_EQ(p.overall_level, Level::kAdvanced);
  EXPECT_TRUE(p.deficits.empty());
}

TEST(ProfileFromScoresTest, ImportedAndSessionScoresGiveTheSameProfile) {
  Framework f = TwoAreas();
  Profile from_items = ScoreItems(f, {{"a", 0.45, {{"МЕТ-01", 1}}}, {"b", 0.7, {{"ЦИФ-01", 1}}}});
  Profile imported = ProfileFromScores(f, {{"МЕТ-01", 45}, {"ЦИФ-01", 70}}, {});
  ASSERT_EQ(from_items.indicators.size(), imported.indicators.size());
  for (size_t i = 0; i < imported.indicators.size(); ++i) {
    EXPECT_NEAR(from_items.indicators[i].score, imported.indicators[i].score, 1e-9);
    EXPECT_EQ(from_items.indicators[i].level, imported.indicators[i].level);
  }
  EXPECT_EQ(from_items.overall_level, imported.overall_level);
  ASSERT_EQ(from_items.deficits.size(), 1u);
  EXPECT_EQ(imported.deficits[0].code, from_items.deficits[0].code);
}

TEST(ValidateFrameworkTest, ListsEveryProblemWithItsField) {
  Framework ok = TwoAreas();
  EXPECT_TRUE(ValidateFramework(ok).empty());
  Framework bad = ok;
  bad.areas.push_back({2, "дубль", {50, 70, 85}});
  bad.areas.push_back({9, "?", {50, 70, 85}});
  bad.indicators.push_back({"", 2, "без кода", std::nullopt});
  bad.indicators.push_back({"МЕТ-01", 2, "повтор", std::nullopt});
  bad.indicators.push_back({"К-01", 4, "область не в рамке", std::nullopt});
  bad.indicators.push_back({"К-02", 2, "", 120.0});
  bad.overall = {80, 70, 90};
  auto errors = ValidateFramework(bad);
  auto has = [&](const std::string& s) {
    for (const auto& e : errors) {
      if (e.find(s) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("areas[2].area"));
  EXPECT_TRUE(has("areas[3].area"));
  EXPECT_TRUE(has("overall_thresholds"));
  EXPECT_TRUE(has("indicators[3].code"));
  EXPECT_TRUE(has("indicators[4].code"));
  EXPECT_TRUE(has("indicators[5].area"));
  EXPECT_TRUE(has("indicators[6].title"));
  EXPECT_TRUE(has("indicators[6].basic_min_percent"));
  Framework empty;
  empty.overall = {50, 70, 85};
  EXPECT_FALSE(ValidateFramework(empty).empty());
}

TEST(CheckFrameworkEditableTest, OnlyDraftsChange) {
  EXPECT_TRUE(CheckFrameworkEditable(1).ok());
  EXPECT_EQ(CheckFrameworkEditable(2).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckFrameworkEditable(3).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(NamesTest, RussianLevelAndAreaNames) {
  EXPECT_STREQ(LevelName(Level::kInsufficient), "недостаточный");
  EXPECT_STREQ(LevelName(Level::kHigh), "высокий");
  EXPECT_STREQ(AreaName(3), "психолого-педагогическая");
  EXPECT_STREQ(AreaName(0), "");
}

}  // namespace
}  // namespace nms::diagnostics
