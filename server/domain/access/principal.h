#pragma once
// Who is calling, and where in the territory a resource sits. Plain data shared by the
// authenticator (which builds a Principal from a token) and the access rules.

#include <cstdint>
#include <string>
#include <vector>

namespace nms::access {

// Values equal nms.v1.Role so conversion is a cast.
enum class Role : int {
  kTeacher = 1,
  kSchoolAdmin = 2,
  kMunicipalMethodist = 3,
  kRegionalMethodist = 4,
  kRegionalAdmin = 5,
  kFederalSync = 6,
};

enum class ScopeKind : int { kRegion = 1, kMunicipality = 2, kOrganization = 3 };

struct Grant {
  Role role;
  ScopeKind scope_kind;
  int64_t scope_id = 0;
  // The region the scope lies in; lets regional checks avoid a lookup.
  int64_t region_id = 0;
};

struct Principal {
  int64_t account_id = 0;
  int64_t person_id = 0;  // 0 for service accounts
  int64_t session_id = 0;
  std::vector<Grant> grants;

  bool HasRole(Role role) const;
};

// Location of a resource in the hierarchy region > municipality > organisation > person.
// Zero means "not applicable" (e.g. a regional organisation has no municipality).
struct Placement {
  int64_t region_id = 0;
  int64_t municipality_id = 0;
  int64_t organization_id = 0;
  int64_t person_id = 0;
};

const char* RoleName(Role role);

}  // namespace nms::access
