#include "server/domain/directory/methodists.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/common/dates.h"

namespace nms::directory {
namespace {

constexpr int kHighestCategory = 4;     // nms.v1.QUALIFICATION_CATEGORY_HIGHEST
constexpr int kHigherPedagogical = 4;   // nms.v1.EDUCATION_LEVEL_HIGHER_PEDAGOGICAL

const char* CategoryTitle(int c) {
  switch (c) {
    case 1: return "без категории";
    case 2: return "соответствие занимаемой должности";
    case 3: return "первая";
    case 4: return "высшая";
  }
  return "не указана";
}

const char* EducationTitle(int e) {
  switch (e) {
    case 1: return "среднее профессиональное";
    case 2: return "среднее профессиональное педагогическое";
    case 3: return "высшее непедагогическое";
    case 4: return "высшее педагогическое";
  }
  return "не указано";
}

}  // namespace

absl::Status CheckRegionalMethodistEligible(const MethodistCard& card, absl::CivilDay today) {
  std::vector<std::string> missing;
  if (card.qualification_category != kHighestCategory) {
    missing.push_back(absl::StrCat("квалификационная категория — ", CategoryTitle(card.qualification_category),
                                   ", нужна высшая"));
  }
  if (card.education != kHigherPedagogical) {
    missing.push_back(absl::StrCat("образование — ", EducationTitle(card.education), ", нужно высшее педагогическое"));
  }
  if (!card.work_start_date) {
    missing.push_back("не указана дата начала работы, стаж не подтверждён");
  } else if (int years = *card.work_start_date > today ? 0 : FullYearsBetween(*card.work_start_date, today);
             years < kMinRegionalMethodistYears) {
    missing.push_back(absl::StrCat("стаж работы ", years, " из ", kMinRegionalMethodistYears, " необходимых лет"));
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "Региональным методистом назначается педагог высшей квалификационной категории с высшим педагогическим "
      "образованием и стажем работы по специальности не менее ", kMinRegionalMethodistYears, " лет: ",
      absl::StrJoin(missing, "; "), ". Уточните карточку человека или выберите другого"));
}

}  // namespace nms::directory
