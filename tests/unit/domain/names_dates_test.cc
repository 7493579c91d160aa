#include <gtest/gtest.h>

#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"

namespace nms {
namespace {

TEST(Names, RoundTrip) {
  EXPECT_EQ(ResourceName("people", 42), "people/42");
  auto id = ParseResourceName("people/42", "people", "name");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 42);
}

TEST(Names, RejectsMalformed) {
  for (const char* bad : {"", "people", "people/", "people/abc", "people/-1", "people/0",
                          "organizations/5", "people/5/x", "/5", "people/1e3"}) {
    auto id = ParseResourceName(bad, "people", "person");
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(std::string(id.status().message()).find("person"), std::string::npos) << bad;
  }
}

TEST(Names, OptionalEmptyIsZero) {
  EXPECT_EQ(*ParseOptionalResourceName("", "districts", "d"), 0);
  EXPECT_FALSE(ParseOptionalResourceName("x/1", "districts", "d").ok());
}

TEST(Dates, ParsesRussianAndIso) {
  EXPECT_EQ(*ParseDay("01.09.2023", "d"), absl::CivilDay(2023, 9, 1));
  EXPECT_EQ(*ParseDay("2023-09-01", "d"), absl::CivilDay(2023, 9, 1));
}

TEST(Dates, RejectsImpossible) {
  EXPECT_FALSE(ParseDay("31.02.2020", "d").ok());
  EXPECT_FALSE(ParseDay("2020-13-01", "d").ok());
  EXPECT_FALSE(ParseDay("вчера", "d").ok());
  EXPECT_TRUE(ParseDay("29.02.2024", "d").ok());
  EXPECT_FALSE(ParseDay("29.02.2023", "d").ok());
}

TEST(Dates, FullYearsCountsBirthdayOnTheDay) {
  absl::CivilDay birth(1991, 11, 23);
  EXPECT_EQ(FullYearsBetween(birth, absl::CivilDay(2026, 11, 22)), 34);
  EXPECT_EQ(FullYearsBetween(birth, absl::CivilDay(2026, 11, 23)), 35);
  EXPECT_EQ(FullYearsBetween(absl::CivilDay(2000, 2, 29), absl::CivilDay(2001, 2, 28)), 0);
  EXPECT_EQ(FullYearsBetween(absl::CivilDay(2000, 2, 29), absl::CivilDay(2001, 3, 1)), 1);
}

}  // namespace
}  // namespace nms
