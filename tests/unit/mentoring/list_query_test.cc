#include <gtest/gtest.h>

#include "server/domain/mentoring/list_query.h"

namespace nms::mentoring {
namespace {

TEST(MentoringListQuery, ParsesTermsAndRejectsUnknownFields) {
  auto t = ParseFilter(" status = MENTORING_PAIR_STATUS_ACTIVE AND mentee = \"people/5\" ", {"status", "mentee"});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, (std::vector<FilterTerm>{{"status", "MENTORING_PAIR_STATUS_ACTIVE"}, {"mentee", "people/5"}}));
  EXPECT_TRUE(ParseFilter("", {"status"})->empty());
  EXPECT_EQ(ParseFilter("password = 1", {"status"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFilter("status", {"status"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFilter("status = ", {"status"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFilter(std::string(3000, 'x'), {"status"}).status().code(), absl::StatusCode::kInvalidArgument);
  // Values may contain '=' and Cyrillic.
  auto v = ParseFilter("subjects = \"русский язык\"", {"subjects"});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)[0].value, "русский язык");
}

TEST(MentoringListQuery, PageTokensRoundTripAndRejectForgeries) {
  EXPECT_EQ(EncodePageToken(0), "");
  EXPECT_EQ(*DecodePageToken(""), 0);
  EXPECT_EQ(*DecodePageToken(EncodePageToken(123456789)), 123456789);
  EXPECT_FALSE(DecodePageToken("123").ok());
  EXPECT_FALSE(DecodePageToken("!!!").ok());
  EXPECT_FALSE(DecodePageToken(std::string(500, 'A')).ok());
  EXPECT_TRUE(*FilterBool({"eligible", "true"}));
  EXPECT_FALSE(FilterBool({"eligible", "yes"}).ok());
}

}  // namespace
}  // namespace nms::mentoring

#include "server/domain/mentoring/scope_overlap.h"

namespace nms::mentoring {
namespace {

TEST(MatchingScopes, OverlapFollowsTheTerritoryTree) {
  const ScopePlace region{ScopeKind::kRegion, 1, 0, 0, 0};
  const ScopePlace north{ScopeKind::kDistrict, 1, 7, 0, 0};
  const ScopePlace south{ScopeKind::kDistrict, 1, 8, 0, 0};
  const ScopePlace town_a{ScopeKind::kMunicipality, 1, 7, 10, 0};
  const ScopePlace town_b{ScopeKind::kMunicipality, 1, 0, 11, 0};  // in no district
  const ScopePlace school_a{ScopeKind::kOrganization, 1, 7, 10, 100};
  const ScopePlace school_b{ScopeKind::kOrganization, 1, 0, 11, 101};
  const ScopePlace other_region{ScopeKind::kRegion, 2, 0, 0, 0};
  EXPECT_TRUE(ScopesOverlap(region, school_b));
  EXPECT_TRUE(ScopesOverlap(school_b, region));
  EXPECT_FALSE(ScopesOverlap(region, other_region));
  EXPECT_TRUE(ScopesOverlap(north, town_a));
  EXPECT_TRUE(ScopesOverlap(school_a, north));
  EXPECT_FALSE(ScopesOverlap(south, town_a));
  EXPECT_FALSE(ScopesOverlap(north, town_b));
  EXPECT_FALSE(ScopesOverlap(north, south));
  EXPECT_TRUE(ScopesOverlap(town_a, school_a));
  EXPECT_FALSE(ScopesOverlap(town_a, school_b));
  EXPECT_FALSE(ScopesOverlap(school_a, school_b));
  EXPECT_TRUE(ScopesOverlap(school_a, school_a));
}

}  // namespace
}  // namespace nms::mentoring
