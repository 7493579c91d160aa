#include "server/domain/route/titles.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace nms::route {

const char* AreaTitle(int area) {
  switch (area) {
    case 1: return "предметные компетенции";
    case 2: return "методические компетенции";
    case 3: return "психолого-педагогические компетенции";
    case 4: return "коммуникативные компетенции";
    case 5: return "цифровые компетенции";
  }
  return "компетенции";
}

const char* LevelTitle(int level) {
  switch (level) {
    case 1: return "недостаточный";
    case 2: return "базовый";
    case 3: return "повышенный";
    case 4: return "высокий";
  }
  return "не определён";
}

const char* ItemStatusTitle(ItemStatus s) {
  switch (s) {
    case ItemStatus::kPlanned: return "запланирован";
    case ItemStatus::kInProgress: return "выполняется";
    case ItemStatus::kDone: return "выполнен";
    case ItemStatus::kSkipped: return "пропущен";
  }
  return "";
}

std::optional<ItemStatus> ParseItemStatus(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  // Spreadsheets capitalise the first letter; Cyrillic capitals are two bytes each.
  static const struct {
    const char* lower;
    const char* upper;
    ItemStatus status;
  } kTitles[] = {{"запланирован", "Запланирован", ItemStatus::kPlanned},
                 {"выполняется", "Выполняется", ItemStatus::kInProgress},
                 {"выполнен", "Выполнен", ItemStatus::kDone},
                 {"пропущен", "Пропущен", ItemStatus::kSkipped}};
  for (const auto& t : kTitles) {
    if (text == t.lower || text == t.upper) return t.status;
  }
  std::string upper = absl::AsciiStrToUpper(text);
  absl::string_view name = upper;
  absl::ConsumePrefix(&name, "ROUTE_ITEM_STATUS_");
  if (name == "PLANNED") return ItemStatus::kPlanned;
  if (name == "IN_PROGRESS") return ItemStatus::kInProgress;
  if (name == "DONE") return ItemStatus::kDone;
  if (name == "SKIPPED") return ItemStatus::kSkipped;
  return std::nullopt;
}

}  // namespace nms::route
