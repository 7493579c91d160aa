#include "server/services/diagnostics_common.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/diagnostics/item_scoring.h"
#include "server/domain/directory/person.h"
#include "server/services/convert.h"
#include "server/services/diagnostics_calibration.h"
#include "server/services/diagnostics_convert.h"
#include "server/services/scope.h"

namespace nms::services::diag {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;
using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::DiagnosticsRepository;

absl::StatusOr<int64_t> RegionOfLoaded(const absl::Status& loaded, const std::string& region_name) {
  if (!loaded.ok()) return loaded;
  return ParseResourceName(region_name, "regions", "region");
}

absl::StatusOr<Placement> PlaceInRegion(const absl::Status& loaded, const std::string& region_name) {
  ASSIGN_OR_RETURN(int64_t region, RegionOfLoaded(loaded, region_name));
  return Placement{region, 0, 0, 0};
}

std::vector<int64_t> RegionsOf(const Principal& p) {
  std::vector<int64_t> out;
  for (const auto& g : p.grants) {
    if (!access::MemberOfRegion(p, g.region_id, Action::kReadDiagnostics)) continue;
    if (std::find(out.begin(), out.end(), g.region_id) == out.end()) out.push_back(g.region_id);
  }
  return out;
}

absl::Status CheckRegionReader(const Principal& p, const absl::StatusOr<int64_t>& region) {
  if (!region.ok()) return CheckAccess(p, Action::kReadDiagnostics, region.status());
  if (access::MemberOfRegion(p, *region, Action::kReadDiagnostics)) return absl::OkStatus();
  return access::Authorize(p, Action::kReadDiagnostics, Placement{});
}

dx::Window CampaignWindow(const v1::Campaign& k) {
  dx::Window w;
  if (k.has_open_time()) w.open = FromProtoTime(k.open_time());
  if (k.has_close_time()) w.close = FromProtoTime(k.close_time());
  w.time_limit_seconds = k.time_limit_seconds();
  return w;
}

Placement CampaignPlacement(const db::CampaignRecord& r) { return Placement{r.region_id, r.owner_municipality_id, 0, 0}; }

absl::Status CheckCampaignReader(sql::Connection& c, const Principal& p, const absl::StatusOr<db::CampaignRecord>& rec) {
  if (!rec.ok()) return CheckAccess(p, Action::kReadDiagnostics, rec.status());
  using access::Role;
  using K = db::ScopeFilter::Kind;
  for (const auto& g : p.grants) {
    bool reads = false;
    for (Role r : access::RolesFor(Action::kReadDiagnostics)) reads = reads || r == g.role;
    if (!reads || g.region_id != rec->region_id) continue;
    if (g.role == Role::kTeacher) {
      if (p.person_id != 0 && Repo::HasParticipantsIn(c, rec->id, {K::kPerson, p.person_id})) return absl::OkStatus();
      continue;
    }
    switch (g.scope_kind) {
      case access::ScopeKind::kRegion: return absl::OkStatus();
      case access::ScopeKind::kMunicipality:
        if (rec->owner_municipality_id == g.scope_id || Repo::HasParticipantsIn(c, rec->id, {K::kMunicipality, g.scope_id})) {
          return absl::OkStatus();
        }
        break;
      case access::ScopeKind::kOrganization:
        if (Repo::HasParticipantsIn(c, rec->id, {K::kOrganization, g.scope_id})) return absl::OkStatus();
        break;
    }
  }
  return access::Authorize(p, Action::kReadDiagnostics, Placement{});
}

absl::StatusOr<db::ScopeFilter> PeopleInReach(sql::Connection& c, const Principal& p) {
  return ResolveListScope(c, p, Action::kReadDiagnostics, "", "filter");
}

absl::StatusOr<db::ListQuery> ParseListArgs(const google::protobuf::Message& request, const std::string& filter) {
  db::ListQuery out;
  // Fields are checked by each list (db::diag::ApplyFilter).
  ASSIGN_OR_RETURN(out.filter, ParseFilter(filter, {}));
  ASSIGN_OR_RETURN(out.paging, Paging(request, {KeyPart::kNumber}));
  return out;
}

absl::CivilDay RegionToday(sql::Connection& c, int64_t region_id) {
  return TodayInRegion(Repo::RegionTimeZone(c, region_id));
}

// ---------------------------------------------------------------- scoring

absl::StatusOr<const dx::InstrumentDef*> ScoringCache::Instrument(int64_t id) {
  auto it = instruments_.find(id);
  if (it != instruments_.end()) return it->second.get();
  ASSIGN_OR_RETURN(v1::Instrument proto, Repo::GetInstrument(c_, id));
  auto def = std::make_unique<dx::InstrumentDef>(InstrumentFromProto(proto));
  const dx::InstrumentDef* out = def.get();
  instruments_[id] = std::move(def);
  return out;
}

absl::StatusOr<const dx::Framework*> ScoringCache::Framework(int64_t id) {
  auto it = frameworks_.find(id);
  if (it != frameworks_.end()) return it->second.get();
  ASSIGN_OR_RETURN(v1::CompetencyFramework proto, Repo::GetFramework(c_, id));
  auto f = std::make_unique<dx::Framework>(FrameworkFromProto(proto));
  const dx::Framework* out = f.get();
  frameworks_[id] = std::move(f);
  return out;
}

absl::StatusOr<std::vector<dx::ItemDef>> ScoringCache::Items(int64_t instrument_id) {
  ASSIGN_OR_RETURN(const dx::InstrumentDef* def, Instrument(instrument_id));
  return dx::AllItems(*def);
}

absl::StatusOr<int> ScoringCache::OnlineItemCount(int64_t instrument_id) {
  ASSIGN_OR_RETURN(const dx::InstrumentDef* def, Instrument(instrument_id));
  return dx::OnlineItemCount(*def);
}

v1::Session SessionToProto(const db::SessionRecord& s, const std::map<std::string, v1::ItemAnswer>* answers,
                           int item_count, absl::Time now) {
  v1::Session out;
  out.set_name(ResourceName("sessions", s.id));
  out.set_campaign(ResourceName("campaigns", s.campaign_id));
  out.set_person(ResourceName("people", s.person_id));
  out.set_instrument(ResourceName("instruments", s.instrument_id));
  out.set_attempt(s.attempt);
  out.set_state(static_cast<v1::SessionState>(s.state));
  if (answers != nullptr) {
    for (const auto& [id, a] : *answers) *out.add_answers() = a;
  }
  out.set_current_item_id(s.current_item_id);
  *out.mutable_start_time() = ToProtoTime(s.started);
  if (s.deadline) *out.mutable_deadline_time() = ToProtoTime(*s.deadline);
  *out.mutable_server_time() = ToProtoTime(now);
  bool running = s.state == static_cast<int>(dx::SessionState::kInProgress);
  out.set_remaining_seconds(running ? dx::RemainingSeconds(s.deadline, now) : 0);
  if (s.submitted) *out.mutable_submit_time() = ToProtoTime(*s.submitted);
  if (s.result_id) out.set_result(ResourceName("results", s.result_id));
  out.set_answered_count(s.answered_count);
  out.set_item_count(item_count);
  out.set_version(s.version);
  *out.mutable_update_time() = ToProtoTime(s.updated);
  return out;
}

absl::Status ScoreSessionInto(sql::Connection& c, ScoringCache& cache, const db::SessionRecord& s, int64_t framework_id,
                              v1::DiagnosticResult* result) {
  // An adaptive session is scored on the ability scale (its steps say it was one).
  if (!db::CalibrationRepository::AdaptiveSteps(c, s.id).empty()) {
    return ScoreAdaptiveInto(c, cache, s, framework_id, result);
  }
  ASSIGN_OR_RETURN(std::vector<dx::ItemDef> items, cache.Items(s.instrument_id));
  ASSIGN_OR_RETURN(const dx::Framework* framework, cache.Framework(framework_id));
  auto answers = AnswersFromProto(Repo::LoadAnswers(c, s.id));
  dx::SessionScore score = dx::ScoreSession(items, answers, Repo::LoadExternalScores(c, s.id));
  FillProfile(dx::ScoreItems(*framework, score.items), result);
  result->set_status(score.missing_external > 0 ? v1::DIAGNOSTIC_RESULT_STATUS_PRELIMINARY
                                                : v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
  return absl::OkStatus();
}

absl::StatusOr<int> SweepExpiredSessions(db::ConnectionPool& pool, int limit) {
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(db::WithConnection(pool, [&](sql::Connection& c) {
    ids = Repo::ExpiredSessions(c, limit);
    return absl::OkStatus();
  }));
  for (int64_t id : ids) RETURN_IF_ERROR(FinalizeIfExpired(pool, 0, id));
  return static_cast<int>(ids.size());
}

void ResultOutbox(sql::Connection& c, int64_t region_id, const v1::DiagnosticResult& r, bool was_final) {
  db::WriteOutbox(c, region_id, "diagnostic_result", r.name(), was_final ? federal::kUpdate : federal::kCreate, r);
}

absl::StatusOr<v1::DiagnosticResult> EndSession(sql::Connection& c, ScoringCache& cache, int64_t account_id,
                                                const db::SessionRecord& s, dx::SessionState end, absl::Time now) {
  ASSIGN_OR_RETURN(db::CampaignRecord campaign, Repo::GetCampaign(c, s.campaign_id));
  ASSIGN_OR_RETURN(Placement where, db::DirectoryRepository::PlacePerson(c, s.person_id));
  v1::DiagnosticResult result;
  result.set_person(ResourceName("people", s.person_id));
  result.set_campaign(ResourceName("campaigns", s.campaign_id));
  result.set_session(ResourceName("sessions", s.id));
  result.set_source(v1::DIAGNOSTIC_RESULT_SOURCE_SESSION);
  result.set_framework(ResourceName("frameworks", campaign.framework_id));
  result.set_instrument(ResourceName("instruments", s.instrument_id));
  result.set_allocated_diagnosis_date(NewProtoDate(RegionToday(c, campaign.region_id)));
  RETURN_IF_ERROR(ScoreSessionInto(c, cache, s, campaign.framework_id, &result));
  db::ResultKeys keys;
  keys.person_id = s.person_id;
  keys.region_id = campaign.region_id;
  keys.municipality_id = where.municipality_id;
  keys.organization_id = where.organization_id;
  keys.campaign_id = s.campaign_id;
  keys.session_id = s.id;
  keys.instrument_id = s.instrument_id;
  keys.framework_id = campaign.framework_id;
  int64_t result_id = Repo::InsertResult(c, keys, result);
  Repo::FinishSession(c, s.id, static_cast<int>(end), now, result_id);
  ASSIGN_OR_RETURN(db::ParticipantRecord participant, Repo::GetParticipant(c, s.campaign_id, s.person_id, true));
  participant.status = static_cast<int>(dx::StatusAfter(end));
  participant.last_session_id = s.id;
  participant.last_result_id = result_id;
  Repo::UpdateParticipant(c, participant);
  ASSIGN_OR_RETURN(v1::DiagnosticResult stored, Repo::GetResult(c, result_id));
  db::WriteAudit(c, account_id, end == dx::SessionState::kSubmitted ? "SubmitSession" : "TimeOutSession",
                 ResourceName("sessions", s.id), nullptr, &stored);
  if (stored.status() == v1::DIAGNOSTIC_RESULT_STATUS_FINAL) ResultOutbox(c, campaign.region_id, stored, false);
  return stored;
}

absl::Status FinalizeIfExpired(db::ConnectionPool& pool, int64_t account_id, int64_t session_id) {
  return db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(db::SessionRecord s, Repo::GetSession(c, session_id, true));
    absl::Time now = absl::Now();
    if (s.state != static_cast<int>(dx::SessionState::kInProgress) || !dx::IsExpired(s.deadline, now)) {
      return absl::OkStatus();
    }
    ScoringCache cache(c);
    return EndSession(c, cache, account_id, s, dx::SessionState::kTimedOut, now).status();
  });
}

}  // namespace nms::services::diag
