#pragma once
// Scoring of diagnostic results (pure): item fractions -> indicator scores -> area scores ->
// levels by configurable bands -> overall level -> the deficit list ordered by severity.
// Areas and levels are the integer values of nms.v1.CompetencyArea / nms.v1.CompetencyLevel.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace nms::diagnostics {

// Values equal nms.v1.CompetencyLevel.
enum class Level : int { kUnspecified = 0, kInsufficient = 1, kBasic = 2, kAdvanced = 3, kHigh = 4 };

// Percent thresholds of the bands; a score at or above a threshold gets that level.
struct Thresholds {
  double basic = 0;
  double advanced = 0;
  double high = 0;
};

// OK iff 0 <= basic < advanced < high <= 100; the message names `field`.
absl::Status ValidateThresholds(const Thresholds& t, absl::string_view field);

// Band of a score (percent) by thresholds.
Level Band(double score_percent, const Thresholds& t);

struct AreaDef {
  int area = 0;  // nms.v1.CompetencyArea
  std::string title;
  Thresholds thresholds;
};

struct IndicatorDef {
  std::string code;
  int area = 0;
  std::string title;
  std::optional<double> basic_min;  // own deficit threshold; unset = the area's basic
};

// One framework version, as used for banding.
struct Framework {
  std::vector<AreaDef> areas;  // in presentation order (also the tie-break order of deficits)
  std::vector<IndicatorDef> indicators;
  Thresholds overall;
};

// Structural checks of a framework: areas unique and known (1..5), thresholds valid, indicator
// codes non-empty, unique, in a declared area, own thresholds within 0..100. Returns the list
// of Russian error messages (empty = valid).
std::vector<std::string> ValidateFramework(const Framework& f);

// A scored item: fraction 0..1 of its max score, mapped to indicators with weights.
struct ScoredItem {
  std::string item_id;
  double fraction = 0;
  std::vector<std::pair<std::string, double>> weights;  // indicator code, weight > 0
};

struct IndicatorResult {
  std::string code;
  int area = 0;
  double score = 0;  // percent
  Level level = Level::kUnspecified;
  bool deficit = false;
};

struct AreaResult {
  int area = 0;
  double score = 0;
  Level level = Level::kUnspecified;
};

struct DeficitEntry {
  std::string code;
  int area = 0;
  std::string title;
  double score = 0;
  double threshold = 0;
  double gap = 0;  // threshold - score > 0
  int rank = 0;    // 1 = most severe
};

struct Profile {
  std::vector<IndicatorResult> indicators;  // framework order; only assessed indicators
  std::vector<AreaResult> areas;            // framework order; only assessed areas
  double overall_score = 0;
  Level overall_level = Level::kUnspecified;
  std::vector<DeficitEntry> deficits;       // by severity
};

// Indicator score = weighted mean of the fractions of the items measuring it × 100; area score
// = mean of its assessed indicators; overall = mean of assessed areas. Weights on codes not in
// the framework are ignored. Indicators without items are not assessed.
Profile ScoreItems(const Framework& f, const std::vector<ScoredItem>& items);

// Builds the same profile from given percent scores (imported results): indicators from
// `indicator_scores`; an area with assessed indicators is their mean, otherwise the value in
// `area_scores` if present. Scores must already be validated to lie in 0..100.
Profile ProfileFromScores(const Framework& f, const std::map<std::string, double>& indicator_scores,
                          const std::map<int, double>& area_scores);

// Completes a profile whose indicators/areas have scores: levels, deficits, overall.
void FinishProfile(const Framework& f, Profile& p);

// Deficits: indicators below their basic threshold, ordered by gap (largest first), ties by
// area order in the framework, then by code; ranks from 1.
std::vector<DeficitEntry> RankDeficits(const Framework& f, const std::vector<IndicatorResult>& indicators);

// Whether a framework version in `state` (nms.v1.CompetencyFrameworkState) may be edited:
// only drafts; published/retired versions are immutable so results keep their version.
absl::Status CheckFrameworkEditable(int state);

// Russian name of a level, e.g. "базовый".
const char* LevelName(Level level);
// Russian name of an area, e.g. "методическая".
const char* AreaName(int area);

}  // namespace nms::diagnostics
