#pragma once
// The one table of who may do what. Every service asks `Authorize(principal, action,
// placement)`; nothing else in the server decides access. Adding a capability means adding an
// Action and its row here, which is also what the authorisation-matrix tests iterate over.

#include "absl/strings/string_view.h"
#include <initializer_list>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "server/domain/access/principal.h"

namespace nms::access {

enum class Action : int {
  // Directory
  kReadTerritory,       // regions, districts, municipalities, organisations
  kWriteTerritory,      // create/update regions, districts, municipalities
  kWriteOrganization,   // create/update organisations
  kReadPerson,          // person cards, employments (personal data)
  kWritePerson,         // create/update people, employments, CSV import
  kManageAccounts,      // accounts, password resets, role grants
  // Diagnostics
  kManageFramework,     // competency framework, instruments
  kManageCampaign,      // campaigns, external results, retakes
  kTakeDiagnostics,     // a teacher's own sessions
  kReadDiagnostics,     // results and reports
  // Routes (ИОМ)
  kManageCatalogue,
  kReadRoute,
  kEditRoute,           // co-design: teacher, methodist
  kAgreeRouteAsSchool,  // school representative's signature
  kApproveRoute,        // «Утверждаю»
  kCarryOutRoute,       // item progress, evidence, reports
  // Mentoring and young teachers
  kReadMentoring,
  kManageMentoring,     // profiles, requests, programmes
  kRunMatching,
  kParticipateMentoring,  // accept/reject, meetings, feedback as a pair member
  kReadYoungTeachers,
  kManageSupport,
  // Monitoring and federal exchange
  kReadIndicators,
  kManageIndicators,
  kRecordFacts,
  kFederalExchange,
  // Inbox
  kRemindTeachers,      // remind teachers of an open campaign (a notification in their app)
  // Bank of practices (published ones are read region-wide; the rest in scope)
  kReadPractices,
  kSubmitPractice,      // author's side: create, edit, submit (own, or the school's teachers')
  kReviewPractice,      // expert review with the rubric
  kPublishPractice,     // the ЦНППМ's decision: publish or return
  // Installation
  kCreateRegion,        // a new region and its first admin (no target: ministry level)
  // Events calendar (published events are read region-wide; drafts by their organisers)
  kReadEvents,
  kManageEvents,        // organise at the event's level: create, edit, publish, cancel, attendance
  kRegisterForEvents,   // a teacher for themself, a school admin for the school's teachers
  kCount_,
};

absl::string_view ActionName(Action action);

// Roles allowed to perform `action` at all (before scope is considered).
const std::vector<Role>& RolesFor(Action action);

// OK when some grant of the principal allows `action` and its scope covers `where`.
// PERMISSION_DENIED otherwise, with a message that never says whether the target exists.
absl::Status Authorize(const Principal& principal, Action action, const Placement& where);

// True when this grant's scope contains the placement (teacher grants cover only the
// teacher's own person).
bool Covers(const Grant& grant, const Principal& principal, const Placement& where);

// The grant through which `action` is allowed with the widest scope; used to scope lists
// when the request names no parent. nullptr when the principal may not do it anywhere.
const Grant* WidestGrantFor(const Principal& principal, Action action);

// Whether some grant of the principal lies in `region_id` with a role that may do `action` at
// all: the gate of a region's shared reference data (districts, published frameworks and
// instruments, the activity catalogue, settings), which everyone working in the region reads
// whatever their scope — but only through a role the table gives that action, so a service
// account (federal sync) does not read it.
bool MemberOfRegion(const Principal& principal, int64_t region_id, Action action);

// Whether `granter` may grant `role` over a scope placed at `where`.
absl::Status AuthorizeRoleGrant(const Principal& granter, Role role, const Placement& where);

// Whether the caller may create a region: a ministry-level caller, i.e. a regional admin granted
// over a whole region. PERMISSION_DENIED otherwise (an installation without any region yet uses
// `nmsctl region create` with the operator's database credentials).
absl::Status AuthorizeRegionCreation(const Principal& principal);

}  // namespace nms::access
