#pragma once
// The AIP-160 subset the young-teacher lists accept: comparisons joined by AND, e.g.
//   organization = "organizations/5" AND in_support = false AND alerts:NO_MENTOR
// Operators =, !=, <, <=, >, >= and ":" (has); values bare or in double quotes (\" and \\
// escaped). Anything else is INVALID_ARGUMENT naming the problem, never a crash.

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms::young {

struct FilterClause {
  std::string field;
  std::string op;  // "=", "!=", "<", "<=", ">", ">=", ":"
  std::string value;

  bool operator==(const FilterClause&) const = default;
};

inline constexpr size_t kMaxFilterBytes = 1000;

// Parses `text` (empty = no clauses); fields outside `allowed` are rejected.
absl::StatusOr<std::vector<FilterClause>> ParseFilter(absl::string_view text,
                                                      std::initializer_list<absl::string_view> allowed);

// "true"/"false" of a clause; INVALID_ARGUMENT otherwise.
absl::StatusOr<bool> FilterBool(const FilterClause& c);

// An enum value named as in the proto ("SUPPORT_MEASURE_KIND_MENTOR"), by its short name
// ("MENTOR", case-insensitive) or by number. `names[i]` is the short name of value i+1.
absl::StatusOr<int> FilterEnum(const FilterClause& c, absl::string_view proto_prefix,
                               std::initializer_list<absl::string_view> names);

}  // namespace nms::young
