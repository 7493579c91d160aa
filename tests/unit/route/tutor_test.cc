// The tutor rule of the Mordovia regulation, docs/domain.md §1: a final diagnosis with subject and methodological areas at the
// basic level or above; anything short of that is refused with what is missing.
#include <gtest/gtest.h>

#include "server/domain/route/tutor.h"

namespace nms::route {
namespace {

TEST(TutorEligibility, BothAreasAtBasicOrAboveQualify) {
  EXPECT_TRUE(CheckTutorEligible(std::vector<ResultArea>{{1, 2}, {2, 2}}).ok());
  EXPECT_TRUE(CheckTutorEligible(std::vector<ResultArea>{{5, 1}, {1, 4}, {2, 3}}).ok()) << "other areas do not matter";
}

TEST(TutorEligibility, NoFinalResultIsRefused) {
  auto s = CheckTutorEligible(std::nullopt);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("нет итогового результата"), std::string::npos);
}

TEST(TutorEligibility, AnAreaBelowBasicOrMissingIsNamed) {
  auto low = CheckTutorEligible(std::vector<ResultArea>{{1, 1}, {2, 3}});
  EXPECT_EQ(low.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(low.message().find("предметные"), std::string::npos);
  EXPECT_EQ(low.message().find("методические"), std::string::npos);
  auto missing = CheckTutorEligible(std::vector<ResultArea>{{1, 3}});
  EXPECT_NE(missing.message().find("методические"), std::string::npos);
  EXPECT_EQ(CheckTutorEligible(std::vector<ResultArea>{}).code(), absl::StatusCode::kFailedPrecondition);
}

// Mordovia (seed 003): tutors are also trained in tutor (methodological) support of teachers.
TEST(TutorTraining, AProgrammeOnTutorOrMethodologicalSupportQualifies) {
  EXPECT_TRUE(IsMethodologicalSupportProgramme("Подготовка тьюторов для реализации курса «Школа современного учителя»"));
  EXPECT_TRUE(IsMethodologicalSupportProgramme(
      "Организация методического сопровождения профессионального развития педагогов на уровне образовательных организаций"));
  EXPECT_TRUE(IsMethodologicalSupportProgramme("ТРАНСФОРМАЦИЯ МЕТОДИЧЕСКОЙ СЛУЖБЫ и организация методического сопровождения"));
  EXPECT_TRUE(IsMethodologicalSupportProgramme("Тьюторское сопровождение ИОМ"));
  EXPECT_FALSE(IsMethodologicalSupportProgramme("Формирующее оценивание на уроках математики"));
  EXPECT_TRUE(CheckTutorTrained({"Формирующее оценивание", "Тьюторское сопровождение педагогов"}).ok());
  auto none = CheckTutorTrained({"Формирующее оценивание"});
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(none.message().find("тьюторскому (методическому) сопровождению"), std::string::npos);
  EXPECT_EQ(CheckTutorTrained({}).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace nms::route
