// The support state and alerts of one young teacher at a date: mentor, ИОМ, "no measure in the
// last N months" with its inclusive window, and which statuses count as support.
#include "server/domain/young/support.h"

#include <gtest/gtest.h>

namespace nms::young {
namespace {

using D = absl::CivilDay;
using K = MeasureKind;
using S = MeasureStatus;

const D kBirth(1999, 4, 10), kStart(2025, 9, 1), kRef(2026, 6, 30);

Measure M(K kind, S status, D start, std::optional<D> end = std::nullopt) { return Measure{kind, status, start, end}; }

Assessment AssessAt(const std::vector<Measure>& ms, D ref = kRef, int window = 6, bool pending = false) {
  return Assess(kBirth, kStart, ms, pending, ref, Settings{}, window);
}

std::vector<AlertKind> Kinds(const Assessment& a) {
  std::vector<AlertKind> out;
  for (const auto& al : a.alerts) out.push_back(al.kind);
  return out;
}

TEST(Support, NothingRecordedRaisesEveryAlertSinceWorkStart) {
  auto a = AssessAt({});
  EXPECT_FALSE(a.in_support);
  EXPECT_FALSE(a.has_mentor);
  EXPECT_FALSE(a.has_route);
  EXPECT_EQ(a.active_measures, 0);
  EXPECT_FALSE(a.last_measure_date.has_value());
  EXPECT_EQ(Kinds(a), (std::vector<AlertKind>{AlertKind::kNoMentor, AlertKind::kNoRoute, AlertKind::kNoRecentMeasure}));
  for (const auto& al : a.alerts) EXPECT_EQ(al.since, kStart);
  EXPECT_EQ(a.age_years, 27);
  EXPECT_EQ(a.experience_months, 9);
  EXPECT_EQ(a.cohort_end, D(2028, 9, 1));
}

TEST(Support, ActiveMentorAndApprovedRouteClearEveryAlert) {
  auto a = AssessAt({M(K::kMentor, S::kActive, D(2025, 10, 1)), M(K::kRoute, S::kActive, D(2026, 1, 15))});
  EXPECT_TRUE(a.has_mentor);
  EXPECT_TRUE(a.has_route);
  EXPECT_TRUE(a.in_support);
  EXPECT_EQ(a.active_measures, 2);
  EXPECT_EQ(a.last_measure_date, kRef);
  EXPECT_TRUE(a.alerts.empty());
}

TEST(Support, PlannedAndCancelledMeasuresAreNotSupport) {
  auto a = AssessAt({M(K::kClub, S::kPlanned, D(2026, 1, 1)), M(K::kMentor, S::kCancelled, D(2025, 10, 1)),
                M(K::kRoute, S::kPlanned, D(2026, 1, 1))});
  EXPECT_FALSE(a.in_support);
  EXPECT_FALSE(a.has_mentor);
  EXPECT_FALSE(a.has_route);
  EXPECT_EQ(a.alerts.size(), 3u);
}

TEST(Support, CompletedMeasureCountsOverItsDatesOnly) {
  Measure competition = M(K::kCompetition, S::kCompleted, D(2026, 3, 1), D(2026, 3, 20));
  EXPECT_TRUE(AssessAt({competition}, D(2026, 3, 20)).in_support);
  EXPECT_FALSE(AssessAt({competition}, D(2026, 3, 21)).in_support);
  EXPECT_FALSE(AssessAt({competition}, D(2026, 2, 28)).in_support);
  EXPECT_EQ(AssessAt({competition}, D(2026, 6, 30)).last_measure_date, D(2026, 3, 20));
  EXPECT_FALSE(AssessAt({competition}, D(2026, 2, 28)).last_measure_date.has_value());  // not started by then
}

TEST(Support, RecentMeasureWindowIsInclusive) {
  // Ref 30.06.2026, window 6 months → from 30.12.2025.
  Measure ended_on_edge = M(K::kEvent, S::kCompleted, D(2025, 12, 1), D(2025, 12, 30));
  Measure ended_before = M(K::kEvent, S::kCompleted, D(2025, 12, 1), D(2025, 12, 29));
  EXPECT_FALSE(AssessAt({ended_on_edge}).HasAlert(AlertKind::kNoRecentMeasure));
  auto a = AssessAt({ended_before});
  ASSERT_TRUE(a.HasAlert(AlertKind::kNoRecentMeasure));
  EXPECT_EQ(a.alerts.back().since, D(2025, 12, 30));
  EXPECT_NE(a.alerts.back().detail.find("29.12.2025"), std::string::npos);
  // A window override of 12 months brings it back in.
  EXPECT_FALSE(AssessAt({ended_before}, kRef, 12).HasAlert(AlertKind::kNoRecentMeasure));
}

TEST(Support, WindowClampsToTheEndOfShorterMonths) {
  EXPECT_EQ(MonthsBefore(D(2026, 3, 31), 1), D(2026, 2, 28));
  EXPECT_EQ(MonthsBefore(D(2028, 3, 31), 1), D(2028, 2, 29));
  EXPECT_EQ(MonthsBefore(D(2026, 6, 30), 6), D(2025, 12, 30));
  EXPECT_EQ(MonthsBefore(D(2026, 1, 15), 13), D(2024, 12, 15));
}

TEST(Support, OngoingMeasureStartedLongAgoIsRecent) {
  auto a = AssessAt({M(K::kClub, S::kActive, D(2025, 9, 15))});
  EXPECT_TRUE(a.in_support);
  EXPECT_FALSE(a.HasAlert(AlertKind::kNoRecentMeasure));
  EXPECT_TRUE(a.HasAlert(AlertKind::kNoMentor));
}

TEST(Support, FutureMeasureIsNotSupportYet) {
  auto a = AssessAt({M(K::kEvent, S::kActive, D(2026, 7, 1))});
  EXPECT_FALSE(a.in_support);
  EXPECT_TRUE(a.HasAlert(AlertKind::kNoRecentMeasure));
}

TEST(Support, FinishedMentoringRaisesNoMentorSinceTheDayAfter) {
  auto a = AssessAt({M(K::kMentor, S::kCompleted, D(2025, 9, 10), D(2026, 5, 31))});
  EXPECT_FALSE(a.has_mentor);
  ASSERT_TRUE(a.HasAlert(AlertKind::kNoMentor));
  EXPECT_EQ(a.alerts.front().since, D(2026, 6, 1));
  EXPECT_NE(a.alerts.front().detail.find("31.05.2026"), std::string::npos);
  EXPECT_FALSE(a.HasAlert(AlertKind::kNoRecentMeasure));  // the mentoring itself was recent
}

TEST(Support, CompletedRouteStillMeansTheTeacherHasAnIom) {
  auto a = AssessAt({M(K::kRoute, S::kCompleted, D(2025, 10, 1), D(2026, 4, 1))});
  EXPECT_TRUE(a.has_route);
  EXPECT_FALSE(a.in_support);  // but it no longer supports them today
  EXPECT_FALSE(AssessAt({M(K::kRoute, S::kActive, D(2026, 7, 1))}).has_route);  // not started by the date
}

TEST(Support, PendingRouteChangesOnlyTheWording) {
  auto a = AssessAt({}, kRef, 6, /*pending=*/true);
  ASSERT_TRUE(a.HasAlert(AlertKind::kNoRoute));
  EXPECT_NE(a.alerts[1].detail.find("не утверждён"), std::string::npos);
}

TEST(Support, FullMonths) {
  EXPECT_EQ(FullMonthsBetween(D(2025, 9, 1), D(2025, 9, 30)), 0);
  EXPECT_EQ(FullMonthsBetween(D(2025, 9, 1), D(2025, 10, 1)), 1);
  EXPECT_EQ(FullMonthsBetween(D(2025, 1, 31), D(2025, 2, 28)), 0);
  EXPECT_EQ(FullMonthsBetween(D(2025, 9, 1), D(2025, 8, 1)), 0);
  EXPECT_EQ(FullMonthsBetween(D(2023, 6, 30), D(2026, 6, 29)), 35);
}

TEST(Support, RussianDate) { EXPECT_EQ(RussianDate(D(2026, 3, 5)), "05.03.2026"); }

}  // namespace
}  // namespace nms::young
