#pragma once
// The AIP-160 subset the list methods accept: comparisons joined by AND, e.g.
//   status = ROUTE_STATUS_DRAFT AND methodist = "people/12" AND teachers_assigned >= 100
// Values are bare tokens or double-quoted strings (\" and \\ escapes). OR, NOT, parentheses
// and functions are refused with a message naming the problem rather than misread.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms {

struct FilterTerm {
  std::string field;
  std::string op;  // "=", "!=", "<", "<=", ">", ">=", ":" (has)
  std::string value;
};

// INVALID_ARGUMENT ("Поле filter: …") for syntax errors and for fields outside `allowed`.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view filter,
                                                    const std::vector<std::string>& allowed);

}  // namespace nms
