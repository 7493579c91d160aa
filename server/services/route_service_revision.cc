// RouteService: revising a route after a new diagnosis (ReviseRoute) and its record of what
// changed (ListRouteRevisions). The rules are route::PlanRevision; this loads the route, the
// new result, the catalogue, and writes the outcome in one transaction with the history,
// audit and change feed.
#include "absl/strings/str_cat.h"
#include "nms/v1/diagnostics.pb.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/people_lookup.h"
#include "server/db/idempotency.h"
#include "server/db/route_feed.h"
#include "server/db/route_generation_store.h"
#include "server/db/route_repository.h"
#include "server/db/route_revision_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/route/revision.h"
#include "server/services/convert.h"
#include "server/services/route_access.h"
#include "server/services/route_generation.h"
#include "server/services/route_service.h"
#include "server/services/route_service_util.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Principal;
using Repo = db::RouteRepository;
using Revisions = db::RouteRevisionRepository;
namespace v1 = nms::v1;

grpc::Status RouteServiceImpl::ReviseRoute(grpc::ServerContext* ctx, const v1::ReviseRouteRequest* req,
                                           v1::ReviseRouteResponse* resp) {
  return Run(ctx, authn_, "RouteService/ReviseRoute", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseRouteName(req->name(), "name"));
    ASSIGN_OR_RETURN(int64_t result, ParseOptionalResourceName(req->diagnostic_result(), "results", "diagnostic_result"));
    return db::IdempotentWrite(pool_, p.account_id, "ReviseRoute", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto head = Repo::GetHead(c, id, true);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kEditRoute, head));
      // The result the request names is authorised like its teacher before anything about it
      // is compared (whose it is, whether it is newer).
      std::optional<Repo::ResultSummary> summary;
      if (result != 0) {
        summary = Repo::GetResult(c, result);
        absl::StatusOr<access::Placement> result_place =
            summary ? db::DirectoryRepository::PlacePerson(c, summary->person_id)
                    : absl::StatusOr<access::Placement>(
                          absl::NotFoundError(absl::StrCat("Результат диагностики results/", result, " не найден")));
        RETURN_IF_ERROR(CheckAccess(p, Action::kReadDiagnostics, result_place));
      }
      RETURN_IF_ERROR(OptionalText(req->comment(), "comment", 2000));
      RETURN_IF_ERROR(CheckVersion(req->version(), head->version));
      ASSIGN_OR_RETURN(route::RevisionMode mode, route::RevisionModeOf(head->state.status));
      const int64_t person = head->person_id;
      // Serialises with generation for the same teacher (the open-route checks are then exact).
      db::LockPerson(c, person);
      if (mode == route::RevisionMode::kNextPeriod) {
        if (auto open = Repo::OpenRouteOf(c, person, true)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "У педагога уже есть открытый маршрут routes/", open->id, ": по новой диагностике пересматривается он"));
        }
        if (auto later = Repo::LaterRouteOf(c, person, id)) {
          return absl::FailedPreconditionError(absl::StrCat("Маршрут уже продолжен маршрутом routes/", *later));
        }
      }

      // The new diagnosis: the named result, or the teacher's latest FINAL one.
      db::DiagnosisInput diagnosis;
      route::ResultStamp stamp;
      const route::ResultStamp baseline{head->result_id, head->diagnosis_date, true};
      if (result != 0) {
        if (summary->person_id != person) {
          return absl::NotFoundError(absl::StrCat("Результат диагностики results/", result, " этого педагога не найден"));
        }
        stamp = {result, summary->diagnosis_date, summary->status == v1::DIAGNOSTIC_RESULT_STATUS_FINAL};
        RETURN_IF_ERROR(route::CheckNewerResult(baseline, stamp));
        diagnosis = *db::RouteGenerationStore::Diagnosis(c, result);
      } else {
        auto latest = db::RouteGenerationStore::LatestDiagnoses(c, {person}, 0);
        if (latest.empty() || !route::IsNewer(baseline, {latest.begin()->second.result_id, latest.begin()->second.date, true})) {
          return absl::FailedPreconditionError(absl::StrCat(
              "Итоговой диагностики новее той, по которой построен маршрут (", route::DayText(head->diagnosis_date),
              "), нет: пересматривать не по чему"));
        }
        diagnosis = latest.begin()->second;
      }

      ASSIGN_OR_RETURN(GenerationSetup setup,
                       PrepareGeneration(c, head->region_id, req->options(), RegionToday(c, head->region_id)));
      auto teachers = db::RouteGenerationStore::Teachers(c, {person});
      const db::TeacherCard& teacher = teachers[person];
      route::RevisionInput in;
      in.mode = mode;
      in.items = Revisions::Items(c, id);
      if (head->result_id != 0) in.before = Repo::Deficits(c, {head->result_id})[head->result_id];
      in.after = diagnosis.deficits;
      in.diagnosis_date = diagnosis.date;
      in.catalogue = setup.catalogue;
      in.teacher = {teacher.position, teacher.subjects};
      in.options = setup.options;
      route::RevisionPlan plan = route::PlanRevision(in);

      const std::string comment =
          req->comment().empty() ? absl::StrCat("Пересмотр по итоговой диагностике от ", route::DayText(diagnosis.date))
                                 : req->comment();
      db::RouteActor actor = ActorInfo(c, p, RoleAt(p, Action::kEditRoute, head->place));
      db::RevisionRecord record;
      record.kind = mode;
      record.result_id = diagnosis.result_id;
      record.previous_result_id = head->result_id;
      record.from_status = head->state.status;
      record.comment = comment;
      record.actor = actor;
      record.plan = &plan;

      if (mode == route::RevisionMode::kInPlace) {
        ASSIGN_OR_RETURN(v1::Route before, Repo::Get(c, id));
        record.route_id = id;
        record.revision = head->revision + 1;
        for (const auto& [item, reason] : plan.not_needed_reasons) Revisions::MarkNotNeeded(c, item, record.revision, reason);
        record.added_ids = Revisions::AddItems(c, id, record.revision, plan.added);
        Revisions::ReviseInPlace(c, id, diagnosis, comment, plan.planned_end);
        Repo::AddHistory(c, id, route::Transition::kRevise, static_cast<int>(head->state.status), route::Status::kDraft,
                         actor, comment);
        Revisions::Insert(c, record);
        ASSIGN_OR_RETURN(*resp->mutable_route(), Repo::Get(c, id));
        db::WriteAudit(c, p.account_id, "ReviseRoute", resp->route().name(), &before, &resp->route());
        db::WriteRouteFeed(c, head->region_id, resp->route());
        for (const auto& it : resp->route().items()) {
          if (it.added_in_revision() == record.revision || it.not_needed_since_revision() == record.revision) {
            db::WriteItemFeed(c, head->region_id, it, "upsert");
          }
        }
      } else {
        db::NewRoute next;
        next.teacher = teacher;
        next.diagnosis = diagnosis;
        next.goal = setup.goal;
        next.plan.planned_start = setup.options.start_date;
        next.plan.planned_end = plan.planned_end;
        next.plan.items = plan.added;
        next.plan.uncovered = plan.uncovered;
        ASSIGN_OR_RETURN(auto written, WriteRoutes(c, {next}, actor, 0, "ReviseRoute", comment));
        ASSIGN_OR_RETURN(int64_t fresh, ParseRouteName(written.front().name(), "route"));
        Revisions::SetPrevious(c, fresh, id);
        // Ids of the added items: the plan's items were written at their (section, position).
        for (const auto& planned : plan.added) {
          int64_t item_id = 0;
          for (const auto& it : written.front().items()) {
            if (static_cast<int>(it.section()) == static_cast<int>(planned.section) && it.position() == planned.position) {
              ASSIGN_OR_RETURN(auto ids, ParseItemName(it.name(), "item"));
              item_id = ids.second;
            }
          }
          record.added_ids.push_back(item_id);
        }
        record.route_id = fresh;
        record.revision = 1;
        record.previous_route_id = id;
        Revisions::Insert(c, record);
        ASSIGN_OR_RETURN(*resp->mutable_route(), Repo::Get(c, fresh));
      }
      ASSIGN_OR_RETURN(*resp->mutable_revision(), Revisions::Get(c, record.route_id, record.revision));
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::ListRouteRevisions(grpc::ServerContext* ctx, const v1::ListRouteRevisionsRequest* req,
                                                  v1::ListRouteRevisionsResponse* resp) {
  return Run(ctx, authn_, "RouteService/ListRouteRevisions", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseRouteName(req->parent(), "parent"));
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, Repo::GetHead(c, id)));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      return Revisions::List(c, id, paging, resp);
    });
  });
}

}  // namespace nms::services
