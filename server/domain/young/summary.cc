#include "server/domain/young/summary.h"

namespace nms::young {

void CohortCounts::Add(const Assessment& a) {
  ++cohort_size;
  if (a.in_support) ++in_support;
  if (a.HasAlert(AlertKind::kNoMentor)) ++without_mentor;
  if (a.HasAlert(AlertKind::kNoRoute)) ++without_route;
  if (a.HasAlert(AlertKind::kNoRecentMeasure)) ++without_recent_measure;
}

double SharePercent(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

bool TargetReached(const CohortCounts& c, double target_percent) {
  if (c.cohort_size <= 0) return false;
  // Compare in whole numbers where possible: 7 of 10 reaches 70 % exactly, whatever the
  // rounding of 100 * 7 / 10 would be.
  return static_cast<double>(c.in_support) * 100.0 >= target_percent * static_cast<double>(c.cohort_size) - 1e-9;
}

}  // namespace nms::young
