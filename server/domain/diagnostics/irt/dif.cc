#include "server/domain/diagnostics/irt/dif.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace nms::diagnostics::irt {

std::vector<DifStats> MantelHaenszelDif(const ResponseMatrix& data, const std::vector<int>& group) {
  constexpr int kStrata = 11;
  std::vector<DifStats> out(data.items);
  if (group.size() != static_cast<size_t>(data.persons)) return out;
  // Each person's correct and presented counts over all items.
  std::vector<int> correct(data.persons, 0), presented(data.persons, 0);
  for (int i = 0; i < data.persons; ++i) {
    for (int j = 0; j < data.items; ++j) {
      const int8_t u = data.at(i, j);
      if (u == kNotPresented) continue;
      ++presented[i];
      correct[i] += u;
    }
  }
  for (int j = 0; j < data.items; ++j) {
    DifStats& d = out[j];
    // Per stratum: reference right/wrong, focal right/wrong.
    std::vector<std::array<double, 4>> t(kStrata, {0, 0, 0, 0});
    for (int i = 0; i < data.persons; ++i) {
      const int8_t u = data.at(i, j);
      if (u == kNotPresented || (group[i] != 0 && group[i] != 1) || presented[i] < 2) continue;
      const double rest = static_cast<double>(correct[i] - u) / (presented[i] - 1);
      const int k = static_cast<int>(std::lround(rest * (kStrata - 1)));
      (group[i] == 0 ? d.reference : d.focal) += 1;
      t[k][group[i] * 2 + (u ? 0 : 1)] += 1;
    }
    double num = 0, den = 0, sum_a = 0, sum_e = 0, sum_v = 0;
    int informative = 0;
    for (const auto& s : t) {
      const double a = s[0], b = s[1], c = s[2], dd = s[3];
      const double n = a + b + c + dd, nr = a + b, nf = c + dd, m1 = a + c, m0 = b + dd;
      if (nr == 0 || nf == 0 || m1 == 0 || m0 == 0 || n < 2) continue;
      ++informative;
      num += a * dd / n;
      den += b * c / n;
      sum_a += a;
      sum_e += nr * m1 / n;
      sum_v += nr * nf * m1 * m0 / (n * n * (n - 1));
    }
    d.enough = d.reference >= kMinDifGroupSize && d.focal >= kMinDifGroupSize && informative > 0 && num > 0 && den > 0;
    if (!d.enough) continue;
    d.alpha = num / den;
    d.delta = -2.35 * std::log(d.alpha);
    const double dev = std::max(0.0, std::abs(sum_a - sum_e) - 0.5);
    d.chi2 = sum_v > 0 ? dev * dev / sum_v : 0;
    d.p = ChiSquareSurvival(d.chi2, 1);
    const double ad = std::abs(d.delta);
    if (ad < 1 || d.p >= 0.05) d.category = 'A';
    else if (ad >= 1.5) d.category = 'C';
    else d.category = 'B';
  }
  return out;
}

}  // namespace nms::diagnostics::irt
