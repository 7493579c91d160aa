#include "server/db/young_teacher_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/monitoring_repository.h"
#include "server/db/sql.h"
#include "server/db/support_measure_repository.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using young::Measure;
using young::MeasureKind;
using young::MeasureStatus;

// Organisation types whose staff form the cohort, as monitoring counts teachers (nms.v1
// OrganizationType: school, kindergarten, college, additional education).
constexpr char kEducationalTypes[] = "(1, 2, 3, 4)";
constexpr size_t kBatch = 500;

StoredYoungSettings ReadSettings(sql::ResultSet& rs) {
  StoredYoungSettings s;
  s.settings.age_limit_years = rs.getInt("age_limit");
  s.settings.experience_limit_years = rs.getInt("years_limit");
  s.settings.support_target_percent = rs.getDouble("support_target_percent");
  s.settings.alert_window_months = rs.getInt("alert_window_months");
  s.version = rs.getInt64("version");
  return s;
}

constexpr char kSettingsSelect[] =
    "SELECT age_limit, years_limit, support_target_percent, alert_window_months, version "
    "FROM young_teacher_settings WHERE region_id = ?";

// WHERE fragment placing organisation `o` (with municipality `m`) or person `p` in a scope.
std::string OrgScopeSql(const ScopeFilter& s) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: return "o.region_id = ?";
    case ScopeFilter::Kind::kDistrict: return "m.district_id = ?";
    case ScopeFilter::Kind::kMunicipality: return "o.municipality_id = ?";
    case ScopeFilter::Kind::kOrganization: return "o.id = ?";
    case ScopeFilter::Kind::kPerson: return "p.id = ?";
  }
  return "FALSE";
}

// Runs `head` + "(?, ?, ...)" + `tail` over the ids in batches, calling `row` per result row.
template <typename Fn>
void ForBatches(sql::Connection& c, const std::vector<int64_t>& ids, const std::string& head, const std::string& tail,
                Fn&& row) {
  for (size_t i = 0; i < ids.size(); i += kBatch) {
    size_t n = std::min(kBatch, ids.size() - i);
    std::string marks = absl::StrJoin(std::vector<std::string>(n, "?"), ",");
    Stmt st(c, absl::StrCat(head, "(", marks, ")", tail));
    for (size_t k = 0; k < n; ++k) st.Int(ids[i + k]);
    auto rs = st.Query();
    while (rs->next()) row(*rs);
  }
}

}  // namespace

std::string YoungTeacherRepository::RegionTimeZone(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, "SELECT time_zone FROM regions WHERE id = ?").Int(region_id).Query();
  return rs->next() ? GetStr(*rs, "time_zone") : "Europe/Moscow";
}

StoredYoungSettings YoungTeacherRepository::GetSettings(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, kSettingsSelect).Int(region_id).Query();
  if (!rs->next()) return StoredYoungSettings{};
  return ReadSettings(*rs);
}

StoredYoungSettings YoungTeacherRepository::LockSettings(sql::Connection& c, int64_t region_id) {
  // The defaults row makes concurrent first changes serialise on one row lock instead of
  // racing to insert (the loser would see a duplicate key).
  Stmt(c, "INSERT IGNORE INTO young_teacher_settings (region_id) VALUES (?)").Int(region_id).Execute();
  auto rs = Stmt(c, absl::StrCat(kSettingsSelect, " FOR UPDATE")).Int(region_id).Query();
  rs->next();
  return ReadSettings(*rs);
}

void YoungTeacherRepository::SaveSettings(sql::Connection& c, int64_t region_id, const young::Settings& s) {
  Stmt(c,
       "UPDATE young_teacher_settings SET age_limit = ?, years_limit = ?, support_target_percent = ?, "
       "alert_window_months = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE region_id = ?")
      .Int(s.age_limit_years)
      .Int(s.experience_limit_years)
      .Double(s.support_target_percent)
      .Int(s.alert_window_months)
      .Int(region_id)
      .Execute();
}

std::vector<YoungCandidate> YoungTeacherRepository::LoadCandidates(sql::Connection& c, int64_t region_id,
                                                                  const ScopeFilter& scope, absl::CivilDay ref,
                                                                  const young::Settings& s) {
  // Date bounds with a two-day margin around 29 February; the exact rule runs in the domain.
  absl::CivilDay born_after = young::AddYears(ref, -s.age_limit_years) - 2;
  absl::CivilDay started_after = young::AddYears(ref, -s.experience_limit_years) - 2;
  // The organisation is that of the primary employment when it is active at `ref` (people
  // without one are placed by the directory), like monitoring's teacher count.
  Stmt st(c, absl::StrCat(
                 "SELECT p.id, p.last_name, p.first_name, p.middle_name, p.position, p.birth_date, p.work_start_date, "
                 "o.id AS org_id, IFNULL(o.municipality_id, 0) AS mun_id, o.short_name "
                 "FROM people p "
                 "LEFT JOIN employments e ON e.person_id = p.id AND e.is_primary "
                 "JOIN organizations o ON o.id = IFNULL(e.organization_id, p.organization_id) "
                 "LEFT JOIN municipalities m ON m.id = o.municipality_id "
                 "WHERE p.region_id = ? AND o.region_id = p.region_id AND ",
                 OrgScopeSql(scope), " AND o.type IN ", kEducationalTypes,
                 " AND p.birth_date > ? AND p.birth_date <= ? AND p.work_start_date > ? AND p.work_start_date <= ? "
                 "AND (e.id IS NULL OR (e.start_date <= ? AND (e.end_date IS NULL OR e.end_date >= ?))) "
                 "ORDER BY p.id, e.start_date DESC"));
  st.Int(region_id).Int(scope.id).Day(born_after).Day(ref).Day(started_after).Day(ref).Day(ref).Day(ref);
  auto rs = st.Query();
  std::vector<YoungCandidate> out;
  while (rs->next()) {
    int64_t id = rs->getInt64("id");
    if (!out.empty() && out.back().person_id == id) continue;  // one primary employment per person
    YoungCandidate y;
    y.person_id = id;
    y.last_name = GetStr(*rs, "last_name");
    y.first_name = GetStr(*rs, "first_name");
    y.middle_name = GetStr(*rs, "middle_name");
    y.position = GetStr(*rs, "position");
    y.birth_date = *GetDay(*rs, "birth_date");
    y.work_start_date = *GetDay(*rs, "work_start_date");
    y.organization_id = rs->getInt64("org_id");
    y.municipality_id = rs->getInt64("mun_id");
    y.organization_title = GetStr(*rs, "short_name");
    out.push_back(std::move(y));
  }
  return out;
}

absl::flat_hash_map<int64_t, PersonSupport> YoungTeacherRepository::LoadSupport(sql::Connection& c,
                                                                               const std::vector<int64_t>& ids) {
  absl::flat_hash_map<int64_t, PersonSupport> out;
  if (ids.empty()) return out;
  // The same rows GetSupportMeasure and ListSupportMeasures show, so the lists and the alerts
  // never disagree about what counts.
  ForBatches(c, ids,
             absl::StrCat("SELECT u.person_id, u.kind, u.status, u.start_date, u.end_date FROM ",
                          SupportMeasureRepository::AllMeasures(c), " WHERE u.person_id IN "),
             "", [&](sql::ResultSet& rs) {
               out[rs.getInt64("person_id")].measures.push_back(
                   Measure{static_cast<MeasureKind>(rs.getInt("kind")), static_cast<MeasureStatus>(rs.getInt("status")),
                           *GetDay(rs, "start_date"), GetDay(rs, "end_date")});
             });
  if (MonitoringRepository::TableExists(c, "routes")) {
    // Drafts and agreed routes (nms.v1.RouteStatus 1, 2) are not an ИОМ in force yet; they
    // only change how the "no ИОМ" alert reads.
    ForBatches(c, ids, "SELECT DISTINCT person_id FROM routes WHERE status IN (1, 2) AND person_id IN ", "",
               [&](sql::ResultSet& rs) { out[rs.getInt64("person_id")].route_pending = true; });
  }
  return out;
}

std::vector<ChildScope> YoungTeacherRepository::ChildScopes(sql::Connection& c, const ScopeFilter& parent) {
  std::string sql;
  ScopeFilter::Kind kind = ScopeFilter::Kind::kMunicipality;
  const char* collection = "municipalities";
  switch (parent.kind) {
    case ScopeFilter::Kind::kRegion:
      sql = "SELECT id, display_name FROM municipalities WHERE region_id = ? ORDER BY display_name, id";
      break;
    case ScopeFilter::Kind::kDistrict:
      sql = "SELECT id, display_name FROM municipalities WHERE district_id = ? ORDER BY display_name, id";
      break;
    case ScopeFilter::Kind::kMunicipality:
      sql = absl::StrCat("SELECT id, short_name FROM organizations WHERE municipality_id = ? AND type IN ",
                         kEducationalTypes, " ORDER BY short_name, id");
      kind = ScopeFilter::Kind::kOrganization;
      collection = "organizations";
      break;
    default:
      return {};
  }
  std::vector<ChildScope> out;
  auto rs = Stmt(c, sql).Int(parent.id).Query();
  while (rs->next()) {
    ChildScope child;
    child.scope = ScopeFilter{kind, rs->getInt64(1)};
    child.name = ResourceName(collection, child.scope.id);
    child.title = rs->getString(2);
    out.push_back(std::move(child));
  }
  return out;
}

std::string YoungTeacherRepository::ScopeTitle(sql::Connection& c, const ScopeFilter& scope) {
  std::string sql;
  switch (scope.kind) {
    case ScopeFilter::Kind::kRegion: sql = "SELECT display_name FROM regions WHERE id = ?"; break;
    case ScopeFilter::Kind::kDistrict: sql = "SELECT display_name FROM districts WHERE id = ?"; break;
    case ScopeFilter::Kind::kMunicipality: sql = "SELECT display_name FROM municipalities WHERE id = ?"; break;
    case ScopeFilter::Kind::kOrganization: sql = "SELECT short_name FROM organizations WHERE id = ?"; break;
    case ScopeFilter::Kind::kPerson:
      sql = "SELECT CONCAT_WS(' ', last_name, first_name, NULLIF(middle_name, '')) FROM people WHERE id = ?";
      break;
  }
  auto rs = Stmt(c, sql).Int(scope.id).Query();
  return rs->next() ? std::string(rs->getString(1)) : std::string();
}

}  // namespace nms::db
