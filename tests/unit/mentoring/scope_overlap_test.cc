#include <gtest/gtest.h>

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
