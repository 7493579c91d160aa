#pragma once
// Answers to instrument items (pure): what a valid answer to each item kind looks like, the
// fraction 0..1 of the item's max score an answer earns, and the scored-item list a whole
// session produces for ScoreItems. Kinds are the values of nms.v1.InstrumentItemKind.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/domain/diagnostics/scoring.h"

namespace nms::diagnostics {

// Values equal nms.v1.InstrumentItemKind.
enum class ItemKind : int {
  kUnspecified = 0,
  kSingleChoice = 1,
  kMultipleChoice = 2,
  kShortAnswer = 3,
  kLikert = 4,
  kExternalScore = 5,
};

// Values equal nms.v1.MultipleChoiceScoring (0 is treated as all-or-nothing).
enum class ChoiceScoring : int { kUnspecified = 0, kAllOrNothing = 1, kPartial = 2 };

struct ItemOption {
  std::string option_id;
  std::string text;
  bool correct = false;
};

// One item with its answer key, as the scoring rules need it.
struct ItemDef {
  std::string item_id;
  ItemKind kind = ItemKind::kUnspecified;
  std::string text;
  std::vector<ItemOption> options;
  std::vector<std::string> accepted_answers;
  bool case_sensitive = false;
  int likert_min = 0;
  int likert_max = 0;
  std::vector<std::string> likert_labels;
  bool likert_reversed = false;
  double max_score = 0;
  ChoiceScoring choice_scoring = ChoiceScoring::kUnspecified;
  std::vector<std::pair<std::string, double>> weights;  // indicator code, weight
  bool required = false;
};

// A teacher's answer; which field applies depends on the item kind.
struct Answer {
  std::vector<std::string> selected_option_ids;
  std::string text;
  std::optional<int> likert_value;
};

// Longest short answer accepted, in bytes.
inline constexpr size_t kMaxAnswerTextBytes = 2000;

// An answer with nothing chosen, typed or rated; saving it clears the item's answer.
bool IsEmptyAnswer(const Answer& a);

// INVALID_ARGUMENT (Russian, naming the field) unless `a` is a well-formed answer to `item`:
// options exist and are not repeated, a single-choice item has one option, a Likert value lies
// on the item's scale, a short answer is UTF-8 within kMaxAnswerTextBytes, and fields of other
// kinds are empty. Expert-scored items take no answers.
absl::Status ValidateAnswer(const ItemDef& item, const Answer& a);

// Fraction 0..1 of the item's max score earned by a (valid) answer.
//  single choice: 1 when the chosen option is correct;
//  multiple choice: all-or-nothing, or partial = max(0, (right chosen - wrong chosen) / right);
//  short answer: 1 when it matches an accepted answer after NormalizeShortAnswer (numbers
//    compare by value, so "0,5" = "0.5");
//  Likert: (value - min) / (max - min), inverted when reversed.
double AnswerFraction(const ItemDef& item, const Answer& a);

// Trims and collapses whitespace; unless case-sensitive, lower-cases Latin and Cyrillic
// letters and reads "ё" as "е" (teachers type either).
std::string NormalizeShortAnswer(absl::string_view text, bool case_sensitive);

// Lower-cases ASCII and Cyrillic А-Я/Ё in UTF-8; other bytes are kept.
std::string LowerRu(absl::string_view text);

// The scored items of a session: online items from their answers (unanswered = 0), expert
// items from their scores (score / max). Expert items without a score are left out and
// counted in `missing_external`, so the profile is preliminary until they are all in.
struct SessionScore {
  std::vector<ScoredItem> items;
  int missing_external = 0;
};
SessionScore ScoreSession(const std::vector<ItemDef>& items, const std::map<std::string, Answer>& answers,
                          const std::map<std::string, double>& external_scores);

// Ids of required online items without an answer, in instrument order.
std::vector<std::string> MissingRequired(const std::vector<ItemDef>& items,
                                         const std::map<std::string, Answer>& answers);

}  // namespace nms::diagnostics
