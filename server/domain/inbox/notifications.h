#pragma once
// The Russian texts of people's notifications (issue 13 §7): who did what to which of the
// person's things, by names and titles, never by ids. Verbs are impersonal («утверждён»), so a
// text needs no grammatical gender of the sender. Pure.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace nms::inbox {

// Values equal nms.v1.NotificationKind.
enum class NotificationKind : int {
  kCampaignReminder = 1,
  kRouteSigned = 2,
  kRouteReturned = 3,
  kEnrolmentApproved = 4,
  kEnrolmentRejected = 5,
  kRetakeGranted = 6,
  kMeetingPlanned = 7,
  kExpertScoreRecorded = 8,
};

struct NotificationText {
  NotificationKind kind;
  std::string title;
  std::string body;
};

// A reminder to take (or finish) a campaign, closing on `close_day` when known, with the
// sender's own words when given.
NotificationText CampaignReminder(absl::string_view sender_name, absl::string_view campaign_title, bool started,
                                  std::optional<absl::CivilDay> close_day, absl::string_view message);

// The ИОМ got the school's signature (`approved` false) or «Утверждаю» (`approved` true).
NotificationText RouteSigned(absl::string_view signer_name, bool approved);

// The ИОМ was returned for revision with a reason.
NotificationText RouteReturned(absl::string_view actor_name, absl::string_view comment);

// The enrolment in a programme was approved or rejected (with the comment, when any).
NotificationText EnrolmentDecided(absl::string_view item_title, absl::string_view actor_name, bool approved,
                                  absl::string_view comment);

// A retake of a campaign was granted.
NotificationText RetakeGranted(absl::string_view campaign_title, absl::string_view actor_name,
                               absl::string_view comment);

// A mentoring meeting was planned.
NotificationText MeetingPlanned(absl::string_view topic, absl::CivilDay day, absl::string_view other_side_name);

// An expert scored the handed-in works of a campaign's session: `scored_now` items in this
// call, `waiting` items still without a score (0: the result is final).
NotificationText ExpertScoreRecorded(absl::string_view campaign_title, int scored_now, int waiting);

}  // namespace nms::inbox
