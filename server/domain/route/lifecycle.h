#pragma once
// The ИОМ lifecycle (docs/domain.md §3): draft → agreed (teacher and school representative
// sign) → approved («Утверждаю», optional per region) → in progress → completed; cancel and
// return for revision need a reason. Pure: the service checks scope (which grants of the
// caller reach the route), this decides what each role may do and when.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/access/principal.h"

namespace nms::route {

// Values equal nms.v1.RouteStatus.
enum class Status : int { kDraft = 1, kAgreed = 2, kApproved = 3, kInProgress = 4, kCompleted = 5, kCancelled = 6 };
// Values equal nms.v1.RouteTransition.
enum class Transition : int {
  kCreate = 1, kSign = 2, kAgree = 3, kApprove = 4, kStart = 5, kComplete = 6, kCancel = 7,
  kReturnForRevision = 8, kRevise = 9,
};
// Values equal nms.v1.RouteSignatureKind.
enum class SignatureKind : int { kTeacher = 1, kSchoolRepresentative = 2, kApprover = 3 };
// Values equal nms.v1.RouteItemStatus.
enum class ItemStatus : int { kPlanned = 1, kInProgress = 2, kDone = 3, kSkipped = 4 };
// Values equal nms.v1.EnrolmentStatus (0 = not applied).
enum class Enrolment : int { kNone = 0, kApplied = 1, kApproved = 2, kEnrolled = 3, kWithdrawn = 4, kRejected = 5 };

const char* StatusTitle(Status s);  // Russian, for messages and documents

// An open route blocks generating another one for the same teacher.
bool IsOpen(Status s);

// Per-region variation (RouteSettings).
struct LifecycleSettings {
  bool teacher_signature_required = true;
  bool school_signature_required = true;
  bool approval_required = true;
};

struct RouteState {
  Status status = Status::kDraft;
  bool teacher_signed = false;
  bool school_signed = false;
};

// Who acts: the role of one grant of the caller that reaches the route, and whether the caller
// is the route's own teacher (whatever the grant: a school head has a route too, and signs it
// as the teacher through their school_admin grant).
struct Actor {
  access::Role role = access::Role::kTeacher;
  bool is_route_teacher = false;
};

// What the caller asks for; `signature` only for kSign.
struct Command {
  Transition transition = Transition::kSign;
  SignatureKind signature = SignatureKind::kTeacher;
  std::string comment;
  // For kComplete: the result of CheckCompletable over the items (the service evaluates it).
  absl::Status completable = absl::OkStatus();
};

struct Outcome {
  RouteState next;
  // What the history records: kSign stays kSign unless it completed the signatures (kAgree).
  Transition recorded = Transition::kSign;
};

// Whether `actor` may ask for `command` at all, whatever the route's status.
bool RoleMay(const Actor& actor, const Command& command);

// PERMISSION_DENIED when the role may never do it; FAILED_PRECONDITION when the current status
// (or a signature already given, or open items, or the region's settings) forbids it;
// INVALID_ARGUMENT when a reason is missing or the command is not a transition.
absl::StatusOr<Outcome> Apply(const RouteState& state, const LifecycleSettings& settings,
                              const Actor& actor, const Command& command);

// Tries `command` for each of the caller's actors (one per grant reaching the route) and returns
// the first success, else the most informative refusal (a status or input problem of an allowed
// role before a role refusal). `chosen` gets the actor that succeeded.
absl::StatusOr<Outcome> ApplyAsAny(const RouteState& state, const LifecycleSettings& settings,
                                   const std::vector<Actor>& actors, const Command& command,
                                   Actor* chosen);

// Whether the route's content (goal, notes, dates, items) may be edited in this status.
bool ContentEditable(Status s);

}  // namespace nms::route
