#pragma once
// Structure rules of a diagnostic instrument (pure): blocks of items, online or scored by
// experts, each item mapped to indicators of one framework version. A draft must be
// well-formed; publishing additionally needs complete answer keys and indicator mappings,
// because a published instrument is immutable and scores real teachers.

#include <string>
#include <vector>

#include "server/domain/diagnostics/item_scoring.h"
#include "server/domain/diagnostics/scoring.h"

namespace nms::diagnostics {

// Values equal nms.v1.InstrumentBlockKind.
enum class BlockKind : int { kUnspecified = 0, kOnline = 1, kExternallyScored = 2 };

// Values equal nms.v1.InstrumentState.
enum class InstrumentState : int { kUnspecified = 0, kDraft = 1, kPublished = 2, kArchived = 3 };

struct BlockDef {
  std::string block_id;
  std::string title;
  std::string instructions;
  BlockKind kind = BlockKind::kUnspecified;
  int suggested_minutes = 0;
  std::vector<ItemDef> items;
};

struct InstrumentDef {
  std::string title;
  std::string purpose;
  std::vector<BlockDef> blocks;
};

// Limits that keep one instrument a sensible size for a session and a database row.
inline constexpr int kMaxBlocks = 50;
inline constexpr int kMaxItems = 500;
inline constexpr int kMaxOptions = 20;
inline constexpr int kMaxAcceptedAnswers = 50;
inline constexpr double kMaxItemScore = 1000;

// Well-formedness of a draft, every problem as a Russian sentence naming its path
// ("blocks[0].items[2].options"): title, unique ids (no '|', which joins stored option ids),
// item kinds matching their block (expert items only in expert blocks), options, Likert
// scales, max scores and weights in range, indicator codes known to `framework`.
std::vector<std::string> ValidateInstrument(const InstrumentDef& def, const Framework& framework);

// What publishing adds: at least one item; a single-choice item has exactly one correct option,
// a multiple-choice item at least one, a short answer at least one accepted answer; every
// item measures at least one indicator.
std::vector<std::string> ValidateForPublish(const InstrumentDef& def);

// Removes weights on indicator codes the framework does not have (JSON import from another
// region or version) and returns one Russian warning per removed weight.
std::vector<std::string> DropUnknownIndicators(InstrumentDef& def, const Framework& framework);

// Every item of the instrument in presentation order.
std::vector<ItemDef> AllItems(const InstrumentDef& def);
double MaxScore(const InstrumentDef& def);
int ItemCount(const InstrumentDef& def);
// Items a teacher answers in a session (online blocks).
int OnlineItemCount(const InstrumentDef& def);

}  // namespace nms::diagnostics
