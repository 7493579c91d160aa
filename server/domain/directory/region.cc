#include "server/domain/directory/region.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "server/domain/common/text.h"

namespace nms::directory {

absl::Status NormalizeNewRegion(NewRegion& r, absl::CivilDay today) {
  auto trim = [](std::string& s) { s = std::string(absl::StripAsciiWhitespace(s)); };
  trim(r.display_name);
  trim(r.time_zone);
  trim(r.organization_display_name);
  trim(r.organization_short_name);
  trim(r.organization_external_id);
  r.login = absl::AsciiStrToLower(absl::StripAsciiWhitespace(r.login));
  if (r.time_zone.empty()) r.time_zone = "Europe/Moscow";
  if (r.organization_type == 0) r.organization_type = kOrganizationTypeCnppm;
  if (r.admin.position.empty()) r.admin.position = "специалист министерства образования";
  if (auto st = RequireText(r.display_name, "region.display_name", 255); !st.ok()) return st;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(r.time_zone, &tz)) {
    return absl::InvalidArgumentError("Поле region.time_zone: неизвестный часовой пояс IANA (например, Europe/Moscow)");
  }
  if (r.organization_type < 1 || r.organization_type > kMaxOrganizationType) {
    return absl::InvalidArgumentError("Поле organization.type: неизвестный тип организации");
  }
  if (auto st = RequireText(r.organization_display_name, "organization.display_name", 512); !st.ok()) return st;
  if (auto st = OptionalText(r.organization_short_name, "organization.short_name", 255); !st.ok()) return st;
  if (auto st = OptionalText(r.organization_external_id, "organization.external_id", 64); !st.ok()) return st;
  NormalizePerson(r.admin);
  if (auto errors = ValidatePerson(r.admin, today); !errors.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("Первый администратор региона: ", absl::StrJoin(errors, "; ")));
  }
  if (r.login.empty()) r.login = r.admin.email;
  if (r.login.empty()) {
    return absl::InvalidArgumentError("Поле admin_login обязательно, если у администратора не указан e-mail");
  }
  if (r.login.size() > 255 || r.login.find_first_of(" \t\r\n") != std::string::npos) {
    return absl::InvalidArgumentError("Поле admin_login: без пробелов, не длиннее 255 символов");
  }
  return absl::OkStatus();
}

}  // namespace nms::directory
