#include "server/domain/mentoring/eligibility.h"

#include "absl/strings/str_cat.h"
#include "server/domain/common/dates.h"
#include "server/domain/route/titles.h"

namespace nms::mentoring {
namespace {

const char* CategoryTitle(int c) {
  switch (c) {
    case 1: return "без категории";
    case 2: return "соответствие занимаемой должности";
    case 3: return "первая категория";
    case 4: return "высшая категория";
  }
  return "категория не указана";
}

}  // namespace

EligibilityRule DefaultRule() { return EligibilityRule{}; }

absl::StatusOr<int> QualificationFromCode(absl::string_view code) {
  if (code.empty()) return 0;
  if (code == "first") return 3;
  if (code == "highest") return 4;
  return absl::InvalidArgumentError(
      "Поле min_qualification_category: допустимо \"first\", \"highest\" или пусто (любая)");
}

std::string QualificationCode(int category) {
  if (category == 3) return "first";
  if (category == 4) return "highest";
  return "";
}

absl::Status ValidateRule(const EligibilityRule& r) {
  if (r.min_experience_years < 0 || r.min_experience_years > 50) {
    return absl::InvalidArgumentError("Поле min_experience_years: от 0 до 50 лет");
  }
  if (r.min_qualification != 0 && r.min_qualification != 3 && r.min_qualification != 4) {
    return absl::InvalidArgumentError("Поле min_qualification_category: первая или высшая категория");
  }
  if (r.require_diagnostics && (r.min_diagnostic_level < 1 || r.min_diagnostic_level > 4)) {
    return absl::InvalidArgumentError("Поле min_diagnostic_level: уровень от недостаточного до высокого");
  }
  if (r.default_capacity < 1 || r.default_capacity > 50) {
    return absl::InvalidArgumentError("Поле default_capacity: от 1 до 50 наставляемых");
  }
  return absl::OkStatus();
}

std::string YearsText(int years) {
  const int n = years < 0 ? -years : years;
  const int last2 = n % 100;
  const int last = n % 10;
  const char* word = "лет";
  if (last2 < 11 || last2 > 14) {
    if (last == 1) word = "год";
    else if (last >= 2 && last <= 4) word = "года";
  }
  return absl::StrCat(years, " ", word);
}

Eligibility EvaluateEligibility(const EligibilityRule& rule, const MentorFacts& f, absl::CivilDay today) {
  Eligibility out;
  if (f.is_organization) {
    out.checks.push_back({"organization", true, "управленческая команда организации (менторство)"});
    out.eligible = true;
    return out;
  }
  {
    EligibilityCheck c{"experience", false, ""};
    if (!f.work_start_date.has_value() || *f.work_start_date > today) {
      c.passed = rule.min_experience_years == 0;
      c.detail = absl::StrCat("стаж не указан", rule.min_experience_years > 0
                                                     ? absl::StrCat(", требуется ", YearsText(rule.min_experience_years))
                                                     : std::string());
    } else {
      const int years = FullYearsBetween(*f.work_start_date, today);
      c.passed = years >= rule.min_experience_years;
      c.detail = absl::StrCat("стаж ", YearsText(years), ", требуется ", YearsText(rule.min_experience_years));
    }
    out.checks.push_back(std::move(c));
  }
  if (rule.min_qualification != 0) {
    EligibilityCheck c{"qualification_category", false, ""};
    // Categories rank by value: none (1) < position compliance (2) < first (3) < highest (4).
    c.passed = f.qualification_category >= rule.min_qualification;
    c.detail = absl::StrCat(CategoryTitle(f.qualification_category), ", требуется не ниже: ",
                            CategoryTitle(rule.min_qualification));
    out.checks.push_back(std::move(c));
  }
  if (rule.require_diagnostics) {
    EligibilityCheck c{"diagnostics", false, ""};
    if (!f.diagnostic_level.has_value()) {
      c.detail = absl::StrCat("диагностика не пройдена, требуется уровень не ниже: ",
                              route::LevelTitle(rule.min_diagnostic_level));
    } else {
      c.passed = *f.diagnostic_level >= rule.min_diagnostic_level;
      c.detail = absl::StrCat("уровень по диагностике: ", route::LevelTitle(*f.diagnostic_level),
                              ", требуется не ниже: ", route::LevelTitle(rule.min_diagnostic_level));
    }
    out.checks.push_back(std::move(c));
  }
  out.eligible = true;
  for (const auto& c : out.checks) out.eligible = out.eligible && c.passed;
  return out;
}

}  // namespace nms::mentoring
