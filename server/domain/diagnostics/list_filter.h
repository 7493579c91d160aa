#pragma once
// The subset of AIP-160 list filters the diagnostics lists accept (pure parser):
//   clause { "AND" clause },  clause = field op value,  op = "=" | "!=" | "<" | "<=" | ">" | ">="
// (":" reads as "="); a value is a bare token or a double-quoted string with \" and \\ escapes.
// Which fields exist and what their values mean is decided by each list.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms::diagnostics {

enum class FilterOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct FilterClause {
  std::string field;
  FilterOp op = FilterOp::kEq;
  std::string value;
};

inline constexpr size_t kMaxFilterBytes = 2000;

// INVALID_ARGUMENT ("Поле filter: …") on anything outside the grammar. Empty = no clauses.
absl::StatusOr<std::vector<FilterClause>> ParseFilter(absl::string_view filter);

// The SQL comparison operator of `op` ("=", "<>", "<", …).
const char* SqlOperator(FilterOp op);

}  // namespace nms::diagnostics
