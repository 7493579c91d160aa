#include "server/domain/diagnostics/irt/collateral.h"

#include <algorithm>
#include <cmath>

#include "server/domain/diagnostics/irt/calibration.h"

namespace nms::diagnostics::irt {
namespace {

bool PositiveDefinite(const std::vector<double>& m, int n) {  // Cholesky succeeds
  std::vector<double> l(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j <= i; ++j) {
      double s = m[static_cast<size_t>(i) * n + j];
      for (int k = 0; k < j; ++k) s -= l[static_cast<size_t>(i) * n + k] * l[static_cast<size_t>(j) * n + k];
      if (i == j) {
        if (!(s > 1e-9)) return false;
        l[static_cast<size_t>(i) * n + i] = std::sqrt(s);
      } else {
        l[static_cast<size_t>(i) * n + j] = s / l[static_cast<size_t>(j) * n + j];
      }
    }
  }
  return true;
}

}  // namespace

GaussianEvidence EvidenceFromEap(const AbilityEstimate& e) {
  if (!(e.sd > 0)) return {e.theta, 1e6};
  const double precision = 1 / (e.sd * e.sd) - 1;
  if (precision < 1e-6) return {};
  return {e.theta * (1 + precision) / precision, precision};
}

AbilityEstimate ConditionalPrior(const std::vector<double>& r, const std::vector<GaussianEvidence>& evidence,
                                 int target) {
  const int n = static_cast<int>(evidence.size());
  std::vector<double> p = r;  // becomes R⁻¹ + D, then its inverse
  if (static_cast<int>(r.size()) != n * n || target < 0 || target >= n || !InvertMatrix(p, n)) return {0, 1};
  std::vector<double> b(n, 0.0);
  for (int k = 0; k < n; ++k) {
    if (k == target) continue;
    p[static_cast<size_t>(k) * n + k] += evidence[k].precision;
    b[k] = evidence[k].precision * evidence[k].mean;
  }
  if (!InvertMatrix(p, n)) return {0, 1};
  double mean = 0;
  for (int k = 0; k < n; ++k) mean += p[static_cast<size_t>(target) * n + k] * b[k];
  return {mean, std::sqrt(std::max(1e-6, p[static_cast<size_t>(target) * n + target]))};
}

std::vector<double> AreaCorrelations(const std::vector<double>& eap, int persons, int areas) {
  std::vector<double> identity(static_cast<size_t>(areas) * areas, 0.0);
  for (int a = 0; a < areas; ++a) identity[static_cast<size_t>(a) * areas + a] = 1;
  if (persons < 3) return identity;
  std::vector<double> mean(areas, 0.0);
  for (int i = 0; i < persons; ++i) {
    for (int a = 0; a < areas; ++a) mean[a] += eap[static_cast<size_t>(i) * areas + a] / persons;
  }
  std::vector<double> cov(static_cast<size_t>(areas) * areas, 0.0);
  for (int i = 0; i < persons; ++i) {
    for (int a = 0; a < areas; ++a) {
      for (int b = 0; b < areas; ++b) {
        cov[static_cast<size_t>(a) * areas + b] += (eap[static_cast<size_t>(i) * areas + a] - mean[a]) *
                                                   (eap[static_cast<size_t>(i) * areas + b] - mean[b]) / (persons - 1);
      }
    }
  }
  std::vector<double> r = identity;
  for (int a = 0; a < areas; ++a) {
    for (int b = 0; b < areas; ++b) {
      if (a == b) continue;
      const double va = cov[static_cast<size_t>(a) * areas + a], vb = cov[static_cast<size_t>(b) * areas + b];
      if (!(va > 1e-9 && vb > 1e-9)) continue;
      r[static_cast<size_t>(a) * areas + b] = std::clamp(cov[static_cast<size_t>(a) * areas + b] / (va * vb), -0.95, 0.95);
    }
  }
  if (!PositiveDefinite(r, areas)) return identity;
  return r;
}

}  // namespace nms::diagnostics::irt
