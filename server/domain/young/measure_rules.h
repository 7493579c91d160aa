#pragma once
// What a recorded support measure must satisfy, and how its status may move. MENTOR and ROUTE
// measures are never recorded by hand: they are derived from mentoring pairs and approved
// routes, so a school cannot silence the "no mentor" alert with a note.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/domain/young/support.h"

namespace nms::young {

struct MeasureDraft {
  int kind = 0;    // nms.v1.SupportMeasureKind
  int status = 0;  // nms.v1.SupportMeasureStatus
  std::optional<absl::CivilDay> start;
  std::optional<absl::CivilDay> end;
  std::string title;
  std::string source;  // "activities/1", "regionalEvents/2", "communityMemberships/3" or empty
  std::string notes;
};

inline constexpr size_t kMaxTitleBytes = 500, kMaxNotesBytes = 4000;

// Kinds that only exist as derived measures.
bool IsDerivedKind(int kind);

// The status a new measure gets when the request leaves it unset: PLANNED before it starts,
// COMPLETED once its end has passed, ACTIVE in between.
MeasureStatus DefaultStatus(absl::CivilDay start, const std::optional<absl::CivilDay>& end, absl::CivilDay today);

// Allowed status changes: PLANNED → ACTIVE, COMPLETED, CANCELLED; ACTIVE → COMPLETED,
// CANCELLED; COMPLETED → ACTIVE (reopened by mistake); CANCELLED → PLANNED (restored).
// Staying in the same status is always allowed.
bool CanTransition(MeasureStatus from, MeasureStatus to);

// Every problem with a measure about to be stored (status already defaulted), each a Russian
// sentence naming the proto field under `prefix` ("measure"); empty when valid. `today`
// keeps the status honest: nothing is ACTIVE before it starts or COMPLETED before it ends.
std::vector<std::string> ValidateMeasure(const MeasureDraft& m, absl::CivilDay today, const std::string& prefix);

}  // namespace nms::young
