// Campaigns, their target populations and drawn participants.

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/stored_proto.h"
#include "server/common/status_macros.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"

namespace nms::db {

namespace v1 = nms::v1;
using diag::BindTime;
using diag::kTs;
using diag::NotFound;
using diag::ReadTime;
using diag::Where;

namespace {

// Counts are derived, never stored: participants drawn, and those who finished a session.
constexpr char kCampaignSelect[] =
    "SELECT c.id, c.region_id, c.owner_municipality_id, c.title, c.instrument_id, c.framework_id, c.wave_kind, "
    "c.purpose, c.voluntary, c.population_json, UNIX_TIMESTAMP(c.open_time) AS open_ts, "
    "UNIX_TIMESTAMP(c.close_time) AS close_ts, c.time_limit_seconds, c.allow_retake, c.max_attempts, c.state, "
    "c.adaptive, c.adaptive_target_se, c.adaptive_max_items, c.version, c.strata_json, UNIX_TIMESTAMP(c.created_at) AS created, UNIX_TIMESTAMP(c.updated_at) AS updated, "
    "UNIX_TIMESTAMP(c.launched_at) AS launched, "
    "(SELECT COUNT(*) FROM diagnostic_campaign_participants cp WHERE cp.campaign_id = c.id) AS participants, "
    "(SELECT COUNT(*) FROM diagnostic_campaign_participants cp WHERE cp.campaign_id = c.id AND cp.status IN (3, 4)) "
    "AS finished FROM diagnostic_campaigns c ";

CampaignRecord ReadCampaign(sql::ResultSet& rs) {
  CampaignRecord r;
  r.id = rs.getInt64("id");
  r.region_id = rs.getInt64("region_id");
  r.owner_municipality_id = GetInt(rs, "owner_municipality_id");
  r.instrument_id = rs.getInt64("instrument_id");
  r.framework_id = rs.getInt64("framework_id");
  r.state = rs.getInt("state");
  r.strata_json = GetStr(rs, "strata_json");
  auto& c = r.campaign;
  c.set_name(ResourceName("campaigns", r.id));
  c.set_region(ResourceName("regions", r.region_id));
  c.set_title(GetStr(rs, "title"));
  c.set_instrument(ResourceName("instruments", r.instrument_id));
  c.set_framework(ResourceName("frameworks", r.framework_id));
  c.set_wave_kind(static_cast<v1::CampaignWaveKind>(rs.getInt("wave_kind")));
  c.set_purpose(GetStr(rs, "purpose"));
  c.set_voluntary(rs.getBoolean("voluntary"));
  ParseStoredJson(GetStr(rs, "population_json"), c.mutable_population(), "diagnostic_campaigns.population_json");
  if (auto t = ReadTime(rs, "open_ts")) *c.mutable_open_time() = diag::ToTimestamp(t);
  if (auto t = ReadTime(rs, "close_ts")) *c.mutable_close_time() = diag::ToTimestamp(t);
  c.set_time_limit_seconds(rs.getInt("time_limit_seconds"));
  c.set_allow_retake(rs.getBoolean("allow_retake"));
  c.set_max_attempts(rs.getInt("max_attempts"));
  c.set_adaptive(rs.getBoolean("adaptive"));
  c.set_adaptive_target_se(rs.getDouble("adaptive_target_se"));
  c.set_adaptive_max_items(rs.getInt("adaptive_max_items"));
  c.set_state(static_cast<v1::CampaignState>(r.state));
  c.set_participant_count(rs.getInt64("participants"));
  c.set_submitted_count(rs.getInt64("finished"));
  c.set_version(rs.getInt64("version"));
  *c.mutable_create_time() = diag::ToTimestamp(ReadTime(rs, "created"));
  *c.mutable_update_time() = diag::ToTimestamp(ReadTime(rs, "updated"));
  if (auto t = ReadTime(rs, "launched")) *c.mutable_launch_time() = diag::ToTimestamp(t);
  return r;
}

std::string PopulationJson(const v1::CampaignPopulation& p) {
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(p, &json, opts);
  return json;
}

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&out, i ? ", ?" : "?");
  return out;
}

}  // namespace

absl::StatusOr<CampaignRecord> DiagnosticsRepository::GetCampaign(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kCampaignSelect, "WHERE c.id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return NotFound("Кампания", id);
  return ReadCampaign(*rs);
}

static std::vector<v1::Campaign> ListCampaignsWhere(sql::Connection& c, const Where& where, const PageRequest& paging,
                                                   ListPage* page) {
  page->total_size = diag::CountWhere(c, "diagnostic_campaigns c", where);
  // Newest first reads best in a list, so the keyset walks ids downwards.
  auto rs = diag::QueryPage(c, kCampaignSelect, where, "c.id", true, paging);
  std::vector<v1::Campaign> out;
  diag::ReadPage(*rs, paging, &page->next_page_token, [&](sql::ResultSet& r) {
    CampaignRecord rec = ReadCampaign(r);
    out.push_back(std::move(rec.campaign));
    return rec.id;
  });
  return out;
}

int64_t DiagnosticsRepository::InsertCampaign(sql::Connection& c, const CampaignRecord& r) {
  const auto& k = r.campaign;
  Stmt st(c, absl::StrCat("INSERT INTO diagnostic_campaigns (region_id, owner_municipality_id, title, instrument_id, "
                          "framework_id, wave_kind, purpose, voluntary, population_json, open_time, close_time, "
                          "time_limit_seconds, allow_retake, max_attempts, adaptive, adaptive_target_se, adaptive_max_items, state) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ",
                          kTs, ", ", kTs, ", ?, ?, ?, ?, ?, ?, 1)"));
  st.Int(r.region_id).OptInt(r.owner_municipality_id).Str(k.title()).Int(r.instrument_id).Int(r.framework_id)
      .Int(k.wave_kind()).OptStr(k.purpose()).Bool(k.voluntary()).Str(PopulationJson(k.population()));
  BindTime(st, diag::FromTimestamp(k.open_time()));
  BindTime(st, diag::FromTimestamp(k.close_time()));
  st.Int(k.time_limit_seconds()).Bool(k.allow_retake()).Int(k.max_attempts()).Bool(k.adaptive())
      .Double(k.adaptive_target_se()).Int(k.adaptive_max_items()).Execute();
  return LastInsertId(c);
}

void DiagnosticsRepository::UpdateCampaign(sql::Connection& c, const CampaignRecord& r) {
  const auto& k = r.campaign;
  Stmt st(c, absl::StrCat("UPDATE diagnostic_campaigns SET owner_municipality_id = ?, title = ?, instrument_id = ?, "
                          "framework_id = ?, wave_kind = ?, purpose = ?, voluntary = ?, population_json = ?, "
                          "open_time = ", kTs, ", close_time = ", kTs, ", time_limit_seconds = ?, allow_retake = ?, "
                          "max_attempts = ?, adaptive = ?, adaptive_target_se = ?, adaptive_max_items = ?, version = version + 1, "
                          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?"));
  st.OptInt(r.owner_municipality_id).Str(k.title()).Int(r.instrument_id).Int(r.framework_id).Int(k.wave_kind())
      .OptStr(k.purpose()).Bool(k.voluntary()).Str(PopulationJson(k.population()));
  BindTime(st, diag::FromTimestamp(k.open_time()));
  BindTime(st, diag::FromTimestamp(k.close_time()));
  st.Int(k.time_limit_seconds()).Bool(k.allow_retake()).Int(k.max_attempts()).Bool(k.adaptive())
      .Double(k.adaptive_target_se()).Int(k.adaptive_max_items()).Int(r.id).Execute();
}

void DiagnosticsRepository::SetCampaignState(sql::Connection& c, int64_t id, int state, const std::string& strata_json) {
  const char* stamp = state == 2 ? ", launched_at = CURRENT_TIMESTAMP(6)" : ", closed_at = CURRENT_TIMESTAMP(6)";
  Stmt(c, absl::StrCat("UPDATE diagnostic_campaigns SET state = ?, strata_json = COALESCE(?, strata_json), "
                       "version = version + 1, updated_at = CURRENT_TIMESTAMP(6)", stamp, " WHERE id = ?"))
      .Int(state)
      .OptStr(strata_json)
      .Int(id)
      .Execute();
}

void DiagnosticsRepository::DeleteCampaign(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM diagnostic_campaigns WHERE id = ?").Int(id).Execute();
}

bool DiagnosticsRepository::HasParticipantsIn(sql::Connection& c, int64_t campaign_id, const ScopeFilter& scope) {
  Where w;
  w.Int("cp.campaign_id = ?", campaign_id);
  diag::AddPeopleScope(w, scope);
  Stmt st(c, absl::StrCat("SELECT 1 FROM diagnostic_campaign_participants cp JOIN people p ON p.id = cp.person_id "
                          "WHERE ", w.sql(), " LIMIT 1"));
  w.Bind(st);
  return st.Query()->next();
}

std::vector<FrameRow> DiagnosticsRepository::LoadPopulation(sql::Connection& c, const PopulationQuery& q) {
  Where w;
  w.Int("p.region_id = ?", q.region_id);
  // Scopes OR-ed together, then OR the listed people; positions and subjects narrow the scopes.
  std::string scopes;
  for (const auto& s : q.scopes) {
    Where one;
    diag::AddPeopleScope(one, s);
    absl::StrAppend(&scopes, scopes.empty() ? "" : " OR ", "(", one.sql(), ")");
  }
  bool everyone = q.scopes.empty() && q.people.empty();
  std::string in_scope = everyone ? "TRUE" : scopes.empty() ? "FALSE" : scopes;
  std::string narrowing = "TRUE";
  if (!q.positions.empty()) absl::StrAppend(&narrowing, " AND p.position IN (", Placeholders(q.positions.size()), ")");
  if (!q.subjects.empty()) {
    absl::StrAppend(&narrowing, " AND EXISTS (SELECT 1 FROM person_subjects s WHERE s.person_id = p.id AND s.subject IN (",
                    Placeholders(q.subjects.size()), "))");
  }
  std::string people = q.people.empty() ? "FALSE" : absl::StrCat("p.id IN (", Placeholders(q.people.size()), ")");
  Stmt st(c, absl::StrCat("SELECT p.id, p.organization_id, p.municipality_id, IFNULL(o.type, 0) AS type FROM people p "
                          "LEFT JOIN organizations o ON o.id = p.organization_id WHERE ", w.sql(), " AND (((",
                          in_scope, ") AND ", narrowing, ") OR ", people, ") ORDER BY p.id"));
  w.Bind(st);
  for (const auto& s : q.scopes) st.Int(s.id);
  for (const auto& v : q.positions) st.Str(v);
  for (const auto& v : q.subjects) st.Str(v);
  for (int64_t id : q.people) st.Int(id);
  auto rs = st.Query();
  std::vector<FrameRow> out;
  while (rs->next()) {
    out.push_back({rs->getInt64("id"), GetInt(*rs, "organization_id"), GetInt(*rs, "municipality_id"),
                   rs->getInt("type")});
  }
  return out;
}

void DiagnosticsRepository::InsertParticipants(sql::Connection& c, int64_t campaign_id, const std::vector<FrameRow>& rows) {
  diag::InsertRows(c,
                   "diagnostic_campaign_participants (campaign_id, person_id, organization_id, municipality_id, "
                   "organization_type, status)",
                   6, rows.size(), [&](Stmt& st, size_t i) {
                     const auto& r = rows[i];
                     st.Int(campaign_id).Int(r.person_id).OptInt(r.organization_id).OptInt(r.municipality_id)
                         .Int(r.organization_type).Int(1);
                   });
}

namespace {

constexpr char kParticipantColumns[] =
    "cp.campaign_id, cp.person_id, cp.organization_id, cp.municipality_id, cp.organization_type, cp.status, "
    "cp.attempts, cp.retakes_granted, cp.last_session_id, cp.last_result_id";

ParticipantRecord ReadParticipant(sql::ResultSet& rs) {
  ParticipantRecord p;
  p.campaign_id = rs.getInt64("campaign_id");
  p.person_id = rs.getInt64("person_id");
  p.organization_id = GetInt(rs, "organization_id");
  p.municipality_id = GetInt(rs, "municipality_id");
  p.organization_type = rs.getInt("organization_type");
  p.status = rs.getInt("status");
  p.attempts = rs.getInt("attempts");
  p.retakes_granted = rs.getInt("retakes_granted");
  p.last_session_id = GetInt(rs, "last_session_id");
  p.last_result_id = GetInt(rs, "last_result_id");
  return p;
}

v1::CampaignParticipant ToProto(const ParticipantRecord& p, const std::string& full_name) {
  v1::CampaignParticipant out;
  out.set_person(ResourceName("people", p.person_id));
  out.set_full_name(full_name);
  if (p.organization_id) out.set_organization(ResourceName("organizations", p.organization_id));
  out.set_organization_type(static_cast<v1::OrganizationType>(p.organization_type));
  out.set_status(static_cast<v1::ParticipantStatus>(p.status));
  out.set_attempts(p.attempts);
  if (p.last_session_id) out.set_last_session(ResourceName("sessions", p.last_session_id));
  if (p.last_result_id) out.set_last_result(ResourceName("results", p.last_result_id));
  out.set_retakes_granted(p.retakes_granted);
  return out;
}

std::string FullName(sql::ResultSet& rs) {
  std::string name = absl::StrCat(GetStr(rs, "last_name"), " ", GetStr(rs, "first_name"));
  std::string middle = GetStr(rs, "middle_name");
  if (!middle.empty()) absl::StrAppend(&name, " ", middle);
  return name;
}

}  // namespace

absl::StatusOr<ParticipantRecord> DiagnosticsRepository::GetParticipant(sql::Connection& c, int64_t campaign_id,
                                                                        int64_t person_id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", kParticipantColumns, " FROM diagnostic_campaign_participants cp "
                                 "WHERE cp.campaign_id = ? AND cp.person_id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(campaign_id)
                .Int(person_id)
                .Query();
  if (!rs->next()) {
    return absl::FailedPreconditionError("Педагог не входит в число участников этой кампании");
  }
  return ReadParticipant(*rs);
}

void DiagnosticsRepository::UpdateParticipant(sql::Connection& c, const ParticipantRecord& p) {
  Stmt(c, "UPDATE diagnostic_campaign_participants SET status = ?, attempts = ?, retakes_granted = ?, "
          "last_session_id = ?, last_result_id = ? WHERE campaign_id = ? AND person_id = ?")
      .Int(p.status)
      .Int(p.attempts)
      .Int(p.retakes_granted)
      .OptInt(p.last_session_id)
      .OptInt(p.last_result_id)
      .Int(p.campaign_id)
      .Int(p.person_id)
      .Execute();
}

static std::vector<v1::CampaignParticipant> ListParticipantsWhere(sql::Connection& c, int64_t campaign_id,
                                                                 const Where& where, const PageRequest& paging,
                                                                 ListPage* page) {
  Where in_campaign = where;
  in_campaign.Int("cp.campaign_id = ?", campaign_id);
  const std::string from = "diagnostic_campaign_participants cp JOIN people p ON p.id = cp.person_id";
  page->total_size = diag::CountWhere(c, from, in_campaign);
  auto rs = diag::QueryPage(c, absl::StrCat("SELECT ", kParticipantColumns, ", p.last_name, p.first_name, p.middle_name FROM ",
                                            from),
                            in_campaign, "cp.person_id", false, paging);
  std::vector<v1::CampaignParticipant> out;
  diag::ReadPage(*rs, paging, &page->next_page_token, [&](sql::ResultSet& r) {
    ParticipantRecord p = ReadParticipant(r);
    out.push_back(ToProto(p, FullName(r)));
    return p.person_id;
  });
  return out;
}

v1::CampaignParticipant DiagnosticsRepository::ParticipantToProto(sql::Connection& c, const ParticipantRecord& p) {
  auto rs = Stmt(c, "SELECT last_name, first_name, middle_name FROM people WHERE id = ?").Int(p.person_id).Query();
  return ToProto(p, rs->next() ? FullName(*rs) : std::string());
}

// ---------------------------------------------------------------- lists

absl::StatusOr<std::vector<v1::Campaign>> DiagnosticsRepository::ListCampaigns(sql::Connection& c,
                                                                               const CampaignReader& reader,
                                                                               const ListQuery& q, ListPage* page) {
  using FF = diag::FilterField;
  using K = ScopeFilter::Kind;
  Where w;
  w.Int("c.region_id = ?", reader.region_id);
  constexpr char kHas[] = "EXISTS (SELECT 1 FROM diagnostic_campaign_participants cp JOIN people p ON "
                          "p.id = cp.person_id WHERE cp.campaign_id = c.id AND ";
  switch (reader.scope.kind) {
    case K::kRegion: break;
    case K::kDistrict: w.Int(absl::StrCat(kHas, "p.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?))"), reader.scope.id); break;
    case K::kMunicipality:
      w.Add(absl::StrCat("c.owner_municipality_id = ", reader.scope.id, " OR ", kHas, "p.municipality_id = ",
                         reader.scope.id, ")"));
      break;
    case K::kOrganization: w.Int(absl::StrCat(kHas, "p.organization_id = ?)"), reader.scope.id); break;
    case K::kPerson: w.Int(absl::StrCat(kHas, "p.id = ?)"), reader.scope.id); break;
  }
  RETURN_IF_ERROR(diag::ApplyFilter(
      q.filter,
      {{"region", "c.region_id", FF::Kind::kRef, "regions"},
       {"state", "c.state", FF::Kind::kEnum, "", v1::CampaignState_descriptor()},
       {"instrument", "c.instrument_id", FF::Kind::kRef, "instruments"},
       {"wave_kind", "c.wave_kind", FF::Kind::kEnum, "", v1::CampaignWaveKind_descriptor()}},
      w));
  return ListCampaignsWhere(c, w, q.paging, page);
}

absl::StatusOr<std::vector<v1::CampaignParticipant>> DiagnosticsRepository::ListParticipants(
    sql::Connection& c, int64_t campaign_id, const ScopeFilter& people, const ListQuery& q, ListPage* page) {
  using FF = diag::FilterField;
  Where w;
  diag::AddPeopleScope(w, people);
  RETURN_IF_ERROR(diag::ApplyFilter(
      q.filter,
      {{"status", "cp.status", FF::Kind::kEnum, "", v1::ParticipantStatus_descriptor()},
       {"organization", "cp.organization_id", FF::Kind::kRef, "organizations"},
       {"organization_type", "cp.organization_type", FF::Kind::kEnum, "", v1::OrganizationType_descriptor()}},
      w));
  return ListParticipantsWhere(c, campaign_id, w, q.paging, page);
}

}  // namespace nms::db
