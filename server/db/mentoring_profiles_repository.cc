// MentoringRepository: places, settings, mentor profiles and the facts of the eligibility rule.
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/db/stored_proto.h"
#include "server/db/mentoring_repository.h"
#include "server/db/mentoring_sql.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using namespace msql;  // NOLINT
namespace v1 = nms::v1;

std::string ProfileColumns() {
  return absl::StrCat(
      "mp.id, mp.region_id, mp.mentor_person_id, mp.mentor_organization_id, mp.nomination, mp.status, "
      "mp.eligibility_json, mp.subjects, mp.strong_areas, mp.strong_indicator_codes, mp.capacity, mp.accepting, "
      "mp.available_from, mp.available_until, mp.availability_note, mp.pair_types, mp.note, mp.shared_contact, mp.version, "
      "UNIX_TIMESTAMP(mp.created_at) AS created_unix, UNIX_TIMESTAMP(mp.updated_at) AS updated_unix, "
      "xo.id AS org_id, xo.municipality_id AS mun_id, ",
      DisplayNameSql("xp", "xo"), " AS display_name, ",
      "(SELECT COUNT(*) FROM mentoring_pairs q WHERE q.mentor_profile_id = mp.id AND q.status IN (1, 2)) AS live_pairs ");
}

std::string ProfileFrom() {
  return absl::StrCat("mentor_profiles mp", SideJoins("xp", "xo", "mp.mentor_person_id", "mp.mentor_organization_id"));
}

// Latest FINAL diagnostic result of a person: (id, overall level).
std::optional<std::pair<int64_t, int>> LatestResult(sql::Connection& c, int64_t person_id) {
  auto rs = Stmt(c,
                 "SELECT id, overall_level FROM diagnostic_results WHERE person_id = ? AND status = 2 "
                 "ORDER BY diagnosis_date DESC, id DESC LIMIT 1")
                .Int(person_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return std::make_pair(rs->getInt64(1), rs->getInt(2));
}

// Areas and indicators at high or advanced level (CompetencyLevel >= 3) of a result.
void DiagnosedStrengths(sql::Connection& c, int64_t result_id, v1::MentorProfile* out) {
  auto rs = Stmt(c, "SELECT area FROM diagnostic_result_areas WHERE result_id = ? AND level >= 3 ORDER BY area")
                .Int(result_id)
                .Query();
  while (rs->next()) out->add_diagnosed_strong_areas(static_cast<v1::CompetencyArea>(rs->getInt(1)));
  auto ri = Stmt(c,
                 "SELECT indicator_code FROM diagnostic_result_indicators WHERE result_id = ? AND level >= 3 "
                 "ORDER BY indicator_code")
                .Int(result_id)
                .Query();
  while (ri->next()) out->add_diagnosed_strong_indicator_codes(ri->getString(1));
}

MentoringRepository::ProfileRow ReadProfile(sql::Connection& c, sql::ResultSet& rs) {
  MentoringRepository::ProfileRow row;
  row.id = rs.getInt64("id");
  row.region_id = rs.getInt64("region_id");
  const int64_t person = GetInt(rs, "mentor_person_id");
  row.mentor = person != 0 ? EntityRef{false, person} : EntityRef{true, GetInt(rs, "mentor_organization_id")};
  row.place.region_id = row.region_id;
  row.place.organization_id = GetInt(rs, "org_id");
  row.place.municipality_id = GetInt(rs, "mun_id");
  row.place.person_id = person;
  row.live_pairs = static_cast<int>(rs.getInt64("live_pairs"));
  v1::MentorProfile& p = row.profile;
  p.set_name(ResourceName("mentorProfiles", row.id));
  p.set_mentor(row.mentor.Name());
  if (row.place.organization_id != 0) p.set_organization(ResourceName("organizations", row.place.organization_id));
  if (row.place.municipality_id != 0) p.set_municipality(ResourceName("municipalities", row.place.municipality_id));
  p.set_display_name(GetStr(rs, "display_name"));
  p.set_nomination(static_cast<v1::MentorNomination>(rs.getInt("nomination")));
  p.set_status(static_cast<v1::MentorProfileStatus>(rs.getInt("status")));
  ParseStoredJson(GetStr(rs, "eligibility_json"), p.mutable_eligibility(), "mentor_profiles.eligibility_json");
  for (auto& s : SplitList(GetStr(rs, "subjects"))) p.add_subjects(s);
  for (int a : SplitInts(GetStr(rs, "strong_areas"))) p.add_strong_areas(static_cast<v1::CompetencyArea>(a));
  for (auto& s : SplitList(GetStr(rs, "strong_indicator_codes"))) p.add_strong_indicator_codes(s);
  p.set_capacity(rs.getInt("capacity"));
  p.set_current_load(row.live_pairs);
  auto* av = p.mutable_availability();
  av->set_accepting(rs.getBoolean("accepting"));
  av->set_allocated_available_from(mapping::NewProtoDate(GetDay(rs, "available_from")));
  av->set_allocated_available_until(mapping::NewProtoDate(GetDay(rs, "available_until")));
  av->set_note(GetStr(rs, "availability_note"));
  for (int t : SplitInts(GetStr(rs, "pair_types"))) p.add_pair_types(static_cast<v1::PairType>(t));
  p.set_note(GetStr(rs, "note"));
  p.set_shared_contact(GetStr(rs, "shared_contact"));
  p.set_version(rs.getInt64("version"));
  *p.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  *p.mutable_update_time() = Seconds(GetInt(rs, "updated_unix"));
  (void)c;
  return row;
}

void AddDiagnosed(sql::Connection& c, MentoringRepository::ProfileRow& row) {
  if (row.mentor.organization) return;
  if (auto latest = LatestResult(c, row.mentor.id)) DiagnosedStrengths(c, latest->first, &row.profile);
}

std::string EligibilityJson(const v1::MentorEligibility& e) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(e, &out, opts);
  return out;
}

// Binds the mutable columns of a profile in the order of kProfileColumns.
constexpr char kProfileColumns[] =
    "nomination, status, eligible, eligibility_json, subjects, strong_areas, strong_indicator_codes, capacity, "
    "accepting, available_from, available_until, availability_note, pair_types, note, shared_contact";

void BindProfile(Stmt& st, const v1::MentorProfile& p) {
  st.Int(p.nomination())
      .Int(p.status())
      .Bool(p.eligibility().eligible())
      .Str(EligibilityJson(p.eligibility()))
      .Str(JoinList(p.subjects()))
      .Str(JoinInts(p.strong_areas()))
      .Str(JoinList(p.strong_indicator_codes()))
      .Int(p.capacity())
      .Bool(p.availability().accepting())
      .Day(FromDate(p.availability().available_from()))
      .Day(FromDate(p.availability().available_until()))
      .Str(p.availability().note())
      .Str(JoinInts(p.pair_types()))
      .Str(p.note())
      .Str(p.shared_contact());
}

}  // namespace

// ---------------------------------------------------------------- places

absl::StatusOr<EntityPlace> MentoringRepository::PlaceEntity(sql::Connection& c, const EntityRef& e) {
  const std::string sql = e.organization
      ? "SELECT o.region_id, o.municipality_id, o.id AS organization_id, 0 AS person_id, m.district_id, "
        "o.short_name AS display_name FROM organizations o LEFT JOIN municipalities m ON m.id = o.municipality_id "
        "WHERE o.id = ?"
      : "SELECT p.region_id, p.municipality_id, p.organization_id, p.id AS person_id, m.district_id, "
        "CONCAT_WS(' ', p.last_name, p.first_name, NULLIF(p.middle_name, '')) AS display_name FROM people p "
        "LEFT JOIN municipalities m ON m.id = p.municipality_id WHERE p.id = ?";
  auto rs = Stmt(c, sql).Int(e.id).Query();
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat(e.organization ? "Организация " : "Человек ", e.Name(), " не найден(а)"));
  }
  EntityPlace out;
  out.placement.region_id = GetInt(*rs, "region_id");
  out.placement.municipality_id = GetInt(*rs, "municipality_id");
  out.placement.organization_id = GetInt(*rs, "organization_id");
  out.placement.person_id = GetInt(*rs, "person_id");
  out.district_id = GetInt(*rs, "district_id");
  out.display_name = GetStr(*rs, "display_name");
  return out;
}

absl::StatusOr<mentoring::ScopePlace> MentoringRepository::PlaceScope(sql::Connection& c, const ScopeFilter& scope) {
  mentoring::ScopePlace out;
  std::string sql;
  switch (scope.kind) {
    case ScopeFilter::Kind::kRegion:
      out.kind = mentoring::ScopeKind::kRegion;
      sql = "SELECT id, 0, 0, 0 FROM regions WHERE id = ?";
      break;
    case ScopeFilter::Kind::kDistrict:
      out.kind = mentoring::ScopeKind::kDistrict;
      sql = "SELECT region_id, id, 0, 0 FROM districts WHERE id = ?";
      break;
    case ScopeFilter::Kind::kMunicipality:
      out.kind = mentoring::ScopeKind::kMunicipality;
      sql = "SELECT region_id, IFNULL(district_id, 0), id, 0 FROM municipalities WHERE id = ?";
      break;
    case ScopeFilter::Kind::kOrganization:
      out.kind = mentoring::ScopeKind::kOrganization;
      sql = "SELECT o.region_id, IFNULL(m.district_id, 0), IFNULL(o.municipality_id, 0), o.id FROM organizations o "
            "LEFT JOIN municipalities m ON m.id = o.municipality_id WHERE o.id = ?";
      break;
    case ScopeFilter::Kind::kPerson:
      return absl::InvalidArgumentError(
          "Поле scope: ожидается regions/…, districts/…, municipalities/… или organizations/…");
  }
  auto rs = Stmt(c, sql).Int(scope.id).Query();
  if (!rs->next()) return absl::NotFoundError("Территория не найдена");
  out.region_id = rs->getInt64(1);
  out.district_id = rs->getInt64(2);
  out.municipality_id = rs->getInt64(3);
  out.organization_id = rs->getInt64(4);
  return out;
}

// ---------------------------------------------------------------- settings

MentoringRepository::Settings MentoringRepository::GetSettings(sql::Connection& c, int64_t region_id, bool for_update) {
  Settings s;
  s.rule = mentoring::DefaultRule();
  auto rs = Stmt(c, absl::StrCat("SELECT min_experience_years, min_qualification_category, require_diagnostics, "
                                 "min_diagnostic_level, default_capacity, version, meeting_gap_weeks FROM mentoring_settings "
                                 "WHERE region_id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(region_id)
                .Query();
  if (rs->next()) {
    s.rule.min_experience_years = rs->getInt(1);
    s.rule.min_qualification = rs->getInt(2);
    s.rule.require_diagnostics = rs->getBoolean(3);
    s.rule.min_diagnostic_level = rs->getInt(4);
    s.rule.default_capacity = rs->getInt(5);
    s.version = rs->getInt64(6);
    s.meeting_gap_weeks = rs->getInt(7);
  }
  return s;
}

void MentoringRepository::SaveSettings(sql::Connection& c, int64_t region_id, const mentoring::EligibilityRule& r,
                                       int meeting_gap_weeks, int64_t new_version) {
  Stmt(c,
       "INSERT INTO mentoring_settings (region_id, min_experience_years, min_qualification_category, "
       "require_diagnostics, min_diagnostic_level, default_capacity, meeting_gap_weeks, version) "
       "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
       "ON DUPLICATE KEY UPDATE min_experience_years = VALUES(min_experience_years), "
       "min_qualification_category = VALUES(min_qualification_category), "
       "require_diagnostics = VALUES(require_diagnostics), min_diagnostic_level = VALUES(min_diagnostic_level), "
       "default_capacity = VALUES(default_capacity), meeting_gap_weeks = VALUES(meeting_gap_weeks), "
       "version = VALUES(version), updated_at = CURRENT_TIMESTAMP(6)")
      .Int(region_id)
      .Int(r.min_experience_years)
      .Int(r.min_qualification)
      .Bool(r.require_diagnostics)
      .Int(r.min_diagnostic_level)
      .Int(r.default_capacity)
      .Int(meeting_gap_weeks)
      .Int(new_version)
      .Execute();
}

// ---------------------------------------------------------------- profiles

absl::StatusOr<MentoringRepository::ProfileRow> MentoringRepository::GetProfile(sql::Connection& c, int64_t id,
                                                                               bool for_update) {
  if (for_update) {
    auto lock = Stmt(c, "SELECT id FROM mentor_profiles WHERE id = ? FOR UPDATE").Int(id).Query();
    if (!lock->next()) return absl::NotFoundError(absl::StrCat("Профиль наставника ", id, " не найден"));
  }
  auto rs = Stmt(c, absl::StrCat("SELECT ", ProfileColumns(), "FROM ", ProfileFrom(), "WHERE mp.id = ?")).Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Профиль наставника ", id, " не найден"));
  ProfileRow row = ReadProfile(c, *rs);
  rs.reset();
  AddDiagnosed(c, row);
  return row;
}

std::optional<int64_t> MentoringRepository::FindProfile(sql::Connection& c, const EntityRef& mentor) {
  auto rs = Stmt(c, mentor.organization ? "SELECT id FROM mentor_profiles WHERE mentor_organization_id = ?"
                                        : "SELECT id FROM mentor_profiles WHERE mentor_person_id = ?")
                .Int(mentor.id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

int64_t MentoringRepository::InsertProfile(sql::Connection& c, int64_t region_id, const EntityRef& mentor,
                                           const v1::MentorProfile& p) {
  Stmt st(c, absl::StrCat("INSERT INTO mentor_profiles (region_id, mentor_person_id, mentor_organization_id, ",
                          kProfileColumns, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Int(region_id);
  if (mentor.organization) st.Null().Int(mentor.id); else st.Int(mentor.id).Null();
  BindProfile(st, p);
  st.Execute();
  return LastInsertId(c);
}

void MentoringRepository::UpdateProfile(sql::Connection& c, int64_t id, const v1::MentorProfile& p) {
  Stmt st(c,
          "UPDATE mentor_profiles SET nomination = ?, status = ?, eligible = ?, eligibility_json = ?, subjects = ?, "
          "strong_areas = ?, strong_indicator_codes = ?, capacity = ?, accepting = ?, available_from = ?, "
          "available_until = ?, availability_note = ?, pair_types = ?, note = ?, shared_contact = ?, version = version + 1, "
          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?");
  BindProfile(st, p);
  st.Int(id).Execute();
}

void MentoringRepository::SetEligibility(sql::Connection& c, int64_t id, const v1::MentorEligibility& e) {
  Stmt(c, "UPDATE mentor_profiles SET eligible = ?, eligibility_json = ? WHERE id = ?")
      .Bool(e.eligible())
      .Str(EligibilityJson(e))
      .Int(id)
      .Execute();
}

void MentoringRepository::DeleteProfile(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM mentor_profiles WHERE id = ?").Int(id).Execute();
}

int MentoringRepository::CountProfilePairs(sql::Connection& c, int64_t profile_id, bool live_only) {
  auto rs = Stmt(c, absl::StrCat("SELECT COUNT(*) FROM mentoring_pairs WHERE mentor_profile_id = ?",
                                 live_only ? " AND status IN (1, 2)" : ""))
                .Int(profile_id)
                .Query();
  return rs->next() ? static_cast<int>(rs->getInt64(1)) : 0;
}

absl::Status MentoringRepository::ListProfiles(sql::Connection& c, const ScopeFilter& scope,
                                               const std::vector<FilterTerm>& filter, const PageRequest& page,
                                               std::vector<v1::MentorProfile>* out, int64_t* next_after,
                                               int64_t* total) {
  Where w;
  w.Add(SideInScope(scope, "mp.region_id", "xo", "mp.mentor_person_id"), scope.id);
  for (const auto& t : filter) {
    if (t.field == "organization") {
      RETURN_IF_ERROR(AddRef(w, t, "organizations", "xo.id = ?"));
    } else if (t.field == "municipality") {
      RETURN_IF_ERROR(AddRef(w, t, "municipalities", "xo.municipality_id = ?"));
    } else if (t.field == "district") {
      RETURN_IF_ERROR(AddRef(w, t, "districts", "xo.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)"));
    } else if (t.field == "status") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::MentorProfileStatus_descriptor(), "mp.status = ?"));
    } else if (t.field == "subjects") {
      w.Add("INSTR(CONCAT('|', mp.subjects, '|'), CONCAT('|', ?, '|')) > 0", t.value);
    } else if (t.field == "pair_types") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::PairType_descriptor(), "INSTR(CONCAT('|', mp.pair_types, '|'), CONCAT('|', ?, '|')) > 0"));
    } else if (t.field == "strong_areas") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::CompetencyArea_descriptor(), "INSTR(CONCAT('|', mp.strong_areas, '|'), CONCAT('|', ?, '|')) > 0"));
    } else if (t.field == "eligible") {
      auto v = FilterBool(t);
      if (!v.ok()) return v.status();
      w.Add("mp.eligible = ?", int64_t{*v});
    } else if (t.field == "mentor") {
      auto e = EntityValue(t);
      if (!e.ok()) return e.status();
      w.Add(e->organization ? "mp.mentor_organization_id = ?" : "mp.mentor_person_id = ?", e->id);
    }
  }
  std::vector<ProfileRow> rows;
  RunList(c, ProfileColumns(), ProfileFrom(), w, "mp.id", page,
          [&](sql::ResultSet& rs) { rows.push_back(ReadProfile(c, rs)); }, next_after, total);
  for (auto& row : rows) {
    AddDiagnosed(c, row);
    out->push_back(std::move(row.profile));
  }
  return absl::OkStatus();
}

mentoring::MentorFacts MentoringRepository::LoadMentorFacts(sql::Connection& c, const EntityRef& mentor) {
  mentoring::MentorFacts f;
  f.is_organization = mentor.organization;
  if (mentor.organization) return f;
  auto rs = Stmt(c, "SELECT work_start_date, qualification_category FROM people WHERE id = ?").Int(mentor.id).Query();
  if (rs->next()) {
    f.work_start_date = GetDay(*rs, "work_start_date");
    f.qualification_category = rs->getInt("qualification_category");
  }
  if (auto latest = LatestResult(c, mentor.id)) f.diagnostic_level = latest->second;
  return f;
}

}  // namespace nms::db
