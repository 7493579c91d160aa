// MentoringService: mentee requests, manual and automatic (young teachers, ИОМ items).
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/mentoring/auto_requests.h"
#include "server/domain/young/cohort.h"
#include "server/services/convert.h"
#include "server/services/mentoring_service.h"
#include "server/services/mentoring_operations.h"
#include "server/services/mentoring_support.h"
#include "server/services/route_access.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::MentoringRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;
namespace ms = mentoring_support;

namespace {

absl::Status ValidRequestFields(const v1::MenteeRequest& r, bool organization) {
  RETURN_IF_ERROR(CheckEnum(r.pair_type(), v1::PairType_descriptor(), "request.pair_type", EnumUse::kOptional));
  if (organization != (r.pair_type() == v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT) && r.pair_type() != 0) {
    return absl::InvalidArgumentError(
        organization ? "Поле request.pair_type: для организации — только менторство организаций"
                     : "Поле request.pair_type: менторство организаций — только для организации");
  }
  RETURN_IF_ERROR(ms::ValidList(r.subjects(), "request.subjects"));
  RETURN_IF_ERROR(ms::ValidEnums(r.areas(), v1::CompetencyArea_descriptor(), "request.areas"));
  RETURN_IF_ERROR(ms::ValidList(r.deficit_indicator_codes(), "request.deficit_indicator_codes", 100));
  RETURN_IF_ERROR(OptionalText(r.note(), "request.note", 5000));
  return absl::OkStatus();
}

bool IsSelf(const Principal& p, const db::EntityRef& mentee, const Placement& place) {
  return !mentee.organization && p.person_id == mentee.id &&
         access::Authorize(p, Action::kParticipateMentoring, place).ok();
}

// Loads a request for a change by the mentee or a manager of the mentee's place.
absl::StatusOr<Repo::RequestRow> LoadForChange(sql::Connection& c, const Principal& p, int64_t id) {
  auto row = Repo::GetRequest(c, id, true);
  if (!row.ok()) {
    RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring, absl::StatusOr<Placement>(row.status())));
    return row.status();
  }
  ASSIGN_OR_RETURN(db::EntityPlace place, Repo::PlaceEntity(c, row->mentee));
  if (!IsSelf(p, row->mentee, place.placement)) {
    RETURN_IF_ERROR(access::Authorize(p, Action::kManageMentoring, place.placement));
  }
  return row;
}

}  // namespace

grpc::Status MentoringServiceImpl::CreateMenteeRequest(grpc::ServerContext* ctx,
                                                       const v1::CreateMenteeRequestRequest* req,
                                                       v1::CreateMenteeRequestResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CreateMenteeRequest", [&](const Principal& p) -> absl::Status {
    v1::MenteeRequest in = req->request();
    ASSIGN_OR_RETURN(db::EntityRef mentee, ms::ParseEntity(in.mentee(), "request.mentee"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMenteeRequest", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      // Every named resource first: the mentee, then the route item the request is for.
      auto place = Repo::PlaceEntity(c, mentee);
      if (!place.ok()) return CheckAccess(p, Action::kManageMentoring, absl::StatusOr<Placement>(place.status()));
      const bool self = IsSelf(p, mentee, place->placement);
      if (!self) RETURN_IF_ERROR(access::Authorize(p, Action::kManageMentoring, place->placement));
      if (!in.route_item().empty()) {
        ASSIGN_OR_RETURN(db::RouteHead route,
                         AuthorizeRouteItemRef(c, p, Action::kReadRoute, in.route_item(), "request.route_item"));
        if (mentee.organization || route.person_id != mentee.id) {
          return absl::InvalidArgumentError("Поле request.route_item: пункт маршрута другого педагога");
        }
      }
      RETURN_IF_ERROR(ValidRequestFields(in, mentee.organization));
      if (mentee.organization) in.set_pair_type(v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT);
      if (auto existing = Repo::FindPendingRequest(c, mentee, in.pair_type())) {
        return absl::AlreadyExistsError(absl::StrCat("У наставляемого уже есть открытая заявка этого вида: ",
                                                     ResourceName("menteeRequests", *existing)));
      }
      RETURN_IF_ERROR(ms::FillFromRecord(c, mentee, &in));
      const int source = self ? v1::MENTEE_REQUEST_SOURCE_TEACHER : v1::MENTEE_REQUEST_SOURCE_SCHOOL;
      const int64_t id = Repo::InsertRequest(c, place->placement.region_id, mentee, in, source, "", p.account_id);
      ASSIGN_OR_RETURN(Repo::RequestRow row, Repo::GetRequest(c, id));
      *resp->mutable_request() = row.request;
      db::WriteAudit(c, p.account_id, "CreateMenteeRequest", row.request.name(), nullptr, &row.request);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::GetMenteeRequest(grpc::ServerContext* ctx, const v1::GetMenteeRequestRequest* req,
                                                    v1::GetMenteeRequestResponse* resp) {
  return Run(ctx, authn_, "MentoringService/GetMenteeRequest", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "menteeRequests", "name"));
      auto row = Repo::GetRequest(c, id);
      if (!row.ok()) return CheckAccess(p, Action::kReadMentoring, absl::StatusOr<Placement>(row.status()));
      ASSIGN_OR_RETURN(db::EntityPlace place, Repo::PlaceEntity(c, row->mentee));
      RETURN_IF_ERROR(access::Authorize(p, Action::kReadMentoring, place.placement));
      *resp->mutable_request() = row->request;
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMenteeRequests(grpc::ServerContext* ctx,
                                                      const v1::ListMenteeRequestsRequest* req,
                                                      v1::ListMenteeRequestsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMenteeRequests", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      return ms::ListInScope<v1::MenteeRequest>(c, p, Action::kReadMentoring, *req,
          {"mentee", "organization", "municipality", "status", "source", "pair_type"},
          &Repo::ListRequests, resp, resp->mutable_requests());
    });
  });
}

grpc::Status MentoringServiceImpl::UpdateMenteeRequest(grpc::ServerContext* ctx,
                                                       const v1::UpdateMenteeRequestRequest* req,
                                                       v1::UpdateMenteeRequestResponse* resp) {
  return Run(ctx, authn_, "MentoringService/UpdateMenteeRequest", [&](const Principal& p) -> absl::Status {
    const v1::MenteeRequest& in = req->request();
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(in.name(), "menteeRequests", "request.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateMenteeRequest", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Repo::RequestRow row, LoadForChange(c, p, id));
      ASSIGN_OR_RETURN(auto paths, ms::UpdatePaths(req->update_mask(),
                                             {"pair_type", "subjects", "areas", "deficit_indicator_codes", "note"}));
      v1::MenteeRequest next = row.request;
      for (const auto& path : paths) {
        if (path == "pair_type") next.set_pair_type(in.pair_type());
        if (path == "subjects") *next.mutable_subjects() = in.subjects();
        if (path == "areas") *next.mutable_areas() = in.areas();
        if (path == "deficit_indicator_codes") *next.mutable_deficit_indicator_codes() = in.deficit_indicator_codes();
        if (path == "note") next.set_note(in.note());
      }
      RETURN_IF_ERROR(ValidRequestFields(next, row.mentee.organization));
      RETURN_IF_ERROR(CheckVersion(in.version(), row.request.version()));
      if (row.request.status() != v1::MENTEE_REQUEST_STATUS_OPEN) {
        return absl::FailedPreconditionError("Изменить можно только открытую заявку (ещё без предложенной пары)");
      }
      Repo::UpdateRequestFields(c, id, next);
      ASSIGN_OR_RETURN(Repo::RequestRow after, Repo::GetRequest(c, id));
      *resp->mutable_request() = after.request;
      db::WriteAudit(c, p.account_id, "UpdateMenteeRequest", after.request.name(), &row.request, &after.request);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::CancelMenteeRequest(grpc::ServerContext* ctx,
                                                       const v1::CancelMenteeRequestRequest* req,
                                                       v1::CancelMenteeRequestResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CancelMenteeRequest", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "menteeRequests", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "CancelMenteeRequest", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Repo::RequestRow row, LoadForChange(c, p, id));
      RETURN_IF_ERROR(RequireText(req->reason(), "reason"));
      RETURN_IF_ERROR(CheckVersion(req->version(), row.request.version()));
      if (row.request.status() != v1::MENTEE_REQUEST_STATUS_OPEN) {
        return absl::FailedPreconditionError(
            "Отменить можно только открытую заявку; если пара уже предложена, отклоните или отмените пару");
      }
      Repo::SetRequestState(c, id, v1::MENTEE_REQUEST_STATUS_CANCELLED, 0, req->reason());
      ASSIGN_OR_RETURN(Repo::RequestRow after, Repo::GetRequest(c, id));
      *resp->mutable_request() = after.request;
      db::WriteAudit(c, p.account_id, "CancelMenteeRequest", after.request.name(), &row.request, &after.request);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::SyncAutoRequests(grpc::ServerContext* ctx, const v1::SyncAutoRequestsRequest* req,
                                                    v1::SyncAutoRequestsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/SyncAutoRequests", [&](const Principal& p) -> absl::Status {
    return db::IdempotentWrite(pool_, p.account_id, "SyncAutoRequests", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(ms::RunScope scope, ms::ResolveRunScope(c, p, Action::kManageMentoring, req->scope(), "scope"));
      ASSIGN_OR_RETURN(auto ref_opt, FromProtoDate(req->reference_date(), "reference_date"));
      const absl::CivilDay ref = ref_opt.value_or(TodayInRegion());
      ASSIGN_OR_RETURN(*resp, SyncAutoRequestsIn(c, scope, ref, p.account_id));
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
