// The regional methodist's eligibility (Moscow Oblast regulation, the regional methodological
// active; the Arkhangelsk model's «Требования к региональным методистам»): the highest category,
// higher pedagogical education, at least five years of work. Every missing requirement is named.
#include <gtest/gtest.h>

#include "server/domain/directory/methodists.h"

namespace nms::directory {
namespace {

const absl::CivilDay kToday(2026, 12, 8);

TEST(RegionalMethodistEligibility, TheThreeRequirementsQualify) {
  EXPECT_TRUE(CheckRegionalMethodistEligible({4, 4, absl::CivilDay(2021, 12, 8)}, kToday).ok()) << "exactly five years";
  EXPECT_TRUE(CheckRegionalMethodistEligible({4, 4, absl::CivilDay(1995, 9, 1)}, kToday).ok());
}

TEST(RegionalMethodistEligibility, EachMissingRequirementIsNamed) {
  auto first = CheckRegionalMethodistEligible({3, 4, absl::CivilDay(2000, 9, 1)}, kToday);
  EXPECT_EQ(first.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(first.message().find("квалификационная категория — первая, нужна высшая"), std::string::npos);
  EXPECT_EQ(first.message().find("образование —"), std::string::npos);
  auto education = CheckRegionalMethodistEligible({4, 3, absl::CivilDay(2000, 9, 1)}, kToday);
  EXPECT_NE(education.message().find("высшее непедагогическое, нужно высшее педагогическое"), std::string::npos);
  auto young = CheckRegionalMethodistEligible({4, 4, absl::CivilDay(2021, 12, 9)}, kToday);
  EXPECT_NE(young.message().find("стаж работы 4 из 5"), std::string::npos) << young.message();
  auto empty = CheckRegionalMethodistEligible({}, kToday);
  EXPECT_NE(empty.message().find("не указана, нужна высшая"), std::string::npos);
  EXPECT_NE(empty.message().find("не указано, нужно высшее педагогическое"), std::string::npos);
  EXPECT_NE(empty.message().find("стаж не подтверждён"), std::string::npos);
  EXPECT_EQ(CheckRegionalMethodistEligible({4, 4, absl::CivilDay(2027, 1, 1)}, kToday).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace nms::directory
