#pragma once
// From an area's ability θ to the levels and deficits the fixed form gives (pure).
//
// The fixed form scores an indicator as the weighted mean percent of its items and an area as the
// mean of its indicators, then bands them by percent thresholds (scoring.h). Here an indicator's
// score at θ is the expected value of exactly that: 100 · Σ w_j P_j(θ) / Σ w_j over the form's
// items of the indicator, and the area's score is the mean of those. Both rise with θ, so every
// percent threshold becomes a threshold on the ability scale (AreaCuts, by bisection), and
// ProfileFromAbilities hands the expected scores to ProfileFromScores: reports, routes and
// indicators see the same levels and deficits they know, only measured with fewer items.

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "server/domain/diagnostics/irt/model.h"
#include "server/domain/diagnostics/scoring.h"

namespace nms::diagnostics::irt {

struct IndicatorBlueprint {
  std::string code;
  std::vector<std::pair<ItemParams, double>> items;  // calibrated item, weight > 0
};

struct AreaBlueprint {
  int area = 0;
  std::vector<IndicatorBlueprint> indicators;
};

double ExpectedIndicatorPercent(const IndicatorBlueprint& ind, double theta);
double ExpectedAreaPercent(const AreaBlueprint& area, double theta);

// θ where an increasing `percent_at(θ)` reaches `percent`: -inf when already reached at θ = -8,
// +inf when not reached at θ = 8.
template <typename F>
double ThetaForPercent(F percent_at, double percent) {
  double lo = -8, hi = 8;
  if (percent_at(lo) >= percent) return -std::numeric_limits<double>::infinity();
  if (percent_at(hi) < percent) return std::numeric_limits<double>::infinity();
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (percent_at(mid) >= percent ? hi : lo) = mid;
  }
  return hi;
}

// θ cuts of the area's basic, advanced and high bands.
struct ThetaCuts {
  double basic = 0, advanced = 0, high = 0;
  std::vector<double> AsVector() const { return {basic, advanced, high}; }
};
ThetaCuts AreaCuts(const AreaBlueprint& area, const Thresholds& thresholds);
Level LevelForTheta(double theta, const ThetaCuts& cuts);

// The profile of a teacher whose areas were measured adaptively: expected indicator scores at the
// area's θ, then the usual levels, deficits and overall level. Areas without θ are not assessed.
Profile ProfileFromAbilities(const Framework& framework, const std::vector<AreaBlueprint>& areas,
                             const std::map<int, double>& theta_by_area);

}  // namespace nms::diagnostics::irt
