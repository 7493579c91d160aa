#pragma once
// Classical item analytics of an instrument for its owners (pure): difficulty (mean fraction of
// the max score, the p-value of a dichotomous item), discrimination (corrected point-biserial:
// correlation of the item with the respondent's mean on the other items, so the item does not
// correlate with itself), distractor analysis of choice items (how many chose each option and how
// strong those who chose it are), and plain-Russian flags: items everyone passes or fails, items
// that do not separate strong from weak respondents or separate them the wrong way, distractors
// nobody takes or that attract the strong. Flags that rest on statistics need kMinResponses.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/domain/diagnostics/item_scoring.h"

namespace nms::diagnostics {

inline constexpr int kMinResponsesForFlags = 20;

// One respondent's scored answer to one item.
struct ItemResponse {
  double fraction = 0;                           // 0..1 of the item's max score (AnswerFraction)
  std::vector<std::string> selected_option_ids;  // choice items
};
using RespondentAnswers = std::map<std::string, ItemResponse>;  // item_id -> answer

struct OptionStats {
  std::string option_id;
  std::string text;
  bool correct = false;
  int chosen = 0;
  double share = 0;                      // of the item's respondents
  std::optional<double> mean_rest;       // mean on the other items (0..1) of those who chose it
};

struct ItemStats {
  std::string item_id;
  int position = 0;  // 1-based, presentation order
  int responses = 0;
  double difficulty = 0;                  // mean fraction 0..1 (higher = easier)
  std::optional<double> discrimination;   // corrected point-biserial; unset when undefined
  bool everyone_passes = false;           // every respondent earned the full score
  bool everyone_fails = false;            // every respondent earned nothing
  std::vector<OptionStats> options;       // choice items
  std::vector<std::string> flags;         // Russian, for the owners' screen and the CSV
};

// Statistics of every item of `items` (presentation order) over `respondents`. Expert-scored and
// Likert items get difficulty and discrimination only.
std::vector<ItemStats> AnalyseItems(const std::vector<ItemDef>& items, const std::vector<RespondentAnswers>& respondents);

// The analytics as the CSV of common/csv.h: one row per item, names not ids, flags joined by "; ".
std::string ItemStatsCsv(const std::vector<ItemDef>& items, const std::vector<ItemStats>& stats);

}  // namespace nms::diagnostics
