// RouteService: accompaniment (methodist or tutor of a route, loads) and the CSV register of
// ИОМ that replaces the shared spreadsheet (export, edit, import back).
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/route_feed.h"
#include "server/db/route_item_repository.h"
#include "server/db/route_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/route/register_csv.h"
#include "server/domain/route/tutor.h"
#include "server/services/convert.h"
#include "server/services/route_access.h"
#include "server/services/route_service.h"
#include "server/services/route_service_util.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using access::Role;
using Dir = db::DirectoryRepository;
using Repo = db::RouteRepository;
using Items = db::RouteItemRepository;
namespace v1 = nms::v1;

namespace {

constexpr size_t kMaxCsvBytes = 10 * 1024 * 1024;
// A unary response stays under the server's 8 MB message limit with room to spare.
constexpr size_t kMaxExportBytes = 7 * 1024 * 1024;

// The role a person accompanies in when the request does not say: their grants decide.
int InferRole(sql::Connection& c, int64_t person) {
  auto grant = Repo::MethodistGrantRole(c, person);
  if (grant == Role::kRegionalMethodist) return v1::ACCOMPANIMENT_ROLE_REGIONAL_METHODIST;
  if (grant == Role::kMunicipalMethodist) return v1::ACCOMPANIMENT_ROLE_MUNICIPAL_METHODIST;
  return v1::ACCOMPANIMENT_ROLE_TUTOR;
}

// The areas of the person's latest final diagnosis, for the tutor rule.
std::optional<std::vector<route::ResultArea>> LatestFinalAreas(sql::Connection& c, int64_t person) {
  auto id = db::DiagnosticsRepository::LatestFinalResult(c, person);
  if (!id) return std::nullopt;
  std::vector<route::ResultArea> out;
  for (const auto& a : Repo::ResultAreas(c, *id)) out.push_back({a.area, a.level});
  return out;
}

std::optional<absl::CivilDay> Day(const v1::Date& d) {
  if (d.year() == 0) return std::nullopt;
  return absl::CivilDay(d.year(), d.month(), d.day());
}

std::vector<route::Evidence> EvidenceOf(const v1::RouteItem& it) {
  std::vector<route::Evidence> out;
  for (const auto& e : it.evidence()) {
    out.push_back({static_cast<route::EvidenceKind>(e.kind()), e.certificate_number(), e.url(), e.file_ref(),
                   e.description()});
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- accompaniment

grpc::Status RouteServiceImpl::AssignRouteMethodist(grpc::ServerContext* ctx, const v1::AssignRouteMethodistRequest* req,
                                                    v1::AssignRouteMethodistResponse* resp) {
  return Run(ctx, authn_, "RouteService/AssignRouteMethodist", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseRouteName(req->name(), "name"));
    ASSIGN_OR_RETURN(int64_t methodist, ParseOptionalResourceName(req->methodist(), "people", "methodist"));
    RETURN_IF_ERROR(CheckEnum(req->role(), v1::AccompanimentRole_descriptor(), "role", EnumUse::kOptional));
    return db::IdempotentWrite(pool_, p.account_id, "AssignRouteMethodist", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto head = Repo::GetHead(c, id, true);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, head));
      bool may = false;
      for (const auto& a : ActorsFor(p, *head)) {
        may |= a.role == Role::kRegionalMethodist || a.role == Role::kMunicipalMethodist || a.role == Role::kRegionalAdmin;
      }
      if (!may) {
        return absl::PermissionDeniedError(
            "Сопровождающего назначают региональный или муниципальный методист либо министерство");
      }
      // The methodist is often outside the caller's scope (a ЦНППМ methodist, a tutor of another
      // school): any person of the caller's region may be named; another region's is refused.
      std::optional<Placement> methodist_place;
      if (methodist != 0) {
        auto place = Dir::PlacePerson(c, methodist);
        RETURN_IF_ERROR(CheckRegionAccess(p, Action::kReadRoute, place));
        methodist_place = *place;
      }
      int role = req->role();
      if (methodist != 0) {
        if (methodist_place->region_id != head->region_id) {
          return absl::InvalidArgumentError("Поле methodist: человек не найден в регионе маршрута");
        }
        if (methodist == head->person_id) {
          return absl::InvalidArgumentError("Поле methodist: педагог не сопровождает собственный маршрут");
        }
      }
      RETURN_IF_ERROR(CheckVersion(req->version(), head->version));
      if (!route::IsOpen(head->state.status)) {
        return absl::FailedPreconditionError(absl::StrCat("Маршрут в статусе «", route::StatusTitle(head->state.status),
                                                          "»: сопровождение не назначается"));
      }
      if (methodist != 0) {
        if (role == 0) role = InferRole(c, methodist);
        if (role == v1::ACCOMPANIMENT_ROLE_TUTOR) RETURN_IF_ERROR(route::CheckTutorEligible(LatestFinalAreas(c, methodist)));
      }
      ASSIGN_OR_RETURN(v1::Route before, Repo::Get(c, id));
      Repo::SetMethodist(c, *head, methodist, role, RegionToday(c, head->region_id));
      ASSIGN_OR_RETURN(*resp->mutable_route(), Repo::Get(c, id));
      db::WriteAudit(c, p.account_id, "AssignRouteMethodist", resp->route().name(), &before, &resp->route());
      db::WriteRouteFeed(c, head->region_id, resp->route());
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::GetMethodistLoad(grpc::ServerContext* ctx, const v1::GetMethodistLoadRequest* req,
                                                v1::GetMethodistLoadResponse* resp) {
  return Run(ctx, authn_, "RouteService/GetMethodistLoad", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t person, ParseResourceName(req->methodist(), "people", "methodist"));
      if (person != p.person_id) RETURN_IF_ERROR(CheckAccess(p, Action::kReadRoute, Dir::PlacePerson(c, person)));
      ASSIGN_OR_RETURN(*resp->mutable_load(), Repo::Load(c, person));
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::ListMethodistLoads(grpc::ServerContext* ctx, const v1::ListMethodistLoadsRequest* req,
                                                  v1::ListMethodistLoadsResponse* resp) {
  return Run(ctx, authn_, "RouteService/ListMethodistLoads", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(), {"role", "teachers_assigned"}));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      ASSIGN_OR_RETURN(db::ScopeFilter scope, ResolveListScope(c, p, Action::kReadRoute, req->scope(), "scope"));
      if (scope.kind == db::ScopeFilter::Kind::kPerson) {
        return absl::InvalidArgumentError("Поле scope: нагрузка показывается для региона, округа, муниципалитета или ОО");
      }
      // Each term read once, before any row, so a bad value is refused even over no rows.
      struct Term {
        std::string field, op;
        int64_t value = 0;
      };
      std::vector<Term> wanted;
      for (const auto& t : terms) {
        if (t.field == "role") {
          RETURN_IF_ERROR(FilterOps(t, {"=", "!="}));
          ASSIGN_OR_RETURN(int n, FilterEnum(t, v1::AccompanimentRole_descriptor()));
          wanted.push_back({t.field, t.op, n});
        } else {
          RETURN_IF_ERROR(FilterOps(t, {"=", "!=", "<", "<=", ">", ">="}));
          ASSIGN_OR_RETURN(int64_t n, FilterNumber(t));
          wanted.push_back({t.field, t.op, n});
        }
      }
      std::vector<v1::MethodistLoad> loads = Repo::Loads(c, scope);
      std::vector<v1::MethodistLoad> kept;
      for (auto& l : loads) {
        bool ok = true;
        for (const Term& t : wanted) {
          const int64_t v = t.field == "role" ? l.role() : l.teachers_assigned();
          const int64_t n = t.value;
          ok &= t.op == "=" ? v == n : t.op == "!=" ? v != n : t.op == ">" ? v > n : t.op == ">=" ? v >= n
                : t.op == "<" ? v < n : v <= n;
        }
        if (ok) kept.push_back(std::move(l));
      }
      const int64_t total = static_cast<int64_t>(kept.size());
      std::string next;
      for (auto& l : TakePage(std::move(kept), paging, &next)) *resp->add_loads() = std::move(l);
      resp->set_next_page_token(next);
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- the register

grpc::Status RouteServiceImpl::ExportRoutesCsv(grpc::ServerContext* ctx, const v1::ExportRoutesCsvRequest* req,
                                               v1::ExportRoutesCsvResponse* resp) {
  return Run(ctx, authn_, "RouteService/ExportRoutesCsv", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(), {"status", "campaign", "methodist"}));
      ASSIGN_OR_RETURN(db::ScopeFilter scope, ResolveListScope(c, p, Action::kReadRoute, req->scope(), "scope"));
      ASSIGN_OR_RETURN(std::vector<int64_t> ids, Repo::ListIds(c, scope, terms, 1000000));
      std::vector<route::RegisterRow> rows;
      size_t bytes = 0;
      for (size_t from = 0; from < ids.size(); from += 500) {
        std::vector<int64_t> chunk(ids.begin() + from, ids.begin() + std::min(ids.size(), from + 500));
        for (const auto& r : Repo::GetMany(c, chunk)) {
          route::RegisterRow base;
          base.route = r.name();
          base.route_status = static_cast<route::Status>(r.status());
          base.person = r.person();
          base.full_name = r.header().full_name();
          base.organization = r.header().organization_title();
          if (r.items().empty()) rows.push_back(base);
          for (const auto& it : r.items()) {
            route::RegisterRow row = base;
            row.item = it.name();
            row.item_version = it.version();
            row.section = static_cast<route::Section>(it.section());
            row.title = it.title();
            row.form = it.form();
            row.hours = it.hours();
            row.deadline = Day(it.deadline());
            row.item_status = static_cast<route::ItemStatus>(it.status());
            row.skip_reason = it.skip_reason();
            row.evidence = EvidenceOf(it);
            row.reflective_report = it.reflective_report();
            bytes += 200 + row.title.size() + row.form.size() + row.reflective_report.size() + row.full_name.size() +
                     row.organization.size() + row.skip_reason.size();
            rows.push_back(std::move(row));
          }
        }
        if (bytes > kMaxExportBytes) {
          return absl::FailedPreconditionError(absl::StrCat(
              "Реестр слишком велик для одной выгрузки (маршрутов: ", ids.size(),
              "); выгрузите его по муниципалитетам или организациям либо с фильтром по статусу"));
        }
      }
      std::string csv = route::RenderRegister(rows);
      if (csv.size() > kMaxExportBytes) {
        return absl::FailedPreconditionError("Реестр слишком велик для одной выгрузки; сузьте область или фильтр");
      }
      resp->set_row_count(static_cast<int64_t>(rows.size()));
      resp->set_content(std::move(csv));
      resp->set_filename(absl::StrCat("reestr-iom-", FormatDay(TodayInRegion()), ".csv"));
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::ImportRoutesCsv(grpc::ServerContext* ctx, const v1::ImportRoutesCsvRequest* req,
                                               v1::ImportRoutesCsvResponse* resp) {
  return Run(ctx, authn_, "RouteService/ImportRoutesCsv", [&](const Principal& p) -> absl::Status {
    if (req->content().size() > kMaxCsvBytes) {
      return absl::InvalidArgumentError("Поле content: файл больше 10 МБ; разделите его на части");
    }
    ASSIGN_OR_RETURN(std::vector<route::ImportRow> rows, route::ParseRegister(req->content()));
    auto write = [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      resp->set_rows_total(static_cast<int32_t>(rows.size()));
      std::map<int64_t, absl::StatusOr<db::RouteHead>> routes;
      for (const auto& row : rows) {
        v1::RouteCsvRowResult result;
        result.set_row_number(row.row_number);
        result.set_route(row.route);
        result.set_item(row.item);
        auto fail = [&](const std::string& column, const std::string& message) {
          result.set_outcome(v1::ROUTE_CSV_ROW_OUTCOME_ERROR);
          result.set_column(column);
          result.set_message(message);
          resp->set_rows_failed(resp->rows_failed() + 1);
          *resp->add_rows() = result;
        };
        if (row.informational) {
          resp->set_rows_unchanged(resp->rows_unchanged() + 1);
          continue;
        }
        if (row.error) {
          fail(row.error->column, row.error->message);
          continue;
        }
        auto ids = ParseItemName(row.item, "item");
        if (!ids.ok()) {
          fail("item", "ожидается имя пункта вида routes/{номер}/items/{номер}");
          continue;
        }
        if (!row.route.empty() && row.route != ResourceName("routes", ids->first)) {
          fail("route", "пункт принадлежит другому маршруту");
          continue;
        }
        auto cached = routes.find(ids->first);
        if (cached == routes.end()) cached = routes.emplace(ids->first, Repo::GetHead(c, ids->first, true)).first;
        const auto& head = cached->second;
        auto item = head.ok() ? Items::GetHead(c, ids->first, ids->second, true) : head.status();
        if (!head.ok() || !CheckRouteAccess(p, Action::kCarryOutRoute, head).ok() || !item.ok()) {
          fail("item", "пункт не найден или недоступен вам");
          continue;
        }
        route::ItemSnapshot snap{head->state.status, item->status, item->skip_reason, item->evidence,
                                 item->reflective_report, item->version};
        route::RowPlan plan = route::PlanRow(snap, row);
        if (plan.error) {
          fail(plan.error->column, plan.error->message);
          continue;
        }
        if (!plan.Changes()) {
          resp->set_rows_unchanged(resp->rows_unchanged() + 1);
          continue;
        }
        // Each row is applied whole or not at all, whatever happens to the others.
        ASSIGN_OR_RETURN(v1::RouteItem before, Items::Get(c, ids->first, ids->second));
        db::Stmt(c, "SAVEPOINT csv_row").Execute();
        try {
          if (plan.status_change) {
            std::optional<absl::CivilDay> done;
            if (plan.status == route::ItemStatus::kDone) done = RegionToday(c, head->region_id);
            Items::SetStatus(c, ids->second, plan.status, plan.skip_reason, done);
          }
          for (const auto& e : plan.new_evidence) Items::AddEvidence(c, ids->second, e);
          if (plan.reflection_change) Items::SetReflection(c, ids->second, plan.reflective_report);
          Repo::Touch(c, ids->first);
          ASSIGN_OR_RETURN(v1::RouteItem after, Items::Get(c, ids->first, ids->second));
          db::WriteAudit(c, p.account_id, "ImportRoutesCsv", after.name(), &before, &after);
          db::WriteItemFeed(c, head->region_id, after, federal::kUpdate);
          db::Stmt(c, "RELEASE SAVEPOINT csv_row").Execute();
        } catch (const sql::SQLException& e) {
          if (db::IsConnectionError(e.getErrorCode())) throw;
          db::Stmt(c, "ROLLBACK TO SAVEPOINT csv_row").Execute();
          fail("", std::string(db::FromSqlException(e).message()));
          continue;
        }
        result.set_outcome(v1::ROUTE_CSV_ROW_OUTCOME_UPDATED);
        resp->set_rows_updated(resp->rows_updated() + 1);
        *resp->add_rows() = result;
      }
      return absl::OkStatus();
    };
    if (req->dry_run()) {
      // Everything is checked and applied, then rolled back: the report is exact, nothing stays.
      return db::InRolledBackTransaction(pool_, write);
    }
    return db::IdempotentWrite(pool_, p.account_id, "ImportRoutesCsv", req->request_id(), *req, resp, write);
  });
}

}  // namespace nms::services
