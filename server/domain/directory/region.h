#pragma once
// A new region with its first organisation and first regional admin (issue 15: regions are
// created through the API and `nmsctl region create`, never by hand-written SQL). Pure: the
// checks and defaults shared by DirectoryService.CreateRegion and nmsctl's local path.

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "server/domain/directory/person.h"

namespace nms::directory {

// Values equal nms.v1.OrganizationType where they are used here.
constexpr int kOrganizationTypeCnppm = 5;
constexpr int kMaxOrganizationType = 9;

struct NewRegion {
  std::string display_name;
  std::string time_zone;  // IANA; empty = Europe/Moscow
  int organization_type = 0;  // nms.v1.OrganizationType; 0 = ЦНППМ
  std::string organization_display_name, organization_short_name, organization_external_id;
  PersonRecord admin;  // position empty = "специалист министерства образования"
  std::string login;   // empty = the admin's e-mail
};

// Trims and fills the defaults, then checks every field; INVALID_ARGUMENT with a Russian message
// naming the request field ("region.display_name", "first_admin.last_name", "admin_login", …).
absl::Status NormalizeNewRegion(NewRegion& r, absl::CivilDay today);

}  // namespace nms::directory
