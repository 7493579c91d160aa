#pragma once
// Differential item functioning between two groups of respondents (e.g. school vs kindergarten
// teachers) by the Mantel–Haenszel procedure (pure): respondents are matched on their proportion
// correct on the other items (11 strata: 0, 10 … 100 %), so a group that is simply stronger does
// not make an item look biased; an item is biased when, at the same level, one group gets it
// right more often. Reported on the ETS delta scale, Δ = -2.35 ln α_MH (negative: harder for the
// focal group), with the continuity-corrected MH χ² (1 df) and the ETS category:
//   A negligible (|Δ| < 1 or not significant at 5 %), C large (|Δ| ≥ 1.5 and significant),
//   B moderate otherwise. (The strict ETS rule tests |Δ| > 1 for C; this is its usual shortcut.)

#include <string>
#include <vector>

#include "server/domain/diagnostics/irt/calibration.h"

namespace nms::diagnostics::irt {

inline constexpr int kMinDifGroupSize = 50;

struct DifStats {
  int reference = 0, focal = 0;  // respondents of the item in each group
  bool enough = false;           // both groups ≥ kMinDifGroupSize and some informative strata
  double alpha = 1;              // common odds ratio, reference over focal
  double delta = 0;              // ETS delta
  double chi2 = 0;
  double p = 1;
  char category = 'A';
};

// `group[i]`: 0 reference, 1 focal, anything else = in neither group. One result per column.
std::vector<DifStats> MantelHaenszelDif(const ResponseMatrix& data, const std::vector<int>& group);

}  // namespace nms::diagnostics::irt
