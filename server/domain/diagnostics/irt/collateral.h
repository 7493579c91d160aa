#pragma once
// Collateral information between competency areas (pure): a teacher's areas are correlated
// (θ ~ N(0, R) over areas), so answers in the areas already tested sharpen the prior of the next
// one, and the final estimate of each area uses the evidence of all the others. This is the
// multivariate-normal prior of multidimensional adaptive testing applied to per-area
// unidimensional models: each area is still scored by its own items, the other areas only move
// and narrow its prior. (Policy note: it makes an area's level depend a little on the other
// areas; it is a per-campaign switch in the config that uses it, off by default.)

#include <vector>

#include "server/domain/diagnostics/irt/model.h"

namespace nms::diagnostics::irt {

// An area's answers summarised as a Gaussian likelihood of θ: N(mean, 1 / precision).
struct GaussianEvidence {
  double mean = 0;
  double precision = 0;  // 0 = no information
};

// The Gaussian likelihood implied by an EAP and posterior SD computed under the N(0, 1) prior.
GaussianEvidence EvidenceFromEap(const AbilityEstimate& under_standard_prior);

// Prior (mean, SD) of area `target` under θ ~ N(0, R) (R row-major, areas × areas) given the
// evidence of the other areas (the target's own entry is ignored). Falls back to N(0, 1) when R
// is not positive definite.
AbilityEstimate ConditionalPrior(const std::vector<double>& correlation, const std::vector<GaussianEvidence>& evidence,
                                 int target);

// Correlations of the areas' abilities from EAPs under N(0, 1) priors of the same people
// (persons × areas, row-major), disattenuated: for EAPs, cov(EAP_a, EAP_b) = var(EAP_a)
// var(EAP_b) ρ_ab. Clamped to ±0.95; the identity when the result is not positive definite.
std::vector<double> AreaCorrelations(const std::vector<double>& eap, int persons, int areas);

}  // namespace nms::diagnostics::irt
