#pragma once
// Revising a route after a new diagnosis (the cycle of docs/domain.md §3: diagnose → route → carry
// out → re-diagnose → next route). An open route is revised in place: items under way or
// still addressing a deficit are kept, items that address only closed deficits are no longer
// needed (skipped with the reason, never deleted, so the history stays), deficits that are new
// — or persist although their items are done — get new items from the catalogue, and the
// route goes through the region's signatures again. A completed route is continued by a new
// route for the next period. Pure: the service loads the route and writes what this decides.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/route/generation.h"
#include "server/domain/route/lifecycle.h"

namespace nms::route {

enum class RevisionMode { kInPlace = 1, kNextPeriod = 2 };  // values equal nms.v1.RouteRevisionKind

// How a route in `status` is revised: open → in place; completed → a next-period route;
// cancelled → FAILED_PRECONDITION (a new route is generated instead).
absl::StatusOr<RevisionMode> RevisionModeOf(Status status);

// A diagnostic result as far as ordering goes: later date, or the same date and a later id.
struct ResultStamp {
  int64_t id = 0;
  std::optional<absl::CivilDay> date;
  bool final = false;
};
// OK when `candidate` may revise a route built from `baseline`; FAILED_PRECONDITION when it
// is not final, is the same result, or is older.
absl::Status CheckNewerResult(const ResultStamp& baseline, const ResultStamp& candidate);
bool IsNewer(const ResultStamp& baseline, const ResultStamp& candidate);

struct ExistingItem {
  int64_t id = 0;
  Section section = Section::kEvents;
  int position = 0;
  int64_t activity_id = 0;
  std::string title;
  ItemStatus status = ItemStatus::kPlanned;
  std::vector<std::string> closes;
};

// Values equal nms.v1.RouteChangeKind.
enum class ChangeKind : int {
  kItemAdded = 1, kItemKept = 2, kItemNotNeeded = 3, kDeficitClosed = 4, kDeficitNew = 5, kDeficitRemaining = 6,
};

struct Change {
  ChangeKind kind = ChangeKind::kItemKept;
  int64_t item_id = 0;   // existing items; 0 for added ones (index into `added` in added_index)
  int added_index = -1;  // for kItemAdded: index into RevisionPlan::added
  std::string indicator_code;
  std::string title;
  std::string reason;
};

struct RevisionInput {
  RevisionMode mode = RevisionMode::kInPlace;
  std::vector<ExistingItem> items;  // of the route (kInPlace) or of the completed route (kNextPeriod)
  std::vector<Deficit> before;      // deficits of the diagnosis the route followed
  std::vector<Deficit> after;       // deficits of the new diagnosis
  std::optional<absl::CivilDay> diagnosis_date;  // of the new diagnosis, for the reasons
  std::vector<Activity> catalogue;
  Teacher teacher;
  GenerationOptions options;  // start_date = the day of the revision
};

struct RevisionPlan {
  std::vector<int64_t> not_needed;  // existing item ids to mark SKIPPED
  std::vector<std::pair<int64_t, std::string>> not_needed_reasons;  // id → skip reason
  std::vector<GeneratedItem> added;  // positions continue each section after the kept items
  std::vector<Change> changes;       // items (added, not needed, kept), then deficits (closed, new, remaining)
  std::vector<std::string> uncovered;  // deficits needing an item the catalogue cannot give
  absl::CivilDay planned_end;          // the later of the horizon and the latest added deadline
  int items_added = 0, items_kept = 0, items_not_needed = 0;
  int deficits_closed = 0, deficits_new = 0, deficits_remaining = 0;
};

RevisionPlan PlanRevision(const RevisionInput& in);

// "01.12.2026".
std::string DayText(const std::optional<absl::CivilDay>& day);

}  // namespace nms::route
