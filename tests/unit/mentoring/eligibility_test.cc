#include <gtest/gtest.h>

#include "server/domain/mentoring/eligibility.h"

namespace nms::mentoring {
namespace {

const absl::CivilDay kToday(2026, 9, 1);

TEST(MentorEligibility, ExperienceOnTheBoundaryDay) {
  EligibilityRule rule;
  rule.min_experience_years = 5;
  MentorFacts f;
  f.work_start_date = absl::CivilDay(2021, 9, 1);  // exactly 5 years today
  Eligibility e = EvaluateEligibility(rule, f, kToday);
  EXPECT_TRUE(e.eligible);
  ASSERT_EQ(e.checks.size(), 1u);
  EXPECT_EQ(e.checks[0].code, "experience");
  EXPECT_EQ(e.checks[0].detail, "стаж 5 лет, требуется 5 лет");
  f.work_start_date = absl::CivilDay(2021, 9, 2);  // one day short
  e = EvaluateEligibility(rule, f, kToday);
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.checks[0].detail, "стаж 4 года, требуется 5 лет");
  f.work_start_date.reset();
  e = EvaluateEligibility(rule, f, kToday);
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.checks[0].detail, "стаж не указан, требуется 5 лет");
  rule.min_experience_years = 0;
  EXPECT_TRUE(EvaluateEligibility(rule, f, kToday).eligible);
}

TEST(MentorEligibility, CategoryAndDiagnostics) {
  EligibilityRule rule;
  rule.min_experience_years = 0;
  rule.min_qualification = *QualificationFromCode("first");
  rule.require_diagnostics = true;
  rule.min_diagnostic_level = 3;  // повышенный
  MentorFacts f;
  f.work_start_date = absl::CivilDay(2000, 1, 1);
  f.qualification_category = 4;  // highest
  f.diagnostic_level = 4;
  Eligibility e = EvaluateEligibility(rule, f, kToday);
  EXPECT_TRUE(e.eligible);
  ASSERT_EQ(e.checks.size(), 3u);
  EXPECT_EQ(e.checks[1].code, "qualification_category");
  EXPECT_EQ(e.checks[2].code, "diagnostics");
  f.qualification_category = 2;  // position compliance < first
  e = EvaluateEligibility(rule, f, kToday);
  EXPECT_FALSE(e.eligible);
  EXPECT_FALSE(e.checks[1].passed);
  EXPECT_TRUE(e.checks[2].passed);
  f.qualification_category = 3;
  f.diagnostic_level = 2;
  e = EvaluateEligibility(rule, f, kToday);
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.checks[2].detail, "уровень по диагностике: базовый, требуется не ниже: повышенный");
  f.diagnostic_level.reset();
  EXPECT_FALSE(EvaluateEligibility(rule, f, kToday).checks[2].passed);
}

TEST(MentorEligibility, OrganisationsAreEligible) {
  EligibilityRule rule;
  rule.min_experience_years = 10;
  rule.require_diagnostics = true;
  MentorFacts f;
  f.is_organization = true;
  const Eligibility e = EvaluateEligibility(rule, f, kToday);
  EXPECT_TRUE(e.eligible);
  ASSERT_EQ(e.checks.size(), 1u);
  EXPECT_EQ(e.checks[0].code, "organization");
}

TEST(MentorEligibility, RuleValidationAndCodes) {
  EXPECT_TRUE(ValidateRule(DefaultRule()).ok());
  EligibilityRule r;
  r.min_experience_years = -1;
  EXPECT_EQ(ValidateRule(r).code(), absl::StatusCode::kInvalidArgument);
  r = EligibilityRule{};
  r.default_capacity = 0;
  EXPECT_EQ(ValidateRule(r).code(), absl::StatusCode::kInvalidArgument);
  r = EligibilityRule{};
  r.require_diagnostics = true;
  r.min_diagnostic_level = 0;
  EXPECT_EQ(ValidateRule(r).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*QualificationFromCode(""), 0);
  EXPECT_EQ(*QualificationFromCode("highest"), 4);
  EXPECT_FALSE(QualificationFromCode("высшая").ok());
  EXPECT_EQ(QualificationCode(3), "first");
  EXPECT_EQ(QualificationCode(2), "");
  EXPECT_EQ(YearsText(1), "1 год");
  EXPECT_EQ(YearsText(11), "11 лет");
  EXPECT_EQ(YearsText(22), "22 года");
  EXPECT_EQ(YearsText(21), "21 год");
  EXPECT_EQ(YearsText(0), "0 лет");
}

}  // namespace
}  // namespace nms::mentoring
