#include "server/domain/route/lifecycle.h"

#include <initializer_list>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace nms::route {

using access::Role;

namespace {

bool OneOf(Role r, std::initializer_list<Role> roles) {
  for (Role x : roles) {
    if (x == r) return true;
  }
  return false;
}

bool Blank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

absl::Status NotFrom(Status s, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("Нельзя ", what, ": маршрут в статусе «", StatusTitle(s), "»"));
}

// Lower is more useful to the caller when every actor fails.
int Rank(const absl::Status& st) {
  switch (st.code()) {
    case absl::StatusCode::kInvalidArgument: return 0;
    case absl::StatusCode::kFailedPrecondition: return 1;
    default: return 2;
  }
}

}  // namespace

const char* StatusTitle(Status s) {
  switch (s) {
    case Status::kDraft: return "черновик";
    case Status::kAgreed: return "согласован";
    case Status::kApproved: return "утверждён";
    case Status::kInProgress: return "выполняется";
    case Status::kCompleted: return "завершён";
    case Status::kCancelled: return "отменён";
  }
  return "неизвестен";
}

bool IsOpen(Status s) { return s != Status::kCompleted && s != Status::kCancelled; }

bool RoleMay(const Actor& a, const Command& cmd) {
  const bool own = a.is_route_teacher;
  switch (cmd.transition) {
    case Transition::kSign:
      if (cmd.signature == SignatureKind::kTeacher) return own;
      // The school signs for the teacher, so a head cannot countersign their own route.
      return cmd.signature == SignatureKind::kSchoolRepresentative && a.role == Role::kSchoolAdmin && !own;
    case Transition::kApprove:
      return OneOf(a.role, {Role::kRegionalMethodist, Role::kRegionalAdmin}) && !own;
    case Transition::kStart:
    case Transition::kComplete:
      return own || OneOf(a.role, {Role::kRegionalMethodist, Role::kMunicipalMethodist});
    case Transition::kCancel:
      return OneOf(a.role, {Role::kRegionalMethodist, Role::kMunicipalMethodist, Role::kRegionalAdmin});
    case Transition::kReturnForRevision:
      return OneOf(a.role, {Role::kSchoolAdmin, Role::kRegionalMethodist, Role::kMunicipalMethodist,
                            Role::kRegionalAdmin});
    default:
      return false;
  }
}

absl::StatusOr<Outcome> Apply(const RouteState& state, const LifecycleSettings& settings,
                              const Actor& actor, const Command& cmd) {
  if (cmd.transition == Transition::kCreate || cmd.transition == Transition::kAgree ||
      static_cast<int>(cmd.transition) < 1 || static_cast<int>(cmd.transition) > 8) {
    return absl::InvalidArgumentError("Это действие не выполняется переходом статуса");
  }
  if (cmd.transition == Transition::kSign && cmd.signature != SignatureKind::kTeacher &&
      cmd.signature != SignatureKind::kSchoolRepresentative) {
    return absl::InvalidArgumentError(
        "Поле signature_kind: подписывают педагог (TEACHER) или представитель ОО (SCHOOL_REPRESENTATIVE); "
        "утверждение выполняется методом ApproveRoute");
  }
  if (!RoleMay(actor, cmd)) {
    return absl::PermissionDeniedError("Это действие с маршрутом недоступно для вашей роли");
  }
  if ((cmd.transition == Transition::kCancel || cmd.transition == Transition::kReturnForRevision) &&
      Blank(cmd.comment)) {
    return absl::InvalidArgumentError("Поле comment: укажите причину");
  }
  Outcome out{state, cmd.transition};
  switch (cmd.transition) {
    case Transition::kSign: {
      if (state.status != Status::kDraft) return NotFrom(state.status, "подписать");
      const bool teacher = cmd.signature == SignatureKind::kTeacher;
      if (teacher ? state.teacher_signed : state.school_signed) {
        return absl::FailedPreconditionError("Маршрут уже подписан в этом качестве");
      }
      (teacher ? out.next.teacher_signed : out.next.school_signed) = true;
      const bool complete = (!settings.teacher_signature_required || out.next.teacher_signed) &&
                            (!settings.school_signature_required || out.next.school_signed);
      if (complete) {
        out.next.status = Status::kAgreed;
        out.recorded = Transition::kAgree;
      }
      return out;
    }
    case Transition::kApprove:
      if (!settings.approval_required) {
        return absl::FailedPreconditionError("В регионе утверждение маршрутов не требуется");
      }
      if (state.status != Status::kAgreed) return NotFrom(state.status, "утвердить");
      out.next.status = Status::kApproved;
      return out;
    case Transition::kStart:
      if (state.status == Status::kAgreed && settings.approval_required) {
        return absl::FailedPreconditionError("Маршрут нужно сначала утвердить");
      }
      if (state.status != Status::kApproved && state.status != Status::kAgreed) {
        return NotFrom(state.status, "начать выполнение");
      }
      out.next.status = Status::kInProgress;
      return out;
    case Transition::kComplete:
      if (state.status != Status::kInProgress) return NotFrom(state.status, "завершить");
      if (!cmd.completable.ok()) return cmd.completable;
      out.next.status = Status::kCompleted;
      return out;
    case Transition::kCancel:
      if (!IsOpen(state.status)) return NotFrom(state.status, "отменить");
      out.next.status = Status::kCancelled;
      return out;
    case Transition::kReturnForRevision:
      if (state.status != Status::kAgreed && state.status != Status::kApproved) {
        return NotFrom(state.status, "вернуть на доработку");
      }
      out.next = RouteState{Status::kDraft, false, false};
      return out;
    default:
      return absl::InvalidArgumentError("Неизвестное действие");
  }
}

absl::StatusOr<Outcome> ApplyAsAny(const RouteState& state, const LifecycleSettings& settings,
                                   const std::vector<Actor>& actors, const Command& command, Actor* chosen) {
  absl::Status best = absl::PermissionDeniedError("Это действие с маршрутом недоступно для вашей роли");
  for (const Actor& a : actors) {
    auto out = Apply(state, settings, a, command);
    if (out.ok()) {
      if (chosen != nullptr) *chosen = a;
      return out;
    }
    if (Rank(out.status()) < Rank(best)) best = out.status();
  }
  return best;
}

bool ContentEditable(Status s) { return s == Status::kDraft; }

}  // namespace nms::route
