#include "server/domain/diagnostics/irt/model.h"

#include <algorithm>
#include <limits>

namespace nms::diagnostics::irt {

Quadrature NormalQuadrature(int points, double limit, double mean, double sd) {
  Quadrature q;
  points = std::max(points, 3);
  q.nodes.resize(points);
  q.weights.resize(points);
  double sum = 0;
  for (int k = 0; k < points; ++k) {
    const double z = -limit + 2.0 * limit * k / (points - 1);
    q.nodes[k] = mean + sd * z;
    q.weights[k] = std::exp(-0.5 * z * z);
    sum += q.weights[k];
  }
  for (double& w : q.weights) w /= sum;
  return q;
}

AbilityEstimate Eap(const std::vector<ItemParams>& items, const std::vector<Response>& responses,
                    const Quadrature& prior) {
  const size_t n = prior.nodes.size();
  std::vector<double> log_post(n);
  double top = -std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < n; ++k) {
    double lp = std::log(prior.weights[k]);
    for (const Response& r : responses) {
      const double p = Probability(items[r.item], prior.nodes[k]);
      lp += std::log(std::max(r.correct ? p : 1 - p, 1e-300));
    }
    log_post[k] = lp;
    top = std::max(top, lp);
  }
  double s = 0, m1 = 0, m2 = 0;
  for (size_t k = 0; k < n; ++k) {
    const double w = std::exp(log_post[k] - top);
    s += w;
    m1 += w * prior.nodes[k];
    m2 += w * prior.nodes[k] * prior.nodes[k];
  }
  AbilityEstimate e;
  e.theta = m1 / s;
  e.sd = std::sqrt(std::max(0.0, m2 / s - e.theta * e.theta));
  return e;
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double ChiSquareSurvival(double x, int df) {
  if (df <= 0) return 1.0;
  if (x <= 0) return 1.0;
  const double k = df;
  const double z = (std::cbrt(x / k) - (1 - 2 / (9 * k))) / std::sqrt(2 / (9 * k));
  return 1 - NormalCdf(z);
}

uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

double UniformFor(uint64_t seed, uint64_t step) {
  return static_cast<double>(Mix64(Mix64(seed) ^ (step * 0xD1B54A32D192ED03ull)) >> 11) * 0x1.0p-53;
}

}  // namespace nms::diagnostics::irt
