#include "server/domain/young/cohort.h"

#include "server/domain/common/dates.h"

namespace nms::young {

bool InYoungCohort(const std::optional<absl::CivilDay>& birth_date,
                   const std::optional<absl::CivilDay>& work_start_date, absl::CivilDay ref, int age_limit,
                   int years_limit) {
  if (!birth_date.has_value() || !work_start_date.has_value()) return false;
  if (*work_start_date > ref || *birth_date > ref) return false;
  return FullYearsBetween(*birth_date, ref) < age_limit && FullYearsBetween(*work_start_date, ref) < years_limit;
}

}  // namespace nms::young
