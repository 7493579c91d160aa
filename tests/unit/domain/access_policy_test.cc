#include "server/domain/access/policy.h"

#include <gtest/gtest.h>

namespace nms::access {
namespace {

Principal With(Role role, ScopeKind kind, int64_t scope, int64_t person = 100) {
  Principal p;
  p.account_id = 1;
  p.person_id = person;
  p.grants.push_back(Grant{role, kind, scope, 1});
  return p;
}

// Region 1 > municipality 10 > organisation 100 > person 1000; a sibling school 101 and
// another municipality 11 with school 110.
const Placement kOwnSchoolTeacher{1, 10, 100, 1000};
const Placement kSiblingSchoolTeacher{1, 10, 101, 1001};
const Placement kOtherMunicipalityTeacher{1, 11, 110, 1100};
const Placement kOtherRegionTeacher{2, 20, 200, 2000};

TEST(Policy, EveryActionHasARow) {
  for (int a = 0; a < static_cast<int>(Action::kCount_); ++a) {
    EXPECT_FALSE(ActionName(static_cast<Action>(a)).empty());
    EXPECT_FALSE(RolesFor(static_cast<Action>(a)).empty());
  }
}

// The federal sync account exchanges through FederalExchangeService and reads nothing else: no
// person cards, diagnostics, routes, pairs or territory through the people-facing services, and
// not the region's shared reference data either.
TEST(Policy, FederalSyncGetsTheExchangeAndNothingElse) {
  auto p = With(Role::kFederalSync, ScopeKind::kRegion, 1, 0);
  EXPECT_TRUE(Authorize(p, Action::kFederalExchange, Placement{1, 0, 0, 0}).ok());
  EXPECT_FALSE(Authorize(p, Action::kFederalExchange, Placement{2, 0, 0, 0}).ok());
  for (int a = 0; a < static_cast<int>(Action::kCount_); ++a) {
    const auto action = static_cast<Action>(a);
    if (action == Action::kFederalExchange) continue;
    EXPECT_EQ(Authorize(p, action, kOwnSchoolTeacher).code(), absl::StatusCode::kPermissionDenied) << ActionName(action);
    EXPECT_FALSE(Authorize(p, action, Placement{1, 0, 0, 0}).ok()) << ActionName(action);
    EXPECT_FALSE(MemberOfRegion(p, 1, action)) << ActionName(action);
    EXPECT_EQ(WidestGrantFor(p, action), nullptr) << ActionName(action);
  }
  // Everyone else working in the region reads its reference data, whatever their scope.
  EXPECT_TRUE(MemberOfRegion(With(Role::kTeacher, ScopeKind::kOrganization, 100), 1, Action::kReadRoute));
  EXPECT_FALSE(MemberOfRegion(With(Role::kTeacher, ScopeKind::kOrganization, 100), 2, Action::kReadRoute));
}

// A new region is a ministry-level act: a regional admin over a whole region, nobody else.
TEST(Policy, OnlyARegionalAdminCreatesRegions) {
  EXPECT_TRUE(AuthorizeRegionCreation(With(Role::kRegionalAdmin, ScopeKind::kRegion, 1)).ok());
  for (Role r : {Role::kTeacher, Role::kSchoolAdmin, Role::kMunicipalMethodist, Role::kRegionalMethodist,
                 Role::kFederalSync}) {
    auto st = AuthorizeRegionCreation(With(r, ScopeKind::kRegion, 1));
    EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << RoleName(r);
    EXPECT_NE(st.message().find("nmsctl region create"), std::string::npos);
  }
  EXPECT_FALSE(AuthorizeRegionCreation(Principal{}).ok());
}

TEST(Policy, SchoolAdminSeesOnlyOwnSchool) {
  auto p = With(Role::kSchoolAdmin, ScopeKind::kOrganization, 100);
  EXPECT_TRUE(Authorize(p, Action::kReadPerson, kOwnSchoolTeacher).ok());
  EXPECT_TRUE(Authorize(p, Action::kWritePerson, kOwnSchoolTeacher).ok());
  EXPECT_EQ(Authorize(p, Action::kReadPerson, kSiblingSchoolTeacher).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(Authorize(p, Action::kWriteTerritory, kOwnSchoolTeacher).ok());
}

TEST(Policy, MunicipalMethodistSeesOwnMunicipality) {
  auto p = With(Role::kMunicipalMethodist, ScopeKind::kMunicipality, 10);
  EXPECT_TRUE(Authorize(p, Action::kReadPerson, kSiblingSchoolTeacher).ok());
  EXPECT_FALSE(Authorize(p, Action::kReadPerson, kOtherMunicipalityTeacher).ok());
  EXPECT_FALSE(Authorize(p, Action::kReadPerson, Placement{1, 0, 0, 0}).ok());  // region level
}

TEST(Policy, RegionalRolesSeeTheirRegionOnly) {
  auto p = With(Role::kRegionalMethodist, ScopeKind::kRegion, 1);
  EXPECT_TRUE(Authorize(p, Action::kReadPerson, kOtherMunicipalityTeacher).ok());
  EXPECT_FALSE(Authorize(p, Action::kReadPerson, kOtherRegionTeacher).ok());
  EXPECT_FALSE(Authorize(p, Action::kWritePerson, kOwnSchoolTeacher).ok());  // methodists don't edit cards
}

TEST(Policy, TeacherSeesOnlySelf) {
  auto p = With(Role::kTeacher, ScopeKind::kOrganization, 100, 1000);
  EXPECT_TRUE(Authorize(p, Action::kReadPerson, kOwnSchoolTeacher).ok());
  Placement colleague{1, 10, 100, 1002};
  EXPECT_FALSE(Authorize(p, Action::kReadPerson, colleague).ok());
  EXPECT_FALSE(Authorize(p, Action::kWritePerson, kOwnSchoolTeacher).ok());
}

TEST(Policy, TeacherReadsOnlyOwnYoungTeacherSupport) {
  auto p = With(Role::kTeacher, ScopeKind::kOrganization, 100, 1000);
  EXPECT_TRUE(Authorize(p, Action::kReadYoungTeachers, kOwnSchoolTeacher).ok());
  EXPECT_FALSE(Authorize(p, Action::kReadYoungTeachers, Placement{1, 10, 100, 1002}).ok());  // colleague
  EXPECT_FALSE(Authorize(p, Action::kReadYoungTeachers, Placement{1, 10, 100, 0}).ok());     // own school
  EXPECT_FALSE(Authorize(p, Action::kManageSupport, kOwnSchoolTeacher).ok());
  const Grant* g = WidestGrantFor(p, Action::kReadYoungTeachers);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->role, Role::kTeacher);
}

TEST(Policy, DenialNeverNamesTheTarget) {
  auto p = With(Role::kSchoolAdmin, ScopeKind::kOrganization, 100);
  auto a = Authorize(p, Action::kReadPerson, kSiblingSchoolTeacher);
  auto b = Authorize(p, Action::kReadPerson, Placement{});
  EXPECT_EQ(a, b);
}

TEST(Policy, WidestGrant) {
  Principal p = With(Role::kSchoolAdmin, ScopeKind::kOrganization, 100);
  p.grants.push_back(Grant{Role::kMunicipalMethodist, ScopeKind::kMunicipality, 10, 1});
  const Grant* g = WidestGrantFor(p, Action::kReadPerson);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->role, Role::kMunicipalMethodist);
  EXPECT_EQ(WidestGrantFor(p, Action::kWriteTerritory), nullptr);
}

TEST(Policy, RoleGrantStrength) {
  auto admin = With(Role::kSchoolAdmin, ScopeKind::kOrganization, 100);
  EXPECT_TRUE(AuthorizeRoleGrant(admin, Role::kTeacher, kOwnSchoolTeacher).ok());
  EXPECT_FALSE(AuthorizeRoleGrant(admin, Role::kSchoolAdmin, kOwnSchoolTeacher).ok());
  EXPECT_FALSE(AuthorizeRoleGrant(admin, Role::kTeacher, kSiblingSchoolTeacher).ok());
  auto mm = With(Role::kMunicipalMethodist, ScopeKind::kMunicipality, 10);
  EXPECT_TRUE(AuthorizeRoleGrant(mm, Role::kSchoolAdmin, kSiblingSchoolTeacher).ok());
  EXPECT_FALSE(AuthorizeRoleGrant(mm, Role::kRegionalAdmin, kSiblingSchoolTeacher).ok());
  auto ra = With(Role::kRegionalAdmin, ScopeKind::kRegion, 1);
  EXPECT_TRUE(AuthorizeRoleGrant(ra, Role::kRegionalMethodist, Placement{1, 0, 0, 0}).ok());
  EXPECT_FALSE(AuthorizeRoleGrant(ra, Role::kRegionalMethodist, Placement{2, 0, 0, 0}).ok());
}

}  // namespace
}  // namespace nms::access
