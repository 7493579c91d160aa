#pragma once
// The young-teacher cohort rule (docs/domain.md §5, indicator 8): under 35 and in the first three
// years of pedagogical work at a reference date, both limits configurable per region. It is
// computed from the person's dates whenever it is needed, never stored, so the cohort changes
// by itself as dates pass. Monitoring, mentoring and the young-teacher service all use this.

#include <optional>

#include "absl/time/civil_time.h"

namespace nms::young {

// In the cohort at `ref`: age strictly under `age_limit` full years and fewer than
// `years_limit` full years (nms::FullYearsBetween) since the start of pedagogical work (both dates required; a start
// or birth after `ref` is not counted).
bool InYoungCohort(const std::optional<absl::CivilDay>& birth_date,
                   const std::optional<absl::CivilDay>& work_start_date, absl::CivilDay ref,
                   int age_limit = 35, int years_limit = 3);

}  // namespace nms::young
