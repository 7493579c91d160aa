// DiagnosticsService: campaigns (waves) with their target population, launch (drawing the
// participants, the stratified sample reproducibly from its seed), close, participants and
// retakes. A municipal methodist manages campaigns whose whole population lies in their
// municipality; regional roles manage all of the region's.

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/calibration_repository.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/inbox/notifications.h"
#include "server/domain/diagnostics/campaign_rules.h"
#include "server/domain/diagnostics/sampling.h"
#include "server/services/convert.h"
#include "server/services/diagnostics_common.h"
#include "server/services/diagnostics_service.h"
#include "server/services/notify.h"
#include "server/services/route_service_util.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;
using access::Action;
using access::Placement;
using access::Principal;
using Dir = db::DirectoryRepository;
using Repo = db::DiagnosticsRepository;

namespace {

constexpr int kMaxScopes = 200;
constexpr int kMaxPeople = 10000;
constexpr int kMaxTags = 50;

absl::Status ValidateTexts(const google::protobuf::RepeatedPtrField<std::string>& v, absl::string_view field) {
  if (v.size() > kMaxTags) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": не больше ", kMaxTags));
  for (const auto& s : v) RETURN_IF_ERROR(RequireText(s, field, 255));
  return absl::OkStatus();
}

// A validated population: where its scopes sit, who may manage it, and the query that draws it.
struct PopulationPlan {
  db::PopulationQuery query;
  int64_t owner_municipality_id = 0;
  bool stratified = false;
  double fraction = 0;
  std::vector<dx::Quota> quotas;
  uint64_t seed = 0;
};

absl::Status AddScopes(sql::Connection& c, const Principal& p, int64_t region,
                       const google::protobuf::RepeatedPtrField<std::string>& scopes, absl::string_view field,
                       PopulationPlan& plan, std::vector<Placement>& places) {
  if (scopes.size() > kMaxScopes) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": не больше 200"));
  for (const auto& name : scopes) {
    ASSIGN_OR_RETURN(AnyName n, ParseAnyName(name, field));
    db::ScopeFilter filter{db::ScopeFilter::Kind::kRegion, n.id};
    if (n.collection == "regions") filter.kind = db::ScopeFilter::Kind::kRegion;
    else if (n.collection == "districts") filter.kind = db::ScopeFilter::Kind::kDistrict;
    else if (n.collection == "municipalities") filter.kind = db::ScopeFilter::Kind::kMunicipality;
    else if (n.collection == "organizations") filter.kind = db::ScopeFilter::Kind::kOrganization;
    else {
      return absl::InvalidArgumentError(
          absl::StrCat("Поле ", field, ": regions/…, districts/…, municipalities/… или organizations/…"));
    }
    auto place = PlaceByName(c, name, field);
    if (place.ok() && n.collection == "districts") place = Placement{place->region_id, 0, 0, 0};
    RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, place));
    if (place->region_id != region) {
      return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ", name, " вне региона кампании"));
    }
    places.push_back(*place);
    plan.query.scopes.push_back(filter);
  }
  return absl::OkStatus();
}

absl::StatusOr<PopulationPlan> PlanPopulation(sql::Connection& c, const Principal& p, int64_t region,
                                              const v1::CampaignPopulation& pop) {
  PopulationPlan plan;
  plan.query.region_id = region;
  std::vector<Placement> places;
  switch (pop.selection_case()) {
    case v1::CampaignPopulation::kListed: {
      const auto& l = pop.listed();
      RETURN_IF_ERROR(AddScopes(c, p, region, l.scopes(), "campaign.population.listed.scopes", plan, places));
      RETURN_IF_ERROR(ValidateTexts(l.positions(), "campaign.population.listed.positions"));
      RETURN_IF_ERROR(ValidateTexts(l.subjects(), "campaign.population.listed.subjects"));
      if (l.people_size() > kMaxPeople) {
        return absl::InvalidArgumentError("Поле campaign.population.listed.people: не больше 10000");
      }
      for (const auto& name : l.people()) {
        ASSIGN_OR_RETURN(int64_t id, ParseResourceName(name, "people", "campaign.population.listed.people"));
        auto place = Dir::PlacePerson(c, id);
        RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, place));
        if (place->region_id != region) {
          return absl::InvalidArgumentError(
              absl::StrCat("Поле campaign.population.listed.people: ", name, " вне региона кампании"));
        }
        places.push_back(*place);
        plan.query.people.push_back(id);
      }
      if (l.scopes().empty() && l.people().empty()) {
        return absl::InvalidArgumentError("Поле campaign.population.listed: укажите scopes или people");
      }
      plan.query.positions.assign(l.positions().begin(), l.positions().end());
      plan.query.subjects.assign(l.subjects().begin(), l.subjects().end());
      break;
    }
    case v1::CampaignPopulation::kStratifiedSample: {
      const auto& s = pop.stratified_sample();
      RETURN_IF_ERROR(AddScopes(c, p, region, s.scopes(), "campaign.population.stratified_sample.scopes", plan, places));
      RETURN_IF_ERROR(ValidateTexts(s.positions(), "campaign.population.stratified_sample.positions"));
      RETURN_IF_ERROR(ValidateTexts(s.subjects(), "campaign.population.stratified_sample.subjects"));
      if (s.scopes().empty()) {
        // The whole region: only regional roles run it.
        places.push_back(Placement{region, 0, 0, 0});
        plan.query.scopes.push_back({db::ScopeFilter::Kind::kRegion, region});
      }
      for (const auto& q : s.quotas()) plan.quotas.push_back({q.organization_type(), q.share()});
      auto errors = dx::ValidateSampleSpec(s.sample_fraction(), plan.quotas);
      if (!errors.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("Поле campaign.population.stratified_sample: ", absl::StrJoin(errors, "; ")));
      }
      plan.query.positions.assign(s.positions().begin(), s.positions().end());
      plan.query.subjects.assign(s.subjects().begin(), s.subjects().end());
      plan.stratified = true;
      plan.fraction = s.sample_fraction();
      plan.seed = static_cast<uint64_t>(s.seed());
      break;
    }
    default:
      return absl::InvalidArgumentError(
          "Поле campaign.population обязательно: списки (listed) или стратифицированная выборка (stratified_sample)");
  }
  plan.owner_municipality_id = dx::OwnerMunicipality(places);
  return plan;
}

absl::Status ValidateCampaignFields(const v1::Campaign& k) {
  RETURN_IF_ERROR(RequireText(k.title(), "campaign.title", 512));
  RETURN_IF_ERROR(OptionalText(k.purpose(), "campaign.purpose", 10000));
  RETURN_IF_ERROR(CheckEnum(k.wave_kind(), v1::CampaignWaveKind_descriptor(), "campaign.wave_kind", EnumUse::kOptional));
  if (k.adaptive()) {
    const double se = k.adaptive_target_se();
    if (!std::isfinite(se) || (se != 0 && (se < 0.2 || se > 1))) {
      return absl::InvalidArgumentError("Поле campaign.adaptive_target_se: от 0,2 до 1 (0 — по умолчанию 0,35)");
    }
    if (k.adaptive_max_items() != 0 && (k.adaptive_max_items() < 3 || k.adaptive_max_items() > 50)) {
      return absl::InvalidArgumentError("Поле campaign.adaptive_max_items: от 3 до 50 (0 — по умолчанию 12)");
    }
  }
  return dx::ValidateWindow(diag::CampaignWindow(k), k.max_attempts());
}

// Adaptive mode needs the instrument's items calibrated from the region's answers.
absl::Status CheckAdaptiveCalibrated(sql::Connection& c, const v1::Campaign& k, int64_t instrument_id) {
  if (!k.adaptive() || db::CalibrationRepository::HasUsableCalibration(c, instrument_id)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "Адаптивный режим возможен только для инструмента с калибровкой заданий: откалибруйте задания в разделе "
      "«Аналитика заданий» (нужны ответы не меньше 30 педагогов)");
}

// The instrument a campaign names (authorised: readable by the caller), and its region.
absl::Status ResolveInstrument(sql::Connection& c, const Principal& p, const std::string& name, int64_t region_hint,
                               db::CampaignRecord& r) {
  ASSIGN_OR_RETURN(int64_t id, ParseResourceName(name, "instruments", "campaign.instrument"));
  auto in = Repo::GetInstrument(c, id);
  // Only an instrument the caller may read is found or not found; any other is out of scope.
  RETURN_IF_ERROR(diag::CheckRegionReader(p, diag::RegionOfLoaded(in.status(), in.ok() ? in->region() : "")));
  ASSIGN_OR_RETURN(int64_t region, ParseResourceName(in->region(), "regions", "region"));
  if (region_hint != 0 && region_hint != region) {
    return absl::InvalidArgumentError("Поле campaign.instrument: инструмент другого региона");
  }
  r.region_id = region;
  r.instrument_id = id;
  ASSIGN_OR_RETURN(r.framework_id, ParseResourceName(in->framework(), "frameworks", "framework"));
  return absl::OkStatus();
}

// A campaign runs on a published instrument (a precondition: checked after the request's
// resources are authorised and its fields validated).
absl::Status CheckInstrumentPublished(sql::Connection& c, int64_t instrument_id) {
  auto in = Repo::GetInstrument(c, instrument_id);
  if (!in.ok() || in->state() != v1::INSTRUMENT_STATE_PUBLISHED) {
    return absl::FailedPreconditionError("Кампания проводится только по опубликованному инструменту");
  }
  return absl::OkStatus();
}

// The stored campaign, authorised for kManageCampaign (locked).
absl::StatusOr<db::CampaignRecord> LoadCampaignAuthorised(sql::Connection& c, const Principal& p, int64_t id) {
  auto current = Repo::GetCampaign(c, id, true);
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign,
                              current.ok() ? absl::StatusOr<Placement>(diag::CampaignPlacement(*current))
                                           : absl::StatusOr<Placement>(current.status())));
  return current;
}

// The same, at the expected version.
absl::StatusOr<db::CampaignRecord> LoadCampaignForWrite(sql::Connection& c, const Principal& p, int64_t id,
                                                        int64_t version) {
  ASSIGN_OR_RETURN(db::CampaignRecord current, LoadCampaignAuthorised(c, p, id));
  RETURN_IF_ERROR(CheckVersion(version, current.campaign.version()));
  return current;
}

// Audit of a state change with the caller's reason kept beside it.
void AuditWithComment(sql::Connection& c, int64_t account, const char* action, const std::string& resource,
                      const google::protobuf::Message* before, const google::protobuf::Message* after,
                      const google::protobuf::Message& request) {
  db::WriteAudit(c, account, action, resource, before, after);
  db::WriteAudit(c, account, absl::StrCat(action, ".request"), resource, nullptr, &request);
}

}  // namespace

grpc::Status DiagnosticsServiceImpl::CreateCampaign(grpc::ServerContext* ctx, const v1::CreateCampaignRequest* req,
                                                    v1::CreateCampaignResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/CreateCampaign", [&](const Principal& p) -> absl::Status {
    const auto& k = req->campaign();
    ASSIGN_OR_RETURN(int64_t region_hint, ParseOptionalResourceName(k.region(), "regions", "campaign.region"));
    if (access::WidestGrantFor(p, Action::kManageCampaign) == nullptr) {
      return access::Authorize(p, Action::kManageCampaign, Placement{});
    }
    return db::IdempotentWrite(pool_, p.account_id, "CreateCampaign", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      // The instrument and every person or place of the population first, then the fields.
      db::CampaignRecord r;
      RETURN_IF_ERROR(ResolveInstrument(c, p, k.instrument(), region_hint, r));
      ASSIGN_OR_RETURN(PopulationPlan plan, PlanPopulation(c, p, r.region_id, k.population()));
      r.owner_municipality_id = plan.owner_municipality_id;
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, diag::CampaignPlacement(r)));
      RETURN_IF_ERROR(ValidateCampaignFields(k));
      RETURN_IF_ERROR(CheckInstrumentPublished(c, r.instrument_id));
      RETURN_IF_ERROR(CheckAdaptiveCalibrated(c, k, r.instrument_id));
      r.campaign = k;
      int64_t id = Repo::InsertCampaign(c, r);
      ASSIGN_OR_RETURN(db::CampaignRecord stored, Repo::GetCampaign(c, id));
      *resp->mutable_campaign() = stored.campaign;
      db::WriteAudit(c, p.account_id, "CreateCampaign", resp->campaign().name(), nullptr, &resp->campaign());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetCampaign(grpc::ServerContext* ctx, const v1::GetCampaignRequest* req,
                                                 v1::GetCampaignResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetCampaign", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "campaigns", "name"));
      auto r = Repo::GetCampaign(c, id);
      RETURN_IF_ERROR(diag::CheckCampaignReader(c, p, r));
      *resp->mutable_campaign() = std::move(r->campaign);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ListCampaigns(grpc::ServerContext* ctx, const v1::ListCampaignsRequest* req,
                                                   v1::ListCampaignsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ListCampaigns", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      const access::Grant* g = access::WidestGrantFor(p, Action::kReadDiagnostics);
      if (g == nullptr) return access::Authorize(p, Action::kReadDiagnostics, Placement{});
      ASSIGN_OR_RETURN(db::ListQuery args, diag::ParseListArgs(*req, req->filter()));
      // Visibility as in CheckCampaignReader, by the caller's widest grant.
      using K = db::ScopeFilter::Kind;
      db::CampaignReader reader{g->region_id, {K::kRegion, g->region_id}};
      if (g->role == access::Role::kTeacher) reader.scope = {K::kPerson, p.person_id};
      else if (g->scope_kind == access::ScopeKind::kMunicipality) reader.scope = {K::kMunicipality, g->scope_id};
      else if (g->scope_kind == access::ScopeKind::kOrganization) reader.scope = {K::kOrganization, g->scope_id};
      db::ListPage page;
      ASSIGN_OR_RETURN(auto rows, Repo::ListCampaigns(c, reader, args, &page));
      diag::FillPage(std::move(rows), resp->mutable_campaigns(), page, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::UpdateCampaign(grpc::ServerContext* ctx, const v1::UpdateCampaignRequest* req,
                                                    v1::UpdateCampaignResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/UpdateCampaign", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->campaign().name(), "campaigns", "campaign.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateCampaign", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(db::CampaignRecord current, LoadCampaignAuthorised(c, p, id));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      ASSIGN_OR_RETURN(auto paths,
                       MaskPaths(req->update_mask(), {"title", "purpose", "voluntary", "population", "open_time",
                                                      "close_time", "time_limit_seconds", "allow_retake",
                                                      "max_attempts", "wave_kind", "instrument", "adaptive",
                                                      "adaptive_target_se", "adaptive_max_items"}));
      db::CampaignRecord next = current;
      const auto& in = req->campaign();
      auto& k = next.campaign;
      for (const auto& path : paths) {
        if (path == "title") k.set_title(in.title());
        if (path == "purpose") k.set_purpose(in.purpose());
        if (path == "voluntary") k.set_voluntary(in.voluntary());
        if (path == "population") *k.mutable_population() = in.population();
        if (path == "open_time") {
          if (in.has_open_time()) *k.mutable_open_time() = in.open_time(); else k.clear_open_time();
        }
        if (path == "close_time") {
          if (in.has_close_time()) *k.mutable_close_time() = in.close_time(); else k.clear_close_time();
        }
        if (path == "time_limit_seconds") k.set_time_limit_seconds(in.time_limit_seconds());
        if (path == "allow_retake") k.set_allow_retake(in.allow_retake());
        if (path == "max_attempts") k.set_max_attempts(in.max_attempts());
        if (path == "wave_kind") k.set_wave_kind(in.wave_kind());
        if (path == "instrument") k.set_instrument(in.instrument());
        if (path == "adaptive") k.set_adaptive(in.adaptive());
        if (path == "adaptive_target_se") k.set_adaptive_target_se(in.adaptive_target_se());
        if (path == "adaptive_max_items") k.set_adaptive_max_items(in.adaptive_max_items());
      }
      // Every resource the new campaign names is authorised, then the fields, then the version
      // and what the campaign's state allows.
      if (k.instrument() != current.campaign.instrument()) {
        RETURN_IF_ERROR(ResolveInstrument(c, p, k.instrument(), current.region_id, next));
        k.set_framework(ResourceName("frameworks", next.framework_id));
      }
      ASSIGN_OR_RETURN(PopulationPlan plan, PlanPopulation(c, p, next.region_id, k.population()));
      next.owner_municipality_id = plan.owner_municipality_id;
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, diag::CampaignPlacement(next)));
      RETURN_IF_ERROR(ValidateCampaignFields(k));
      RETURN_IF_ERROR(CheckVersion(req->campaign().version(), current.campaign.version()));
      RETURN_IF_ERROR(dx::CheckUpdatable(static_cast<dx::CampaignState>(current.state), paths, diag::CampaignWindow(k), absl::Now()));
      if (k.instrument() != current.campaign.instrument()) RETURN_IF_ERROR(CheckInstrumentPublished(c, next.instrument_id));
      RETURN_IF_ERROR(CheckAdaptiveCalibrated(c, k, next.instrument_id));
      Repo::UpdateCampaign(c, next);
      ASSIGN_OR_RETURN(db::CampaignRecord stored, Repo::GetCampaign(c, id));
      *resp->mutable_campaign() = stored.campaign;
      db::WriteAudit(c, p.account_id, "UpdateCampaign", stored.campaign.name(), &current.campaign, &stored.campaign);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::DeleteCampaign(grpc::ServerContext* ctx, const v1::DeleteCampaignRequest* req,
                                                    v1::DeleteCampaignResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/DeleteCampaign", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "campaigns", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteCampaign", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(db::CampaignRecord current, LoadCampaignForWrite(c, p, id, req->version()));
      RETURN_IF_ERROR(dx::CheckDeletable(static_cast<dx::CampaignState>(current.state)));
      Repo::DeleteCampaign(c, id);
      db::WriteAudit(c, p.account_id, "DeleteCampaign", current.campaign.name(), &current.campaign, nullptr);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::LaunchCampaign(grpc::ServerContext* ctx, const v1::LaunchCampaignRequest* req,
                                                    v1::LaunchCampaignResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/LaunchCampaign", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "campaigns", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "LaunchCampaign", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::CampaignRecord current, LoadCampaignForWrite(c, p, id, req->version()));
      RETURN_IF_ERROR(dx::CheckLaunch(static_cast<dx::CampaignState>(current.state)));
      dx::Window window = diag::CampaignWindow(current.campaign);
      if (window.close.has_value() && *window.close <= absl::Now()) {
        return absl::FailedPreconditionError("Срок кампании уже истёк: измените close_time перед запуском");
      }
      ASSIGN_OR_RETURN(PopulationPlan plan, PlanPopulation(c, p, current.region_id, current.campaign.population()));
      std::vector<db::FrameRow> frame = Repo::LoadPopulation(c, plan.query);
      std::vector<db::FrameRow> drawn;
      std::string strata_json;
      if (plan.stratified) {
        std::vector<dx::FrameMember> members;
        for (const auto& f : frame) members.push_back({f.person_id, f.organization_type});
        dx::SampleResult sample = dx::DrawStratifiedSample(members, plan.fraction, plan.quotas, plan.seed);
        std::set<int64_t> chosen(sample.drawn.begin(), sample.drawn.end());
        for (const auto& f : frame) {
          if (chosen.count(f.person_id)) drawn.push_back(f);
        }
        google::protobuf::util::JsonPrintOptions opts;
        opts.preserve_proto_field_names = true;
        strata_json = "[";
        for (const auto& s : sample.strata) {
          auto* out = resp->add_strata();
          out->set_organization_type(static_cast<v1::OrganizationType>(s.stratum));
          out->set_frame_size(s.frame_size);
          out->set_target_size(s.target);
          out->set_drawn(s.drawn);
          std::string one;
          (void)google::protobuf::util::MessageToJsonString(*out, &one, opts);
          absl::StrAppend(&strata_json, strata_json.size() > 1 ? "," : "", one);
        }
        strata_json += "]";
      } else {
        drawn = std::move(frame);
      }
      if (drawn.empty()) {
        return absl::FailedPreconditionError("В охват кампании не попал ни один педагог: проверьте области и фильтры");
      }
      Repo::InsertParticipants(c, id, drawn);
      Repo::SetCampaignState(c, id, v1::CAMPAIGN_STATE_LAUNCHED, strata_json);
      ASSIGN_OR_RETURN(db::CampaignRecord stored, Repo::GetCampaign(c, id));
      *resp->mutable_campaign() = stored.campaign;
      db::WriteAudit(c, p.account_id, "LaunchCampaign", stored.campaign.name(), &current.campaign, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::CloseCampaign(grpc::ServerContext* ctx, const v1::CloseCampaignRequest* req,
                                                   v1::CloseCampaignResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/CloseCampaign", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "campaigns", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "CloseCampaign", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(db::CampaignRecord current, LoadCampaignForWrite(c, p, id, req->version()));
      RETURN_IF_ERROR(OptionalText(req->comment(), "comment", 2000));
      absl::Time now = absl::Now();
      ASSIGN_OR_RETURN(dx::CampaignState outcome,
                       dx::CloseOutcome(static_cast<dx::CampaignState>(current.state), diag::CampaignWindow(current.campaign), now));
      if (outcome == dx::CampaignState::kClosed) {
        // Sessions still open are finished from their saved answers, as at a deadline.
        diag::ScoringCache cache(c);
        for (int64_t session_id : Repo::InProgressSessions(c, id)) {
          ASSIGN_OR_RETURN(db::SessionRecord s, Repo::GetSession(c, session_id, true));
          RETURN_IF_ERROR(diag::EndSession(c, cache, p.account_id, s, dx::SessionState::kTimedOut, now).status());
        }
      }
      Repo::SetCampaignState(c, id, static_cast<int>(outcome), "");
      ASSIGN_OR_RETURN(db::CampaignRecord stored, Repo::GetCampaign(c, id));
      *resp->mutable_campaign() = stored.campaign;
      AuditWithComment(c, p.account_id, "CloseCampaign", stored.campaign.name(), &current.campaign, &stored.campaign,
                       *req);
      return absl::OkStatus();
    });
  });
}

namespace {

// What the attempt rules (the same StartSession applies) allow the participant, so clients
// offer a new attempt exactly when the server would accept it.
void SetAttemptRights(const v1::Campaign& campaign, v1::CampaignParticipant* part) {
  dx::AttemptPolicy policy{campaign.allow_retake(), campaign.max_attempts()};
  int allowed = dx::AllowedAttempts(policy, part->retakes_granted());
  part->set_attempts_allowed(allowed < 0 ? 0 : allowed);
  part->set_new_attempt_allowed(
      part->status() != v1::PARTICIPANT_STATUS_IN_PROGRESS &&
      dx::CheckNewAttempt(policy, {part->attempts(), part->retakes_granted(),
                                   static_cast<dx::ParticipantStatus>(part->status())}).ok());
}

}  // namespace

grpc::Status DiagnosticsServiceImpl::ListCampaignParticipants(grpc::ServerContext* ctx,
                                                              const v1::ListCampaignParticipantsRequest* req,
                                                              v1::ListCampaignParticipantsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ListCampaignParticipants", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->campaign(), "campaigns", "campaign"));
      auto campaign = Repo::GetCampaign(c, id);
      RETURN_IF_ERROR(diag::CheckCampaignReader(c, p, campaign));
      ASSIGN_OR_RETURN(db::ListQuery args, diag::ParseListArgs(*req, req->filter()));
      // Participants (with their names) only inside the caller's own scope.
      ASSIGN_OR_RETURN(db::ScopeFilter people, diag::PeopleInReach(c, p));
      db::ListPage page;
      ASSIGN_OR_RETURN(auto rows, Repo::ListParticipants(c, id, people, args, &page));
      diag::FillPage(std::move(rows), resp->mutable_participants(), page, resp);
      for (auto& part : *resp->mutable_participants()) SetAttemptRights(campaign->campaign, &part);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GrantRetake(grpc::ServerContext* ctx, const v1::GrantRetakeRequest* req,
                                                 v1::GrantRetakeResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GrantRetake", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t campaign_id, ParseResourceName(req->campaign(), "campaigns", "campaign"));
    ASSIGN_OR_RETURN(int64_t person_id, ParseResourceName(req->person(), "people", "person"));
    return db::IdempotentWrite(pool_, p.account_id, "GrantRetake", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      // The methodist responsible for the teacher grants it, also in a regional campaign.
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, Dir::PlacePerson(c, person_id)));
      RETURN_IF_ERROR(OptionalText(req->comment(), "comment", 2000));
      auto campaign = Repo::GetCampaign(c, campaign_id, true);
      RETURN_IF_ERROR(diag::CheckCampaignReader(c, p, campaign));
      if (campaign->state != v1::CAMPAIGN_STATE_LAUNCHED) {
        return absl::FailedPreconditionError("Пересдача назначается только в идущей кампании");
      }
      ASSIGN_OR_RETURN(db::ParticipantRecord participant, Repo::GetParticipant(c, campaign_id, person_id, true));
      dx::AttemptPolicy policy{campaign->campaign.allow_retake(), campaign->campaign.max_attempts()};
      RETURN_IF_ERROR(dx::CheckRetakeGrant(policy, {participant.attempts, participant.retakes_granted,
                                                    static_cast<dx::ParticipantStatus>(participant.status)}));
      v1::CampaignParticipant before = Repo::ParticipantToProto(c, participant);
      participant.retakes_granted += 1;
      Repo::UpdateParticipant(c, participant);
      *resp->mutable_participant() = Repo::ParticipantToProto(c, participant);
      SetAttemptRights(campaign->campaign, resp->mutable_participant());
      std::string resource = absl::StrCat(req->campaign(), "/participants/", person_id);
      AuditWithComment(c, p.account_id, "GrantRetake", resource, &before, &resp->participant(), *req);
      Notify(c, person_id,
             inbox::RetakeGranted(campaign->campaign.title(), PersonName(c, p.person_id), req->comment()),
             req->campaign(), p);
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
