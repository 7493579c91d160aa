#pragma once
// The competency areas and framework indicator codes a register's row addresses (its deficits),
// kept in two side tables per register (practice_areas / practice_indicators, event_areas /
// event_indicators), and the LIKE pattern of the registers' word search. One implementation for
// every register searched by deficit.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/strings/string_view.h"

namespace nms::db {

struct TagTables {
  const char* areas;       // (key, area)
  const char* indicators;  // (key, ordinal, code)
  const char* key;         // the owner's id column, e.g. "practice_id"
};

// Areas then codes of the rows `ids` (one query each), in area order and in the order written.
void LoadDeficitTags(sql::Connection& c, const TagTables& t, const std::vector<int64_t>& ids,
                     const std::function<void(int64_t id, int area)>& on_area,
                     const std::function<void(int64_t id, std::string code)>& on_code);

// Replaces the tags of row `id`.
void WriteDeficitTags(sql::Connection& c, const TagTables& t, int64_t id, const std::vector<int>& areas,
                      const std::vector<std::string>& codes);

// "%word%" with LIKE's wildcards escaped.
std::string LikePattern(absl::string_view word);

}  // namespace nms::db
