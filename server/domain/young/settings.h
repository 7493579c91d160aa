#pragma once
// A region's young-teacher rule (docs/domain.md §5): who is in the cohort (age and experience
// limits), the support target of indicator 8, and the window of the "no recent measure"
// alert. Regions differ (Mordovia pays beginners until 5 years of experience), so every
// number is configurable; a region that never configured anything gets the federal defaults.

#include <string>
#include <vector>

namespace nms::young {

struct Settings {
  int age_limit_years = 35;
  int experience_limit_years = 3;
  double support_target_percent = 70;
  int alert_window_months = 6;

  bool operator==(const Settings&) const = default;
};

// Bounds a region may choose; outside them a number is a typo, not a policy.
inline constexpr int kMinAgeLimit = 20, kMaxAgeLimit = 70;
inline constexpr int kMinExperienceLimit = 1, kMaxExperienceLimit = 15;
inline constexpr int kMinAlertWindow = 1, kMaxAlertWindow = 36;

// Every problem with the settings, each a Russian sentence naming the proto field; empty
// when valid.
std::vector<std::string> ValidateSettings(const Settings& s);

// Whether `months` is an acceptable "no recent measure" window (the region's or a request's).
bool ValidAlertWindow(int months);

}  // namespace nms::young
