#include "server/services/route_service.h"

#include "nms/v1/diagnostics.pb.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/route_feed.h"
#include "server/db/route_generation_store.h"
#include "server/db/route_item_repository.h"
#include "server/db/route_operation_repository.h"
#include "server/db/route_repository.h"
#include "server/db/route_revision_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/names.h"
#include "server/domain/inbox/notifications.h"
#include "server/domain/route/document.h"
#include "server/domain/route/items.h"
#include "server/domain/route/revision.h"
#include "server/domain/route/titles.h"
#include "server/services/convert.h"
#include "server/services/notify.h"
#include "server/services/route_access.h"
#include "server/services/route_generation.h"
#include "server/services/route_service_util.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Dir = db::DirectoryRepository;
using Repo = db::RouteRepository;
using Items = db::RouteItemRepository;
namespace v1 = nms::v1;

RouteServiceImpl::RouteServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn, RouteBulkWorker* worker)
    : pool_(pool), authn_(authn), worker_(worker) {}

// ---------------------------------------------------------------- generation

grpc::Status RouteServiceImpl::GenerateRoute(grpc::ServerContext* ctx, const v1::GenerateRouteRequest* req,
                                             v1::GenerateRouteResponse* resp) {
  return Run(ctx, authn_, "RouteService/GenerateRoute", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t person, ParseResourceName(req->person(), "people", "person"));
    ASSIGN_OR_RETURN(int64_t result, ParseOptionalResourceName(req->diagnostic_result(), "results", "diagnostic_result"));
    return db::IdempotentWrite(pool_, p.account_id, "GenerateRoute", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto place = Dir::PlacePerson(c, person);
      RETURN_IF_ERROR(CheckAccess(p, Action::kEditRoute, place));
      // The result the request names is authorised like its teacher before anything about it
      // is compared or read (whose it is, whether it is final).
      std::optional<Repo::ResultSummary> summary;
      if (result != 0) {
        summary = Repo::GetResult(c, result);
        absl::StatusOr<Placement> result_place =
            summary ? Dir::PlacePerson(c, summary->person_id)
                    : absl::StatusOr<Placement>(absl::NotFoundError(absl::StrCat("Результат диагностики results/", result, " не найден")));
        RETURN_IF_ERROR(CheckAccess(p, Action::kReadDiagnostics, result_place));
      }
      // Serialises generations for one teacher (the open-route check below is then exact).
      db::Stmt(c, "SELECT id FROM people WHERE id = ? FOR UPDATE").Int(person).Query();
      ASSIGN_OR_RETURN(GenerationSetup setup,
                       PrepareGeneration(c, place->region_id, req->options(), RegionToday(c, place->region_id)));
      db::DiagnosisInput diagnosis;
      if (result != 0) {
        if (summary->person_id != person) {
          return absl::NotFoundError(absl::StrCat("Результат диагностики results/", result, " этого педагога не найден"));
        }
        if (summary->status != v1::DIAGNOSTIC_RESULT_STATUS_FINAL) {
          return absl::FailedPreconditionError(
              "Результат диагностики ещё не итоговый (ожидаются экспертные оценки): маршрут строится по итоговому");
        }
        diagnosis = *db::RouteGenerationStore::Diagnosis(c, result);
      } else {
        auto latest = db::RouteGenerationStore::LatestDiagnoses(c, {person}, 0);
        if (latest.empty()) {
          return absl::FailedPreconditionError(
              "У педагога нет итогового результата диагностики: ИОМ строится по выявленным дефицитам, сначала "
              "нужна диагностика");
        }
        diagnosis = latest.begin()->second;
      }
      int64_t replace = 0;
      if (auto open = Repo::OpenRouteOf(c, person, true)) {
        const bool replaceable = open->state.status == route::Status::kDraft && open->revision == 1;
        if (!replaceable || !setup.replace_draft) {
          return absl::AlreadyExistsError(absl::StrCat(
              "У педагога уже есть маршрут routes/", open->id, " в статусе «", route::StatusTitle(open->state.status), "»",
              replaceable ? "; чтобы сформировать его заново, передайте options.replace_draft"
                          : "; по новой диагностике его пересматривают (ReviseRoute)"));
        }
        replace = open->id;
      }
      auto teachers = db::RouteGenerationStore::Teachers(c, {person});
      db::NewRoute plan = PlanRoute(setup, teachers[person], diagnosis, replace);
      db::RouteActor actor = ActorInfo(c, p, RoleAt(p, Action::kEditRoute, *place));
      ASSIGN_OR_RETURN(auto written,
                       WriteRoutes(c, {plan}, actor, 0, "GenerateRoute",
                                   absl::StrCat(replace ? "Черновик сформирован заново" : "Сформирован",
                                                " по результату диагностики от ", route::DayText(diagnosis.date))));
      *resp->mutable_route() = written.front();
      for (const auto& code : plan.plan.uncovered) resp->add_uncovered_indicator_codes(code);
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::BulkGenerateRoutes(grpc::ServerContext* ctx, const v1::BulkGenerateRoutesRequest* req,
                                                  v1::BulkGenerateRoutesResponse* resp) {
  absl::Status started;
  grpc::Status out = Run(ctx, authn_, "RouteService/BulkGenerateRoutes", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t campaign, ParseResourceName(req->campaign(), "campaigns", "campaign"));
    if (!req->scope().empty()) {
      ASSIGN_OR_RETURN(AnyName scope, ParseAnyName(req->scope(), "scope"));
      if (scope.collection == "people") return absl::InvalidArgumentError("Поле scope: для одного педагога — GenerateRoute");
    }
    return db::IdempotentWrite(pool_, p.account_id, "BulkGenerateRoutes", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto rs = db::Stmt(c, "SELECT region_id FROM diagnostic_campaigns WHERE id = ?").Int(campaign).Query();
      absl::StatusOr<Placement> region_place =
          rs->next() ? absl::StatusOr<Placement>(Placement{rs->getInt64(1), 0, 0, 0})
                     : absl::StatusOr<Placement>(absl::NotFoundError(absl::StrCat("Кампания campaigns/", campaign, " не найдена")));
      if (!region_place.ok() || req->scope().empty()) {
        RETURN_IF_ERROR(CheckAccess(p, Action::kEditRoute, region_place));
      } else {
        auto where = PlaceByName(c, req->scope(), "scope");
        RETURN_IF_ERROR(CheckAccess(p, Action::kEditRoute, where));
        if (where->region_id != region_place->region_id) {
          return absl::InvalidArgumentError("Поле scope: область из другого региона, чем кампания");
        }
      }
      const int64_t region = region_place->region_id;
      // Options are checked now, so a bad request fails here rather than in the background.
      ASSIGN_OR_RETURN(auto setup, PrepareGeneration(c, region, req->options(), RegionToday(c, region)));
      int64_t id = db::RouteOperationRepository::Insert(c, region, campaign, req->scope(), req->options(),
                                                        setup.options.start_date, p.account_id, p.person_id);
      ASSIGN_OR_RETURN(*resp->mutable_operation(), db::RouteOperationRepository::Get(c, id));
      db::WriteAudit(c, p.account_id, "BulkGenerateRoutes", resp->operation().name(), nullptr, &resp->operation());
      return absl::OkStatus();
    });
  });
  if (out.ok() && worker_ != nullptr) worker_->Notify();
  return out;
}

grpc::Status RouteServiceImpl::GetRouteOperation(grpc::ServerContext* ctx, const v1::GetRouteOperationRequest* req,
                                                 v1::GetRouteOperationResponse* resp) {
  return Run(ctx, authn_, "RouteService/GetRouteOperation", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "routeOperations", "name"));
      auto row = db::RouteOperationRepository::GetRow(c, id);
      absl::StatusOr<Placement> where = absl::NotFoundError("");
      if (!row.ok()) {
        where = row.status();
      } else {
        where = row->scope.empty() ? absl::StatusOr<Placement>(Placement{row->region_id, 0, 0, 0})
                                   : PlaceByName(c, row->scope, "scope");
      }
      // The one who started it may follow it even without reading rights over the whole scope.
      if (!row.ok() || row->account_id != p.account_id) RETURN_IF_ERROR(CheckAccess(p, Action::kReadRoute, where));
      ASSIGN_OR_RETURN(*resp->mutable_operation(), db::RouteOperationRepository::Get(c, id));
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- reading

grpc::Status RouteServiceImpl::GetRoute(grpc::ServerContext* ctx, const v1::GetRouteRequest* req,
                                        v1::GetRouteResponse* resp) {
  return Run(ctx, authn_, "RouteService/GetRoute", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseRouteName(req->name(), "name"));
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, Repo::GetHead(c, id)));
      ASSIGN_OR_RETURN(*resp->mutable_route(), Repo::Get(c, id));
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::ListRoutes(grpc::ServerContext* ctx, const v1::ListRoutesRequest* req,
                                          v1::ListRoutesResponse* resp) {
  return Run(ctx, authn_, "RouteService/ListRoutes", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(), {"person", "status", "campaign", "methodist",
                                                               "organization", "municipality", "region"}));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      // A tutor lists the routes they accompany with `methodist = "people/<self>"`, whatever
      // their own grants reach.
      int64_t methodist_scope = 0;
      for (const auto& t : terms) {
        if (t.field == "methodist" && t.op == "=" && p.person_id != 0 && t.value == ResourceName("people", p.person_id)) {
          methodist_scope = p.person_id;
        }
      }
      db::ScopeFilter scope;
      if (methodist_scope == 0) {
        ASSIGN_OR_RETURN(scope, ResolveListScope(c, p, Action::kReadRoute, "", "filter"));
      }
      std::vector<v1::Route> routes;
      std::string next;
      int64_t total = 0;
      RETURN_IF_ERROR(Repo::List(c, scope, methodist_scope, terms, paging, &routes,
                                 &next, &total));
      for (auto& r : routes) *resp->add_routes() = std::move(r);
      resp->set_next_page_token(next);
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::ListRouteStatusChanges(grpc::ServerContext* ctx,
                                                      const v1::ListRouteStatusChangesRequest* req,
                                                      v1::ListRouteStatusChangesResponse* resp) {
  return Run(ctx, authn_, "RouteService/ListRouteStatusChanges", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseRouteName(req->parent(), "parent"));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, Repo::GetHead(c, id)));
      return Repo::ListHistory(c, id, paging, resp);
    });
  });
}

// ---------------------------------------------------------------- editing

grpc::Status RouteServiceImpl::UpdateRoute(grpc::ServerContext* ctx, const v1::UpdateRouteRequest* req,
                                           v1::UpdateRouteResponse* resp) {
  return Run(ctx, authn_, "RouteService/UpdateRoute", [&](const Principal& p) -> absl::Status {
    const v1::Route& in = req->route();
    ASSIGN_OR_RETURN(int64_t id, ParseRouteName(in.name(), "route.name"));
    if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
    ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"goal", "notes", "planned_start_date", "planned_end_date"}));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateRoute", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto head = Repo::GetHead(c, id, true);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kEditRoute, head));
      ASSIGN_OR_RETURN(v1::Route before, Repo::Get(c, id));
      std::string goal = before.goal(), notes = before.notes();
      ASSIGN_OR_RETURN(auto start, FromProtoDate(before.planned_start_date(), "route.planned_start_date"));
      ASSIGN_OR_RETURN(auto end, FromProtoDate(before.planned_end_date(), "route.planned_end_date"));
      for (const auto& path : paths) {
        if (path == "goal") {
          RETURN_IF_ERROR(RequireText(in.goal(), "route.goal", 4000));
          goal = in.goal();
        } else if (path == "notes") {
          RETURN_IF_ERROR(OptionalText(in.notes(), "route.notes", 10000));
          notes = in.notes();
        } else if (path == "planned_start_date") {
          ASSIGN_OR_RETURN(start, FromProtoDate(in.planned_start_date(), "route.planned_start_date"));
        } else if (path == "planned_end_date") {
          ASSIGN_OR_RETURN(end, FromProtoDate(in.planned_end_date(), "route.planned_end_date"));
        }
      }
      if (start && end && *end < *start) {
        return absl::InvalidArgumentError("Поле route.planned_end_date: раньше начала маршрута");
      }
      RETURN_IF_ERROR(CheckVersion(in.version(), head->version));
      if (!route::ContentEditable(head->state.status)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "Маршрут в статусе «", route::StatusTitle(head->state.status),
            "» не редактируется; изменить содержание можно в черновике (верните маршрут на доработку)"));
      }
      Repo::UpdateContent(c, id, goal, notes, start, end);
      ASSIGN_OR_RETURN(*resp->mutable_route(), Repo::Get(c, id));
      db::WriteAudit(c, p.account_id, "UpdateRoute", resp->route().name(), &before, &resp->route());
      db::WriteRouteFeed(c, head->region_id, resp->route());
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- lifecycle

grpc::Status RouteServiceImpl::Transit(grpc::ServerContext* ctx, const char* method, const std::string& name,
                                       int64_t version, const std::string& request_id,
                                       const google::protobuf::Message& req, v1::Route* out, route::Command cmd) {
  return Run(ctx, authn_, absl::StrCat("RouteService/", method), [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseRouteName(name, "name"));
    RETURN_IF_ERROR(OptionalText(cmd.comment, "comment", 4000));
    return db::IdempotentWrite(pool_, p.account_id, method, request_id, req, out,
                               [&](sql::Connection& c) -> absl::Status {
      auto head = Repo::GetHead(c, id, true);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, head));
      RETURN_IF_ERROR(CheckVersion(version, head->version));
      v1::RouteSettings settings = Repo::GetSettings(c, head->region_id);
      route::Command command = cmd;
      if (command.transition == route::Transition::kComplete) {
        command.completable = route::CheckCompletable(Items::Closures(c, id));
      }
      route::Actor chosen;
      ASSIGN_OR_RETURN(route::Outcome outcome, route::ApplyAsAny(head->state, Repo::Lifecycle(settings),
                                                                 ActorsFor(p, *head), command, &chosen));
      db::RouteActor actor = ActorInfo(c, p, chosen.role);
      ASSIGN_OR_RETURN(v1::Route before, Repo::Get(c, id));
      const route::Status from = head->state.status, to = outcome.next.status;
      switch (command.transition) {
        case route::Transition::kSign:
          Repo::AddSignature(c, id, command.signature, actor, PositionTitle(c, p.person_id));
          break;
        case route::Transition::kApprove:
          Repo::AddSignature(c, id, route::SignatureKind::kApprover, actor, PositionTitle(c, p.person_id));
          break;
        case route::Transition::kReturnForRevision:
          Repo::ClearSignatures(c, id);
          break;
        default:
          break;
      }
      if (to != from) {
        Repo::SetStatus(c, id, from, to, command.comment);
      } else {
        Repo::Touch(c, id);
      }
      std::vector<int64_t> started_items;
      if (command.transition == route::Transition::kStart) started_items = Items::StartEnrolledItems(c, id);
      Repo::AddHistory(c, id, outcome.recorded, static_cast<int>(from), to, actor, command.comment);
      ASSIGN_OR_RETURN(*out, Repo::Get(c, id));
      // The teacher waits on the school's signature, the approval and a return for revision.
      if (command.transition == route::Transition::kSign &&
          command.signature == route::SignatureKind::kSchoolRepresentative) {
        Notify(c, head->person_id, inbox::RouteSigned(actor.full_name, false), out->name(), p);
      } else if (command.transition == route::Transition::kApprove) {
        Notify(c, head->person_id, inbox::RouteSigned(actor.full_name, true), out->name(), p);
      } else if (command.transition == route::Transition::kReturnForRevision) {
        Notify(c, head->person_id, inbox::RouteReturned(actor.full_name, command.comment), out->name(), p);
      }
      db::WriteAudit(c, p.account_id, method, out->name(), &before, out);
      db::WriteRouteFeed(c, head->region_id, *out);
      for (const auto& it : out->items()) {
        for (int64_t changed : started_items) {
          if (it.name() == db::ItemName(id, changed)) db::WriteItemFeed(c, head->region_id, it, federal::kUpdate);
        }
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::AgreeRoute(grpc::ServerContext* ctx, const v1::AgreeRouteRequest* req,
                                          v1::AgreeRouteResponse* resp) {
  route::Command cmd;
  cmd.transition = route::Transition::kSign;
  cmd.signature = static_cast<route::SignatureKind>(req->signature_kind());
  cmd.comment = req->comment();
  return Transit(ctx, "AgreeRoute", req->name(), req->version(), req->request_id(), *req, resp->mutable_route(), cmd);
}

grpc::Status RouteServiceImpl::ApproveRoute(grpc::ServerContext* ctx, const v1::ApproveRouteRequest* req,
                                            v1::ApproveRouteResponse* resp) {
  route::Command cmd;
  cmd.transition = route::Transition::kApprove;
  cmd.comment = req->comment();
  return Transit(ctx, "ApproveRoute", req->name(), req->version(), req->request_id(), *req, resp->mutable_route(), cmd);
}

grpc::Status RouteServiceImpl::StartRoute(grpc::ServerContext* ctx, const v1::StartRouteRequest* req,
                                          v1::StartRouteResponse* resp) {
  route::Command cmd;
  cmd.transition = route::Transition::kStart;
  cmd.comment = req->comment();
  return Transit(ctx, "StartRoute", req->name(), req->version(), req->request_id(), *req, resp->mutable_route(), cmd);
}

grpc::Status RouteServiceImpl::CompleteRoute(grpc::ServerContext* ctx, const v1::CompleteRouteRequest* req,
                                             v1::CompleteRouteResponse* resp) {
  route::Command cmd;
  cmd.transition = route::Transition::kComplete;
  cmd.comment = req->comment();
  return Transit(ctx, "CompleteRoute", req->name(), req->version(), req->request_id(), *req, resp->mutable_route(), cmd);
}

grpc::Status RouteServiceImpl::CancelRoute(grpc::ServerContext* ctx, const v1::CancelRouteRequest* req,
                                           v1::CancelRouteResponse* resp) {
  route::Command cmd;
  cmd.transition = route::Transition::kCancel;
  cmd.comment = req->comment();
  return Transit(ctx, "CancelRoute", req->name(), req->version(), req->request_id(), *req, resp->mutable_route(), cmd);
}

grpc::Status RouteServiceImpl::ReturnRouteForRevision(grpc::ServerContext* ctx,
                                                      const v1::ReturnRouteForRevisionRequest* req,
                                                      v1::ReturnRouteForRevisionResponse* resp) {
  route::Command cmd;
  cmd.transition = route::Transition::kReturnForRevision;
  cmd.comment = req->comment();
  return Transit(ctx, "ReturnRouteForRevision", req->name(), req->version(), req->request_id(), *req,
                 resp->mutable_route(), cmd);
}

// ---------------------------------------------------------------- effect

grpc::Status RouteServiceImpl::GetRouteEffect(grpc::ServerContext* ctx, const v1::GetRouteEffectRequest* req,
                                              v1::GetRouteEffectResponse* resp) {
  return Run(ctx, authn_, "RouteService/GetRouteEffect", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseRouteName(req->name(), "name"));
      auto head = Repo::GetHead(c, id);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, head));
      resp->set_route(ResourceName("routes", id));
      // A revised route is measured from the diagnosis it started from.
      const int64_t baseline = db::RouteRevisionRepository::BaselineResult(c, id, head->result_id);
      if (baseline == 0) return absl::OkStatus();
      resp->set_baseline_result(ResourceName("results", baseline));
      auto started = Repo::StartedOn(c, id);
      if (!started) return absl::OkStatus();
      auto after = Repo::FirstFinalResultFrom(c, head->person_id, *started, baseline);
      if (!after) return absl::OkStatus();
      auto before = Repo::GetResult(c, baseline);
      auto areas = [&](int64_t result) {
        std::vector<route::AreaScore> out;
        for (const auto& a : Repo::ResultAreas(c, result)) out.push_back({a.area, a.score, a.level});
        return out;
      };
      route::Effect e = route::ComputeEffect(areas(baseline), areas(after->id), Repo::ResultDeficitCodes(c, baseline),
                                             Repo::ResultDeficitCodes(c, after->id));
      resp->set_rediagnosed(true);
      resp->set_rediagnosis_result(ResourceName("results", after->id));
      resp->set_before_overall_level(static_cast<v1::CompetencyLevel>(before ? before->overall_level : 0));
      resp->set_after_overall_level(static_cast<v1::CompetencyLevel>(after->overall_level));
      for (const auto& d : e.areas) {
        auto* out = resp->add_area_deltas();
        out->set_area(static_cast<v1::CompetencyArea>(d.area));
        out->set_before_score_percent(d.before);
        out->set_after_score_percent(d.after);
        out->set_delta_percent(d.delta);
        out->set_before_level(static_cast<v1::CompetencyLevel>(d.before_level));
        out->set_after_level(static_cast<v1::CompetencyLevel>(d.after_level));
      }
      for (const auto& code : e.closed) resp->add_closed_deficit_codes(code);
      for (const auto& code : e.remaining) resp->add_remaining_deficit_codes(code);
      for (const auto& code : e.appeared) resp->add_new_deficit_codes(code);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- settings

namespace {

absl::StatusOr<int64_t> ParseSettingsName(const std::string& name, absl::string_view field) {
  ASSIGN_OR_RETURN(std::vector<int64_t> ids, ParseNamePattern(name, "regions/{}/routeSettings", field));
  return ids[0];
}

}  // namespace

grpc::Status RouteServiceImpl::GetRouteSettings(grpc::ServerContext* ctx, const v1::GetRouteSettingsRequest* req,
                                                v1::GetRouteSettingsResponse* resp) {
  return Run(ctx, authn_, "RouteService/GetRouteSettings", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t region, ParseSettingsName(req->name(), "name"));
      if (!InRegion(p, region)) RETURN_IF_ERROR(CheckAccess(p, Action::kReadRoute, Dir::PlaceRegion(c, region)));
      *resp->mutable_settings() = Repo::GetSettings(c, region);
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::UpdateRouteSettings(grpc::ServerContext* ctx, const v1::UpdateRouteSettingsRequest* req,
                                                   v1::UpdateRouteSettingsResponse* resp) {
  return Run(ctx, authn_, "RouteService/UpdateRouteSettings", [&](const Principal& p) -> absl::Status {
    const v1::RouteSettings& in = req->settings();
    ASSIGN_OR_RETURN(int64_t region, ParseSettingsName(in.name(), "settings.name"));
    ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(),
                                           {"teacher_signature_required", "school_signature_required", "approval_required",
                                            "approver_title", "default_goal", "default_horizon_months",
                                            "default_max_items_per_deficit"}));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateRouteSettings", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageCatalogue, Dir::PlaceRegion(c, region)));
      db::Stmt(c, "INSERT IGNORE INTO route_settings (region_id) VALUES (?)").Int(region).Execute();
      v1::RouteSettings current = Repo::GetSettings(c, region, true);
      v1::RouteSettings next = current;
      for (const auto& path : paths) {
        if (path == "teacher_signature_required") next.set_teacher_signature_required(in.teacher_signature_required());
        if (path == "school_signature_required") next.set_school_signature_required(in.school_signature_required());
        if (path == "approval_required") next.set_approval_required(in.approval_required());
        if (path == "approver_title") next.set_approver_title(in.approver_title());
        if (path == "default_goal") next.set_default_goal(in.default_goal());
        if (path == "default_horizon_months") next.set_default_horizon_months(in.default_horizon_months());
        if (path == "default_max_items_per_deficit") next.set_default_max_items_per_deficit(in.default_max_items_per_deficit());
      }
      if (!next.teacher_signature_required() && !next.school_signature_required()) {
        return absl::InvalidArgumentError(
            "Поле settings.teacher_signature_required: маршрут согласуется хотя бы одной подписью — педагога или ОО");
      }
      RETURN_IF_ERROR(next.approval_required() ? RequireText(next.approver_title(), "settings.approver_title", 255)
                                               : OptionalText(next.approver_title(), "settings.approver_title", 255));
      RETURN_IF_ERROR(RequireText(next.default_goal(), "settings.default_goal", 2000));
      if (next.default_horizon_months() < 1 || next.default_horizon_months() > 36) {
        return absl::InvalidArgumentError("Поле settings.default_horizon_months: от 1 до 36");
      }
      if (next.default_max_items_per_deficit() < 1 || next.default_max_items_per_deficit() > 10) {
        return absl::InvalidArgumentError("Поле settings.default_max_items_per_deficit: от 1 до 10");
      }
      RETURN_IF_ERROR(CheckVersion(in.version(), current.version()));
      Repo::SaveSettings(c, region, next);
      *resp->mutable_settings() = Repo::GetSettings(c, region);
      db::WriteAudit(c, p.account_id, "UpdateRouteSettings", next.name(), &current, &resp->settings());
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- document

grpc::Status RouteServiceImpl::RenderRouteDocument(grpc::ServerContext* ctx, const v1::RenderRouteDocumentRequest* req,
                                                   v1::RenderRouteDocumentResponse* resp) {
  return Run(ctx, authn_, "RouteService/RenderRouteDocument", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseRouteName(req->name(), "name"));
      auto head = Repo::GetHead(c, id);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, head));
      ASSIGN_OR_RETURN(v1::Route r, Repo::Get(c, id));
      v1::RouteSettings settings = Repo::GetSettings(c, head->region_id);
      auto day = [](const v1::Date& d) -> std::optional<absl::CivilDay> {
        if (d.year() == 0) return std::nullopt;
        return absl::CivilDay(d.year(), d.month(), d.day());
      };
      route::Document doc;
      doc.full_name = r.header().full_name();
      doc.municipality = r.header().municipality_title();
      doc.organization = r.header().organization_title();
      doc.position = r.header().position();
      doc.subject = r.header().subject();
      doc.diagnosis_date = day(r.header().diagnosis_date());
      doc.overall_level = r.header().overall_level();
      doc.deficit_count = r.header().deficit_count();
      doc.goal = r.goal();
      doc.start = day(r.planned_start_date());
      doc.end = day(r.planned_end_date());
      doc.status = static_cast<route::Status>(r.status());
      doc.approval_required = settings.approval_required();
      doc.approver_title = settings.approver_title();
      absl::TimeZone tz;
      if (!absl::LoadTimeZone("Europe/Moscow", &tz)) tz = absl::FixedTimeZone(3 * 3600);
      for (const auto& s : r.signatures()) {
        route::DocumentSignature sig{s.full_name(), s.position_title(), absl::ToCivilDay(FromProtoTime(s.sign_time()), tz)};
        if (s.kind() == v1::ROUTE_SIGNATURE_KIND_TEACHER) doc.teacher = sig;
        if (s.kind() == v1::ROUTE_SIGNATURE_KIND_SCHOOL_REPRESENTATIVE) doc.school = sig;
        if (s.kind() == v1::ROUTE_SIGNATURE_KIND_APPROVER) doc.approver = sig;
      }
      if (doc.teacher.full_name.empty()) doc.teacher.full_name = r.header().full_name();
      if (!r.methodist().empty()) {
        int64_t m = 0;
        (void)absl::SimpleAtoi(r.methodist().substr(7), &m);
        const char* role = r.methodist_role() == v1::ACCOMPANIMENT_ROLE_TUTOR ? "педагог-тьютор"
                           : r.methodist_role() == v1::ACCOMPANIMENT_ROLE_MUNICIPAL_METHODIST ? "муниципальный методист"
                                                                                               : "региональный методист";
        doc.methodist = absl::StrCat(PersonName(c, m), " (", role, ")");
      }
      for (const auto& it : r.items()) {
        doc.items.push_back({static_cast<route::Section>(it.section()), it.title(), it.form(), it.hours(), day(it.deadline()),
                             it.community_status(), static_cast<route::ItemStatus>(it.status()), it.reflective_report()});
      }
      resp->set_html(route::RenderDocument(doc));
      resp->set_filename(absl::StrCat("iom-routes-", id, ".html"));
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
