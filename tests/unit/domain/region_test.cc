// A new region's request: defaults (time zone, ЦНППМ, the admin's position and login) and a
// Russian refusal naming the field for everything unusable.
#include <gtest/gtest.h>

#include "server/domain/directory/region.h"

namespace nms::directory {
namespace {

const absl::CivilDay kToday(2026, 12, 8);

NewRegion Valid() {
  NewRegion r;
  r.display_name = "  Архангельская область ";
  r.organization_display_name = "ЦНППМ Архангельской области";
  r.admin.last_name = "Первова";
  r.admin.first_name = "Анна";
  r.admin.birth_date = absl::CivilDay(1980, 5, 6);
  r.admin.email = "Pervova@Example.ru";
  return r;
}

TEST(NewRegion, DefaultsAreFilled) {
  NewRegion r = Valid();
  ASSERT_TRUE(NormalizeNewRegion(r, kToday).ok());
  EXPECT_EQ(r.display_name, "Архангельская область");
  EXPECT_EQ(r.time_zone, "Europe/Moscow");
  EXPECT_EQ(r.organization_type, kOrganizationTypeCnppm);
  EXPECT_EQ(r.admin.position, "специалист министерства образования");
  EXPECT_EQ(r.login, "pervova@example.ru");
}

TEST(NewRegion, UnusableFieldsAreNamed) {
  auto refused = [](auto change, const char* field) {
    NewRegion r = Valid();
    change(r);
    auto st = NormalizeNewRegion(r, kToday);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_NE(st.message().find(field), std::string::npos) << st.message();
  };
  refused([](NewRegion& r) { r.display_name = " "; }, "region.display_name");
  refused([](NewRegion& r) { r.time_zone = "Europe/Nowhere"; }, "region.time_zone");
  refused([](NewRegion& r) { r.organization_type = 42; }, "organization.type");
  refused([](NewRegion& r) { r.organization_display_name.clear(); }, "organization.display_name");
  refused([](NewRegion& r) { r.admin.last_name.clear(); }, "last_name");
  refused([](NewRegion& r) { r.admin.birth_date.reset(); }, "birth_date");
  refused([](NewRegion& r) { r.admin.email.clear(); }, "admin_login");
  refused([](NewRegion& r) { r.login = "two words"; }, "admin_login");
}

}  // namespace
}  // namespace nms::directory
