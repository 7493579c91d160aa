// YoungTeacherService: settings, cohort, summary and alerts (measures: young_teacher_measures.cc).

#include "server/services/young_teacher_service.h"

#include <algorithm>

#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/monitoring_repository.h"
#include "server/db/sql.h"
#include "server/db/young_teacher_repository.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/young/listing.h"
#include "server/domain/young/summary.h"
#include "server/services/convert.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"
#include "server/services/young_cohort.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using db::ScopeFilter;
using Repo = db::YoungTeacherRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;

namespace {

constexpr absl::string_view kSettingsSuffix = "/youngTeacherSettings";

// ---------------------------------------------------------------- settings

absl::StatusOr<int64_t> ParseSettingsName(absl::string_view name, absl::string_view field) {
  if (!absl::ConsumeSuffix(&name, kSettingsSuffix)) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ожидается regions/{номер}/youngTeacherSettings"));
  }
  return ParseResourceName(name, "regions", field);
}

v1::YoungTeacherSettings SettingsToProto(int64_t region_id, const db::StoredYoungSettings& s) {
  v1::YoungTeacherSettings out;
  out.set_name(absl::StrCat(ResourceName("regions", region_id), kSettingsSuffix));
  out.set_age_limit_years(s.settings.age_limit_years);
  out.set_experience_limit_years(s.settings.experience_limit_years);
  out.set_support_target_percent(s.settings.support_target_percent);
  out.set_alert_window_months(s.settings.alert_window_months);
  out.set_version(s.version);
  return out;
}

// ---------------------------------------------------------------- the cohort of a request

const char* Collection(ScopeFilter::Kind kind) {
  switch (kind) {
    case ScopeFilter::Kind::kRegion: return "regions";
    case ScopeFilter::Kind::kDistrict: return "districts";
    case ScopeFilter::Kind::kMunicipality: return "municipalities";
    case ScopeFilter::Kind::kOrganization: return "organizations";
    case ScopeFilter::Kind::kPerson: return "people";
  }
  return "";
}

// Territory scopes are monitoring's scope levels, so titles and children come from the same
// lookups the indicators use.
monitoring::ScopeLevel LevelOf(ScopeFilter::Kind kind) {
  switch (kind) {
    case ScopeFilter::Kind::kRegion: return monitoring::ScopeLevel::kRegion;
    case ScopeFilter::Kind::kDistrict: return monitoring::ScopeLevel::kDistrict;
    case ScopeFilter::Kind::kMunicipality: return monitoring::ScopeLevel::kMunicipality;
    case ScopeFilter::Kind::kOrganization: return monitoring::ScopeLevel::kOrganization;
    case ScopeFilter::Kind::kPerson: break;
  }
  return monitoring::ScopeLevel::kUnspecified;
}

// "Фамилия Имя Отчество", without the gaps of missing parts.
std::string JoinName(absl::string_view last, absl::string_view first, absl::string_view middle) {
  std::vector<absl::string_view> parts;
  for (absl::string_view n : {last, first, middle}) {
    if (!n.empty()) parts.push_back(n);
  }
  return absl::StrJoin(parts, " ");
}

// The region and title of a checked scope.
absl::StatusOr<db::ScopeRow> FindScope(sql::Connection& c, const ScopeFilter& s) {
  if (s.kind == ScopeFilter::Kind::kPerson) {
    ASSIGN_OR_RETURN(v1::Person person, Dir::GetPerson(c, s.id));
    ASSIGN_OR_RETURN(Placement place, Dir::PlacePerson(c, s.id));
    return db::ScopeRow{s.id, place.region_id, JoinName(person.last_name(), person.first_name(), person.middle_name())};
  }
  auto row = db::MonitoringRepository::FindScope(c, LevelOf(s.kind), s.id);
  if (!row) return absl::NotFoundError(absl::StrCat(ResourceName(Collection(s.kind), s.id), " не найден(а)"));
  return *row;
}

// A checked scope, its region's rule and the reference date of one request.
struct CohortRequest {
  ScopeFilter scope;
  std::string scope_name;  // canonical, e.g. "municipalities/3"
  std::string scope_title;
  int64_t region_id = 0;
  db::StoredYoungSettings settings;
  absl::CivilDay ref;
};

absl::StatusOr<CohortRequest> ResolveCohortRequest(sql::Connection& c, const Principal& p, const std::string& scope,
                                                   const v1::Date& reference_date) {
  CohortRequest out;
  ASSIGN_OR_RETURN(out.scope, ResolveListScope(c, p, Action::kReadYoungTeachers, scope, "scope"));
  ASSIGN_OR_RETURN(auto ref, FromProtoDate(reference_date, "reference_date"));
  out.scope_name = ResourceName(Collection(out.scope.kind), out.scope.id);
  ASSIGN_OR_RETURN(db::ScopeRow row, FindScope(c, out.scope));
  out.region_id = row.region_id;
  out.scope_title = row.title;
  out.settings = Repo::GetSettings(c, out.region_id);
  out.ref = ref ? *ref : TodayInRegion(Repo::RegionTimeZone(c, out.region_id));
  return out;
}

using Member = CohortMember;

// The request's cohort, judged with the alert window, in list order.
std::vector<Member> ComputeCohort(sql::Connection& c, const CohortRequest& r, int window_months) {
  return services::ComputeCohort(c, r.region_id, r.scope, r.ref, r.settings.settings, window_months);
}

std::string FullName(const young::CohortRow& r) { return JoinName(r.last_name, r.first_name, r.middle_name); }

void MemberToProto(const Member& m, v1::YoungTeacher* out) {
  const young::Assessment& a = m.row.assessment;
  out->set_person(ResourceName("people", m.row.person_id));
  out->set_full_name(FullName(m.row));
  out->set_organization(ResourceName("organizations", m.row.organization_id));
  out->set_organization_title(m.row.organization_title);
  out->set_position(m.card.position);
  out->set_age_years(a.age_years);
  out->set_allocated_work_start_date(NewProtoDate(m.card.work_start_date));
  out->set_experience_months(a.experience_months);
  out->set_allocated_cohort_end_date(NewProtoDate(a.cohort_end));
  out->set_has_mentor(a.has_mentor);
  out->set_has_route(a.has_route);
  out->set_active_measures(a.active_measures);
  out->set_allocated_last_measure_date(NewProtoDate(a.last_measure_date));
  out->set_in_support(a.in_support);
  for (const auto& alert : a.alerts) out->add_alerts(static_cast<v1::YoungTeacherAlertKind>(alert.kind));
}

void CountsToProto(const young::CohortCounts& n, double target, v1::CohortSummary* out) {
  out->set_cohort_size(n.cohort_size);
  out->set_in_support(n.in_support);
  out->set_support_share_percent(young::SharePercent(n.in_support, n.cohort_size));
  out->set_target_percent(target);
  out->set_target_reached(young::TargetReached(n, target));
  out->set_without_mentor(n.without_mentor);
  out->set_without_route(n.without_route);
  out->set_without_recent_measure(n.without_recent_measure);
}

}  // namespace

// ---------------------------------------------------------------- settings

grpc::Status YoungTeacherServiceImpl::GetYoungTeacherSettings(grpc::ServerContext* ctx,
                                                              const v1::GetYoungTeacherSettingsRequest* req,
                                                              v1::GetYoungTeacherSettingsResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/GetYoungTeacherSettings", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t region, ParseSettingsName(req->name(), "name"));
      // Region-wide readers; everyone else finds the rule in their GetCohortSummary.
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadYoungTeachers, Dir::PlaceRegion(c, region)));
      *resp->mutable_settings() = SettingsToProto(region, Repo::GetSettings(c, region));
      return absl::OkStatus();
    });
  });
}

grpc::Status YoungTeacherServiceImpl::UpdateYoungTeacherSettings(grpc::ServerContext* ctx,
                                                                 const v1::UpdateYoungTeacherSettingsRequest* req,
                                                                 v1::UpdateYoungTeacherSettingsResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/UpdateYoungTeacherSettings", [&](const Principal& p) -> absl::Status {
    const auto& in = req->settings();
    ASSIGN_OR_RETURN(int64_t region, ParseSettingsName(in.name(), "settings.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateYoungTeacherSettings", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      // The limits define indicator 8 (monitoring reads them): the ministry's decision.
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageIndicators, Dir::PlaceRegion(c, region)));
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"age_limit_years", "experience_limit_years",
                                                                  "support_target_percent", "alert_window_months"}));
      db::StoredYoungSettings current = Repo::LockSettings(c, region);
      young::Settings next = current.settings;
      for (const auto& path : paths) {
        if (path == "age_limit_years") next.age_limit_years = in.age_limit_years();
        if (path == "experience_limit_years") next.experience_limit_years = in.experience_limit_years();
        if (path == "support_target_percent") next.support_target_percent = in.support_target_percent();
        if (path == "alert_window_months") next.alert_window_months = in.alert_window_months();
      }
      auto errors = young::ValidateSettings(next);
      if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
      RETURN_IF_ERROR(CheckVersion(in.version(), current.version));
      Repo::SaveSettings(c, region, next);
      v1::YoungTeacherSettings before = SettingsToProto(region, current);
      *resp->mutable_settings() = SettingsToProto(region, Repo::GetSettings(c, region));
      db::WriteAudit(c, p.account_id, "UpdateYoungTeacherSettings", resp->settings().name(), &before,
                     &resp->settings());
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- cohort

grpc::Status YoungTeacherServiceImpl::ListCohort(grpc::ServerContext* ctx, const v1::ListCohortRequest* req,
                                                 v1::ListCohortResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/ListCohort", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(CohortRequest r, ResolveCohortRequest(c, p, req->scope(), req->reference_date()));
      ASSIGN_OR_RETURN(young::CohortFilter filter, young::ParseCohortFilter(req->filter()));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, young::kRowKeyShape));
      std::vector<Member> members = ComputeCohort(c, r, r.settings.settings.alert_window_months);
      std::vector<Member> matching;
      for (auto& m : members) {
        if (young::Matches(filter, m.row)) matching.push_back(std::move(m));
      }
      std::vector<const Member*> page;
      std::string next;
      young::CutPage(matching, [](const Member& m) { return young::KeyOf(m.row); }, paging, &page, &next);
      for (const Member* m : page) MemberToProto(*m, resp->add_young_teachers());
      resp->set_next_page_token(next);
      resp->set_total_size(static_cast<int64_t>(matching.size()));
      return absl::OkStatus();
    });
  });
}

grpc::Status YoungTeacherServiceImpl::GetCohortSummary(grpc::ServerContext* ctx,
                                                       const v1::GetCohortSummaryRequest* req,
                                                       v1::GetCohortSummaryResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/GetCohortSummary", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(CohortRequest r, ResolveCohortRequest(c, p, req->scope(), req->reference_date()));
      const young::Settings& s = r.settings.settings;
      std::vector<Member> members = ComputeCohort(c, r, s.alert_window_months);
      young::CohortCounts total;
      for (const auto& m : members) total.Add(m.row.assessment);
      auto* summary = resp->mutable_summary();
      summary->set_scope(r.scope_name);
      summary->set_title(r.scope_title);
      CountsToProto(total, s.support_target_percent, summary);
      if (req->include_children()) {
        // One pass over the parent's cohort, bucketed by the child each member belongs to.
        // Region and district: municipalities; municipality: its educational organisations.
        bool by_org = r.scope.kind == ScopeFilter::Kind::kMunicipality;
        absl::flat_hash_map<int64_t, young::CohortCounts> by_child;
        for (const auto& m : members) {
          by_child[by_org ? m.card.organization_id : m.card.municipality_id].Add(m.row.assessment);
        }
        for (const auto& child :
             db::MonitoringRepository::ChildScopes(c, LevelOf(r.scope.kind), r.scope.id, r.region_id)) {
          auto* out = resp->add_children();
          out->set_scope(ResourceName(by_org ? "organizations" : "municipalities", child.id));
          out->set_title(child.title);
          CountsToProto(by_child[child.id], s.support_target_percent, out);
        }
      }
      *resp->mutable_settings() = SettingsToProto(r.region_id, r.settings);
      return absl::OkStatus();
    });
  });
}

grpc::Status YoungTeacherServiceImpl::ListYoungTeacherAlerts(grpc::ServerContext* ctx,
                                                             const v1::ListYoungTeacherAlertsRequest* req,
                                                             v1::ListYoungTeacherAlertsResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/ListYoungTeacherAlerts", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(CohortRequest r, ResolveCohortRequest(c, p, req->scope(), req->reference_date()));
      std::vector<bool> wanted(4, req->kinds().empty());
      for (int k : req->kinds()) {
        ASSIGN_OR_RETURN(young::AlertKind kind, young::AlertKindFromNumber(k));
        wanted[static_cast<int>(kind)] = true;
      }
      if (req->window_months() != 0 && !young::ValidAlertWindow(req->window_months())) {
        return absl::InvalidArgumentError(absl::StrCat("Поле window_months: от ", young::kMinAlertWindow, " до ",
                                                       young::kMaxAlertWindow, " месяцев или 0 (настройка региона)"));
      }
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, young::kRowKeyShape));
      int window = req->window_months() != 0 ? req->window_months() : r.settings.settings.alert_window_months;
      std::vector<Member> members = ComputeCohort(c, r, window);
      struct Row {
        const Member* member;
        const young::Alert* alert;
      };
      std::vector<Row> rows;
      for (const auto& m : members) {
        for (const auto& a : m.row.assessment.alerts) {
          if (wanted[static_cast<int>(a.kind)]) rows.push_back({&m, &a});
        }
      }
      auto key = [](const Row& row) { return young::KeyOf(row.member->row, static_cast<int>(row.alert->kind)); };
      std::vector<const Row*> page;
      std::string next;
      young::CutPage(rows, key, paging, &page, &next);
      for (const Row* row : page) {
        auto* out = resp->add_alerts();
        out->set_person(ResourceName("people", row->member->row.person_id));
        out->set_full_name(FullName(row->member->row));
        out->set_organization(ResourceName("organizations", row->member->row.organization_id));
        out->set_kind(static_cast<v1::YoungTeacherAlertKind>(row->alert->kind));
        out->set_allocated_since_date(NewProtoDate(row->alert->since));
        out->set_detail(row->alert->detail);
      }
      resp->set_next_page_token(next);
      resp->set_total_size(static_cast<int64_t>(rows.size()));
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
