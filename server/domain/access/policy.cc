#include "server/domain/access/policy.h"

#include <array>

#include "absl/strings/str_cat.h"

namespace nms::access {
namespace {

using R = Role;
constexpr R kT = R::kTeacher, kS = R::kSchoolAdmin, kM = R::kMunicipalMethodist,
            kRM = R::kRegionalMethodist, kRA = R::kRegionalAdmin, kF = R::kFederalSync;

struct Row {
  Action action;
  absl::string_view name;
  std::vector<Role> roles;
};

// Reading the table: a role listed here may perform the action inside its grant's scope.
// The federal sync account (kF) appears only under federal_exchange: its job is the change feed
// and the imports, whose payloads are reduced to what the federal portal needs
// (federal_exchange.proto); a leaked sync credential must not open every teacher's card, route,
// result and pair in the region through the people-facing services.
const std::array<Row, static_cast<int>(Action::kCount_)>& Table() {
  static const auto* table = new std::array<Row, static_cast<int>(Action::kCount_)>{{
      {Action::kReadTerritory, "read_territory", {kT, kS, kM, kRM, kRA}},
      {Action::kWriteTerritory, "write_territory", {kRA}},
      {Action::kWriteOrganization, "write_organization", {kM, kRA}},
      {Action::kReadPerson, "read_person", {kT, kS, kM, kRM, kRA}},
      {Action::kWritePerson, "write_person", {kS, kM, kRA}},
      {Action::kManageAccounts, "manage_accounts", {kS, kM, kRA}},
      {Action::kManageFramework, "manage_framework", {kRA, kRM}},
      {Action::kManageCampaign, "manage_campaign", {kRA, kRM, kM}},
      {Action::kTakeDiagnostics, "take_diagnostics", {kT}},
      {Action::kReadDiagnostics, "read_diagnostics", {kT, kS, kM, kRM, kRA}},
      {Action::kManageCatalogue, "manage_catalogue", {kRA, kRM}},
      {Action::kReadRoute, "read_route", {kT, kS, kM, kRM, kRA}},
      {Action::kEditRoute, "edit_route", {kT, kRM, kM}},
      {Action::kAgreeRouteAsSchool, "agree_route_as_school", {kS}},
      {Action::kApproveRoute, "approve_route", {kRM, kRA}},
      {Action::kCarryOutRoute, "carry_out_route", {kT, kRM, kM}},
      {Action::kReadMentoring, "read_mentoring", {kT, kS, kM, kRM, kRA}},
      {Action::kManageMentoring, "manage_mentoring", {kS, kM, kRM, kRA}},
      {Action::kRunMatching, "run_matching", {kM, kRM, kRA}},
      {Action::kParticipateMentoring, "participate_mentoring", {kT}},
      // Teachers read only their own support (the mobile app shows it): Covers limits a
      // teacher grant to the teacher's own person.
      {Action::kReadYoungTeachers, "read_young_teachers", {kT, kS, kM, kRM, kRA}},
      {Action::kManageSupport, "manage_support", {kS, kM, kRM, kRA}},
      {Action::kReadIndicators, "read_indicators", {kS, kM, kRM, kRA}},
      {Action::kManageIndicators, "manage_indicators", {kRA}},
      {Action::kRecordFacts, "record_facts", {kS, kM, kRM, kRA}},
      {Action::kFederalExchange, "federal_exchange", {kF, kRA}},
      {Action::kRemindTeachers, "remind_teachers", {kS, kM, kRM, kRA}},
      {Action::kReadPractices, "read_practices", {kT, kS, kM, kRM, kRA}},
      {Action::kSubmitPractice, "submit_practice", {kT, kS}},
      {Action::kReviewPractice, "review_practice", {kM, kRM}},
      {Action::kPublishPractice, "publish_practice", {kRM}},
      {Action::kCreateRegion, "create_region", {kRA}},
      {Action::kReadEvents, "read_events", {kT, kS, kM, kRM, kRA}},
      {Action::kManageEvents, "manage_events", {kS, kM, kRM, kRA}},
      {Action::kRegisterForEvents, "register_for_events", {kT, kS}},
  }};
  return *table;
}

int Rank(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kRegion: return 3;
    case ScopeKind::kMunicipality: return 2;
    case ScopeKind::kOrganization: return 1;
  }
  return 0;
}

bool RoleAllowed(Action action, Role role) {
  for (Role r : RolesFor(action)) {
    if (r == role) return true;
  }
  return false;
}

}  // namespace

bool Principal::HasRole(Role role) const {
  for (const auto& g : grants) {
    if (g.role == role) return true;
  }
  return false;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kTeacher: return "teacher";
    case Role::kSchoolAdmin: return "school_admin";
    case Role::kMunicipalMethodist: return "municipal_methodist";
    case Role::kRegionalMethodist: return "regional_methodist";
    case Role::kRegionalAdmin: return "regional_admin";
    case Role::kFederalSync: return "federal_sync";
  }
  return "unknown";
}

absl::string_view ActionName(Action action) { return Table()[static_cast<int>(action)].name; }

const std::vector<Role>& RolesFor(Action action) { return Table()[static_cast<int>(action)].roles; }

bool Covers(const Grant& grant, const Principal& principal, const Placement& where) {
  if (grant.role == Role::kTeacher) {
    // A teacher reaches only their own person and things placed on it.
    return where.person_id != 0 && where.person_id == principal.person_id;
  }
  switch (grant.scope_kind) {
    case ScopeKind::kRegion: return where.region_id != 0 && where.region_id == grant.scope_id;
    case ScopeKind::kMunicipality:
      return where.municipality_id != 0 && where.municipality_id == grant.scope_id;
    case ScopeKind::kOrganization:
      return where.organization_id != 0 && where.organization_id == grant.scope_id;
  }
  return false;
}

absl::Status Authorize(const Principal& principal, Action action, const Placement& where) {
  for (const auto& g : principal.grants) {
    if (RoleAllowed(action, g.role) && Covers(g, principal, where)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("Недостаточно прав: действие \"", ActionName(action),
                   "\" недоступно для этого объекта в вашей зоне ответственности"));
}

bool MemberOfRegion(const Principal& principal, int64_t region_id, Action action) {
  if (region_id == 0) return false;
  for (const auto& g : principal.grants) {
    if (g.region_id == region_id && RoleAllowed(action, g.role)) return true;
  }
  return false;
}

const Grant* WidestGrantFor(const Principal& principal, Action action) {
  const Grant* best = nullptr;
  for (const auto& g : principal.grants) {
    if (!RoleAllowed(action, g.role)) continue;
    // Teacher grants are the narrowest of all (one person).
    int rank = g.role == Role::kTeacher ? 0 : Rank(g.scope_kind);
    int best_rank = best == nullptr ? -1 : (best->role == Role::kTeacher ? 0 : Rank(best->scope_kind));
    if (rank > best_rank) best = &g;
  }
  return best;
}

absl::Status AuthorizeRoleGrant(const Principal& granter, Role role, const Placement& where) {
  // Regional admins grant anything in their region; municipal methodists grant school admins
  // and teachers in their municipality; school admins grant teachers in their school.
  for (const auto& g : granter.grants) {
    if (!Covers(g, granter, where)) continue;
    if (g.role == Role::kRegionalAdmin) return absl::OkStatus();
    if (g.role == Role::kMunicipalMethodist &&
        (role == Role::kSchoolAdmin || role == Role::kTeacher)) {
      return absl::OkStatus();
    }
    if (g.role == Role::kSchoolAdmin && role == Role::kTeacher) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("Недостаточно прав, чтобы назначить роль ", RoleName(role),
                   " в этой зоне ответственности"));
}

absl::Status AuthorizeRegionCreation(const Principal& principal) {
  for (const auto& g : principal.grants) {
    if (RoleAllowed(Action::kCreateRegion, g.role) && g.scope_kind == ScopeKind::kRegion) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "Недостаточно прав: создавать регионы может только региональный администратор (министерство) "
      "или оператор системы командой nmsctl region create");
}

}  // namespace nms::access
