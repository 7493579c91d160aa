// Cohort counts and the support share against the regulation's target (≥ 70 %).
#include "server/domain/young/summary.h"

#include <gtest/gtest.h>

namespace nms::young {
namespace {

CohortCounts Counts(int64_t size, int64_t supported) {
  CohortCounts c;
  c.cohort_size = size;
  c.in_support = supported;
  return c;
}

TEST(Summary, ShareOfAnEmptyCohortIsZeroAndNotReached) {
  EXPECT_EQ(SharePercent(0, 0), 0);
  EXPECT_FALSE(TargetReached(Counts(0, 0), 70));
  EXPECT_FALSE(TargetReached(Counts(0, 0), 0));
}

TEST(Summary, ExactlyTheTargetReachesIt) {
  EXPECT_DOUBLE_EQ(SharePercent(7, 10), 70);
  EXPECT_TRUE(TargetReached(Counts(10, 7), 70));
  EXPECT_FALSE(TargetReached(Counts(10, 6), 70));
  EXPECT_TRUE(TargetReached(Counts(3, 2), 66.666));
  EXPECT_FALSE(TargetReached(Counts(3, 2), 66.67));
  EXPECT_TRUE(TargetReached(Counts(1000003, 700003), 70));   // no drift on large cohorts
  EXPECT_FALSE(TargetReached(Counts(1000003, 700001), 70));
}

TEST(Summary, AddCountsEachAlertKind) {
  CohortCounts c;
  Assessment supported;
  supported.in_support = true;
  supported.has_mentor = true;
  supported.alerts = {{AlertKind::kNoRoute, absl::CivilDay(2026, 1, 1), ""}};
  Assessment bare;
  bare.alerts = {{AlertKind::kNoMentor, absl::CivilDay(2026, 1, 1), ""},
                 {AlertKind::kNoRoute, absl::CivilDay(2026, 1, 1), ""},
                 {AlertKind::kNoRecentMeasure, absl::CivilDay(2026, 1, 1), ""}};
  c.Add(supported);
  c.Add(bare);
  c.Add(bare);
  EXPECT_EQ(c.cohort_size, 3);
  EXPECT_EQ(c.in_support, 1);
  EXPECT_EQ(c.without_mentor, 2);
  EXPECT_EQ(c.without_route, 3);
  EXPECT_EQ(c.without_recent_measure, 2);
  EXPECT_NEAR(SharePercent(c.in_support, c.cohort_size), 33.333, 0.001);
}

}  // namespace
}  // namespace nms::young
