#include "server/db/monitoring_repository.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/log.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/mapping/proto_time.h"

namespace nms::db {
namespace {

using monitoring::Definition;
using OptDay = std::optional<absl::CivilDay>;

OptDay FromDate(const nms::v1::Date& d) {
  if (d.year() == 0) return std::nullopt;
  return absl::CivilDay(d.year(), d.month(), d.day());
}

// Reads a column selected as TO_DAYS(date) by index; NULL -> nullopt. The fact loader reads
// hundreds of thousands of dates per computation: as text each one costs the driver an
// snprintf and us an sscanf, as a day number a plain integer read.
// Day numbers of 1900-01-01 .. 2099-12-31 map through a table built once: CivilDay arithmetic
// normalises through cctz's n_day, which was a tenth of a region's indicator computation.
OptDay DaysAt(sql::ResultSet& rs, int col) {
  if (rs.isNull(col)) return std::nullopt;
  constexpr int64_t kToDaysOfUnixEpoch = 719528;  // TO_DAYS('1970-01-01')
  static const absl::CivilDay kFirst(1900, 1, 1);
  static const std::vector<absl::CivilDay> kTable = [] {
    std::vector<absl::CivilDay> t;
    for (absl::CivilDay d = kFirst; d.year() < 2100; ++d) t.push_back(d);
    return t;
  }();
  static const int64_t kFirstNumber = kToDaysOfUnixEpoch + (kFirst - absl::CivilDay(1970, 1, 1));
  int64_t n = rs.getInt64(col);
  if (n >= kFirstNumber && n - kFirstNumber < static_cast<int64_t>(kTable.size())) return kTable[n - kFirstNumber];
  return absl::CivilDay(1970, 1, 1) + (n - kToDaysOfUnixEpoch);
}

// Reads a DATE column by index ("YYYY-MM-DD"); NULL -> nullopt.
OptDay DayAt(sql::ResultSet& rs, int col) {
  if (rs.isNull(col)) return std::nullopt;
  std::string s = rs.getString(col);
  int y = 0, m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return std::nullopt;
  return absl::CivilDay(y, m, d);
}

std::string JoinTypes(const std::vector<int>& types) { return absl::StrJoin(types, ","); }
std::vector<int> SplitTypes(const std::string& s) {
  std::vector<int> out;
  for (absl::string_view part : absl::StrSplit(s, ',', absl::SkipEmpty())) {
    int v = 0;
    if (absl::SimpleAtoi(part, &v)) out.push_back(v);
  }
  return out;
}

const char* kDefColumns =
    "id, region_id, code, ordinal, title, description, preset, numerator_fact, numerator_types, denominator_fact, "
    "denominator_types, value_kind, scope_level, period, target_value, comparison, source_clause, denominator_note, "
    "enabled, version, UNIX_TIMESTAMP(created_at) AS created_unix, UNIX_TIMESTAMP(updated_at) AS updated_unix";

StoredDefinition ReadDefinition(sql::ResultSet& rs) {
  StoredDefinition s;
  Definition& d = s.def;
  d.id = GetInt(rs, "id");
  s.region_id = GetInt(rs, "region_id");
  d.code = GetStr(rs, "code");
  d.ordinal = static_cast<int>(GetInt(rs, "ordinal"));
  d.title = GetStr(rs, "title");
  d.description = GetStr(rs, "description");
  d.preset = static_cast<monitoring::Preset>(GetInt(rs, "preset"));
  d.numerator = {static_cast<monitoring::Fact>(GetInt(rs, "numerator_fact")), SplitTypes(GetStr(rs, "numerator_types"))};
  d.denominator = {static_cast<monitoring::Fact>(GetInt(rs, "denominator_fact")),
                   SplitTypes(GetStr(rs, "denominator_types"))};
  d.value_kind = static_cast<monitoring::ValueKind>(GetInt(rs, "value_kind"));
  d.scope_level = static_cast<monitoring::ScopeLevel>(GetInt(rs, "scope_level"));
  d.period = static_cast<monitoring::Period>(GetInt(rs, "period"));
  d.target_value = rs.getDouble("target_value");
  d.comparison = static_cast<monitoring::Comparison>(GetInt(rs, "comparison"));
  d.source_clause = GetStr(rs, "source_clause");
  d.denominator_note = GetStr(rs, "denominator_note");
  d.enabled = GetInt(rs, "enabled") != 0;
  s.version = GetInt(rs, "version");
  s.created_unix = GetInt(rs, "created_unix");
  s.updated_unix = GetInt(rs, "updated_unix");
  return s;
}

Stmt& BindDefinition(Stmt& st, const Definition& d) {
  return st.Str(d.code)
      .Int(d.ordinal)
      .Str(d.title)
      .Str(d.description)
      .Int(static_cast<int>(d.preset))
      .Int(static_cast<int>(d.numerator.fact))
      .Str(JoinTypes(d.numerator.organization_types))
      .Int(static_cast<int>(d.denominator.fact))
      .Str(JoinTypes(d.denominator.organization_types))
      .Int(static_cast<int>(d.value_kind))
      .Int(static_cast<int>(d.scope_level))
      .Int(static_cast<int>(d.period))
      .Double(d.target_value)
      .Int(static_cast<int>(d.comparison))
      .Str(d.source_clause)
      .Str(d.denominator_note)
      .Bool(d.enabled);
}

}  // namespace

bool MonitoringRepository::ColumnExists(sql::Connection& c, const std::string& table, const std::string& column) {
  auto rs = Stmt(c,
                 "SELECT 1 FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND "
                 "column_name = ?")
                .Str(table)
                .Str(column)
                .Query();
  return rs->next();
}

bool MonitoringRepository::TableExists(sql::Connection& c, const std::string& table) {
  auto rs = Stmt(c, "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?")
                .Str(table)
                .Query();
  return rs->next();
}

// ---------------------------------------------------------------- definitions

absl::StatusOr<StoredDefinition> MonitoringRepository::GetDefinition(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", kDefColumns, " FROM indicator_definitions WHERE id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Показатель ", id, " не найден"));
  return ReadDefinition(*rs);
}

std::vector<StoredDefinition> MonitoringRepository::ListDefinitions(sql::Connection& c, int64_t region_id,
                                                                   bool enabled_only) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", kDefColumns, " FROM indicator_definitions WHERE region_id = ?",
                                 enabled_only ? " AND enabled" : "", " ORDER BY ordinal, code"))
                .Int(region_id)
                .Query();
  std::vector<StoredDefinition> out;
  while (rs->next()) out.push_back(ReadDefinition(*rs));
  return out;
}

std::optional<int64_t> MonitoringRepository::FindDefinitionByCode(sql::Connection& c, int64_t region_id,
                                                                  const std::string& code) {
  auto rs = Stmt(c, "SELECT id FROM indicator_definitions WHERE region_id = ? AND code = ? FOR UPDATE")
                .Int(region_id)
                .Str(code)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

int64_t MonitoringRepository::InsertDefinition(sql::Connection& c, int64_t region_id, const Definition& d) {
  Stmt st(c,
          "INSERT INTO indicator_definitions (region_id, code, ordinal, title, description, preset, numerator_fact, "
          "numerator_types, denominator_fact, denominator_types, value_kind, scope_level, period, target_value, "
          "comparison, source_clause, denominator_note, enabled) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  st.Int(region_id);
  BindDefinition(st, d).Execute();
  return LastInsertId(c);
}

void MonitoringRepository::UpdateDefinition(sql::Connection& c, int64_t id, const Definition& d) {
  Stmt st(c,
          "UPDATE indicator_definitions SET code = ?, ordinal = ?, title = ?, description = ?, preset = ?, "
          "numerator_fact = ?, numerator_types = ?, denominator_fact = ?, denominator_types = ?, value_kind = ?, "
          "scope_level = ?, period = ?, target_value = ?, comparison = ?, source_clause = ?, denominator_note = ?, "
          "enabled = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?");
  BindDefinition(st, d).Int(id).Execute();
}

void MonitoringRepository::DeleteDefinition(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM indicator_definitions WHERE id = ?").Int(id).Execute();
}

void MonitoringRepository::SetEnabledExcept(sql::Connection& c, int64_t region_id, bool enabled,
                                            const std::vector<int64_t>& ids) {
  std::string sql =
      "UPDATE indicator_definitions SET enabled = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
      "WHERE region_id = ? AND enabled <> ?";
  if (!ids.empty()) sql += absl::StrCat(" AND id NOT IN (", absl::StrJoin(ids, ","), ")");
  Stmt(c, sql).Bool(enabled).Int(region_id).Bool(enabled).Execute();
}

// ---------------------------------------------------------------- attestations

void MonitoringRepository::UpsertAttestation(sql::Connection& c, const AttestationRec& a, const std::string& document,
                                             int64_t account_id) {
  Stmt(c,
       "INSERT INTO indicator_attestations (definition_id, scope_level, scope_id, period_end_date, value, document, "
       "account_id) VALUES (?,?,?,?,?,?,?) ON DUPLICATE KEY UPDATE value = VALUES(value), document = "
       "VALUES(document), account_id = VALUES(account_id), created_at = CURRENT_TIMESTAMP(6)")
      .Int(a.definition_id)
      .Int(a.scope_level)
      .Int(a.scope_id)
      .Day(a.period_end)
      .Bool(a.value)
      .Str(document)
      .Int(account_id)
      .Execute();
}

std::vector<AttestationRec> MonitoringRepository::ListAttestations(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c,
                 "SELECT a.definition_id, a.scope_level, a.scope_id, a.period_end_date, a.value FROM "
                 "indicator_attestations a JOIN indicator_definitions d ON d.id = a.definition_id WHERE d.region_id = ?")
                .Int(region_id)
                .Query();
  std::vector<AttestationRec> out;
  while (rs->next()) {
    AttestationRec a;
    a.definition_id = rs->getInt64(1);
    a.scope_level = rs->getInt(2);
    a.scope_id = rs->getInt64(3);
    a.period_end = *DayAt(*rs, 4);
    a.value = rs->getBoolean(5);
    out.push_back(a);
  }
  return out;
}

// ---------------------------------------------------------------- scopes

std::optional<ScopeRow> MonitoringRepository::FindScope(sql::Connection& c, monitoring::ScopeLevel level, int64_t id) {
  const char* sql = nullptr;
  switch (level) {
    case monitoring::ScopeLevel::kRegion: sql = "SELECT id, display_name FROM regions WHERE id = ?"; break;
    case monitoring::ScopeLevel::kDistrict: sql = "SELECT region_id, display_name FROM districts WHERE id = ?"; break;
    case monitoring::ScopeLevel::kMunicipality:
      sql = "SELECT region_id, display_name FROM municipalities WHERE id = ?";
      break;
    case monitoring::ScopeLevel::kOrganization:
      sql = "SELECT region_id, short_name FROM organizations WHERE id = ?";
      break;
    default: return std::nullopt;
  }
  auto rs = Stmt(c, sql).Int(id).Query();
  if (!rs->next()) return std::nullopt;
  return ScopeRow{id, rs->getInt64(1), rs->getString(2)};
}

std::vector<ScopeRow> MonitoringRepository::ChildScopes(sql::Connection& c, monitoring::ScopeLevel level, int64_t id,
                                                        int64_t region_id) {
  const char* sql = nullptr;
  switch (level) {
    case monitoring::ScopeLevel::kRegion:
      sql = "SELECT id, display_name FROM municipalities WHERE region_id = ? ORDER BY display_name, id";
      break;
    case monitoring::ScopeLevel::kDistrict:
      sql = "SELECT id, display_name FROM municipalities WHERE district_id = ? ORDER BY display_name, id";
      break;
    case monitoring::ScopeLevel::kMunicipality:
      sql = "SELECT id, short_name FROM organizations WHERE municipality_id = ? AND type IN (1, 2, 3, 4) "
            "ORDER BY short_name, id";
      break;
    default: return {};
  }
  std::vector<ScopeRow> out;
  auto rs = Stmt(c, sql).Int(id).Query();
  while (rs->next()) out.push_back({rs->getInt64(1), region_id, rs->getString(2)});
  return out;
}

// ---------------------------------------------------------------- the fact loader

absl::Status MonitoringRepository::LoadFacts(sql::Connection& c, int64_t region_id, monitoring::FactInputs* out) {
  using namespace monitoring;
  auto query = [&](const std::string& sql) { return Stmt(c, sql).Int(region_id).Query(); };
  // Facts from other areas' contract tables: a table that is not there yet, or whose columns
  // differ from the contract, counts as no facts (logged) instead of failing the computation.
  auto optional = [&](const char* table, const auto& load) {
    if (!TableExists(c, table)) return;
    try {
      load();
    } catch (const sql::SQLException& e) {
      log::Warn("monitoring: contract table unreadable, counted as empty",
                {{"table", table}, {"code", absl::StrCat(e.getErrorCode())}});
    }
  };
  {
    auto rs = query(
        "SELECT o.id, IFNULL(o.municipality_id, 0), IFNULL(m.district_id, 0), o.type FROM organizations o "
        "LEFT JOIN municipalities m ON m.id = o.municipality_id WHERE o.region_id = ?");
    while (rs->next()) out->organizations.push_back({rs->getInt64(1), rs->getInt64(2), rs->getInt64(3), rs->getInt(4)});
  }
  {
    // Primary employments in the region's organisations give placements over time; people
    // without one count where the directory places them now. Two range scans merged here
    // (per person, latest employment first) rather than one join sorted by the database: for
    // 100 000 teachers the join's temporary table and filesort were most of a computation.
    struct Employment {
      int64_t person_id, organization_id;
      OptDay from, to;
      int category, management_role;
    };
    std::vector<Employment> employments;
    auto er = query(
        "SELECT e.person_id, e.organization_id, TO_DAYS(e.start_date), TO_DAYS(e.end_date), e.position_category, "
        "e.management_role FROM employments e "
        "JOIN organizations o ON o.id = e.organization_id WHERE o.region_id = ? AND e.is_primary");
    while (er->next()) {
      employments.push_back(
          {er->getInt64(1), er->getInt64(2), DaysAt(*er, 3), DaysAt(*er, 4), er->getInt(5), er->getInt(6)});
    }
    std::sort(employments.begin(), employments.end(), [](const Employment& a, const Employment& b) {
      if (a.person_id != b.person_id) return a.person_id < b.person_id;
      return a.from > b.from;  // latest first; a missing start sorts last
    });
    std::vector<TeacherRec> people;
    auto pr = query(
        "SELECT id, IFNULL(organization_id, 0), TO_DAYS(birth_date), TO_DAYS(work_start_date), management_role "
        "FROM people WHERE region_id = ?");
    while (pr->next()) {
      people.push_back({pr->getInt64(1), pr->getInt64(2), DaysAt(*pr, 3), DaysAt(*pr, 4), pr->getInt(5), std::nullopt,
                        std::nullopt});
    }
    std::sort(people.begin(), people.end(),
              [](const TeacherRec& a, const TeacherRec& b) { return a.person_id < b.person_id; });
    out->teachers.reserve(people.size());
    size_t e = 0;
    for (const auto& person : people) {
      while (e < employments.size() && employments[e].person_id < person.person_id) ++e;
      bool employed = false;
      for (; e < employments.size() && employments[e].person_id == person.person_id; ++e) {
        TeacherRec row = person;
        row.organization_id = employments[e].organization_id;
        row.employed_from = employments[e].from;
        row.employed_to = employments[e].to;
        // The category of that employment; an unset one derives from its own management role.
        row.category = employments[e].category != 0 ? employments[e].category
                       : employments[e].management_role > 0 ? kCategoryManager
                                                            : kCategoryPedagogical;
        out->teachers.push_back(row);
        employed = true;
      }
      if (!employed && person.organization_id != 0) out->teachers.push_back(person);
    }
  }
  optional("diagnostic_results", [&] {
    // FINAL results (nms.v1.DiagnosticResultStatus 2), dated by the diagnosis date when the
    // table has one (imported results), else by submission.
    std::string date = ColumnExists(c, "diagnostic_results", "diagnosis_date")
                           ? "TO_DAYS(COALESCE(r.diagnosis_date, DATE(r.submitted_at)))"
                           : "TO_DAYS(r.submitted_at)";
    auto rs = query(absl::StrCat(
        "SELECT r.person_id, ", date, ", r.overall_level FROM diagnostic_results r "
        "JOIN people p ON p.id = r.person_id WHERE p.region_id = ? AND r.status = 2 AND r.submitted_at IS NOT NULL"));
    while (rs->next()) {
      auto d = DaysAt(*rs, 2);
      if (d) out->diagnoses.push_back({rs->getInt64(1), *d, rs->getInt(3)});
    }
  });
  optional("routes", [&] {
    auto rs = query(
        "SELECT r.person_id, r.status, r.result_id IS NOT NULL, TO_DAYS(r.created_at), TO_DAYS(r.completed_at) FROM routes r "
        "JOIN people p ON p.id = r.person_id WHERE p.region_id = ?");
    while (rs->next()) {
      auto created = DaysAt(*rs, 4);
      if (created) out->routes.push_back({rs->getInt64(1), rs->getInt(2), rs->getBoolean(3), *created, DaysAt(*rs, 5)});
    }
  });
  {
    auto rs = query(
        "SELECT person_id, TO_DAYS(end_date), federal_registry, chosen_from_diagnostics, attestation_passed, "
        "quality_management, TO_DAYS(start_date) FROM training_completions WHERE region_id = ?");
    while (rs->next()) {
      out->completions.push_back({rs->getInt64(1), DaysAt(*rs, 2), rs->getBoolean(3), rs->getBoolean(4),
                                  rs->getBoolean(5), rs->getBoolean(6), DaysAt(*rs, 7)});
    }
  }
  {
    auto rs = query(
        "SELECT person_id, organization_id, TO_DAYS(start_date), TO_DAYS(end_date) FROM management_team_memberships "
        "WHERE region_id = ?");
    while (rs->next()) out->management.push_back({rs->getInt64(1), rs->getInt64(2), DaysAt(*rs, 3), DaysAt(*rs, 4)});
  }
  auto spans = [&](const std::string& sql, std::vector<PersonSpanRec>* v) {
    auto rs = query(sql);
    while (rs->next()) v->push_back({rs->getInt64(1), DaysAt(*rs, 2), DaysAt(*rs, 3)});
  };
  {
    auto rs = query(
        "SELECT person_id, TO_DAYS(start_date), TO_DAYS(end_date), level FROM community_memberships WHERE region_id = ?");
    while (rs->next()) out->communities.push_back({rs->getInt64(1), DaysAt(*rs, 2), DaysAt(*rs, 3), rs->getInt(4)});
  }
  spans("SELECT person_id, TO_DAYS(start_date), TO_DAYS(end_date) FROM expert_activities WHERE region_id = ?",
        &out->expert);
  optional("support_measures", [&] {
    // ACTIVE or COMPLETED measures (nms.v1.SupportMeasureStatus 2, 3) over their dates.
    spans(
        "SELECT s.person_id, TO_DAYS(s.start_date), TO_DAYS(s.end_date) FROM support_measures s "
        "JOIN people p ON p.id = s.person_id "
        "WHERE p.region_id = ? AND s.status IN (2, 3)",
        &out->support_measures);
  });
  optional("mentoring_pairs", [&] {
    // Person mentees of started pairs that are ACTIVE or COMPLETED (nms.v1.MentoringPairStatus
    // 2, 4; a completed pair supported its mentee over its dates, as YoungTeacherService's
    // derived MENTOR measures say), and organisations of ACTIVE organisation-to-organisation
    // (management mentoring) pairs on either side.
    auto rs = query(
        "SELECT mp.mentee_person_id, TO_DAYS(mp.started_at), "
        "TO_DAYS(CASE WHEN mp.status = 4 THEN IFNULL(mp.ended_at, mp.started_at) ELSE mp.ended_at END) "
        "FROM mentoring_pairs mp JOIN people p ON p.id = mp.mentee_person_id "
        "WHERE p.region_id = ? AND mp.status IN (2, 4) AND mp.started_at IS NOT NULL");
    while (rs->next()) out->mentees.push_back({rs->getInt64(1), DaysAt(*rs, 2), DaysAt(*rs, 3)});
    auto rs2 = Stmt(c,
                    "SELECT mp.mentor_organization_id, mp.mentee_organization_id, TO_DAYS(mp.started_at), "
                    "TO_DAYS(mp.ended_at) FROM mentoring_pairs mp JOIN organizations o ON o.id = "
                    "IFNULL(mp.mentee_organization_id, mp.mentor_organization_id) WHERE o.region_id = ? AND "
                    "mp.status = 2 AND mp.mentee_person_id IS NULL AND (mp.mentor_organization_id IS NOT NULL OR "
                    "mp.mentee_organization_id IS NOT NULL)")
                   .Int(region_id)
                   .Query();
    while (rs2->next()) {
      for (int col : {1, 2}) {
        if (!rs2->isNull(col)) out->management_mentoring_orgs.push_back({rs2->getInt64(col), DaysAt(*rs2, 3), DaysAt(*rs2, 4)});
      }
    }
  });
  optional("mentoring_programmes", [&] {
    // ACTIVE programmes (nms.v1.MentoringProgrammeStatus 1) over their dates.
    auto rs = query(
        "SELECT mp.organization_id, TO_DAYS(mp.start_date), TO_DAYS(mp.end_date) FROM mentoring_programmes mp "
        "JOIN organizations o ON o.id = mp.organization_id WHERE o.region_id = ? AND mp.status = 1");
    while (rs->next()) out->mentoring_programmes.push_back({rs->getInt64(1), DaysAt(*rs, 2), DaysAt(*rs, 3)});
  });
  {
    // Organisations whose management team works in an internship platform: the hosts and
    // the organisations of management trainees (InternshipParticipantRole 2) or host teams (1).
    // A participation counts only while the platform itself is in force: the intersection of the
    // two date spans (an open end on either side leaves the other's).
    auto rs = query(
        "SELECT ip.organization_id, "
        "TO_DAYS(CASE WHEN p.start_date IS NULL THEN ip.start_date WHEN ip.start_date IS NULL THEN p.start_date "
        "ELSE GREATEST(p.start_date, ip.start_date) END), "
        "TO_DAYS(CASE WHEN p.end_date IS NULL THEN ip.end_date WHEN ip.end_date IS NULL THEN p.end_date "
        "ELSE LEAST(p.end_date, ip.end_date) END) "
        "FROM internship_participants ip JOIN internship_platforms p ON p.id = ip.platform_id "
        "WHERE ip.region_id = ? AND ip.role IN (1, 2)");
    while (rs->next()) out->internship_orgs.push_back({rs->getInt64(1), DaysAt(*rs, 2), DaysAt(*rs, 3)});
  }
  {
    auto rs = query(
        "SELECT methodist_person_id, teacher_person_id, role, TO_DAYS(start_date), TO_DAYS(end_date) "
        "FROM methodist_assignments WHERE region_id = ?");
    while (rs->next()) {
      out->assignments.push_back({rs->getInt64(1), rs->getInt64(2), rs->getInt(3), DaysAt(*rs, 4), DaysAt(*rs, 5)});
    }
  }
  {
    auto rs = query(
        "SELECT person_id, TO_DAYS(start_date), TO_DAYS(end_date), federally_trained, TO_DAYS(federal_training_date) "
        "FROM cnppm_staff "
        "WHERE region_id = ?");
    while (rs->next()) {
      out->cnppm_staff.push_back({rs->getInt64(1), DaysAt(*rs, 2), DaysAt(*rs, 3), rs->getBoolean(4), DaysAt(*rs, 5)});
    }
  }
  {
    auto rs = query("SELECT TO_DAYS(start_date), TO_DAYS(end_date), level FROM regional_events WHERE region_id = ?");
    while (rs->next()) out->events.push_back({DaysAt(*rs, 1), DaysAt(*rs, 2), rs->getInt(3)});
  }
  optional("young_teacher_settings", [&] {
    auto rs = query("SELECT age_limit, years_limit FROM young_teacher_settings WHERE region_id = ?");
    if (rs->next()) {
      if (rs->getInt(1) > 0) out->young_age_limit = rs->getInt(1);
      if (rs->getInt(2) > 0) out->young_years_limit = rs->getInt(2);
    }
  });
  return absl::OkStatus();
}

// ---------------------------------------------------------------- fact records

void MonitoringRepository::SyncRouteItemCompletion(sql::Connection& c, int64_t item_id,
                                                   const std::optional<absl::CivilDay>& done_date) {
  const std::string key = absl::StrCat("route-item-", item_id);
  if (!done_date.has_value()) {
    Stmt(c, "DELETE FROM training_completions WHERE source = 4 AND external_id = ?").Str(key).Execute();
    return;
  }
  // FactSource ROUTE = 4; RouteSection FURTHER_TRAINING = 1. The unique (region, source,
  // external_id) key makes a repeated completion update the same row.
  Stmt(c,
       "INSERT INTO training_completions (region_id, person_id, activity_id, programme_title, provider_title, hours, "
       "federal_registry, federal_registry_id, chosen_from_diagnostics, route_item, start_date, end_date, "
       "attestation_passed, source, external_id) "
       "SELECT r.region_id, r.person_id, a.id, a.title, a.provider_title, a.hours, TRUE, a.federal_registry_id, "
       "r.result_id IS NOT NULL, CONCAT('routes/', r.id, '/items/', i.id), "
       "CASE WHEN a.start_date <= ? THEN a.start_date END, ?, TRUE, 4, ? "
       "FROM route_items i JOIN routes r ON r.id = i.route_id JOIN activities a ON a.id = i.activity_id "
       "WHERE i.id = ? AND i.section = 1 AND (a.federal OR IFNULL(a.federal_registry_id, '') <> '') "
       // Qualified: the joined activities have columns of the same names.
       "ON DUPLICATE KEY UPDATE training_completions.end_date = VALUES(end_date), "
       "training_completions.start_date = VALUES(start_date), "
       "training_completions.chosen_from_diagnostics = VALUES(chosen_from_diagnostics), "
       "training_completions.attestation_passed = TRUE, "
       "training_completions.version = training_completions.version + 1, "
       "training_completions.updated_at = CURRENT_TIMESTAMP(6)")
      .Day(*done_date)
      .Day(*done_date)
      .Str(key)
      .Int(item_id)
      .Execute();
}

int64_t MonitoringRepository::InsertTrainingCompletion(sql::Connection& c, int64_t region_id, int64_t person_id,
                                                       int64_t activity_id, const nms::v1::TrainingCompletion& t) {
  Stmt(c,
       "INSERT INTO training_completions (region_id, person_id, activity_id, programme_title, provider_title, hours, "
       "federal_registry, federal_registry_id, chosen_from_diagnostics, route_item, quality_management, "
       "federal_operator, start_date, end_date, attestation_passed, certificate_number, source, external_id) "
       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
      .Int(region_id)
      .Int(person_id)
      .OptInt(activity_id)
      .Str(t.programme_title())
      .Str(t.provider_title())
      .Int(t.hours())
      .Bool(t.federal_registry())
      .OptStr(t.federal_registry_id())
      .Bool(t.chosen_from_diagnostics())
      .OptStr(t.route_item())
      .Bool(t.quality_management())
      .Bool(t.federal_operator())
      .Day(FromDate(t.start_date()))
      .Day(FromDate(t.end_date()))
      .Bool(t.attestation_passed())
      .Str(t.certificate_number())
      .Int(t.source())
      .OptStr(t.external_id())
      .Execute();
  return LastInsertId(c);
}

void MonitoringRepository::UpdateTrainingCompletion(sql::Connection& c, int64_t id,
                                                    const nms::v1::TrainingCompletion& t) {
  Stmt(c,
       "UPDATE training_completions SET programme_title = ?, provider_title = ?, hours = ?, federal_registry = ?, "
       "federal_registry_id = ?, chosen_from_diagnostics = ?, quality_management = ?, federal_operator = ?, "
       "start_date = ?, end_date = ?, attestation_passed = ?, certificate_number = ?, route_item = ?, "
       "version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(t.programme_title())
      .Str(t.provider_title())
      .Int(t.hours())
      .Bool(t.federal_registry())
      .OptStr(t.federal_registry_id())
      .Bool(t.chosen_from_diagnostics())
      .Bool(t.quality_management())
      .Bool(t.federal_operator())
      .Day(FromDate(t.start_date()))
      .Day(FromDate(t.end_date()))
      .Bool(t.attestation_passed())
      .Str(t.certificate_number())
      .OptStr(t.route_item())
      .Int(id)
      .Execute();
}

absl::StatusOr<nms::v1::TrainingCompletion> MonitoringRepository::GetTrainingCompletion(sql::Connection& c, int64_t id,
                                                                                      bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT id, person_id, activity_id, programme_title, provider_title, hours, "
                                 "federal_registry, federal_registry_id, chosen_from_diagnostics, route_item, "
                                 "quality_management, federal_operator, start_date, end_date, attestation_passed, "
                                 "certificate_number, source, external_id, version, UNIX_TIMESTAMP(created_at) AS "
                                 "created_unix, UNIX_TIMESTAMP(updated_at) AS updated_unix FROM training_completions "
                                 "WHERE id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Запись об обучении ", id, " не найдена"));
  nms::v1::TrainingCompletion t;
  t.set_name(ResourceName("trainingCompletions", id));
  t.set_person(ResourceName("people", GetInt(*rs, "person_id")));
  if (GetInt(*rs, "activity_id") > 0) t.set_activity(ResourceName("activities", GetInt(*rs, "activity_id")));
  t.set_programme_title(GetStr(*rs, "programme_title"));
  t.set_provider_title(GetStr(*rs, "provider_title"));
  t.set_hours(static_cast<int>(GetInt(*rs, "hours")));
  t.set_federal_registry(GetInt(*rs, "federal_registry") != 0);
  t.set_federal_registry_id(GetStr(*rs, "federal_registry_id"));
  t.set_chosen_from_diagnostics(GetInt(*rs, "chosen_from_diagnostics") != 0);
  t.set_route_item(GetStr(*rs, "route_item"));
  t.set_quality_management(GetInt(*rs, "quality_management") != 0);
  t.set_federal_operator(GetInt(*rs, "federal_operator") != 0);
  t.set_allocated_start_date(mapping::NewProtoDate(GetDay(*rs, "start_date")));
  t.set_allocated_end_date(mapping::NewProtoDate(GetDay(*rs, "end_date")));
  t.set_attestation_passed(GetInt(*rs, "attestation_passed") != 0);
  t.set_certificate_number(GetStr(*rs, "certificate_number"));
  t.set_source(static_cast<nms::v1::FactSource>(GetInt(*rs, "source")));
  t.set_external_id(GetStr(*rs, "external_id"));
  t.set_version(GetInt(*rs, "version"));
  t.mutable_create_time()->set_seconds(GetInt(*rs, "created_unix"));
  t.mutable_update_time()->set_seconds(GetInt(*rs, "updated_unix"));
  return t;
}

std::optional<MonitoringRepository::ProgrammeItem> MonitoringRepository::FindProgrammeItem(
    sql::Connection& c, int64_t person_id, const std::string& registry_id, const std::string& title) {
  if (registry_id.empty() && title.empty()) return std::nullopt;
  // RouteSection FURTHER_TRAINING = 1; RouteStatus CANCELLED = 6.
  auto rs = Stmt(c,
                 "SELECT i.id, i.route_id, IFNULL(i.activity_id, 0) AS activity_id, r.result_id IS NOT NULL AS from_dx "
                 "FROM route_items i JOIN routes r ON r.id = i.route_id LEFT JOIN activities a ON a.id = i.activity_id "
                 "WHERE r.person_id = ? AND r.status <> 6 AND i.section = 1 AND "
                 "(IF(? <> '', a.federal_registry_id = ?, i.title = ?)) ORDER BY r.id DESC, i.id LIMIT 1")
                .Int(person_id)
                .Str(registry_id)
                .Str(registry_id)
                .Str(title)
                .Query();
  if (!rs->next()) return std::nullopt;
  return ProgrammeItem{absl::StrCat("routes/", rs->getInt64("route_id"), "/items/", rs->getInt64("id")),
                       rs->getInt64("activity_id"), rs->getBoolean("from_dx")};
}

std::vector<std::string> MonitoringRepository::PassedProgrammeTitles(sql::Connection& c, int64_t person_id) {
  auto rs = Stmt(c, "SELECT programme_title FROM training_completions WHERE person_id = ? AND attestation_passed "
                    "ORDER BY id")
                .Int(person_id)
                .Query();
  std::vector<std::string> out;
  while (rs->next()) out.push_back(GetStr(*rs, "programme_title"));
  return out;
}

std::optional<int64_t> MonitoringRepository::FindTrainingCompletionByExternal(sql::Connection& c, int64_t region_id,
                                                                              int source,
                                                                              const std::string& external_id) {
  auto rs = Stmt(c,
                 "SELECT id FROM training_completions WHERE region_id = ? AND source = ? AND external_id = ? FOR UPDATE")
                .Int(region_id)
                .Int(source)
                .Str(external_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

int64_t MonitoringRepository::InsertManagementMembership(sql::Connection& c, int64_t region_id, int64_t person_id,
                                                         int64_t org_id, const nms::v1::ManagementTeamMembership& m) {
  Stmt(c,
       "INSERT INTO management_team_memberships (region_id, person_id, organization_id, role, start_date, end_date) "
       "VALUES (?,?,?,?,?,?)")
      .Int(region_id)
      .Int(person_id)
      .Int(org_id)
      .Int(m.role())
      .Day(FromDate(m.start_date()))
      .Day(FromDate(m.end_date()))
      .Execute();
  return LastInsertId(c);
}

int64_t MonitoringRepository::InsertCommunityMembership(sql::Connection& c, int64_t region_id, int64_t person_id,
                                                        const nms::v1::CommunityMembership& m) {
  Stmt(c,
       "INSERT INTO community_memberships (region_id, person_id, community_title, community_kind, level, networked, "
       "member_status, start_date, end_date) VALUES (?,?,?,?,?,?,?,?,?)")
      .Int(region_id)
      .Int(person_id)
      .Str(m.community_title())
      .Int(m.community_kind())
      .Int(m.level())
      .Bool(m.networked())
      .Str(m.member_status())
      .Day(FromDate(m.start_date()))
      .Day(FromDate(m.end_date()))
      .Execute();
  return LastInsertId(c);
}

int64_t MonitoringRepository::InsertExpertActivity(sql::Connection& c, int64_t region_id, int64_t person_id,
                                                   const nms::v1::ExpertActivity& e) {
  Stmt(c, "INSERT INTO expert_activities (region_id, person_id, kind, title, start_date, end_date) VALUES (?,?,?,?,?,?)")
      .Int(region_id)
      .Int(person_id)
      .Int(e.kind())
      .Str(e.title())
      .Day(FromDate(e.start_date()))
      .Day(FromDate(e.end_date()))
      .Execute();
  return LastInsertId(c);
}

int64_t MonitoringRepository::InsertInternshipPlatform(sql::Connection& c, int64_t region_id, int64_t org_id,
                                                       const nms::v1::InternshipPlatform& p) {
  Stmt(c,
       "INSERT INTO internship_platforms (region_id, organization_id, title, register_number, start_date, end_date) "
       "VALUES (?,?,?,?,?,?)")
      .Int(region_id)
      .Int(org_id)
      .Str(p.title())
      .Str(p.register_number())
      .Day(FromDate(p.start_date()))
      .Day(FromDate(p.end_date()))
      .Execute();
  return LastInsertId(c);
}

absl::StatusOr<int64_t> MonitoringRepository::PlatformRegion(sql::Connection& c, int64_t platform_id) {
  auto rs = Stmt(c, "SELECT region_id FROM internship_platforms WHERE id = ?").Int(platform_id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Стажировочная площадка ", platform_id, " не найдена"));
  return rs->getInt64(1);
}

int64_t MonitoringRepository::InsertInternshipParticipant(sql::Connection& c, int64_t platform_id, int64_t region_id,
                                                          int64_t person_id, int64_t org_id,
                                                          const nms::v1::InternshipParticipant& p) {
  Stmt(c,
       "INSERT INTO internship_participants (platform_id, region_id, person_id, organization_id, role, start_date, "
       "end_date) VALUES (?,?,?,?,?,?,?)")
      .Int(platform_id)
      .Int(region_id)
      .Int(person_id)
      .Int(org_id)
      .Int(p.role())
      .Day(FromDate(p.start_date()))
      .Day(FromDate(p.end_date()))
      .Execute();
  return LastInsertId(c);
}

int64_t MonitoringRepository::InsertRegionalEvent(sql::Connection& c, int64_t region_id, int64_t organizer_id,
                                                  const nms::v1::RegionalEvent& e) {
  Stmt(c,
       "INSERT INTO regional_events (region_id, title, kind, level, organizer_id, start_date, end_date) "
       "VALUES (?,?,?,?,?,?,?)")
      .Int(region_id)
      .Str(e.title())
      .Str(e.kind())
      .Int(e.level())
      .OptInt(organizer_id)
      .Day(FromDate(e.start_date()))
      .Day(FromDate(e.end_date()))
      .Execute();
  return LastInsertId(c);
}

absl::StatusOr<int64_t> MonitoringRepository::EventRegion(sql::Connection& c, int64_t event_id) {
  auto rs = Stmt(c, "SELECT region_id FROM regional_events WHERE id = ?").Int(event_id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Мероприятие ", event_id, " не найдено"));
  return rs->getInt64(1);
}

int64_t MonitoringRepository::InsertEventParticipant(sql::Connection& c, int64_t event_id, int64_t person_id,
                                                     const nms::v1::RegionalEventParticipant& p) {
  Stmt(c, "INSERT INTO regional_event_participants (event_id, person_id, role) VALUES (?,?,?)")
      .Int(event_id)
      .Int(person_id)
      .Int(p.role() == 0 ? 1 : p.role())
      .Execute();
  return LastInsertId(c);
}

int64_t MonitoringRepository::InsertCnppmStaff(sql::Connection& c, int64_t region_id, int64_t person_id,
                                               int64_t org_id, const nms::v1::CnppmStaffMember& s) {
  Stmt(c,
       "INSERT INTO cnppm_staff (region_id, person_id, organization_id, position, start_date, end_date, "
       "federally_trained, federal_training_date, federal_training_title) VALUES (?,?,?,?,?,?,?,?,?)")
      .Int(region_id)
      .Int(person_id)
      .Int(org_id)
      .Str(s.position())
      .Day(FromDate(s.start_date()))
      .Day(FromDate(s.end_date()))
      .Bool(s.federally_trained())
      .Day(FromDate(s.federal_training_date()))
      .Str(s.federal_training_title())
      .Execute();
  return LastInsertId(c);
}

int64_t MonitoringRepository::InsertMethodistAssignment(sql::Connection& c, int64_t region_id, int64_t methodist_id,
                                                        int64_t teacher_id, int64_t route_id,
                                                        const nms::v1::MethodistAssignment& a) {
  Stmt(c,
       "INSERT INTO methodist_assignments (region_id, methodist_person_id, teacher_person_id, role, route_id, "
       "start_date, end_date) VALUES (?,?,?,?,?,?,?)")
      .Int(region_id)
      .Int(methodist_id)
      .Int(teacher_id)
      .Int(a.role())
      .OptInt(route_id)
      .Day(FromDate(a.start_date()))
      .Day(FromDate(a.end_date()))
      .Execute();
  return LastInsertId(c);
}

}  // namespace nms::db
