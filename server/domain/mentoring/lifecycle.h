#pragma once
// The mentoring pair lifecycle (docs/domain.md §4, issue 5 §4): PROPOSED → (both sides accept) ACTIVE
// → COMPLETED with an outcome, or REJECTED by a side while proposed, or CANCELLED with a reason
// while proposed or active. Also who may touch the plan, the meetings and the feedback, and how
// a pair's fate moves its mentee request. Pure: the service works out who the caller is to the
// pair (a side, a manager of either side's place) and this decides what that caller may do.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms::mentoring {

// Values equal nms.v1.MentoringPairStatus.
enum class PairStatus : int { kProposed = 1, kActive = 2, kRejected = 3, kCompleted = 4, kCancelled = 5 };
// Values equal nms.v1.PairSide.
enum class Side : int { kMentor = 1, kMentee = 2 };
// Values equal nms.v1.MenteeRequestStatus.
enum class RequestStatus : int { kOpen = 1, kProposed = 2, kPaired = 3, kCancelled = 4 };
// Values equal nms.v1.MentoringOutcome.
enum class Outcome : int { kUnspecified = 0, kAchieved = 1, kPartiallyAchieved = 2, kNotAchieved = 3 };

const char* PairStatusTitle(PairStatus s);  // Russian, for messages

struct PairState {
  PairStatus status = PairStatus::kProposed;
  bool mentor_accepted = false;
  bool mentee_accepted = false;
};

// What the caller is to the pair. A person is a side when they are the mentor or the mentee;
// for an organisation-to-organisation pair the side is that organisation's school admin. A
// manager holds kManageMentoring over the place of either side (school coordinator,
// municipal or regional methodist, regional admin). One caller may be several of these.
struct PairActor {
  bool mentor_side = false;
  bool mentee_side = false;
  bool manager = false;
};

enum class PairCommand : int {
  kAccept = 1,      // needs `side`
  kReject = 2,      // needs `side` and `reason`
  kComplete = 3,    // needs `outcome`
  kCancel = 4,      // needs `reason`
  kEditPlan = 5,    // goals, planned end date, programme, subjects, indicators
  kRecordMeeting = 6,  // create / update / delete a meeting
  kLeaveFeedback = 7,  // side taken from the caller
};

struct PairRequest {
  PairCommand command = PairCommand::kAccept;
  Side side = Side::kMentor;
  std::string reason;
  Outcome outcome = Outcome::kUnspecified;
};

struct PairTransition {
  PairState next;
  bool activated = false;  // PROPOSED → ACTIVE now (start date is set, the request is paired)
  bool closed = false;     // left PROPOSED/ACTIVE now (end date is set)
};

// PERMISSION_DENIED when the caller may never do this to the pair; FAILED_PRECONDITION when the
// pair's status (or an earlier acceptance) forbids it; INVALID_ARGUMENT when a reason or an
// outcome is missing. Editing commands return the state unchanged.
absl::StatusOr<PairTransition> ApplyPairCommand(const PairState& state, const PairActor& actor,
                                                const PairRequest& request);

// Whether the pair occupies its mentor's capacity and its mentee (PROPOSED or ACTIVE).
bool IsLive(PairStatus s);

// The status the mentee request takes when its pair reaches `pair` (kProposed → kProposed,
// kActive → kPaired, rejected or cancelled → kOpen again so matching can try another mentor,
// completed → kPaired: the request was satisfied).
RequestStatus RequestStatusForPair(PairStatus pair);

// The side a feedback author writes for: the one side the caller is; INVALID_ARGUMENT when
// the caller is no side (managers do not leave feedback).
absl::StatusOr<Side> FeedbackSide(const PairActor& actor);

}  // namespace nms::mentoring
