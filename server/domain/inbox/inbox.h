#pragma once
// The task inbox (issue 12 §1): which kinds of waiting work exist, through which access action
// and roles each is read (the action its follow-up needs, so nobody sees work they may not do),
// the list query's validation and paging, and the small judgements the lists make (a pair's
// weeks without a meeting, an item's days overdue). Pure: no SQL, no gRPC.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/domain/access/policy.h"

namespace nms::inbox {

// Values equal nms.v1.InboxEntryKind.
enum class Kind : int {
  kRouteToAgree = 1,
  kRouteToApprove = 2,
  kEnrolment = 3,
  kMatchingProposal = 4,
  kYoungUnsupported = 5,
  kCampaignNotDone = 6,
  kOverdueItem = 7,
  kPairWithoutMeeting = 8,
  kItemRemark = 9,
  kExpertWork = 10,
};

// Values equal nms.v1.InboxSort.
enum class Sort : int { kUrgent = 0, kDateAsc = 1, kDateDesc = 2, kName = 3 };

// Every kind, in the enum's order.
const std::vector<Kind>& AllKinds();

// Whether `value` is a known kind (1..10).
bool IsKind(int value);

// The action an entry kind is read through, and the roles (of those the policy allows the
// action) that act on it: reading routes is everyone's, but only staff act on overdue items.
struct KindRule {
  access::Action action;
  std::vector<access::Role> roles;
};
const KindRule& RuleFor(Kind kind);

// The grant through which the caller sees `kind` (the widest one whose role acts on it), or
// nullptr when the caller sees none of it.
const access::Grant* GrantFor(const access::Principal& principal, Kind kind);

// Enrolment states (nms.v1.EnrolmentStatus) waiting on a role: a school head approves or
// rejects applications (1) and confirms approved ones (2); methodists confirm (2).
std::vector<int> EnrolmentStatesFor(access::Role role);

// A validated list query.
struct Query {
  Kind kind = Kind::kRouteToAgree;
  std::string text;  // trimmed search text, may be empty
  Sort sort = Sort::kUrgent;
  int page_size = 50;
  int64_t offset = 0;  // from the page token
};

// INVALID_ARGUMENT (Russian, naming the field) for an unknown kind or sort, an over-long query
// or a token issued for another query.
absl::StatusOr<Query> ParseQuery(int kind, absl::string_view text, int sort, int page_size,
                                 absl::string_view page_token);

// The token of the page after `offset + returned` rows, or empty when `total` is reached.
std::string NextPageToken(const Query& q, int64_t offset_after, int64_t total);

// Full weeks since a pair's last meeting (or its start when it has none) on `today`.
int64_t WeeksSince(absl::CivilDay since, absl::CivilDay today);

// The last day on which a pair started or met on `since` still counts as met within
// `gap_weeks`: pairs whose last meeting is before `today - 7 * gap_weeks` days are listed.
absl::CivilDay MeetingCutoff(absl::CivilDay today, int gap_weeks);

// Allowed range of MentoringSettings.meeting_gap_weeks.
constexpr int kMinMeetingGapWeeks = 1;
constexpr int kMaxMeetingGapWeeks = 26;
absl::Status CheckMeetingGapWeeks(int weeks, absl::string_view field);

// A participant's state as Russian: "не начал(а)" / "не закончил(а)".
std::string CampaignStateText(int participant_status);

// Reminder recipients: 1..200 names without duplicates.
absl::Status CheckRecipients(int count);

}  // namespace nms::inbox

namespace nms::inbox {

// Case-insensitive (Russian and Latin letters) containment of `needle` in `haystack`, as the
// in-memory lists search like the SQL ones (utf8mb4_unicode_ci).
bool ContainsFolded(absl::string_view haystack, absl::string_view needle);


// The day's dedup key of a campaign reminder: one per teacher, campaign and day.
std::string ReminderKey(int64_t campaign_id, absl::CivilDay day);

}  // namespace nms::inbox
