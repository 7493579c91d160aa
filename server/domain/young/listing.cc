#include "server/domain/young/listing.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/domain/common/names.h"
#include "server/domain/common/aip_filter.h"

namespace nms::young {
namespace {

constexpr char kAlertPrefix[] = "YOUNG_TEACHER_ALERT_KIND_";

}  // namespace

absl::StatusOr<CohortFilter> ParseCohortFilter(absl::string_view text) {
  auto clauses = ParseFilter(text, {"organization", "in_support", "has_mentor", "has_route", "alerts"});
  if (!clauses.ok()) return clauses.status();
  CohortFilter f;
  for (const auto& c : *clauses) {
    if (c.field == "organization") {
      if (auto st = FilterOps(c, {"="}); !st.ok()) return st;
      auto id = FilterName(c, "organizations");
      if (!id.ok()) return id.status();
      f.organization_id = *id;
    } else if (c.field == "alerts") {
      bool has = c.op == ":" || c.op == "=";
      if (auto st = FilterOps(c, {":", "=", "!="}); !st.ok()) return st;
      if (c.value == "*") {
        f.any_alert = has;
        continue;
      }
      auto kind = FilterEnum(c, kAlertPrefix, {"NO_MENTOR", "NO_ROUTE", "NO_RECENT_MEASURE"});
      if (!kind.ok()) return kind.status();
      (has ? f.with_alerts : f.without_alerts).push_back(static_cast<AlertKind>(*kind));
    } else {
      auto value = FilterBool(c);
      if (!value.ok()) return value.status();
      if (c.field == "in_support") f.in_support = *value;
      if (c.field == "has_mentor") f.has_mentor = *value;
      if (c.field == "has_route") f.has_route = *value;
    }
  }
  return f;
}

bool Matches(const CohortFilter& f, const CohortRow& row) {
  const Assessment& a = row.assessment;
  if (f.organization_id != 0 && row.organization_id != f.organization_id) return false;
  if (f.in_support && *f.in_support != a.in_support) return false;
  if (f.has_mentor && *f.has_mentor != a.has_mentor) return false;
  if (f.has_route && *f.has_route != a.has_route) return false;
  if (f.any_alert && *f.any_alert == a.alerts.empty()) return false;
  for (AlertKind k : f.with_alerts) {
    if (!a.HasAlert(k)) return false;
  }
  for (AlertKind k : f.without_alerts) {
    if (a.HasAlert(k)) return false;
  }
  return true;
}

absl::StatusOr<AlertKind> AlertKindFromNumber(int number) {
  if (number < static_cast<int>(AlertKind::kNoMentor) || number > static_cast<int>(AlertKind::kNoRecentMeasure)) {
    return absl::InvalidArgumentError(absl::StrCat("Поле kinds: неизвестный вид сигнала ", number));
  }
  return static_cast<AlertKind>(number);
}

RowKey KeyOf(const CohortRow& row, int kind) {
  return RowKey{row.organization_title, row.last_name, row.first_name, row.middle_name, row.person_id, kind};
}

std::vector<std::string> RowKeyParts(const RowKey& k) {
  return {k.organization_title, k.last_name,       k.first_name,
          k.middle_name,        absl::StrCat(k.person_id), absl::StrCat(k.kind)};
}

RowKey RowKeyFromParts(const std::vector<std::string>& parts) {
  RowKey key;
  if (parts.size() != 6) return key;
  key.organization_title = parts[0];
  key.last_name = parts[1];
  key.first_name = parts[2];
  key.middle_name = parts[3];
  (void)absl::SimpleAtoi(parts[4], &key.person_id);
  (void)absl::SimpleAtoi(parts[5], &key.kind);
  return key;
}

}  // namespace nms::young
