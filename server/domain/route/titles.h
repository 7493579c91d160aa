#pragma once
// Russian titles of the route vocabulary, shared by messages, the printed ИОМ and the CSV
// register, so one word means one thing everywhere.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "server/domain/route/lifecycle.h"

namespace nms::route {

const char* AreaTitle(int area);         // nms.v1.CompetencyArea → "методические компетенции"
const char* LevelTitle(int level);       // nms.v1.CompetencyLevel → "базовый"
const char* ItemStatusTitle(ItemStatus s);  // "запланирован", "выполняется", "выполнен", "пропущен"

// Parses an item status as written in the register: the Russian title (any case of the first
// letter) or the enum name with or without the ROUTE_ITEM_STATUS_ prefix.
std::optional<ItemStatus> ParseItemStatus(absl::string_view text);

}  // namespace nms::route
