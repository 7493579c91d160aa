#pragma once
// SQL of support measures as clients see them: the recorded rows of support_measures and the
// derived ones, read on the fly from mentoring_pairs (ACTIVE/COMPLETED → MENTOR) and routes
// (APPROVED/IN_PROGRESS/COMPLETED → ROUTE). One query shape serves Get and List, so a derived
// measure looks the same wherever it is read.

#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/young_teacher.pb.h"
#include "server/db/directory_repository.h"
#include "server/domain/young/measure_rules.h"
#include "server/domain/young/measures.h"

namespace nms::db {

struct MeasureRecord {
  nms::v1::SupportMeasure measure;
  int64_t person_id = 0;
};

struct MeasurePage {
  std::vector<nms::v1::SupportMeasure> measures;
  std::string next_page_token;
  int64_t total_size = 0;
};

class SupportMeasureRepository {
 public:
  // NOT_FOUND when there is no such measure (a derived one also when its pair or route no
  // longer qualifies). `for_update` locks a recorded row.
  static absl::StatusOr<MeasureRecord> Get(sql::Connection& c, const young::MeasureRef& ref, bool for_update = false);

  // Measures of people in `scope` matching `conditions`, newest start first.
  static absl::StatusOr<MeasurePage> List(sql::Connection& c, const ScopeFilter& scope,
                                          const std::vector<young::MeasureCondition>& conditions,
                                          const PageRequest& paging);

  // "(SELECT ... UNION ALL ...) u": every measure, recorded and derived, with columns src (0
  // recorded, 1 pair, 2 route), id, person_id, kind, title, start_date, end_date, status,
  // source, organizer_id, notes, version, created_unix, updated_unix and the person's placement
  // p_region, p_mun, p_org. The other areas' parts are there only where their tables exist.
  static std::string AllMeasures(sql::Connection& c);

  // Writes a validated measure (organizer_id 0 = none); Update bumps the version.
  static int64_t Insert(sql::Connection& c, int64_t person_id, int64_t organizer_id, const young::MeasureDraft& m);
  static void Update(sql::Connection& c, int64_t id, int64_t organizer_id, const young::MeasureDraft& m);
  static void Delete(sql::Connection& c, int64_t id);

  // Whether any measure is recorded for people of the region (the demo stage's "already done").
  static bool RegionHasRecorded(sql::Connection& c, int64_t region_id);
};

}  // namespace nms::db
