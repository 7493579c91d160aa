#pragma once
// The calendar of methodological events (issue 16 §3): what an event must hold, where it is
// placed (by level: who organises it), who may attend, the status transitions, registration
// within capacity, attendance, and matching events to a teacher's deficits. Plain C++; the
// service maps proto <-> these values and the repository stores them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/domain/access/principal.h"

namespace nms::events {

// Values equal nms.v1.EventStatus / EventLevel (= CommunityLevel) / EventKind /
// EventRegistrationStatus.
enum class Status : int { kUnspecified = 0, kDraft = 1, kPublished = 2, kCancelled = 3, kHeld = 4 };
enum class Level : int { kUnspecified = 0, kRegional = 1, kMunicipal = 2, kSchool = 3 };
enum class RegStatus : int { kUnspecified = 0, kRegistered = 1, kCancelled = 2, kAttended = 3, kAbsent = 4 };
inline constexpr int kMaxKind = 8;

const char* StatusTitle(Status s);
// "вебинар", "семинар", ... for messages and the ИОМ item's form.
const char* KindTitle(int kind);

// The editable content of an event.
struct Draft {
  int level = 0;
  int kind = 0;
  std::string title;
  std::string description;
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfinitePast();
  std::string place;
  std::string link;
  int capacity = 0;
  std::vector<int> areas;  // nms.v1.CompetencyArea values
  std::vector<std::string> indicator_codes;
};

// INVALID_ARGUMENT naming the first bad field ("Поле event.end_time: ..."), `prefix` being the
// message's path ("event").
absl::Status ValidateDraft(const Draft& d, absl::string_view prefix);

// Where an event sits for access: the region (regional), the organiser's municipality (municipal;
// a regional organisation cannot hold one), the organiser organisation (school).
// FAILED_PRECONDITION when the organiser cannot hold an event of that level.
absl::StatusOr<access::Placement> PlaceOf(Level level, const access::Placement& organizer);

// Whether a person placed at `person` is of the event's audience: the region, the organiser's
// municipality, or the organiser's staff. FAILED_PRECONDITION saying whose event it is otherwise.
absl::Status CheckAudience(Level level, const access::Placement& event, const access::Placement& person);

// The transitions; FAILED_PRECONDITION with a Russian message when the state forbids it.
absl::Status CanEdit(Status s);                       // DRAFT, PUBLISHED
absl::Status CanPublish(Status s, absl::Time start, absl::Time now);  // DRAFT, not started
absl::Status CanCancel(Status s);                     // DRAFT, PUBLISHED
// Capacity edits never drop below the registrations already taken.
absl::Status CheckCapacity(int capacity, int taken);

// Registering: a PUBLISHED event that has not started, a place left (capacity 0 = unlimited);
// ALREADY_EXISTS when `current` is a live registration (registered, attended, absent).
absl::Status CanRegister(Status s, absl::Time start, absl::Time now, int capacity, int taken, RegStatus current);
// Withdrawing: a live registration before the event starts.
absl::Status CanWithdraw(RegStatus current, absl::Time start, absl::Time now);
// Attendance: the event PUBLISHED or HELD and started; the registration not withdrawn.
absl::Status CanMarkAttendance(Status s, absl::Time start, absl::Time now, RegStatus current);

// A deficit of the person's latest diagnostics.
struct Deficit {
  std::string indicator_code;
  int area = 0;
};
struct Match {
  std::vector<std::string> indicator_codes;  // the deficits the event names, in deficit order
  std::vector<int> areas;                    // deficit areas it addresses, ascending
  bool any() const { return !indicator_codes.empty() || !areas.empty(); }
};
// What of `deficits` an event addresses: an indicator named by both, or an area of the event in
// which the person has a deficit indicator.
Match MatchDeficits(const std::vector<int>& event_areas, const std::vector<std::string>& event_codes,
                    const std::vector<Deficit>& deficits);

// ListEvents' filter, parsed (AIP-160 subset; see events.proto).
struct Query {
  int status = 0;
  bool status_not = false;
  int level = 0;
  int kind = 0;
  int area = 0;
  std::string indicator;
  int64_t organizer_id = 0;
  int64_t municipality_id = 0;
  // Start day bounds in the region's zone: from (inclusive), before (exclusive).
  std::optional<absl::CivilDay> start_from, start_before;
  std::vector<std::string> words;
};
absl::StatusOr<Query> ParseQuery(absl::string_view filter);

// ListEventRegistrations' filter: status (=, !=).
struct RegQuery {
  int status = 0;
  bool status_not = false;
};
absl::StatusOr<RegQuery> ParseRegQuery(absl::string_view filter);

}  // namespace nms::events
