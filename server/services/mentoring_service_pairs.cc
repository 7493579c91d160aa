// MentoringService: pairs (manual creation, plan, lifecycle), meetings and feedback.
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/inbox/notifications.h"
#include "server/domain/mentoring/lifecycle.h"
#include "server/services/convert.h"
#include "server/services/mentoring_service.h"
#include "server/services/mentoring_support.h"
#include "server/services/route_access.h"
#include "server/services/notify.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::MentoringRepository;
namespace v1 = nms::v1;
namespace ms = mentoring_support;
namespace mt = nms::mentoring;

namespace {

// Validates goals and gives new ones ids unique within the pair.
absl::Status PrepareGoals(google::protobuf::RepeatedPtrField<v1::MentoringGoal>* goals) {
  if (goals->size() > 50) return absl::InvalidArgumentError("Поле pair.goals: не больше 50 целей");
  std::set<std::string> ids;
  for (const auto& g : *goals) {
    if (!g.goal_id().empty()) ids.insert(g.goal_id());
  }
  int next = 1;
  std::set<std::string> seen;
  for (auto& g : *goals) {
    RETURN_IF_ERROR(RequireText(g.title(), "pair.goals.title"));
    RETURN_IF_ERROR(ms::ValidList(g.indicator_codes(), "pair.goals.indicator_codes"));
    RETURN_IF_ERROR(ms::ValidDate(g.due_date(), "pair.goals.due_date"));
    RETURN_IF_ERROR(CheckEnum(g.status(), v1::MentoringGoalStatus_descriptor(), "pair.goals.status", EnumUse::kOptional));
    if (g.status() == v1::MENTORING_GOAL_STATUS_UNSPECIFIED) g.set_status(v1::MENTORING_GOAL_STATUS_OPEN);
    if (g.goal_id().empty()) {
      while (ids.contains(absl::StrCat("g", next))) ++next;
      g.set_goal_id(absl::StrCat("g", next));
      ids.insert(g.goal_id());
    }
    const bool id_ok = g.goal_id().size() <= 32 &&
                       std::all_of(g.goal_id().begin(), g.goal_id().end(), [](char ch) {
                         return absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
                       });
    if (!id_ok) return absl::InvalidArgumentError("Поле pair.goals.goal_id: латинские буквы, цифры, «-», «_», до 32 символов");
    if (!seen.insert(g.goal_id()).second) {
      return absl::InvalidArgumentError(absl::StrCat("Поле pair.goals.goal_id: повторяется «", g.goal_id(), "»"));
    }
  }
  return absl::OkStatus();
}

// The programme a pair may belong to: an ACTIVE programme of the mentor's or mentee's school.
absl::StatusOr<int64_t> ProgrammeFor(sql::Connection& c, const std::string& name, const Placement& mentor,
                                     const Placement& mentee) {
  ASSIGN_OR_RETURN(int64_t id, ParseOptionalResourceName(name, "mentoringProgrammes", "pair.programme"));
  if (id == 0) return 0;
  auto prog = Repo::GetProgramme(c, id);
  if (!prog.ok() || (prog->organization_id != mentor.organization_id && prog->organization_id != mentee.organization_id)) {
    return absl::InvalidArgumentError("Поле pair.programme: программа наставничества школы наставника или наставляемого");
  }
  if (prog->programme.status() != v1::MENTORING_PROGRAMME_STATUS_ACTIVE) {
    return absl::FailedPreconditionError("Программа наставничества не действует (приостановлена или закрыта)");
  }
  return id;
}

absl::Status ValidPlanFields(const v1::MentoringPair& p) {
  RETURN_IF_ERROR(ms::ValidList(p.subjects(), "pair.subjects"));
  RETURN_IF_ERROR(ms::ValidList(p.indicator_codes(), "pair.indicator_codes", 100));
  RETURN_IF_ERROR(ms::ValidDate(p.planned_end_date(), "pair.planned_end_date"));
  return absl::OkStatus();
}

absl::Status ValidMeeting(const v1::MentoringMeeting& m) {
  if (m.meeting_date().year() == 0) return absl::InvalidArgumentError("Поле meeting.meeting_date обязательно");
  RETURN_IF_ERROR(ms::ValidDate(m.meeting_date(), "meeting.meeting_date"));
  RETURN_IF_ERROR(RequireText(m.topic(), "meeting.topic"));
  RETURN_IF_ERROR(OptionalText(m.notes(), "meeting.notes", 10000));
  if (m.duration_minutes() < 0 || m.duration_minutes() > 1440) {
    return absl::InvalidArgumentError("Поле meeting.duration_minutes: от 0 до 1440 минут");
  }
  return CheckEnum(m.format(), v1::MeetingFormat_descriptor(), "meeting.format", EnumUse::kOptional);
}

// The request of a pair follows the pair: proposed → PROPOSED, active → PAIRED, completed →
// PAIRED (its automatic key released: a new need may arise later), rejected or cancelled →
// OPEN again for another mentor.
void FollowRequest(sql::Connection& c, int64_t account_id, const Repo::PairRow& pair, mt::PairStatus status) {
  if (pair.request_id == 0) return;
  auto rq = Repo::GetRequest(c, pair.request_id, true);
  if (!rq.ok() || rq->pair_id != pair.id) return;
  const mt::RequestStatus next = mt::RequestStatusForPair(status);
  if (static_cast<int>(next) == rq->request.status()) return;
  const bool reopened = next == mt::RequestStatus::kOpen;
  Repo::SetRequestState(c, rq->id, static_cast<int>(next), reopened ? 0 : pair.id, "",
                        status == mt::PairStatus::kCompleted);
  auto after = Repo::GetRequest(c, rq->id);
  if (after.ok()) db::WriteAudit(c, account_id, "FollowMentoringPair", after->request.name(), &rq->request, &after->request);
}

struct TransitionInput {
  mt::PairRequest request;
  std::optional<absl::CivilDay> end_date;
  std::string outcome_comment;
  absl::Status invalid;  // what is wrong with the request itself, told only to whoever may act
};

// Applies a lifecycle command to a pair and records it.
absl::Status Transition(sql::Connection& c, const Principal& p, int64_t pair_id, int64_t version,
                        const TransitionInput& in, absl::string_view action, v1::MentoringPair* out) {
  ASSIGN_OR_RETURN(ms::PairContext ctx, ms::LoadPair(c, p, pair_id, true));
  // Who before what: someone who may only read the pair is refused before the version is checked.
  absl::StatusOr<mt::PairTransition> applied = mt::ApplyPairCommand(ctx.state, ctx.actor, in.request);
  if (applied.status().code() == absl::StatusCode::kPermissionDenied) return applied.status();
  RETURN_IF_ERROR(in.invalid);
  RETURN_IF_ERROR(CheckVersion(version, ctx.row.pair.version()));
  ASSIGN_OR_RETURN(mt::PairTransition t, std::move(applied));
  const absl::CivilDay today = TodayInRegion();
  Repo::PairLifecycle l;
  l.status = static_cast<int>(t.next.status);
  l.mentor_accepted = t.next.mentor_accepted;
  l.mentee_accepted = t.next.mentee_accepted;
  l.close_reason = ctx.row.pair.close_reason();
  l.outcome = ctx.row.pair.outcome();
  l.outcome_comment = ctx.row.pair.outcome_comment();
  l.started = FromProtoDate(ctx.row.pair.start_date(), "start_date").value_or(std::nullopt);
  l.ended = FromProtoDate(ctx.row.pair.end_date(), "end_date").value_or(std::nullopt);
  if (t.activated) l.started = today;
  if (in.request.command == mt::PairCommand::kReject || in.request.command == mt::PairCommand::kCancel) {
    l.close_reason = in.request.reason;
  }
  if (in.request.command == mt::PairCommand::kComplete) {
    l.outcome = static_cast<int>(in.request.outcome);
    l.outcome_comment = in.outcome_comment;
  }
  if (t.closed) {
    l.ended = in.end_date.value_or(today);
    if (l.started && *l.ended < *l.started) {
      return absl::InvalidArgumentError("Поле end_date: раньше даты начала пары");
    }
  }
  Repo::UpdatePairLifecycle(c, pair_id, l);
  FollowRequest(c, p.account_id, ctx.row, t.next.status);
  ASSIGN_OR_RETURN(Repo::PairRow after, Repo::GetPair(c, pair_id));
  ms::RecordPairChange(c, p.account_id, action, ctx.row.region_id, &ctx.row.pair, after.pair);
  *out = after.pair;
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------- pairs

grpc::Status MentoringServiceImpl::CreateMentoringPair(grpc::ServerContext* ctx,
                                                       const v1::CreateMentoringPairRequest* req,
                                                       v1::CreateMentoringPairResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CreateMentoringPair", [&](const Principal& p) -> absl::Status {
    v1::MentoringPair in = req->pair();
    // The names only: they are what gets authorised; the rest of the request is looked at after.
    ASSIGN_OR_RETURN(int64_t profile_id, ParseResourceName(in.mentor_profile(), "mentorProfiles", "pair.mentor_profile"));
    ASSIGN_OR_RETURN(db::EntityRef mentee, ms::ParseEntity(in.mentee(), "pair.mentee"));
    ASSIGN_OR_RETURN(int64_t request_id, ParseOptionalResourceName(in.mentee_request(), "menteeRequests", "pair.mentee_request"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMentoringPair", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      // Both sides are authorised before anything about either is read (status, load, name): a
      // pair binds the mentee and the mentor's capacity, so the caller must manage both places.
      auto mentee_place = Repo::PlaceEntity(c, mentee);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring,
                                  mentee_place.ok() ? absl::StatusOr<Placement>(mentee_place->placement)
                                                    : absl::StatusOr<Placement>(mentee_place.status())));
      auto profile = Repo::GetProfile(c, profile_id, true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring,
                                  profile.ok() ? absl::StatusOr<Placement>(profile->place)
                                               : absl::StatusOr<Placement>(absl::NotFoundError(absl::StrCat(
                                                     "Профиль наставника ", in.mentor_profile(), " не найден")))));
      if (!in.route_item().empty()) {
        ASSIGN_OR_RETURN(db::RouteHead route, AuthorizeRouteItemRef(c, p, Action::kReadRoute, in.route_item(), "pair.route_item"));
        if (mentee.organization || route.person_id != mentee.id) {
          return absl::InvalidArgumentError("Поле pair.route_item: пункт маршрута другого педагога");
        }
      }
      // The mentee request and the programme it names, like everything else it names.
      if (request_id != 0) {
        auto rq = Repo::GetRequest(c, request_id);
        absl::StatusOr<Placement> rq_place =
            rq.ok() ? [&]() -> absl::StatusOr<Placement> {
              auto place = Repo::PlaceEntity(c, rq->mentee);
              if (!place.ok()) return place.status();
              return place->placement;
            }()
                    : absl::StatusOr<Placement>(rq.status());
        RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring, rq_place));
      }
      ASSIGN_OR_RETURN(int64_t programme_named,
                       ParseOptionalResourceName(in.programme(), "mentoringProgrammes", "pair.programme"));
      if (programme_named != 0) {
        auto prog = Repo::GetProgramme(c, programme_named);
        RETURN_IF_ERROR(CheckAccess(p, Action::kReadMentoring,
                                    prog.ok() ? db::DirectoryRepository::PlaceOrganization(c, prog->organization_id)
                                              : absl::StatusOr<Placement>(prog.status())));
      }
      // Then the request itself.
      RETURN_IF_ERROR(CheckEnum(in.pair_type(), v1::PairType_descriptor(), "pair.pair_type", EnumUse::kRequired));
      if (mentee.organization != (in.pair_type() == v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT)) {
        return absl::InvalidArgumentError(
            "Поле pair.pair_type: менторство организаций — пара двух организаций, остальные виды — пара педагогов");
      }
      RETURN_IF_ERROR(ValidPlanFields(in));
      RETURN_IF_ERROR(PrepareGoals(in.mutable_goals()));
      if (profile->region_id != mentee_place->placement.region_id) {
        return absl::InvalidArgumentError("Поле pair.mentee: наставник и наставляемый из разных регионов");
      }
      if (profile->mentor == mentee) return absl::InvalidArgumentError("Поле pair.mentee: наставник и наставляемый совпадают");
      if (profile->mentor.organization != mentee.organization) {
        return absl::InvalidArgumentError("Поле pair.mentee: организацию сопоставляют с организацией, педагога — с педагогом");
      }
      if (profile->profile.status() != v1::MENTOR_PROFILE_STATUS_ACTIVE) {
        return absl::FailedPreconditionError("Наставник приостановил участие или вышел из программы");
      }
      if (profile->live_pairs + 1 > profile->profile.capacity()) {
        return absl::FailedPreconditionError(absl::StrCat("У наставника нет свободных мест (", profile->live_pairs, " из ",
                                                          profile->profile.capacity(), ")"));
      }
      if (Repo::LivePairExists(c, profile_id, mentee)) {
        return absl::AlreadyExistsError("У этого наставника и наставляемого уже есть предложенная или действующая пара");
      }
      std::optional<Repo::RequestRow> request;
      if (request_id != 0) {
        auto rq = Repo::GetRequest(c, request_id, true);
        if (!rq.ok() || !(rq->mentee == mentee)) {
          return absl::InvalidArgumentError("Поле pair.mentee_request: заявка этого наставляемого не найдена");
        }
        if (rq->request.status() != v1::MENTEE_REQUEST_STATUS_OPEN) {
          return absl::FailedPreconditionError("Заявка наставляемого уже не открыта");
        }
        request = *std::move(rq);
      }
      ASSIGN_OR_RETURN(int64_t programme_id, ProgrammeFor(c, in.programme(), profile->place, mentee_place->placement));
      Repo::NewPair np;
      np.region_id = profile->region_id;
      np.profile_id = profile_id;
      np.mentor = profile->mentor;
      np.mentee = mentee;
      np.request_id = request_id;
      np.pair_type = in.pair_type();
      np.indicator_codes.assign(in.indicator_codes().begin(), in.indicator_codes().end());
      np.subjects.assign(in.subjects().begin(), in.subjects().end());
      ASSIGN_OR_RETURN(np.planned_end_date, FromProtoDate(in.planned_end_date(), "pair.planned_end_date"));
      np.programme_id = programme_id;
      np.route_item = !in.route_item().empty() || !request ? in.route_item() : request->request.route_item();
      const int64_t id = Repo::InsertPair(c, np);
      Repo::ReplaceGoals(c, id, in.goals());
      if (request) Repo::SetRequestState(c, request_id, v1::MENTEE_REQUEST_STATUS_PROPOSED, id, "");
      ASSIGN_OR_RETURN(Repo::PairRow row, Repo::GetPair(c, id));
      ms::RecordPairChange(c, p.account_id, "CreateMentoringPair", row.region_id, nullptr, row.pair);
      *resp->mutable_pair() = row.pair;
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::GetMentoringPair(grpc::ServerContext* ctx, const v1::GetMentoringPairRequest* req,
                                                    v1::GetMentoringPairResponse* resp) {
  return Run(ctx, authn_, "MentoringService/GetMentoringPair", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ms::ParsePairName(req->name(), "name"));
      ASSIGN_OR_RETURN(ms::PairContext pc, ms::LoadPair(c, p, id, false));
      *resp->mutable_pair() = pc.row.pair;
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMentoringPairs(grpc::ServerContext* ctx,
                                                      const v1::ListMentoringPairsRequest* req,
                                                      v1::ListMentoringPairsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMentoringPairs", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      return ms::ListInScope<v1::MentoringPair>(c, p, Action::kReadMentoring, *req,
          {"mentor", "mentee", "mentor_profile", "status", "pair_type", "programme", "organization", "municipality"},
          &Repo::ListPairs, resp, resp->mutable_pairs());
    });
  });
}

grpc::Status MentoringServiceImpl::UpdateMentoringPair(grpc::ServerContext* ctx,
                                                       const v1::UpdateMentoringPairRequest* req,
                                                       v1::UpdateMentoringPairResponse* resp) {
  return Run(ctx, authn_, "MentoringService/UpdateMentoringPair", [&](const Principal& p) -> absl::Status {
    const v1::MentoringPair& in = req->pair();
    ASSIGN_OR_RETURN(int64_t id, ms::ParsePairName(in.name(), "pair.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateMentoringPair", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(ms::PairContext pc, ms::LoadPair(c, p, id, true));
      absl::Status may = mt::ApplyPairCommand(pc.state, pc.actor, {mt::PairCommand::kEditPlan}).status();
      if (may.code() == absl::StatusCode::kPermissionDenied) return may;  // who before what
      ASSIGN_OR_RETURN(auto paths, ms::UpdatePaths(req->update_mask(),
                                             {"goals", "planned_end_date", "programme", "subjects", "indicator_codes"}));
      v1::MentoringPair next = pc.row.pair;
      for (const auto& path : paths) {
        if (path == "goals") *next.mutable_goals() = in.goals();
        if (path == "planned_end_date") *next.mutable_planned_end_date() = in.planned_end_date();
        if (path == "programme") next.set_programme(in.programme());
        if (path == "subjects") *next.mutable_subjects() = in.subjects();
        if (path == "indicator_codes") *next.mutable_indicator_codes() = in.indicator_codes();
      }
      // The arguments before the version: a bad request is refused for what it says.
      RETURN_IF_ERROR(ValidPlanFields(next));
      RETURN_IF_ERROR(PrepareGoals(next.mutable_goals()));
      RETURN_IF_ERROR(CheckVersion(in.version(), pc.row.pair.version()));
      RETURN_IF_ERROR(may);
      int64_t programme_id = pc.row.programme_id;
      if (next.programme() != pc.row.pair.programme()) {
        ASSIGN_OR_RETURN(programme_id, ProgrammeFor(c, next.programme(), pc.mentor_place, pc.mentee_place));
      }
      Repo::UpdatePairPlan(c, id, next, programme_id);
      ASSIGN_OR_RETURN(Repo::PairRow after, Repo::GetPair(c, id));
      ms::RecordPairChange(c, p.account_id, "UpdateMentoringPair", pc.row.region_id, &pc.row.pair, after.pair);
      *resp->mutable_pair() = after.pair;
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::AcceptMentoringPair(grpc::ServerContext* ctx,
                                                       const v1::AcceptMentoringPairRequest* req,
                                                       v1::AcceptMentoringPairResponse* resp) {
  return Run(ctx, authn_, "MentoringService/AcceptMentoringPair", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ms::ParsePairName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "AcceptMentoringPair", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      TransitionInput in;
      in.request = {mt::PairCommand::kAccept, static_cast<mt::Side>(req->side()), "", mt::Outcome::kUnspecified};
      return Transition(c, p, id, req->version(), in, "AcceptMentoringPair", resp->mutable_pair());
    });
  });
}

grpc::Status MentoringServiceImpl::RejectMentoringPair(grpc::ServerContext* ctx,
                                                       const v1::RejectMentoringPairRequest* req,
                                                       v1::RejectMentoringPairResponse* resp) {
  return Run(ctx, authn_, "MentoringService/RejectMentoringPair", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ms::ParsePairName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "RejectMentoringPair", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      TransitionInput in;
      in.invalid = OptionalText(req->reason(), "reason");
      in.request = {mt::PairCommand::kReject, static_cast<mt::Side>(req->side()), req->reason(), mt::Outcome::kUnspecified};
      return Transition(c, p, id, req->version(), in, "RejectMentoringPair", resp->mutable_pair());
    });
  });
}

grpc::Status MentoringServiceImpl::CompleteMentoringPair(grpc::ServerContext* ctx,
                                                         const v1::CompleteMentoringPairRequest* req,
                                                         v1::CompleteMentoringPairResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CompleteMentoringPair", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ms::ParsePairName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "CompleteMentoringPair", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      TransitionInput in;
      in.invalid = CheckEnum(req->outcome(), v1::MentoringOutcome_descriptor(), "outcome", EnumUse::kOptional);
      if (in.invalid.ok()) in.invalid = OptionalText(req->comment(), "comment", 5000);
      if (in.invalid.ok()) in.invalid = ms::ValidDate(req->end_date(), "end_date");
      auto end = FromProtoDate(req->end_date(), "end_date");
      if (in.invalid.ok()) in.invalid = end.status();
      in.request = {mt::PairCommand::kComplete, mt::Side::kMentor, "",
                    in.invalid.ok() ? static_cast<mt::Outcome>(req->outcome()) : mt::Outcome::kUnspecified};
      if (end.ok()) in.end_date = *end;
      in.outcome_comment = req->comment();
      return Transition(c, p, id, req->version(), in, "CompleteMentoringPair", resp->mutable_pair());
    });
  });
}

grpc::Status MentoringServiceImpl::CancelMentoringPair(grpc::ServerContext* ctx,
                                                       const v1::CancelMentoringPairRequest* req,
                                                       v1::CancelMentoringPairResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CancelMentoringPair", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ms::ParsePairName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "CancelMentoringPair", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      TransitionInput in;
      in.invalid = OptionalText(req->reason(), "reason");
      in.request = {mt::PairCommand::kCancel, mt::Side::kMentor, req->reason(), mt::Outcome::kUnspecified};
      return Transition(c, p, id, req->version(), in, "CancelMentoringPair", resp->mutable_pair());
    });
  });
}

// ---------------------------------------------------------------- meetings

grpc::Status MentoringServiceImpl::CreateMentoringMeeting(grpc::ServerContext* ctx,
                                                          const v1::CreateMentoringMeetingRequest* req,
                                                          v1::CreateMentoringMeetingResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CreateMentoringMeeting", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t pair_id, ms::ParsePairName(req->parent(), "parent"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMentoringMeeting", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(ms::PairContext pc, ms::LoadPair(c, p, pair_id, true));
      absl::Status may = mt::ApplyPairCommand(pc.state, pc.actor, {mt::PairCommand::kRecordMeeting}).status();
      if (may.code() == absl::StatusCode::kPermissionDenied) return may;  // who before what
      RETURN_IF_ERROR(ValidMeeting(req->meeting()));
      RETURN_IF_ERROR(may);
      const int64_t id = Repo::InsertMeeting(c, pair_id, req->meeting(), p.account_id);
      ASSIGN_OR_RETURN(Repo::MeetingRow row, Repo::GetMeeting(c, id));
      *resp->mutable_meeting() = row.meeting;
      db::WriteAudit(c, p.account_id, "CreateMentoringMeeting", row.meeting.name(), nullptr, &row.meeting);
      // A meeting in the plan (not one recorded after it was held) is news to both sides.
      auto day = FromProtoDate(row.meeting.meeting_date(), "meeting.meeting_date");
      if (!row.meeting.held() && day.ok() && *day) {
        const auto& pair = pc.row.pair;
        if (!pc.row.mentee.organization) {
          Notify(c, pc.row.mentee.id, inbox::MeetingPlanned(row.meeting.topic(), **day, pair.mentor_display_name()),
                 pair.name(), p);
        }
        if (!pc.row.mentor.organization) {
          Notify(c, pc.row.mentor.id, inbox::MeetingPlanned(row.meeting.topic(), **day, pair.mentee_display_name()),
                 pair.name(), p);
        }
      }
      return absl::OkStatus();
    });
  });
}

namespace {

// Loads a meeting of a pair the caller may see (and, for changes, record meetings of).
absl::StatusOr<std::pair<ms::PairContext, Repo::MeetingRow>> LoadMeeting(sql::Connection& c, const Principal& p,
                                                                        const std::string& name, bool for_change) {
  ASSIGN_OR_RETURN(auto ids, ms::ParseChildName(name, "meetings", "name"));
  ASSIGN_OR_RETURN(ms::PairContext pc, ms::LoadPair(c, p, ids.first, for_change));
  auto m = Repo::GetMeeting(c, ids.second, for_change);
  if (!m.ok() || m->pair_id != ids.first) return absl::NotFoundError(absl::StrCat("Встреча ", name, " не найдена"));
  if (for_change) RETURN_IF_ERROR(mt::ApplyPairCommand(pc.state, pc.actor, {mt::PairCommand::kRecordMeeting}).status());
  return std::make_pair(std::move(pc), *std::move(m));
}

}  // namespace

grpc::Status MentoringServiceImpl::GetMentoringMeeting(grpc::ServerContext* ctx,
                                                       const v1::GetMentoringMeetingRequest* req,
                                                       v1::GetMentoringMeetingResponse* resp) {
  return Run(ctx, authn_, "MentoringService/GetMentoringMeeting", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto loaded, LoadMeeting(c, p, req->name(), false));
      *resp->mutable_meeting() = loaded.second.meeting;
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMentoringMeetings(grpc::ServerContext* ctx,
                                                         const v1::ListMentoringMeetingsRequest* req,
                                                         v1::ListMentoringMeetingsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMentoringMeetings", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t pair_id, ms::ParsePairName(req->parent(), "parent"));
      RETURN_IF_ERROR(ms::LoadPair(c, p, pair_id, false).status());
      ASSIGN_OR_RETURN(auto filter, ms::ParseEqualityFilter(req->filter(), {"meeting_date", "held"}));
      ASSIGN_OR_RETURN(PageRequest page, Paging(*req, {KeyPart::kNumber}));
      std::vector<v1::MentoringMeeting> out;
      int64_t next = 0, total = 0;
      RETURN_IF_ERROR(Repo::ListMeetings(c, pair_id, filter, page, &out, &next, &total));
      for (auto& x : out) *resp->add_meetings() = std::move(x);
      resp->set_next_page_token(ms::NextToken(page, next));
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::UpdateMentoringMeeting(grpc::ServerContext* ctx,
                                                          const v1::UpdateMentoringMeetingRequest* req,
                                                          v1::UpdateMentoringMeetingResponse* resp) {
  return Run(ctx, authn_, "MentoringService/UpdateMentoringMeeting", [&](const Principal& p) -> absl::Status {
    const v1::MentoringMeeting& in = req->meeting();
    return db::IdempotentWrite(pool_, p.account_id, "UpdateMentoringMeeting", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto loaded, LoadMeeting(c, p, in.name(), true));
      ASSIGN_OR_RETURN(auto paths, ms::UpdatePaths(req->update_mask(), {"meeting_date", "topic", "notes", "duration_minutes",
                                                                  "format", "held"}));
      const v1::MentoringMeeting& before = loaded.second.meeting;
      v1::MentoringMeeting next = before;
      for (const auto& path : paths) {
        if (path == "meeting_date") *next.mutable_meeting_date() = in.meeting_date();
        if (path == "topic") next.set_topic(in.topic());
        if (path == "notes") next.set_notes(in.notes());
        if (path == "duration_minutes") next.set_duration_minutes(in.duration_minutes());
        if (path == "format") next.set_format(in.format());
        if (path == "held") next.set_held(in.held());
      }
      RETURN_IF_ERROR(ValidMeeting(next));
      RETURN_IF_ERROR(CheckVersion(in.version(), before.version()));
      Repo::UpdateMeeting(c, loaded.second.id, next);
      ASSIGN_OR_RETURN(Repo::MeetingRow after, Repo::GetMeeting(c, loaded.second.id));
      *resp->mutable_meeting() = after.meeting;
      db::WriteAudit(c, p.account_id, "UpdateMentoringMeeting", after.meeting.name(), &before, &after.meeting);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::DeleteMentoringMeeting(grpc::ServerContext* ctx,
                                                          const v1::DeleteMentoringMeetingRequest* req,
                                                          v1::DeleteMentoringMeetingResponse* resp) {
  return Run(ctx, authn_, "MentoringService/DeleteMentoringMeeting", [&](const Principal& p) -> absl::Status {
    return db::IdempotentWrite(pool_, p.account_id, "DeleteMentoringMeeting", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto loaded, LoadMeeting(c, p, req->name(), true));
      RETURN_IF_ERROR(CheckVersion(req->version(), loaded.second.meeting.version()));
      Repo::DeleteMeeting(c, loaded.second.id);
      db::WriteAudit(c, p.account_id, "DeleteMentoringMeeting", loaded.second.meeting.name(), &loaded.second.meeting,
                     nullptr);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- feedback

grpc::Status MentoringServiceImpl::CreateMentoringFeedback(grpc::ServerContext* ctx,
                                                           const v1::CreateMentoringFeedbackRequest* req,
                                                           v1::CreateMentoringFeedbackResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CreateMentoringFeedback", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t pair_id, ms::ParsePairName(req->parent(), "parent"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMentoringFeedback", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(ms::PairContext pc, ms::LoadPair(c, p, pair_id, true));
      absl::Status may = mt::ApplyPairCommand(pc.state, pc.actor, {mt::PairCommand::kLeaveFeedback}).status();
      if (may.code() == absl::StatusCode::kPermissionDenied) return may;  // who before what
      const v1::MentoringFeedback& in = req->feedback();
      if (in.rating() < 1 || in.rating() > 5) return absl::InvalidArgumentError("Поле feedback.rating: оценка от 1 до 5");
      RETURN_IF_ERROR(OptionalText(in.text(), "feedback.text", 5000));
      RETURN_IF_ERROR(may);
      ASSIGN_OR_RETURN(mt::Side side, mt::FeedbackSide(pc.actor));
      const int64_t id = Repo::InsertFeedback(c, pair_id, static_cast<int>(side), p.person_id, in);
      ASSIGN_OR_RETURN(v1::MentoringFeedback row, Repo::GetFeedback(c, id));
      *resp->mutable_feedback() = row;
      db::WriteAudit(c, p.account_id, "CreateMentoringFeedback", row.name(), nullptr, &row);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMentoringFeedbacks(grpc::ServerContext* ctx,
                                                          const v1::ListMentoringFeedbacksRequest* req,
                                                          v1::ListMentoringFeedbacksResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMentoringFeedbacks", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t pair_id, ms::ParsePairName(req->parent(), "parent"));
      RETURN_IF_ERROR(ms::LoadPair(c, p, pair_id, false).status());
      ASSIGN_OR_RETURN(auto filter, ms::ParseEqualityFilter(req->filter(), {"side"}));
      ASSIGN_OR_RETURN(PageRequest page, Paging(*req, {KeyPart::kNumber}));
      std::vector<v1::MentoringFeedback> out;
      int64_t next = 0, total = 0;
      RETURN_IF_ERROR(Repo::ListFeedback(c, pair_id, filter, page, &out, &next, &total));
      for (auto& x : out) *resp->add_feedbacks() = std::move(x);
      resp->set_next_page_token(ms::NextToken(page, next));
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
