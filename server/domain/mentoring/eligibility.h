#pragma once
// Who may be a mentor (docs/domain.md §4; the Mordovia regulation: mentors are drawn from teachers with high
// diagnostic results). The region configures the rule (MentoringSettings): minimum years of
// pedagogical experience, minimum qualification category, and optionally a final diagnostic
// result at or above a level. Each check is reported with a Russian explanation so a school
// sees why a nominee is not matched. Organisation (management-team) profiles have no personal
// criteria and are always eligible.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace nms::mentoring {

struct EligibilityRule {
  int min_experience_years = 3;
  int min_qualification = 0;  // nms.v1.QualificationCategory value; 0 = any
  bool require_diagnostics = false;
  int min_diagnostic_level = 2;  // nms.v1.CompetencyLevel; used when require_diagnostics
  int default_capacity = 3;
};

// Defaults for a region that never saved its settings.
EligibilityRule DefaultRule();

// "first" ↔ QUALIFICATION_CATEGORY_FIRST (3), "highest" ↔ HIGHEST (4), "" ↔ any (0).
absl::StatusOr<int> QualificationFromCode(absl::string_view code);
std::string QualificationCode(int category);

// INVALID_ARGUMENT naming the field when a value is out of range.
absl::Status ValidateRule(const EligibilityRule& rule);

struct MentorFacts {
  bool is_organization = false;
  std::optional<absl::CivilDay> work_start_date;
  int qualification_category = 0;  // nms.v1.QualificationCategory
  // Overall level of the latest FINAL diagnostic result; nullopt = never diagnosed.
  std::optional<int> diagnostic_level;
};

struct EligibilityCheck {
  std::string code;  // "experience", "qualification_category", "diagnostics", "organization"
  bool passed = false;
  std::string detail;  // Russian
  friend bool operator==(const EligibilityCheck&, const EligibilityCheck&) = default;
};

struct Eligibility {
  bool eligible = false;
  std::vector<EligibilityCheck> checks;
  friend bool operator==(const Eligibility&, const Eligibility&) = default;
};

Eligibility EvaluateEligibility(const EligibilityRule& rule, const MentorFacts& facts, absl::CivilDay today);

// "1 год", "3 года", "5 лет", "21 год".
std::string YearsText(int years);

}  // namespace nms::mentoring
