// The list machinery of the computed cohort: the AIP-160 subset filter, the cohort filter,
// sort keys and page tokens bound to their request.
#include "server/domain/young/listing.h"

#include <gtest/gtest.h>

#include "server/domain/young/filter.h"

namespace nms::young {
namespace {

TEST(Filter, ParsesClausesOperatorsAndQuotes) {
  auto f = ParseFilter(R"(person = "people/5" AND start_date >= 2026-01-01 AND kind:CLUB AND title != "a \"b\"")",
                       {"person", "start_date", "kind", "title"});
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ((*f)[0], (FilterClause{"person", "=", "people/5"}));
  EXPECT_EQ((*f)[1], (FilterClause{"start_date", ">=", "2026-01-01"}));
  EXPECT_EQ((*f)[2], (FilterClause{"kind", ":", "CLUB"}));
  EXPECT_EQ((*f)[3], (FilterClause{"title", "!=", "a \"b\""}));
  EXPECT_TRUE(ParseFilter("", {"x"})->empty());
  EXPECT_TRUE(ParseFilter("   ", {"x"})->empty());
}

TEST(Filter, RejectsWhatItDoesNotUnderstand) {
  for (const char* bad : {"unknown = 1", "person", "person ~ 1", "person = ", "person = \"open", "person = 1 OR kind = 2",
                          "person = 1 AND", "= 1", "person = 1 ANDkind = 2"}) {
    auto f = ParseFilter(bad, {"person", "kind"});
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(f.status().message().find("filter"), std::string::npos) << bad;
  }
  EXPECT_FALSE(ParseFilter(std::string(2000, 'a'), {"a"}).ok());
  // Bytes are kept as given inside quotes; deciding what they mean is the field's business.
  auto bytes = ParseFilter(std::string("person = \"\xff\0x\"", 14), {"person"});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[0].value, std::string("\xff\0x", 3));
}

TEST(Filter, BoolAndEnumValues) {
  EXPECT_EQ(*FilterBool({"in_support", "=", "true"}), true);
  EXPECT_EQ(*FilterBool({"in_support", "!=", "true"}), false);
  EXPECT_FALSE(FilterBool({"in_support", "=", "yes"}).ok());
  EXPECT_FALSE(FilterBool({"in_support", "<", "true"}).ok());
  auto kind = [](const char* v) {
    return FilterEnum({"kind", "=", v}, "SUPPORT_MEASURE_KIND_", {"MENTOR", "ROUTE", "EVENT"});
  };
  EXPECT_EQ(*kind("SUPPORT_MEASURE_KIND_ROUTE"), 2);
  EXPECT_EQ(*kind("event"), 3);
  EXPECT_EQ(*kind("1"), 1);
  EXPECT_FALSE(kind("0").ok());
  EXPECT_FALSE(kind("4").ok());
  EXPECT_FALSE(kind("CLUB").ok());
}

CohortRow Row(int64_t org, bool support, bool mentor, bool route, std::vector<AlertKind> alerts) {
  CohortRow r;
  r.person_id = 1;
  r.organization_id = org;
  r.assessment.in_support = support;
  r.assessment.has_mentor = mentor;
  r.assessment.has_route = route;
  for (auto k : alerts) r.assessment.alerts.push_back({k, absl::CivilDay(2026, 1, 1), ""});
  return r;
}

TEST(CohortFilter, EveryField) {
  CohortRow supported = Row(5, true, true, false, {AlertKind::kNoRoute});
  CohortRow bare = Row(6, false, false, false, {AlertKind::kNoMentor, AlertKind::kNoRoute, AlertKind::kNoRecentMeasure});
  CohortRow fine = Row(6, true, true, true, {});
  auto match = [&](const char* text, const CohortRow& r) {
    auto f = ParseCohortFilter(text);
    EXPECT_TRUE(f.ok()) << text << ": " << f.status();
    return f.ok() && Matches(*f, r);
  };
  EXPECT_TRUE(match("", bare));
  EXPECT_TRUE(match("organization = organizations/5", supported));
  EXPECT_FALSE(match("organization = \"organizations/5\"", bare));
  EXPECT_TRUE(match("in_support = false", bare));
  EXPECT_FALSE(match("in_support = false", supported));
  EXPECT_TRUE(match("has_mentor = true AND has_route = false", supported));
  EXPECT_TRUE(match("alerts:NO_MENTOR", bare));
  EXPECT_FALSE(match("alerts:NO_MENTOR", supported));
  EXPECT_TRUE(match("alerts = YOUNG_TEACHER_ALERT_KIND_NO_ROUTE AND alerts != NO_MENTOR", supported));
  EXPECT_TRUE(match("alerts:*", supported));
  EXPECT_FALSE(match("alerts:*", fine));
  EXPECT_TRUE(match("alerts != *", fine));
  for (const char* bad : {"organization = people/5", "organization != organizations/5", "alerts:NO_SUCH",
                          "alerts > NO_MENTOR", "has_mentor = maybe", "age = 30"}) {
    EXPECT_EQ(ParseCohortFilter(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(PageToken, RoundTripsAndIsBoundToItsRequest) {
  RowKey key{"Школа №1", "Иванова", "Анна", "Петровна", 42, 3};
  std::string fp = RequestFingerprint({"regions/1", "2026-06-30", "in_support = false"});
  std::string token = EncodePageToken(fp, key);
  auto back = DecodePageToken(token, fp);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, key);
  EXPECT_FALSE(DecodePageToken(token, RequestFingerprint({"regions/1", "2026-06-30", ""})).ok());
  EXPECT_FALSE(DecodePageToken("not a token!", fp).ok());
  EXPECT_FALSE(DecodePageToken("AAAA", fp).ok());
  EXPECT_FALSE((*DecodePageToken("", fp)).has_value());
  EXPECT_NE(RequestFingerprint({"ab", "c"}), RequestFingerprint({"a", "bc"}));
}

TEST(PageToken, KeysOrderByOrganisationNameThenKind) {
  RowKey a{"Школа А", "Петрова", "", "", 2, 1};
  RowKey b{"Школа А", "Петрова", "", "", 2, 3};
  RowKey c{"Школа А", "Смирнова", "", "", 1, 0};
  RowKey d{"Школа Б", "Аникина", "", "", 9, 0};
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(b < c);
  EXPECT_TRUE(c < d);
  EXPECT_EQ(AlertKindFromNumber(2).value(), AlertKind::kNoRoute);
  EXPECT_FALSE(AlertKindFromNumber(0).ok());
  EXPECT_FALSE(AlertKindFromNumber(4).ok());
}

TEST(PageToken, PagesCoverEveryRowOnceAndSurviveChangesBetweenPages) {
  std::vector<RowKey> rows;
  for (int i = 0; i < 7; ++i) rows.push_back(RowKey{"Школа", "Фамилия", "", "", 10 + i, 0});
  auto key = [](const RowKey& k) { return k; };
  std::string fp = RequestFingerprint({"x"});
  std::vector<int64_t> seen;
  std::string token;
  for (int guard = 0; guard < 10; ++guard) {
    std::vector<const RowKey*> page;
    std::string next;
    ASSERT_TRUE(CutPage(rows, key, 3, token, fp, &page, &next).ok());
    for (const RowKey* k : page) seen.push_back(k->person_id);
    if (next.empty()) break;
    token = next;
    if (guard == 0) rows.erase(rows.begin() + 1);  // a row of the first page vanishes meanwhile
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{10, 11, 12, 13, 14, 15, 16}));
  std::vector<const RowKey*> page;
  std::string next;
  EXPECT_FALSE(CutPage(rows, key, 3, token, RequestFingerprint({"y"}), &page, &next).ok());
  EXPECT_TRUE(CutPage(std::vector<RowKey>{}, key, 3, "", fp, &page, &next).ok());
  EXPECT_TRUE(page.empty());
  EXPECT_TRUE(next.empty());
}

}  // namespace
}  // namespace nms::young
