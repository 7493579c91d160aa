#include "server/domain/young/listing.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/domain/common/names.h"
#include "server/domain/young/filter.h"

namespace nms::young {
namespace {

constexpr char kAlertPrefix[] = "YOUNG_TEACHER_ALERT_KIND_";
constexpr char kSep = '\x1f';

absl::Status BadToken() {
  return absl::InvalidArgumentError("Поле page_token: токен повреждён или выдан для другого запроса");
}

}  // namespace

absl::StatusOr<CohortFilter> ParseCohortFilter(absl::string_view text) {
  auto clauses = ParseFilter(text, {"organization", "in_support", "has_mentor", "has_route", "alerts"});
  if (!clauses.ok()) return clauses.status();
  CohortFilter f;
  for (const auto& c : *clauses) {
    if (c.field == "organization") {
      if (c.op != "=") return absl::InvalidArgumentError("Поле filter: organization — только =");
      auto id = ParseResourceName(c.value, "organizations", "filter.organization");
      if (!id.ok()) return id.status();
      f.organization_id = *id;
    } else if (c.field == "alerts") {
      bool has = c.op == ":" || c.op == "=";
      if (!has && c.op != "!=") return absl::InvalidArgumentError("Поле filter: alerts — только :, = или !=");
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

std::string RequestFingerprint(std::initializer_list<absl::string_view> parts) {
  // FNV-1a over the parts with a separator: the same on every replica and build.
  uint64_t h = 1469598103934665603ull;
  for (auto part : parts) {
    for (unsigned char ch : part) {
      h ^= ch;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  }
  return absl::StrFormat("%016x", h);
}

std::string EncodePageToken(absl::string_view fingerprint, const RowKey& last) {
  std::string raw = absl::StrJoin({std::string(fingerprint), last.organization_title, last.last_name, last.first_name,
                                   last.middle_name, absl::StrCat(last.person_id), absl::StrCat(last.kind)},
                                  std::string(1, kSep));
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::optional<RowKey>> DecodePageToken(absl::string_view token, absl::string_view fingerprint) {
  if (token.empty()) return std::optional<RowKey>();
  std::string raw;
  if (token.size() > 4096 || !absl::WebSafeBase64Unescape(token, &raw)) return BadToken();
  std::vector<std::string> parts = absl::StrSplit(raw, kSep);
  RowKey key;
  if (parts.size() != 7 || parts[0] != fingerprint || !absl::SimpleAtoi(parts[5], &key.person_id) ||
      !absl::SimpleAtoi(parts[6], &key.kind)) {
    return BadToken();
  }
  key.organization_title = parts[1];
  key.last_name = parts[2];
  key.first_name = parts[3];
  key.middle_name = parts[4];
  return std::optional<RowKey>(std::move(key));
}

}  // namespace nms::young
