#include "server/domain/young/settings.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace nms::young {

std::vector<std::string> ValidateSettings(const Settings& s) {
  std::vector<std::string> errors;
  if (s.age_limit_years < kMinAgeLimit || s.age_limit_years > kMaxAgeLimit) {
    errors.push_back(absl::StrCat("Поле settings.age_limit_years: от ", kMinAgeLimit, " до ", kMaxAgeLimit, " лет"));
  }
  if (s.experience_limit_years < kMinExperienceLimit || s.experience_limit_years > kMaxExperienceLimit) {
    errors.push_back(absl::StrCat("Поле settings.experience_limit_years: от ", kMinExperienceLimit, " до ",
                                  kMaxExperienceLimit, " лет"));
  }
  if (!std::isfinite(s.support_target_percent) || s.support_target_percent < 0 || s.support_target_percent > 100) {
    errors.push_back("Поле settings.support_target_percent: от 0 до 100 %");
  }
  if (!ValidAlertWindow(s.alert_window_months)) {
    errors.push_back(absl::StrCat("Поле settings.alert_window_months: от ", kMinAlertWindow, " до ", kMaxAlertWindow,
                                  " месяцев"));
  }
  return errors;
}

bool ValidAlertWindow(int months) { return months >= kMinAlertWindow && months <= kMaxAlertWindow; }

}  // namespace nms::young
