#pragma once
// SQL of the young-teacher area: region settings, the people who may form the cohort of a
// scope at a date, and everything that counts as their support — recorded measures plus the
// mentoring pairs and routes of the other areas, read where they live (never copied). The
// exact cohort rule and the support judgement are the domain's (server/domain/young).

#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/db/directory_repository.h"
#include "server/domain/young/settings.h"
#include "server/domain/young/support.h"

namespace nms::db {

struct StoredYoungSettings {
  young::Settings settings;
  int64_t version = 1;  // a region that never saved its settings has the defaults at version 1
};

// A person who may be in the cohort at the reference date, placed at the organisation of
// their primary employment on that date (as monitoring counts them).
struct YoungCandidate {
  int64_t person_id = 0;
  std::string last_name, first_name, middle_name, position;
  absl::CivilDay birth_date, work_start_date;
  int64_t organization_id = 0, municipality_id = 0;
  std::string organization_title;
};

// What counts as a person's support, with ИОМ drafts noted for the alert's wording.
struct PersonSupport {
  std::vector<young::Measure> measures;
  bool route_pending = false;
};

class YoungTeacherRepository {
 public:
  // The region's time zone, for "today" when a request gives no reference date.
  static std::string RegionTimeZone(sql::Connection& c, int64_t region_id);

  static StoredYoungSettings GetSettings(sql::Connection& c, int64_t region_id);
  // Locks the region's settings row for a change, creating it with the defaults first.
  static StoredYoungSettings LockSettings(sql::Connection& c, int64_t region_id);
  // Writes the settings and bumps the version.
  static void SaveSettings(sql::Connection& c, int64_t region_id, const young::Settings& s);

  // People of `region_id` inside `scope` who may be in the cohort at `ref`: both dates known,
  // within the limits (with a margin; the domain rule decides), working at `ref` in an
  // educational organisation (school, kindergarten, college, additional education).
  static std::vector<YoungCandidate> LoadCandidates(sql::Connection& c, int64_t region_id, const ScopeFilter& scope,
                                                    absl::CivilDay ref, const young::Settings& s);

  // Recorded measures, mentoring pairs (as MENTOR) and routes (as ROUTE) of these people of
  // `region_id`: by batches of ids, or from `region_wide_from` people on in one pass over the
  // region (the same answer either way; the threshold is a parameter so tests can compare).
  static absl::flat_hash_map<int64_t, PersonSupport> LoadSupport(sql::Connection& c, int64_t region_id,
                                                                const std::vector<int64_t>& person_ids,
                                                                size_t region_wide_from = 2000);
};

}  // namespace nms::db
