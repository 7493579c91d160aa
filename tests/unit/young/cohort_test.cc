// The cohort rule on its boundaries: birthday today, exactly N years of work, 29 February,
// work starting in the future, missing dates, custom limits; and CohortEndDate agreeing with
// InYoungCohort on every day.
#include "server/domain/young/cohort.h"

#include <gtest/gtest.h>

#include "server/domain/young/support.h"

namespace nms::young {
namespace {

using D = absl::CivilDay;

TEST(Cohort, BirthdayTodayLeavesTheCohort) {
  D birth(1991, 6, 30), start(2025, 9, 1);
  EXPECT_TRUE(InYoungCohort(birth, start, D(2026, 6, 29)));   // 34 the day before
  EXPECT_FALSE(InYoungCohort(birth, start, D(2026, 6, 30)));  // 35 today
}

TEST(Cohort, ExactlyThreeYearsOfWorkLeavesTheCohort) {
  D birth(2000, 1, 1), start(2023, 6, 30);
  EXPECT_TRUE(InYoungCohort(birth, start, D(2026, 6, 29)));
  EXPECT_FALSE(InYoungCohort(birth, start, D(2026, 6, 30)));
}

TEST(Cohort, FirstDayOfWorkIsInTheCohort) {
  EXPECT_TRUE(InYoungCohort(D(2000, 1, 1), D(2026, 9, 1), D(2026, 9, 1)));
}

TEST(Cohort, WorkStartInTheFutureIsNotInTheCohortYet) {
  EXPECT_FALSE(InYoungCohort(D(2000, 1, 1), D(2026, 9, 1), D(2026, 8, 31)));
}

TEST(Cohort, MissingDatesAreNotInTheCohort) {
  EXPECT_FALSE(InYoungCohort(std::nullopt, D(2025, 9, 1), D(2026, 1, 1)));
  EXPECT_FALSE(InYoungCohort(D(2000, 1, 1), std::nullopt, D(2026, 1, 1)));
  EXPECT_FALSE(InYoungCohort(std::nullopt, std::nullopt, D(2026, 1, 1)));
}

TEST(Cohort, BirthAfterTheReferenceDateIsNotCounted) {
  EXPECT_FALSE(InYoungCohort(D(2027, 1, 1), D(2025, 9, 1), D(2026, 1, 1)));
}

TEST(Cohort, TwentyNinthFebruaryBirthdayFallsOnFirstMarchInCommonYears) {
  D birth(1992, 2, 29), start(2026, 1, 10);
  EXPECT_TRUE(InYoungCohort(birth, start, D(2027, 2, 28)));   // still 34
  EXPECT_FALSE(InYoungCohort(birth, start, D(2027, 3, 1)));   // 35
  EXPECT_TRUE(InYoungCohort(birth, start, D(2028, 2, 28), 36));
  EXPECT_FALSE(InYoungCohort(birth, start, D(2028, 2, 29), 36));  // leap year: the day itself
  EXPECT_EQ(AddYears(birth, 35), D(2027, 3, 1));
  EXPECT_EQ(AddYears(birth, 36), D(2028, 2, 29));
}

TEST(Cohort, TwentyNinthFebruaryWorkStart) {
  D birth(2000, 1, 1), start(2024, 2, 29);
  EXPECT_TRUE(InYoungCohort(birth, start, D(2027, 2, 28)));
  EXPECT_FALSE(InYoungCohort(birth, start, D(2027, 3, 1)));
}

TEST(Cohort, CustomLimits) {
  D birth(1988, 3, 15), start(2022, 9, 1), ref(2026, 3, 1);  // 37 years old, 3.5 years of work
  EXPECT_FALSE(InYoungCohort(birth, start, ref));
  EXPECT_FALSE(InYoungCohort(birth, start, ref, 40, 3));
  EXPECT_FALSE(InYoungCohort(birth, start, ref, 35, 5));
  EXPECT_TRUE(InYoungCohort(birth, start, ref, 40, 5));  // Mordovia-style: until 5 years
}

TEST(Cohort, EndDateIsTheEarlierLimit) {
  Settings s;
  EXPECT_EQ(CohortEndDate(D(1991, 6, 30), D(2025, 9, 1), s), D(2026, 6, 30));  // age first
  EXPECT_EQ(CohortEndDate(D(2000, 1, 1), D(2025, 9, 1), s), D(2028, 9, 1));   // experience first
  s.experience_limit_years = 5;
  EXPECT_EQ(CohortEndDate(D(2000, 1, 1), D(2025, 9, 1), s), D(2030, 9, 1));
}

// The end date is exactly the first day out of the cohort, for every day of four years and
// birth/work dates around month ends and 29 February.
TEST(Cohort, EndDateAgreesWithTheRuleOnEveryDay) {
  Settings s;
  for (D birth : {D(1992, 2, 29), D(1991, 12, 31), D(1995, 3, 1)}) {
    for (D start : {D(2024, 2, 29), D(2023, 8, 31), D(2025, 1, 1)}) {
      D end = CohortEndDate(birth, start, s);
      for (D ref = start; ref < D(2029, 1, 1); ++ref) {
        ASSERT_EQ(InYoungCohort(birth, start, ref), ref < end)
            << "birth " << birth << " start " << start << " ref " << ref;
      }
    }
  }
}

}  // namespace
}  // namespace nms::young
