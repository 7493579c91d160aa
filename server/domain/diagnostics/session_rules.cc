#include "server/domain/diagnostics/session_rules.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace nms::diagnostics {

std::optional<absl::Time> SessionDeadline(absl::Time start, const Window& w) {
  std::optional<absl::Time> out = w.close;
  if (w.time_limit_seconds > 0) {
    absl::Time limit = start + absl::Seconds(w.time_limit_seconds);
    out = out.has_value() ? std::min(*out, limit) : limit;
  }
  return out;
}

int RemainingSeconds(const std::optional<absl::Time>& deadline, absl::Time now) {
  if (!deadline.has_value() || now >= *deadline) return 0;
  double s = std::floor(absl::ToDoubleSeconds(*deadline - now));
  return static_cast<int>(std::min<double>(s, std::numeric_limits<int>::max()));
}

bool IsExpired(const std::optional<absl::Time>& deadline, absl::Time now) {
  return deadline.has_value() && now >= *deadline;
}

absl::Status CheckCanStart(CampaignState state, const Window& w, absl::Time now) {
  switch (state) {
    case CampaignState::kLaunched: break;
    case CampaignState::kDraft:
      return absl::FailedPreconditionError("Кампания ещё не запущена: начать диагностику пока нельзя");
    case CampaignState::kCancelled: return absl::FailedPreconditionError("Кампания отменена");
    default: return absl::FailedPreconditionError("Кампания завершена: новые сессии не начинаются");
  }
  if (w.open.has_value() && now < *w.open) {
    return absl::FailedPreconditionError("Диагностика ещё не открыта: дождитесь начала кампании");
  }
  if (w.close.has_value() && now >= *w.close) {
    return absl::FailedPreconditionError("Срок кампании истёк: новые сессии не начинаются");
  }
  return absl::OkStatus();
}

int AllowedAttempts(const AttemptPolicy& policy, int retakes_granted) {
  if (policy.allow_retake && policy.max_attempts <= 0) return -1;
  int base = policy.allow_retake ? policy.max_attempts : 1;
  return base + std::max(0, retakes_granted);
}

absl::Status CheckNewAttempt(const AttemptPolicy& policy, const ParticipantProgress& p) {
  int allowed = AllowedAttempts(policy, p.retakes_granted);
  if (allowed < 0 || p.attempts < allowed) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "Диагностика в этой кампании уже пройдена (попыток: ", p.attempts,
      "); повторное прохождение возможно, только если организатор назначит пересдачу"));
}

absl::Status CheckRetakeGrant(const AttemptPolicy& policy, const ParticipantProgress& p) {
  if (p.status == ParticipantStatus::kInProgress) {
    return absl::FailedPreconditionError("У участника идёт сессия; пересдача назначается после её завершения");
  }
  if (p.attempts == 0 || p.status == ParticipantStatus::kNotStarted) {
    return absl::FailedPreconditionError("Участник ещё не проходил диагностику в этой кампании");
  }
  int allowed = AllowedAttempts(policy, p.retakes_granted);
  if (allowed < 0 || p.attempts < allowed) {
    return absl::FailedPreconditionError("Участник и так может начать новую попытку: пересдача не нужна");
  }
  return absl::OkStatus();
}

absl::Status CheckCanSave(SessionState state, const std::optional<absl::Time>& deadline, absl::Time now) {
  if (state == SessionState::kTimedOut || (state == SessionState::kInProgress && IsExpired(deadline, now))) {
    return absl::FailedPreconditionError(
        "Время сессии истекло: ответы больше не принимаются, результат подсчитан по сохранённым ответам");
  }
  if (state != SessionState::kInProgress) {
    return absl::FailedPreconditionError("Сессия уже завершена: ответы больше не принимаются");
  }
  return absl::OkStatus();
}

ParticipantStatus StatusAfter(SessionState state) {
  switch (state) {
    case SessionState::kInProgress: return ParticipantStatus::kInProgress;
    case SessionState::kSubmitted: return ParticipantStatus::kSubmitted;
    case SessionState::kTimedOut: return ParticipantStatus::kTimedOut;
    default: return ParticipantStatus::kNotStarted;
  }
}

}  // namespace nms::diagnostics
