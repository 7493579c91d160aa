#pragma once
// Session rules (pure): when a session may start, its server-side deadline, how many attempts
// a participant has, when answers are still accepted. Clocks are passed in, never read, so
// the rules are testable at any instant. Enum values equal the nms.v1 enums.

#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace nms::diagnostics {

enum class CampaignState : int { kUnspecified = 0, kDraft = 1, kLaunched = 2, kClosed = 3, kCancelled = 4 };
enum class SessionState : int { kUnspecified = 0, kInProgress = 1, kSubmitted = 2, kTimedOut = 3 };
enum class ParticipantStatus : int {
  kUnspecified = 0, kNotStarted = 1, kInProgress = 2, kSubmitted = 3, kTimedOut = 4,
};

// The campaign's window and per-session time limit (0 = none).
struct Window {
  std::optional<absl::Time> open;
  std::optional<absl::Time> close;
  int time_limit_seconds = 0;
};

// Earlier of start + time limit and the campaign's close; nullopt when neither exists.
std::optional<absl::Time> SessionDeadline(absl::Time start, const Window& w);

// Whole seconds left (rounded down), never negative; 0 when there is no deadline.
int RemainingSeconds(const std::optional<absl::Time>& deadline, absl::Time now);

// At or after the deadline no answer counts.
bool IsExpired(const std::optional<absl::Time>& deadline, absl::Time now);

// FAILED_PRECONDITION unless the campaign is launched and `now` is inside its window.
absl::Status CheckCanStart(CampaignState state, const Window& w, absl::Time now);

struct AttemptPolicy {
  bool allow_retake = false;
  int max_attempts = 0;  // with allow_retake; 0 = unlimited
};

struct ParticipantProgress {
  int attempts = 0;         // sessions started
  int retakes_granted = 0;  // extra sessions granted one by one
  ParticipantStatus status = ParticipantStatus::kNotStarted;
};

// Sessions a participant may start in total; -1 = unlimited. One, unless the campaign allows
// retakes (max_attempts, or unlimited), plus the retakes granted individually.
int AllowedAttempts(const AttemptPolicy& policy, int retakes_granted);

// FAILED_PRECONDITION when the participant has used every allowed session.
absl::Status CheckNewAttempt(const AttemptPolicy& policy, const ParticipantProgress& p);

// A retake is granted only to someone who finished a session, has none in progress and
// cannot start another by the campaign's own rule; otherwise FAILED_PRECONDITION.
absl::Status CheckRetakeGrant(const AttemptPolicy& policy, const ParticipantProgress& p);

// Answers are accepted only while the session is in progress and before its deadline.
absl::Status CheckCanSave(SessionState state, const std::optional<absl::Time>& deadline, absl::Time now);

// Participant status after a session ends in `state`.
ParticipantStatus StatusAfter(SessionState state);

}  // namespace nms::diagnostics
