#pragma once
// Who may accompany a route as a tutor (педагог-тьютор). The Mordovia regulation: tutors are teachers "who
// successfully passed the diagnostics of methodological and subject competencies" — here, whose
// latest final diagnostic result has both areas at the basic level or above.
#include <optional>
#include <vector>

#include "absl/status/status.h"

namespace nms::route {

// One area of a diagnostic result (nms.v1.CompetencyArea, nms.v1.CompetencyLevel numbers).
struct ResultArea {
  int area = 0;
  int level = 0;
};

// OK when the areas of the tutor's latest final result qualify; FAILED_PRECONDITION naming
// what is missing otherwise (nullopt = no final result at all).
absl::Status CheckTutorEligible(const std::optional<std::vector<ResultArea>>& latest_final_result);

}  // namespace nms::route
