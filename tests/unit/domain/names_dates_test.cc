#include <gtest/gtest.h>

#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/common/text.h"

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

// One canonical spelling: "people/004" is not "people/4" and says why.
TEST(Names, RefusesNonCanonicalIds) {
  for (const char* bad : {"people/004", "people/04", "people/+4", "people/ 4", "people/4 "}) {
    auto id = ParseResourceName(bad, "people", "name");
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(ParseResourceName("people/004", "people", "name").status().message().find("ведущих нулей"),
            std::string::npos);
  EXPECT_FALSE(ParseAnyName("organizations/007", "parent").ok());
  EXPECT_EQ(CanonicalId("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(CanonicalId("9223372036854775808"), 0);
  EXPECT_EQ(CanonicalId("0"), 0);
}

TEST(Names, PatternsOfNestedNames) {
  auto ids = ParseNamePattern("routes/7/items/3", "routes/{}/items/{}", "item.name");
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, (std::vector<int64_t>{7, 3}));
  EXPECT_EQ(ParseNamePattern("regions/2/routeSettings", "regions/{}/routeSettings", "name")->front(), 2);
  for (const char* bad : {"", "routes/7", "routes/7/items", "routes/7/items/03", "routes/7/things/3", "routes/x/items/3",
                          "routes/7/items/3/", "/routes/7/items/3"}) {
    auto got = ParseNamePattern(bad, "routes/{}/items/{}", "item.name");
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_NE(got.status().message().find("item.name"), std::string::npos) << bad;
  }
  EXPECT_NE(ParseNamePattern("routes/1", "routes/{}/items/{}", "f").status().message().find("routes/{номер}/items/{номер}"),
            std::string::npos);
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

// The one text-field validator: blank counts as empty, length in bytes, UTF-8 only.
TEST(Text, RequiredOptionalLengthAndUtf8) {
  EXPECT_TRUE(RequireText("Школа", "title", 100).ok());
  for (const char* blank : {"", " ", " \t\n "}) {
    auto st = RequireText(blank, "item.title", 100);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message(), "Поле item.title обязательно");
    EXPECT_TRUE(OptionalText(blank, "item.title", 100).ok());
  }
  EXPECT_TRUE(OptionalText("ёж", "t", 4).ok());
  EXPECT_FALSE(OptionalText("ёжи", "t", 4).ok());  // 6 bytes
  EXPECT_FALSE(OptionalText("\xff", "t", 4).ok());
  EXPECT_FALSE(IsValidUtf8("\xd0"));
  EXPECT_TRUE(IsValidUtf8("Иванова"));
}

}  // namespace
}  // namespace nms

namespace nms {
namespace {

TEST(Text, ShortenUtf8CutsBetweenCharactersAndMarksTheCut) {
  EXPECT_EQ(ShortenUtf8("коротко", 100), "коротко");
  const std::string long_ru(2000, 'a');
  EXPECT_EQ(ShortenUtf8(long_ru, 10), "aaaaaaa…");  // 7 bytes + 3 of the ellipsis
  EXPECT_EQ(ShortenUtf8(long_ru, 10).size(), 10u);
  // Two-byte letters: never half a letter.
  const std::string cut = ShortenUtf8("ввввввввв", 8);
  EXPECT_EQ(cut, "вв…");
  EXPECT_TRUE(IsValidUtf8(cut));
  EXPECT_LE(cut.size(), 8u);
}

}  // namespace
}  // namespace nms
