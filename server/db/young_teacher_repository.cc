#include "server/db/young_teacher_repository.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/bulk_insert.h"
#include "server/db/monitoring_repository.h"
#include "server/db/people_lookup.h"
#include "server/db/sql.h"
#include "server/db/support_measure_repository.h"

namespace nms::db {
namespace {

using young::Measure;
using young::MeasureKind;
using young::MeasureStatus;

// Organisation types whose staff form the cohort, as monitoring counts teachers (nms.v1
// OrganizationType: school, kindergarten, college, additional education).
constexpr char kEducationalTypes[] = "(1, 2, 3, 4)";
// IN lists stay under MariaDB's in_predicate_conversion_threshold (1000), past which the list
// becomes a temporary table and the condition no longer reaches the union's parts (8x slower).
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

// Runs `head` + "(id, id, ...)" over the ids in batches, calling `row` per result row.
// The ids are spliced as numbers (db::IdList): a bound parameter per id makes MariaDB plan the
// IN list six times slower than literal integers.
template <typename Fn>
void ForBatches(sql::Connection& c, const std::vector<int64_t>& ids, const std::string& head, Fn&& row) {
  for (size_t i = 0; i < ids.size(); i += kBatch) {
    std::vector<int64_t> batch(ids.begin() + i, ids.begin() + std::min(ids.size(), i + kBatch));
    auto rs = Stmt(c, absl::StrCat(head, "(", IdList(batch), ")")).Query();
    while (rs->next()) row(*rs);
  }
}

}  // namespace

std::string YoungTeacherRepository::RegionTimeZone(sql::Connection& c, int64_t region_id) {
  return db::RegionTimeZone(c, region_id);
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

absl::flat_hash_map<int64_t, PersonSupport> YoungTeacherRepository::LoadSupport(sql::Connection& c, int64_t region_id,
                                                                               const std::vector<int64_t>& ids,
                                                                               size_t region_wide_from) {
  absl::flat_hash_map<int64_t, PersonSupport> out;
  if (ids.empty()) return out;
  absl::flat_hash_set<int64_t> wanted(ids.begin(), ids.end());
  // The same rows GetSupportMeasure and ListSupportMeasures show, so the lists and the alerts
  // never disagree about what counts.
  std::string measures = absl::StrCat("SELECT u.person_id, u.kind, u.status, u.start_date, u.end_date FROM ",
                                      SupportMeasureRepository::AllMeasures(c));
  auto measure = [&](sql::ResultSet& rs) {
    int64_t person = rs.getInt64(1);
    if (!wanted.contains(person)) return;
    out[person].measures.push_back(Measure{static_cast<MeasureKind>(rs.getInt(2)),
                                           static_cast<MeasureStatus>(rs.getInt(3)), *GetDay(rs, "start_date"),
                                           GetDay(rs, "end_date")});
  };
  // Drafts and agreed routes (nms.v1.RouteStatus 1, 2) are not an ИОМ in force yet; they only
  // change how the "no ИОМ" alert reads.
  bool routes = MonitoringRepository::TableExists(c, "routes");
  auto pending = [&](sql::ResultSet& rs) {
    if (wanted.contains(rs.getInt64(1))) out[rs.getInt64(1)].route_pending = true;
  };
  if (ids.size() >= region_wide_from) {
    // A large cohort is most of the region's support: one pass over the region beats batches.
    auto rs = Stmt(c, absl::StrCat(measures, " WHERE u.p_region = ?")).Int(region_id).Query();
    while (rs->next()) measure(*rs);
    if (routes) {
      auto rp = Stmt(c, "SELECT DISTINCT r.person_id FROM routes r JOIN people p ON p.id = r.person_id "
                        "WHERE r.status IN (1, 2) AND p.region_id = ?")
                    .Int(region_id)
                    .Query();
      while (rp->next()) pending(*rp);
    }
    return out;
  }
  ForBatches(c, ids, absl::StrCat(measures, " WHERE u.person_id IN "), measure);
  if (routes) ForBatches(c, ids, "SELECT DISTINCT person_id FROM routes WHERE status IN (1, 2) AND person_id IN ", pending);
  return out;
}

}  // namespace nms::db
