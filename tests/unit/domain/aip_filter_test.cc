// The AIP-160 subset of the list filters: comparisons joined by AND, quoted values, and clear
// refusals of what is not supported.
#include <gtest/gtest.h>

#include "server/domain/common/aip_filter.h"

namespace nms {
namespace {

const std::vector<std::string> kFields = {"status", "methodist", "teachers_assigned", "title"};

TEST(AipFilter, ParsesComparisonsJoinedByAnd) {
  auto f = ParseFilter(R"(status = ROUTE_STATUS_DRAFT AND methodist="people/12" and teachers_assigned>=250)", kFields);
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 3u);
  EXPECT_EQ((*f)[0].field, "status");
  EXPECT_EQ((*f)[0].op, "=");
  EXPECT_EQ((*f)[0].value, "ROUTE_STATUS_DRAFT");
  EXPECT_EQ((*f)[1].value, "people/12");
  EXPECT_EQ((*f)[2].op, ">=");
  EXPECT_EQ((*f)[2].value, "250");
  auto q = ParseFilter(R"(title != "Школа \"Успех\" \\ 1")", kFields);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)[0].op, "!=");
  EXPECT_EQ((*q)[0].value, "Школа \"Успех\" \\ 1");
  EXPECT_TRUE(ParseFilter("   ", kFields)->empty());
}

TEST(AipFilter, RefusesWhatItDoesNotSupport) {
  for (const char* bad : {"status = A OR status = B", "NOT status = A", "unknown = 1", "status", "status =",
                          "status = \"open", "status = A status = B", "= A", "(status = A)"}) {
    auto f = ParseFilter(bad, kFields);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(f.status().message().find("Поле filter"), 0u) << bad;
  }
  EXPECT_FALSE(ParseFilter(std::string(kMaxFilterBytes + 1, 'a'), kFields).ok());
  // Bytes are kept as given inside quotes; what they mean is the field's business.
  auto bytes = ParseFilter(std::string("title = \"\xff\0x\"", 13), kFields);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[0].value, std::string("\xff\0x", 3));
}

}  // namespace
}  // namespace nms

namespace nms {
namespace {

TEST(AipFilter, EmptyAllowedLeavesFieldsToTheCaller) {
  auto f = ParseFilter("anything = 1 AND other != \"x\"", {});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ((*f)[1], (FilterTerm{"other", "!=", "x"}));
}

TEST(AipFilter, TypedValues) {
  EXPECT_EQ(*FilterBool({"held", "=", "true"}), true);
  EXPECT_EQ(*FilterBool({"held", "!=", "true"}), false);
  EXPECT_FALSE(FilterBool({"held", "=", "yes"}).ok());
  EXPECT_FALSE(FilterBool({"held", "<", "true"}).ok());
  EXPECT_EQ(*FilterNumber({"n", ">=", "250"}), 250);
  EXPECT_FALSE(FilterNumber({"n", "=", "2.5"}).ok());
  EXPECT_EQ(*FilterDay({"d", "=", "01.09.2026"}), absl::CivilDay(2026, 9, 1));
  EXPECT_EQ(*FilterDay({"d", "=", "2026-09-01"}), absl::CivilDay(2026, 9, 1));
  EXPECT_FALSE(FilterDay({"d", "=", "2026-02-30"}).ok());
  EXPECT_EQ(*FilterName({"person", "=", "people/5"}, "people"), 5);
  for (const char* bad : {"people/05", "organizations/5", "5", "people/-5"}) {
    auto id = FilterName({"person", "=", bad}, "people");
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.status().message().find("Поле filter"), 0u) << bad;
  }
  EXPECT_TRUE(FilterOps({"a", "!=", "1"}, {"=", "!="}).ok());
  EXPECT_EQ(FilterOps({"a", ">", "1"}, {"=", "!="}).code(), absl::StatusCode::kInvalidArgument);
}

// Every list spells enum values the same way: full name, short name, any case, or a defined number.
TEST(AipFilter, OneEnumSpellingForEveryList) {
  auto kind = [](const char* v) {
    return FilterEnum({"kind", "=", v}, "SUPPORT_MEASURE_KIND_", {"MENTOR", "ROUTE", "EVENT"});
  };
  EXPECT_EQ(*kind("SUPPORT_MEASURE_KIND_ROUTE"), 2);
  EXPECT_EQ(*kind("support_measure_kind_route"), 2);
  EXPECT_EQ(*kind("event"), 3);
  EXPECT_EQ(*kind("1"), 1);
  for (const char* bad : {"0", "4", "99", "-1", "+1", "CLUB", "SUPPORT_MEASURE_KIND_UNSPECIFIED", ""}) {
    auto got = kind(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(got.status().message().find("неизвестное значение"), std::string::npos) << bad;
  }
  // Numbered values need not be contiguous.
  std::vector<EnumValueName> sparse = {{"X_UNSPECIFIED", 0}, {"X_A", 1}, {"X_B", 5}};
  EXPECT_EQ(*FilterEnum({"x", "=", "5"}, "X_", sparse), 5);
  EXPECT_FALSE(FilterEnum({"x", "=", "2"}, "X_", sparse).ok());
}

}  // namespace
}  // namespace nms
