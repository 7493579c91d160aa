// RouteService: the activity catalogue of a region (regional operator's reference data; every
// participant of the region reads it, the regional admin and methodists keep it).
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/db/activity_repository.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/names.h"
#include "server/domain/route/catalogue.h"
#include "server/services/convert.h"
#include "server/services/route_service.h"
#include "server/services/route_service_util.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Acts = db::ActivityRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;

namespace {

absl::Status Validate(const v1::Activity& a) {
  route::ActivityInput in;
  in.kind = a.kind();
  in.event_kind = a.event_kind();
  in.format = a.format();
  in.learning_form = a.learning_form();
  in.title = a.title();
  in.description = a.description();
  in.provider_title = a.provider_title();
  in.federal_registry_id = a.federal_registry_id();
  in.url = a.url();
  in.hours = a.hours();
  in.indicator_codes.assign(a.addressed_indicator_codes().begin(), a.addressed_indicator_codes().end());
  in.positions.assign(a.positions().begin(), a.positions().end());
  in.subjects.assign(a.subjects().begin(), a.subjects().end());
  in.areas.assign(a.addressed_areas().begin(), a.addressed_areas().end());
  ASSIGN_OR_RETURN(in.start_date, FromProtoDate(a.start_date(), "activity.start_date"));
  ASSIGN_OR_RETURN(in.end_date, FromProtoDate(a.end_date(), "activity.end_date"));
  return route::ValidateActivity(in);
}

// The provider organisation must be in the catalogue's region; 0 when not given.
absl::StatusOr<int64_t> Provider(sql::Connection& c, const v1::Activity& a, int64_t region) {
  ASSIGN_OR_RETURN(int64_t org, ParseOptionalResourceName(a.provider(), "organizations", "activity.provider"));
  if (org == 0) return 0;
  auto place = Dir::PlaceOrganization(c, org);
  if (!place.ok() || place->region_id != region) {
    return absl::InvalidArgumentError("Поле activity.provider: организация не найдена в регионе");
  }
  return org;
}

absl::Status UniqueRegistryId(sql::Connection& c, int64_t region, const std::string& registry_id, int64_t self) {
  if (registry_id.empty()) return absl::OkStatus();
  auto other = Acts::FindByRegistryId(c, region, registry_id);
  if (other && *other != self) {
    return absl::AlreadyExistsError(absl::StrCat("Программа с номером ФР ДПП «", registry_id,
                                                 "» уже есть в каталоге: activities/", *other));
  }
  return absl::OkStatus();
}

// The region of an activity the caller keeps the catalogue of (missing = NOT_FOUND to
// region-wide roles, PERMISSION_DENIED to others, as everywhere).
absl::StatusOr<int64_t> ManagedRegion(sql::Connection& c, const Principal& p, int64_t id) {
  auto region = Acts::RegionOf(c, id);
  absl::StatusOr<Placement> where =
      region.ok() ? absl::StatusOr<Placement>(Placement{*region, 0, 0, 0}) : absl::StatusOr<Placement>(region.status());
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageCatalogue, where));
  return *region;
}

// Missing, or in a region the caller has nothing to do with: the same NOT_FOUND.
absl::StatusOr<int64_t> ReadableRegion(sql::Connection& c, const Principal& p, int64_t id) {
  auto region = Acts::RegionOf(c, id);
  if (!region.ok() || !InRegion(p, *region)) {
    return absl::NotFoundError(absl::StrCat("Мероприятие activities/", id, " не найдено"));
  }
  return *region;
}

}  // namespace

grpc::Status RouteServiceImpl::CreateActivity(grpc::ServerContext* ctx, const v1::CreateActivityRequest* req,
                                              v1::CreateActivityResponse* resp) {
  return Run(ctx, authn_, "RouteService/CreateActivity", [&](const Principal& p) -> absl::Status {
    v1::Activity a = req->activity();
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(a.region(), "regions", "activity.region"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateActivity", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageCatalogue, Dir::PlaceRegion(c, region)));
      RETURN_IF_ERROR(Validate(a));
      // A new entry is offered for routes; the federal flag belongs to imported programmes.
      a.set_active(true);
      a.set_federal(false);
      ASSIGN_OR_RETURN(int64_t provider, Provider(c, a, region));
      RETURN_IF_ERROR(UniqueRegistryId(c, region, a.federal_registry_id(), 0));
      int64_t id = Acts::Insert(c, region, a, provider);
      ASSIGN_OR_RETURN(*resp->mutable_activity(), Acts::Get(c, id));
      db::WriteAudit(c, p.account_id, "CreateActivity", resp->activity().name(), nullptr, &resp->activity());
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::GetActivity(grpc::ServerContext* ctx, const v1::GetActivityRequest* req,
                                           v1::GetActivityResponse* resp) {
  return Run(ctx, authn_, "RouteService/GetActivity", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "activities", "name"));
      RETURN_IF_ERROR(ReadableRegion(c, p, id).status());
      ASSIGN_OR_RETURN(*resp->mutable_activity(), Acts::Get(c, id));
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::ListActivities(grpc::ServerContext* ctx, const v1::ListActivitiesRequest* req,
                                              v1::ListActivitiesResponse* resp) {
  return Run(ctx, authn_, "RouteService/ListActivities", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(), {"region", "kind", "event_kind", "format", "active",
                                                             "addressed_indicator_codes", "addressed_areas",
                                                             "federal_registry_id"}));
    int64_t region = p.grants.empty() ? 0 : p.grants.front().region_id;
    for (const auto& t : terms) {
      if (t.field == "region") {
        ASSIGN_OR_RETURN(region, ParseResourceName(t.value, "regions", "filter"));
      }
    }
    if (!InRegion(p, region)) return access::Authorize(p, Action::kReadRoute, Placement{});
    ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
    // Programmes imported from the federal registry join the catalogue before it is shown.
    bool pending = false;
    RETURN_IF_ERROR(db::WithConnection(pool_, [&](sql::Connection& c) {
      pending = Acts::FederalSyncPending(c, region);
      return absl::OkStatus();
    }));
    if (pending) {
      RETURN_IF_ERROR(db::InTransaction(pool_, [&](sql::Connection& c) {
        Acts::SyncFederalProgrammes(c, region);
        return absl::OkStatus();
      }));
    }
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      std::vector<v1::Activity> out;
      std::string next;
      int64_t total = 0;
      RETURN_IF_ERROR(Acts::List(c, region, terms, paging, &out, &next, &total));
      for (auto& a : out) *resp->add_activities() = std::move(a);
      resp->set_next_page_token(next);
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::UpdateActivity(grpc::ServerContext* ctx, const v1::UpdateActivityRequest* req,
                                              v1::UpdateActivityResponse* resp) {
  return Run(ctx, authn_, "RouteService/UpdateActivity", [&](const Principal& p) -> absl::Status {
    const v1::Activity& in = req->activity();
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(in.name(), "activities", "activity.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateActivity", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t region, ManagedRegion(c, p, id));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      ASSIGN_OR_RETURN(auto paths,
                       MaskPaths(req->update_mask(),
                                 {"kind", "event_kind", "title", "description", "hours", "format", "learning_form",
                                  "provider", "provider_title", "federal_registry_id", "addressed_indicator_codes",
                                  "addressed_areas", "positions", "subjects", "start_date", "end_date", "url", "active"}));
      ASSIGN_OR_RETURN(v1::Activity before, Acts::Get(c, id, true));
      RETURN_IF_ERROR(CheckVersion(in.version(), before.version()));
      v1::Activity next = before;
      for (const auto& path : paths) {
        if (before.federal() && path != "active") {
          return absl::FailedPreconditionError(
              "Программа из федерального реестра ДПП обновляется импортом; вручную меняется только active");
        }
        if (path == "kind") next.set_kind(in.kind());
        if (path == "event_kind") next.set_event_kind(in.event_kind());
        if (path == "title") next.set_title(in.title());
        if (path == "description") next.set_description(in.description());
        if (path == "hours") next.set_hours(in.hours());
        if (path == "format") next.set_format(in.format());
        if (path == "learning_form") next.set_learning_form(in.learning_form());
        if (path == "provider") next.set_provider(in.provider());
        if (path == "provider_title") next.set_provider_title(in.provider_title());
        if (path == "federal_registry_id") next.set_federal_registry_id(in.federal_registry_id());
        if (path == "addressed_indicator_codes") *next.mutable_addressed_indicator_codes() = in.addressed_indicator_codes();
        if (path == "addressed_areas") *next.mutable_addressed_areas() = in.addressed_areas();
        if (path == "positions") *next.mutable_positions() = in.positions();
        if (path == "subjects") *next.mutable_subjects() = in.subjects();
        if (path == "start_date") *next.mutable_start_date() = in.start_date();
        if (path == "end_date") *next.mutable_end_date() = in.end_date();
        if (path == "url") next.set_url(in.url());
        if (path == "active") next.set_active(in.active());
      }
      RETURN_IF_ERROR(Validate(next));
      ASSIGN_OR_RETURN(int64_t provider, Provider(c, next, region));
      RETURN_IF_ERROR(UniqueRegistryId(c, region, next.federal_registry_id(), id));
      Acts::Update(c, id, next, provider);
      ASSIGN_OR_RETURN(*resp->mutable_activity(), Acts::Get(c, id));
      db::WriteAudit(c, p.account_id, "UpdateActivity", resp->activity().name(), &before, &resp->activity());
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::DeleteActivity(grpc::ServerContext* ctx, const v1::DeleteActivityRequest* req,
                                              v1::DeleteActivityResponse* resp) {
  return Run(ctx, authn_, "RouteService/DeleteActivity", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "activities", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteActivity", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t region, ManagedRegion(c, p, id));
      ASSIGN_OR_RETURN(v1::Activity before, Acts::Get(c, id, true));
      RETURN_IF_ERROR(CheckVersion(req->version(), before.version()));
      if (Acts::UsedByItems(c, id) || before.federal()) {
        // Routes keep pointing at it (and the federal import would bring it back): deactivate.
        v1::Activity next = before;
        next.set_active(false);
        int64_t provider = 0;
        if (!before.provider().empty()) (void)absl::SimpleAtoi(before.provider().substr(14), &provider);
        Acts::Update(c, id, next, provider);
        ASSIGN_OR_RETURN(v1::Activity after, Acts::Get(c, id));
        db::WriteAudit(c, p.account_id, "DeleteActivity.deactivate", before.name(), &before, &after);
      } else {
        Acts::Delete(c, id);
        db::WriteAudit(c, p.account_id, "DeleteActivity", before.name(), &before, nullptr);
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
