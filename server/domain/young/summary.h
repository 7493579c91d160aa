#pragma once
// Cohort arithmetic for a scope (indicator 8, docs/domain.md §6): how many young teachers, how many
// in support, the share against the region's target, and how many lack each kind of support.

#include <cstdint>

#include "server/domain/young/support.h"

namespace nms::young {

struct CohortCounts {
  int64_t cohort_size = 0;
  int64_t in_support = 0;
  int64_t without_mentor = 0;
  int64_t without_route = 0;
  int64_t without_recent_measure = 0;

  void Add(const Assessment& a);
  bool operator==(const CohortCounts&) const = default;
};

// part / whole in percent; 0 for an empty whole.
double SharePercent(int64_t part, int64_t whole);

// The share reaches the target. An empty cohort has no share to reach anything: false, and
// clients tell "no young teachers" from "target missed" by cohort_size.
bool TargetReached(const CohortCounts& c, double target_percent);

}  // namespace nms::young
