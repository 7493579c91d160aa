#pragma once
// Listing the computed cohort: the ListCohort filter, the order (organisation, then name) and
// keyset pages. The cohort is never stored, so a page is cut from the cohort computed for the
// request; the page token (server/domain/common/page_token.h) carries the last row's sort key,
// so rows that appear or vanish between pages shift nothing.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/common/page_token.h"
#include "server/domain/young/support.h"

namespace nms::young {

// A cohort member with what the lists show and sort by.
struct CohortRow {
  int64_t person_id = 0;
  int64_t organization_id = 0;
  std::string organization_title;
  std::string last_name, first_name, middle_name;
  Assessment assessment;
};

// ListCohort's filter: organization, in_support, has_mentor, has_route, alerts.
struct CohortFilter {
  int64_t organization_id = 0;  // 0 = any
  std::optional<bool> in_support, has_mentor, has_route;
  std::vector<AlertKind> with_alerts, without_alerts;
  std::optional<bool> any_alert;  // alerts:* (true) / alerts != * (false)
};
absl::StatusOr<CohortFilter> ParseCohortFilter(absl::string_view text);
bool Matches(const CohortFilter& f, const CohortRow& row);

// Parses the alert kinds of ListYoungTeacherAlerts (NO_MENTOR, ... or numbers).
absl::StatusOr<AlertKind> AlertKindFromNumber(int number);

// Sort key of a list row; `kind` orders a teacher's alerts (0 for cohort rows).
struct RowKey {
  std::string organization_title, last_name, first_name, middle_name;
  int64_t person_id = 0;
  int kind = 0;

  auto Tie() const { return std::tie(organization_title, last_name, first_name, middle_name, person_id, kind); }
  bool operator<(const RowKey& o) const { return Tie() < o.Tie(); }
  bool operator==(const RowKey& o) const { return Tie() == o.Tie(); }
};
RowKey KeyOf(const CohortRow& row, int kind = 0);

// A row key as the key of a page token, of shape kRowKeyShape, and back.
inline constexpr std::initializer_list<KeyPart> kRowKeyShape = {KeyPart::kText,   KeyPart::kText,   KeyPart::kText,
                                                               KeyPart::kText,   KeyPart::kNumber, KeyPart::kNumber};
std::vector<std::string> RowKeyParts(const RowKey& key);
RowKey RowKeyFromParts(const std::vector<std::string>& parts);

// Cuts the page `paging` asks for out of `rows` (already in key order): at most its size of
// rows after its key, and the token of the next page when rows remain.
template <typename T, typename KeyFn>
void CutPage(const std::vector<T>& rows, KeyFn key, const PageRequest& paging, std::vector<const T*>* page,
             std::string* next_token) {
  auto it = rows.begin();
  if (!paging.first()) {
    const RowKey after = RowKeyFromParts(paging.after());
    it = std::upper_bound(rows.begin(), rows.end(), after, [&](const RowKey& k, const T& row) { return k < key(row); });
  }
  for (; it != rows.end() && static_cast<int>(page->size()) < paging.size(); ++it) page->push_back(&*it);
  if (it != rows.end() && !page->empty()) *next_token = paging.Next(RowKeyParts(key(*page->back())));
}

}  // namespace nms::young
