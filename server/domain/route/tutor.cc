#include "server/domain/route/tutor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "server/domain/diagnostics/item_scoring.h"

namespace nms::route {
namespace {

constexpr int kSubject = 1;         // nms.v1.COMPETENCY_AREA_SUBJECT
constexpr int kMethodological = 2;  // nms.v1.COMPETENCY_AREA_METHODOLOGICAL
constexpr int kBasic = 2;           // nms.v1.COMPETENCY_LEVEL_BASIC

}  // namespace

absl::Status CheckTutorEligible(const std::optional<std::vector<ResultArea>>& latest_final_result) {
  if (!latest_final_result) {
    return absl::FailedPreconditionError(
        "Тьютором может быть педагог, прошедший диагностику методических и предметных компетенций: у этого педагога "
        "нет итогового результата диагностики");
  }
  std::vector<std::string> short_of;
  for (auto [area, title] : {std::pair{kSubject, "предметные"}, std::pair{kMethodological, "методические"}}) {
    bool ok = false;
    for (const auto& a : *latest_final_result) ok = ok || (a.area == area && a.level >= kBasic);
    if (!ok) short_of.push_back(title);
  }
  if (short_of.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "Тьютором может быть педагог, успешно прошедший диагностику методических и предметных компетенций: по последнему "
      "итоговому результату ниже базового уровня или не оценены — ",
      absl::StrJoin(short_of, ", ")));
}

bool IsMethodologicalSupportProgramme(const std::string& title) {
  std::string t = diagnostics::LowerRu(title);
  return absl::StrContains(t, "тьютор") || absl::StrContains(t, "методического сопровождения") ||
         absl::StrContains(t, "методическое сопровождение") || absl::StrContains(t, "методической службы");
}

absl::Status CheckTutorTrained(const std::vector<std::string>& passed_programme_titles) {
  for (const auto& title : passed_programme_titles) {
    if (IsMethodologicalSupportProgramme(title)) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      "Тьютором может быть педагог, прошедший повышение квалификации по тьюторскому (методическому) сопровождению "
      "педагогов: у этого педагога нет такого пройденного курса с итоговой аттестацией. Внесите его в «Повышение "
      "квалификации» или выберите другого педагога");
}

}  // namespace nms::route
