// The list machinery of the computed cohort: the cohort filter, sort keys and keyset pages.
#include "server/domain/young/listing.h"

#include <gtest/gtest.h>

#include "server/domain/common/page_token.h"

namespace nms::young {
namespace {

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

TEST(PageToken, RowKeysRoundTripThroughTokens) {
  RowKey key{"Школа №1", "Иванова", "Анна", "Петровна", 42, 3};
  std::string fp = RequestFingerprint({"regions/1", "2026-06-30", "in_support = false"});
  auto back = DecodePageToken(EncodePageToken(fp, RowKeyParts(key)), fp, kRowKeyShape);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(RowKeyFromParts(*back), key);
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
    auto paging = ParsePageRequest(3, token, fp, kRowKeyShape);
    ASSERT_TRUE(paging.ok()) << paging.status();
    std::vector<const RowKey*> page;
    std::string next;
    CutPage(rows, key, *paging, &page, &next);
    for (const RowKey* k : page) seen.push_back(k->person_id);
    if (next.empty()) break;
    token = next;
    if (guard == 0) rows.erase(rows.begin() + 1);  // a row of the first page vanishes meanwhile
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{10, 11, 12, 13, 14, 15, 16}));
  EXPECT_FALSE(ParsePageRequest(3, token, RequestFingerprint({"y"}), kRowKeyShape).ok());
  std::vector<const RowKey*> page;
  std::string next;
  CutPage(std::vector<RowKey>{}, key, *ParsePageRequest(3, "", fp, kRowKeyShape), &page, &next);
  EXPECT_TRUE(page.empty());
  EXPECT_TRUE(next.empty());
}

}  // namespace
}  // namespace nms::young
