#include "server/domain/diagnostics/irt/ability_levels.h"

namespace nms::diagnostics::irt {

double ExpectedIndicatorPercent(const IndicatorBlueprint& ind, double theta) {
  double s = 0, w = 0;
  for (const auto& [p, weight] : ind.items) {
    s += weight * Probability(p, theta);
    w += weight;
  }
  return w > 0 ? 100.0 * s / w : 0.0;
}

double ExpectedAreaPercent(const AreaBlueprint& area, double theta) {
  double s = 0;
  int n = 0;
  for (const auto& ind : area.indicators) {
    if (ind.items.empty()) continue;
    s += ExpectedIndicatorPercent(ind, theta);
    ++n;
  }
  return n ? s / n : 0.0;
}

ThetaCuts AreaCuts(const AreaBlueprint& area, const Thresholds& t) {
  auto f = [&](double th) { return ExpectedAreaPercent(area, th); };
  return {ThetaForPercent(f, t.basic), ThetaForPercent(f, t.advanced), ThetaForPercent(f, t.high)};
}

Level LevelForTheta(double theta, const ThetaCuts& c) {
  if (theta >= c.high) return Level::kHigh;
  if (theta >= c.advanced) return Level::kAdvanced;
  if (theta >= c.basic) return Level::kBasic;
  return Level::kInsufficient;
}

Profile ProfileFromAbilities(const Framework& framework, const std::vector<AreaBlueprint>& areas,
                             const std::map<int, double>& theta_by_area) {
  std::map<std::string, double> indicator_scores;
  for (const AreaBlueprint& a : areas) {
    auto it = theta_by_area.find(a.area);
    if (it == theta_by_area.end()) continue;
    for (const auto& ind : a.indicators) {
      if (!ind.items.empty()) indicator_scores[ind.code] = ExpectedIndicatorPercent(ind, it->second);
    }
  }
  return ProfileFromScores(framework, indicator_scores, {});
}

}  // namespace nms::diagnostics::irt
