// Region settings of the young-teacher rule: defaults and bounds.
#include "server/domain/young/settings.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nms::young {
namespace {

TEST(Settings, DefaultsAreTheFederalRule) {
  Settings s;
  EXPECT_EQ(s.age_limit_years, 35);
  EXPECT_EQ(s.experience_limit_years, 3);
  EXPECT_EQ(s.support_target_percent, 70);
  EXPECT_EQ(s.alert_window_months, 6);
  EXPECT_TRUE(ValidateSettings(s).empty());
}

TEST(Settings, BoundsNameTheField) {
  auto check = [](Settings s, const char* field) {
    auto errors = ValidateSettings(s);
    ASSERT_EQ(errors.size(), 1u) << field;
    EXPECT_NE(errors[0].find(field), std::string::npos) << errors[0];
  };
  Settings s;
  s.age_limit_years = 19;
  check(s, "age_limit_years");
  s = Settings{};
  s.age_limit_years = -35;
  check(s, "age_limit_years");
  s = Settings{};
  s.experience_limit_years = 0;
  check(s, "experience_limit_years");
  s = Settings{};
  s.experience_limit_years = 16;
  check(s, "experience_limit_years");
  s = Settings{};
  s.support_target_percent = 100.5;
  check(s, "support_target_percent");
  s.support_target_percent = std::nan("");
  check(s, "support_target_percent");
  s = Settings{};
  s.alert_window_months = 0;
  check(s, "alert_window_months");
  s.alert_window_months = 37;
  check(s, "alert_window_months");
  s = Settings{40, 5, 80, 12};  // Mordovia-like
  EXPECT_TRUE(ValidateSettings(s).empty());
}

}  // namespace
}  // namespace nms::young
