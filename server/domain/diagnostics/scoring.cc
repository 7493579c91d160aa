#include "server/domain/diagnostics/scoring.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"

namespace nms::diagnostics {

namespace {
bool Finite(double v) { return std::isfinite(v); }

int AreaOrder(const Framework& f, int area) {
  for (size_t i = 0; i < f.areas.size(); ++i) {
    if (f.areas[i].area == area) return static_cast<int>(i);
  }
  return static_cast<int>(f.areas.size()) + area;
}

const AreaDef* FindArea(const Framework& f, int area) {
  for (const auto& a : f.areas) {
    if (a.area == area) return &a;
  }
  return nullptr;
}

const IndicatorDef* FindIndicator(const Framework& f, const std::string& code) {
  for (const auto& i : f.indicators) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

double IndicatorThreshold(const Framework& f, const IndicatorDef& d) {
  if (d.basic_min.has_value()) return *d.basic_min;
  const AreaDef* a = FindArea(f, d.area);
  return a ? a->thresholds.basic : 0;
}
}  // namespace

absl::Status ValidateThresholds(const Thresholds& t, absl::string_view field) {
  if (!Finite(t.basic) || !Finite(t.advanced) || !Finite(t.high) || t.basic < 0 ||
      t.basic >= t.advanced || t.advanced >= t.high || t.high > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Поле ", field, ": пороги уровней должны удовлетворять 0 ≤ базовый < повышенный < высокий ≤ 100"));
  }
  return absl::OkStatus();
}

Level Band(double score, const Thresholds& t) {
  if (score >= t.high) return Level::kHigh;
  if (score >= t.advanced) return Level::kAdvanced;
  if (score >= t.basic) return Level::kBasic;
  return Level::kInsufficient;
}

std::vector<std::string> ValidateFramework(const Framework& f) {
  std::vector<std::string> errors;
  if (f.areas.empty()) errors.push_back("Рамка должна содержать хотя бы одну область компетенций");
  std::set<int> areas;
  for (size_t i = 0; i < f.areas.size(); ++i) {
    const auto& a = f.areas[i];
    if (a.area < 1 || a.area > 5) {
      errors.push_back(absl::StrCat("areas[", i, "].area: неизвестная область компетенций"));
      continue;
    }
    if (!areas.insert(a.area).second) {
      errors.push_back(absl::StrCat("areas[", i, "].area: область «", AreaName(a.area), "» указана дважды"));
    }
    auto st = ValidateThresholds(a.thresholds, absl::StrCat("areas[", i, "].thresholds"));
    if (!st.ok()) errors.emplace_back(st.message());
  }
  auto st = ValidateThresholds(f.overall, "overall_thresholds");
  if (!st.ok()) errors.emplace_back(st.message());
  std::set<std::string> codes;
  for (size_t i = 0; i < f.indicators.size(); ++i) {
    const auto& d = f.indicators[i];
    if (d.code.empty() || d.code.size() > 64) {
      errors.push_back(absl::StrCat("indicators[", i, "].code: код обязателен, не длиннее 64 байт"));
    } else if (!codes.insert(d.code).second) {
      errors.push_back(absl::StrCat("indicators[", i, "].code: код «", d.code, "» повторяется"));
    }
    if (!areas.count(d.area)) {
      errors.push_back(absl::StrCat("indicators[", i, "].area: область не входит в рамку"));
    }
    if (d.title.empty()) errors.push_back(absl::StrCat("indicators[", i, "].title: название обязательно"));
    if (d.basic_min.has_value() && (!Finite(*d.basic_min) || *d.basic_min < 0 || *d.basic_min > 100)) {
      errors.push_back(absl::StrCat("indicators[", i, "].basic_min_percent: порог должен быть в пределах 0..100"));
    }
  }
  return errors;
}

void FinishProfile(const Framework& f, Profile& p) {
  for (auto& ind : p.indicators) {
    const IndicatorDef* d = FindIndicator(f, ind.code);
    const AreaDef* a = FindArea(f, ind.area);
    Thresholds t = a ? a->thresholds : f.overall;
    double basic = d ? IndicatorThreshold(f, *d) : t.basic;
    ind.level = Band(ind.score, t);
    ind.deficit = ind.score < basic;
    if (ind.deficit) ind.level = Level::kInsufficient;
    else if (ind.level == Level::kInsufficient) ind.level = Level::kBasic;  // own lower threshold
  }
  double sum = 0;
  for (auto& ar : p.areas) {
    const AreaDef* a = FindArea(f, ar.area);
    ar.level = a ? Band(ar.score, a->thresholds) : Level::kUnspecified;
    sum += ar.score;
  }
  if (p.areas.empty()) {
    p.overall_score = 0;
    p.overall_level = Level::kUnspecified;
  } else {
    p.overall_score = sum / static_cast<double>(p.areas.size());
    p.overall_level = Band(p.overall_score, f.overall);
  }
  p.deficits = RankDeficits(f, p.indicators);
}

Profile ScoreItems(const Framework& f, const std::vector<ScoredItem>& items) {
  std::map<std::string, std::pair<double, double>> acc;  // code -> (sum w*fraction, sum w)
  for (const auto& it : items) {
    double fr = Finite(it.fraction) ? std::clamp(it.fraction, 0.0, 1.0) : 0.0;
    for (const auto& [code, w] : it.weights) {
      if (!(w > 0) || !Finite(w) || !FindIndicator(f, code)) continue;
      auto& a = acc[code];
      a.first += w * fr;
      a.second += w;
    }
  }
  std::map<std::string, double> scores;
  for (const auto& [code, a] : acc) scores[code] = a.second > 0 ? 100.0 * a.first / a.second : 0.0;
  return ProfileFromScores(f, scores, {});
}

Profile ProfileFromScores(const Framework& f, const std::map<std::string, double>& indicator_scores,
                          const std::map<int, double>& area_scores) {
  Profile p;
  for (const auto& d : f.indicators) {
    auto it = indicator_scores.find(d.code);
    if (it == indicator_scores.end()) continue;
    p.indicators.push_back({d.code, d.area, it->second, Level::kUnspecified, false});
  }
  for (const auto& a : f.areas) {
    double sum = 0;
    int n = 0;
    for (const auto& ind : p.indicators) {
      if (ind.area == a.area) {
        sum += ind.score;
        ++n;
      }
    }
    if (n > 0) {
      p.areas.push_back({a.area, sum / n, Level::kUnspecified});
    } else if (auto it = area_scores.find(a.area); it != area_scores.end()) {
      p.areas.push_back({a.area, it->second, Level::kUnspecified});
    }
  }
  FinishProfile(f, p);
  return p;
}

std::vector<DeficitEntry> RankDeficits(const Framework& f, const std::vector<IndicatorResult>& indicators) {
  std::vector<DeficitEntry> out;
  for (const auto& ind : indicators) {
    const IndicatorDef* d = FindIndicator(f, ind.code);
    double threshold = d ? IndicatorThreshold(f, *d) : 0;
    if (!(ind.score < threshold)) continue;
    out.push_back({ind.code, ind.area, d ? d->title : "", ind.score, threshold, threshold - ind.score, 0});
  }
  std::sort(out.begin(), out.end(), [&](const DeficitEntry& a, const DeficitEntry& b) {
    // Gaps equal to within rounding noise count as ties.
    if (std::fabs(a.gap - b.gap) > 1e-9) return a.gap > b.gap;
    int oa = AreaOrder(f, a.area), ob = AreaOrder(f, b.area);
    if (oa != ob) return oa < ob;
    return a.code < b.code;
  });
  for (size_t i = 0; i < out.size(); ++i) out[i].rank = static_cast<int>(i) + 1;
  return out;
}

absl::Status CheckFrameworkEditable(int state) {
  if (state == 1) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "Опубликованная версия рамки не изменяется: создайте новую версию на её основе (based_on)");
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kInsufficient: return "недостаточный";
    case Level::kBasic: return "базовый";
    case Level::kAdvanced: return "повышенный";
    case Level::kHigh: return "высокий";
    default: return "";
  }
}

const char* AreaName(int area) {
  switch (area) {
    case 1: return "предметная";
    case 2: return "методическая";
    case 3: return "психолого-педагогическая";
    case 4: return "коммуникативная";
    case 5: return "цифровая";
    default: return "";
  }
}

}  // namespace nms::diagnostics
