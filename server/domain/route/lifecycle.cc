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

// Who may ask for a transition at all (before the status is looked at).
bool RoleAllowed(const Actor& a, const Command& cmd) {
  const bool own_teacher = a.role == Role::kTeacher && a.is_route_teacher;
  switch (cmd.transition) {
    case Transition::kSign:
      return cmd.signature == SignatureKind::kTeacher ? own_teacher : a.role == Role::kSchoolAdmin;
    case Transition::kApprove:
      return OneOf(a.role, {Role::kRegionalMethodist, Role::kRegionalAdmin});
    case Transition::kStart:
    case Transition::kComplete:
      return own_teacher || OneOf(a.role, {Role::kRegionalMethodist, Role::kMunicipalMethodist});
    case Transition::kCancel:
      return OneOf(a.role, {Role::kRegionalMethodist, Role::kMunicipalMethodist, Role::kRegionalAdmin});
    case Transition::kReturnForRevision:
      return OneOf(a.role, {Role::kSchoolAdmin, Role::kRegionalMethodist, Role::kMunicipalMethodist,
                            Role::kRegionalAdmin});
    default:
      return false;
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

absl::StatusOr<Outcome> Apply(const RouteState& state, const LifecycleSettings& settings,
                              const Actor& actor, const Command& cmd) {
  if (cmd.transition == Transition::kCreate || cmd.transition == Transition::kAgree) {
    return absl::InvalidArgumentError("Это действие не выполняется переходом статуса");
  }
  if (cmd.transition == Transition::kSign && cmd.signature == SignatureKind::kApprover) {
    return absl::InvalidArgumentError(
        "Поле signature_kind: утверждение выполняется методом ApproveRoute, а не подписью");
  }
  if (!RoleAllowed(actor, cmd)) {
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
      bool teacher = cmd.signature == SignatureKind::kTeacher;
      if (teacher ? state.teacher_signed : state.school_signed) {
        return absl::FailedPreconditionError("Маршрут уже подписан в этом качестве");
      }
      (teacher ? out.next.teacher_signed : out.next.school_signed) = true;
      bool complete = (!settings.teacher_signature_required || out.next.teacher_signed) &&
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
      if (state.status == Status::kCompleted || state.status == Status::kCancelled) {
        return NotFrom(state.status, "отменить");
      }
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

bool ContentEditable(Status s) { return s == Status::kDraft; }

absl::Status CheckItemStatusChange(Status route, ItemStatus from, ItemStatus to, absl::string_view skip_reason) {
  if (route != Status::kInProgress) {
    return NotFrom(route, "менять статус пункта (маршрут должен выполняться)");
  }
  if (static_cast<int>(to) < 1 || static_cast<int>(to) > 4) {
    return absl::InvalidArgumentError("Поле status: укажите статус пункта");
  }
  if (to == ItemStatus::kSkipped && Blank(skip_reason)) {
    return absl::InvalidArgumentError("Поле skip_reason: для пропуска пункта укажите причину");
  }
  if (from == to && to != ItemStatus::kSkipped) {
    return absl::FailedPreconditionError("Пункт уже в этом статусе");
  }
  return absl::OkStatus();
}

absl::Status CheckCompletable(const std::vector<ItemClosure>& items) {
  if (items.empty()) return absl::FailedPreconditionError("В маршруте нет ни одного пункта");
  int open = 0;
  for (const auto& i : items) {
    if (i.status == ItemStatus::kDone) continue;
    if (i.status == ItemStatus::kSkipped && !Blank(i.skip_reason)) continue;
    ++open;
  }
  if (open > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Маршрут нельзя завершить: не закрыто пунктов — ", open,
        " (каждый пункт должен быть выполнен или пропущен с причиной)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Enrolment> NextEnrolment(Enrolment cur, Enrolment target, absl::string_view comment) {
  bool ok = false;
  switch (target) {
    case Enrolment::kApplied: ok = cur == Enrolment::kNone || cur == Enrolment::kWithdrawn; break;
    case Enrolment::kApproved: ok = cur == Enrolment::kApplied; break;
    case Enrolment::kRejected:
      if (Blank(comment)) return absl::InvalidArgumentError("Поле comment: укажите причину отказа");
      ok = cur == Enrolment::kApplied;
      break;
    case Enrolment::kEnrolled: ok = cur == Enrolment::kApproved; break;
    case Enrolment::kWithdrawn: ok = cur == Enrolment::kApplied || cur == Enrolment::kApproved; break;
    default: return absl::InvalidArgumentError("Неизвестный шаг зачисления");
  }
  if (!ok) return absl::FailedPreconditionError("Этот шаг зачисления недоступен в текущем состоянии заявки");
  return target;
}

}  // namespace nms::route
