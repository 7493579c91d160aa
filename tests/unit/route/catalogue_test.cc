// Catalogue entries: valid ones pass; each kind of bad field is named; federal programmes map
// to further training or retraining by hours.
#include <gtest/gtest.h>

#include "server/domain/route/catalogue.h"

namespace nms::route {
namespace {

ActivityInput Valid() {
  ActivityInput a;
  a.kind = 1;
  a.title = "Формирующее оценивание на уроках математики";
  a.hours = 36;
  a.format = 2;
  a.indicator_codes = {"М.2.1", "М.2.3"};
  a.url = "https://education.apkpro.ru/courses/481";
  return a;
}

TEST(RouteCatalogue, ValidEntryPasses) {
  EXPECT_TRUE(ValidateActivity(Valid()).ok());
  ActivityInput areas_only = Valid();
  areas_only.indicator_codes.clear();
  areas_only.areas = {2, 5};
  EXPECT_TRUE(ValidateActivity(areas_only).ok());
  ActivityInput event = Valid();
  event.kind = 4;
  event.event_kind = 5;
  EXPECT_TRUE(ValidateActivity(event).ok());
}

TEST(RouteCatalogue, BadFieldsAreNamed) {
  struct Case {
    const char* field;
    void (*mutate)(ActivityInput&);
  } cases[] = {
      {"kind", [](ActivityInput& a) { a.kind = 0; }},
      {"kind", [](ActivityInput& a) { a.kind = 10; }},
      {"event_kind", [](ActivityInput& a) { a.event_kind = 3; }},
      {"event_kind", [](ActivityInput& a) { a.kind = 4; a.event_kind = 8; }},
      {"title", [](ActivityInput& a) { a.title = "  "; }},
      {"title", [](ActivityInput& a) { a.title = std::string(1001, 'a'); }},
      {"title", [](ActivityInput& a) { a.title = "\xd0"; }},
      {"hours", [](ActivityInput& a) { a.hours = -1; }},
      {"hours", [](ActivityInput& a) { a.hours = 2001; }},
      {"format", [](ActivityInput& a) { a.format = 4; }},
      {"learning_form", [](ActivityInput& a) { a.learning_form = -1; }},
      {"addressed_indicator_codes", [](ActivityInput& a) { a.indicator_codes.clear(); }},
      {"addressed_indicator_codes", [](ActivityInput& a) { a.indicator_codes = {"М.1", "М.1"}; }},
      {"addressed_indicator_codes", [](ActivityInput& a) { a.indicator_codes = {"М 1"}; }},
      {"addressed_indicator_codes", [](ActivityInput& a) { a.indicator_codes = {std::string(65, 'x')}; }},
      {"addressed_areas", [](ActivityInput& a) { a.areas = {6}; }},
      {"addressed_areas", [](ActivityInput& a) { a.areas = {2, 2}; }},
      {"positions", [](ActivityInput& a) { a.positions = {"учитель\nдиректор"}; }},
      {"subjects", [](ActivityInput& a) { a.subjects = {""}; }},
      {"end_date", [](ActivityInput& a) { a.start_date = absl::CivilDay(2026, 5, 1); a.end_date = absl::CivilDay(2026, 4, 30); }},
      {"url", [](ActivityInput& a) { a.url = "javascript:alert(1)"; }},
      {"url", [](ActivityInput& a) { a.url = "https://x.ru/a b"; }},
  };
  for (const auto& c : cases) {
    ActivityInput a = Valid();
    c.mutate(a);
    auto st = ValidateActivity(a);
    ASSERT_FALSE(st.ok()) << c.field;
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find(std::string("activity.") + c.field), std::string::npos) << st.message();
  }
}

TEST(RouteCatalogue, FederalProgrammesByHours) {
  EXPECT_EQ(FederalProgrammeKind(36), ActivityKind::kFurtherTraining);
  EXPECT_EQ(FederalProgrammeKind(249), ActivityKind::kFurtherTraining);
  EXPECT_EQ(FederalProgrammeKind(250), ActivityKind::kRetraining);
  EXPECT_STREQ(FormatTitle(3), "очно-заочно");
  EXPECT_STREQ(FormatTitle(0), "");
}

}  // namespace
}  // namespace nms::route
