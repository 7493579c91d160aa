#pragma once
// Item response model shared by calibration and adaptive testing (pure numerics, no I/O).
//
// Items are dichotomous: P(correct | θ) = 1 / (1 + exp(-a (θ - b))) on the logistic metric
// (no 1.7 scaling), θ of a competency area ~ N(0, 1) in the calibration population. A Rasch item
// is the same curve with the area's common discrimination (see calibration.h).
//
// Polytomous items are not fitted with a graded/partial-credit model: a choice item with partial
// credit, a short answer or an expert-scored item enters as correct when the fraction of its max
// score it earned reaches the item's pass fraction (Dichotomise; default 1.0 = fully correct, so
// an all-or-nothing choice item is unchanged). Likert items are self-reports, not abilities, and
// are left out of item banks.

#include <cmath>
#include <cstdint>
#include <vector>

namespace nms::diagnostics::irt {

struct ItemParams {
  double a = 1;  // discrimination (> 0)
  double b = 0;  // difficulty on the θ scale
};

// Numerically safe logistic function.
inline double Logistic(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

inline double Probability(const ItemParams& p, double theta) { return Logistic(p.a * (theta - p.b)); }

// Fisher information of a 2PL item at θ: a² P (1 - P).
inline double Information(const ItemParams& p, double theta) {
  const double pr = Probability(p, theta);
  return p.a * p.a * pr * (1 - pr);
}

inline constexpr double kDefaultPassFraction = 1.0;

// Correct/incorrect of an item answered with `fraction` (0..1) of its max score.
inline bool Dichotomise(double fraction, double pass_fraction = kDefaultPassFraction) {
  return fraction + 1e-9 >= pass_fraction;
}

// Fixed quadrature of a normal distribution: `points` equally spaced nodes on mean ± limit·sd,
// weights proportional to the density and summing to 1 (Bock–Aitkin's rectangular rule; with 41
// nodes on ±5 sd it integrates the smooth likelihoods here to well below estimation error).
struct Quadrature {
  std::vector<double> nodes;
  std::vector<double> weights;
};
Quadrature NormalQuadrature(int points = 41, double limit = 5.0, double mean = 0.0, double sd = 1.0);

// One administered item of a bank (index into the caller's item vector) and its scored answer.
struct Response {
  int item = 0;
  bool correct = false;
};

// Expected a posteriori ability and its posterior standard deviation (the standard error the
// adaptive stop rule uses) given `responses` to `items`, under the prior `prior`.
struct AbilityEstimate {
  double theta = 0;
  double sd = 1;
};
AbilityEstimate Eap(const std::vector<ItemParams>& items, const std::vector<Response>& responses,
                    const Quadrature& prior);

// Standard normal CDF and the upper tail of a chi-square with `df` degrees of freedom by the
// Wilson–Hilferty cube-root approximation (ample for flagging misfit at 1 %).
double NormalCdf(double z);
double ChiSquareSurvival(double x, int df);

// Deterministic 64-bit mix (SplitMix64) so random choices are functions of (seed, step) and a
// session recomputes identically after a resume on another device.
uint64_t Mix64(uint64_t x);
// Uniform in [0, 1) from Mix64(seed, step).
double UniformFor(uint64_t seed, uint64_t step);

}  // namespace nms::diagnostics::irt
