#pragma once
// The cohort of a scope at a reference date, computed (never stored): the directory's
// candidates, the domain's cohort rule, everything that counts as their support, and the
// domain's judgement of each member. Shared by YoungTeacherService, the demo stage and the
// benchmark, so all three compute exactly the same cohort.

#include <cstdint>
#include <vector>

#include <cppconn/connection.h>

#include "absl/time/civil_time.h"
#include "server/db/directory_repository.h"
#include "server/db/young_teacher_repository.h"
#include "server/domain/young/listing.h"
#include "server/domain/young/settings.h"

namespace nms::services {

struct CohortMember {
  db::YoungCandidate card;
  young::CohortRow row;
};

// Members of the cohort of `scope` (inside `region_id`) at `ref` under `settings`, judged with
// the "no recent measure" window of `window_months`, in list order (organisation, name).
std::vector<CohortMember> ComputeCohort(sql::Connection& c, int64_t region_id, const db::ScopeFilter& scope,
                                        absl::CivilDay ref, const young::Settings& settings, int window_months);

}  // namespace nms::services
