#pragma once
// The ИОМ lifecycle (DOMAIN.md §3, seed 001): draft → agreed (teacher and school representative
// sign) → approved («Утверждаю», optional per region) → in progress → completed; cancel and
// return for revision need a reason. Also the item-level rules (status changes, completion,
// ДПП enrolment). Pure: the service checks scope, this decides what the role may do and when.

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
  kReturnForRevision = 8,
};
// Values equal nms.v1.RouteSignatureKind.
enum class SignatureKind : int { kTeacher = 1, kSchoolRepresentative = 2, kApprover = 3 };
// Values equal nms.v1.RouteItemStatus.
enum class ItemStatus : int { kPlanned = 1, kInProgress = 2, kDone = 3, kSkipped = 4 };
// Values equal nms.v1.EnrolmentStatus (0 = not applied).
enum class Enrolment : int { kNone = 0, kApplied = 1, kApproved = 2, kEnrolled = 3, kWithdrawn = 4, kRejected = 5 };

const char* StatusTitle(Status s);  // Russian, for messages and documents

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

// Who acts: the role through which the caller's grant covers the route, and whether the
// caller is the route's teacher (a teacher grant is only meaningful on one's own route).
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

// PERMISSION_DENIED when the role may never do it; FAILED_PRECONDITION when the current status
// (or a missing signature, or open items) forbids it; INVALID_ARGUMENT when a reason is missing.
absl::StatusOr<Outcome> Apply(const RouteState& state, const LifecycleSettings& settings,
                              const Actor& actor, const Command& command);

// Whether the route's content (header fields, items) may be edited in this status.
bool ContentEditable(Status s);

// Item status change: only while the route is in progress; SKIPPED needs a reason.
absl::Status CheckItemStatusChange(Status route, ItemStatus from, ItemStatus to, absl::string_view skip_reason);

struct ItemClosure {
  ItemStatus status = ItemStatus::kPlanned;
  std::string skip_reason;
};
// A route completes when it has items and each is DONE or SKIPPED with a reason.
absl::Status CheckCompletable(const std::vector<ItemClosure>& items);

// ДПП enrolment mini-workflow (issue 4 §9: apply → manager approves → enrolled; withdraw until
// enrolled). Values of `action`: the target status.
absl::StatusOr<Enrolment> NextEnrolment(Enrolment current, Enrolment target, absl::string_view comment);

}  // namespace nms::route
