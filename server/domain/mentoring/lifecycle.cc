#include "server/domain/mentoring/lifecycle.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace nms::mentoring {
namespace {

absl::Status Denied(absl::string_view what) {
  return absl::PermissionDeniedError(absl::StrCat("Недостаточно прав: ", what));
}

absl::Status WrongStatus(PairStatus s, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("Пара в статусе «", PairStatusTitle(s), "»: ", what));
}

bool IsSide(const PairActor& a, Side side) {
  return side == Side::kMentor ? a.mentor_side : a.mentee_side;
}

}  // namespace

const char* PairStatusTitle(PairStatus s) {
  switch (s) {
    case PairStatus::kProposed: return "предложена";
    case PairStatus::kActive: return "действует";
    case PairStatus::kRejected: return "отклонена";
    case PairStatus::kCompleted: return "завершена";
    case PairStatus::kCancelled: return "отменена";
  }
  return "неизвестен";
}

bool IsLive(PairStatus s) { return s == PairStatus::kProposed || s == PairStatus::kActive; }

RequestStatus RequestStatusForPair(PairStatus pair) {
  switch (pair) {
    case PairStatus::kProposed: return RequestStatus::kProposed;
    case PairStatus::kActive:
    case PairStatus::kCompleted: return RequestStatus::kPaired;
    case PairStatus::kRejected:
    case PairStatus::kCancelled: return RequestStatus::kOpen;
  }
  return RequestStatus::kOpen;
}

absl::StatusOr<Side> FeedbackSide(const PairActor& actor) {
  if (actor.mentor_side) return Side::kMentor;
  if (actor.mentee_side) return Side::kMentee;
  return absl::PermissionDeniedError(
      "Недостаточно прав: отзыв о паре оставляют только наставник и наставляемый");
}

absl::StatusOr<PairTransition> ApplyPairCommand(const PairState& state, const PairActor& actor,
                                                const PairRequest& request) {
  PairTransition out;
  out.next = state;
  const PairStatus s = state.status;
  switch (request.command) {
    case PairCommand::kAccept: {
      // Who before what: someone who is neither side is refused whatever side they name.
      if (!IsSide(actor, Side::kMentor) && !IsSide(actor, Side::kMentee)) {
        return Denied("принять пару может только наставник или наставляемый");
      }
      if (request.side != Side::kMentor && request.side != Side::kMentee) {
        return absl::InvalidArgumentError("Поле side: укажите сторону — наставник или наставляемый");
      }
      if (!IsSide(actor, request.side)) {
        return Denied(request.side == Side::kMentor ? "принять пару за наставника может только сам наставник"
                                                    : "принять пару за наставляемого может только сам наставляемый");
      }
      if (s != PairStatus::kProposed) return WrongStatus(s, "принять можно только предложенную пару");
      bool& accepted = request.side == Side::kMentor ? out.next.mentor_accepted : out.next.mentee_accepted;
      if (accepted) return absl::FailedPreconditionError("Эта сторона уже приняла пару");
      accepted = true;
      if (out.next.mentor_accepted && out.next.mentee_accepted) {
        out.next.status = PairStatus::kActive;
        out.activated = true;
      }
      return out;
    }
    case PairCommand::kReject: {
      if (!IsSide(actor, Side::kMentor) && !IsSide(actor, Side::kMentee)) {
        return Denied("отклонить пару может только та сторона, за которую отклоняют");
      }
      if (request.side != Side::kMentor && request.side != Side::kMentee) {
        return absl::InvalidArgumentError("Поле side: укажите сторону — наставник или наставляемый");
      }
      if (!IsSide(actor, request.side)) {
        return Denied("отклонить пару может только та сторона, за которую отклоняют");
      }
      if (absl::StripAsciiWhitespace(request.reason).empty()) {
        return absl::InvalidArgumentError("Поле reason обязательно: укажите причину отклонения");
      }
      if (s != PairStatus::kProposed) return WrongStatus(s, "отклонить можно только предложенную пару");
      const bool accepted = request.side == Side::kMentor ? state.mentor_accepted : state.mentee_accepted;
      if (accepted) {
        return absl::FailedPreconditionError(
            "Эта сторона уже приняла пару; чтобы отказаться, отмените пару с указанием причины");
      }
      out.next.status = PairStatus::kRejected;
      out.closed = true;
      return out;
    }
    case PairCommand::kComplete: {
      if (!actor.manager && !actor.mentor_side) {
        return Denied("завершить пару может наставник или координатор наставничества");
      }
      if (request.outcome == Outcome::kUnspecified) {
        return absl::InvalidArgumentError("Поле outcome обязательно: укажите результат наставничества");
      }
      if (s != PairStatus::kActive) return WrongStatus(s, "завершить можно только действующую пару");
      out.next.status = PairStatus::kCompleted;
      out.closed = true;
      return out;
    }
    case PairCommand::kCancel: {
      if (!actor.manager && !actor.mentor_side && !actor.mentee_side) {
        return Denied("отменить пару могут её участники или координатор наставничества");
      }
      if (absl::StripAsciiWhitespace(request.reason).empty()) {
        return absl::InvalidArgumentError("Поле reason обязательно: укажите причину отмены");
      }
      if (!IsLive(s)) return WrongStatus(s, "отменить можно только предложенную или действующую пару");
      out.next.status = PairStatus::kCancelled;
      out.closed = true;
      return out;
    }
    case PairCommand::kEditPlan: {
      if (!actor.manager && !actor.mentor_side) {
        return Denied("план пары ведут наставник и координатор наставничества");
      }
      if (!IsLive(s)) return WrongStatus(s, "план можно менять только у предложенной или действующей пары");
      return out;
    }
    case PairCommand::kRecordMeeting: {
      if (!actor.manager && !actor.mentor_side && !actor.mentee_side) {
        return Denied("встречи пары ведут её участники и координатор наставничества");
      }
      if (s != PairStatus::kActive) return WrongStatus(s, "встречи ведутся только у действующей пары");
      return out;
    }
    case PairCommand::kLeaveFeedback: {
      if (!actor.mentor_side && !actor.mentee_side) {
        return Denied("отзыв о паре оставляют только наставник и наставляемый");
      }
      if (s != PairStatus::kActive && s != PairStatus::kCompleted) {
        return WrongStatus(s, "отзыв можно оставить о действующей или завершённой паре");
      }
      return out;
    }
  }
  return absl::InvalidArgumentError("Неизвестное действие с парой");
}

}  // namespace nms::mentoring
