#pragma once
// The one AIP-160 subset every list accepts: comparisons joined by AND, e.g.
//   status = ROUTE_STATUS_DRAFT AND methodist = "people/12" AND teachers_assigned >= 100
// Operators =, !=, <, <=, >, >= and ":" (has); a value is a bare token or a double-quoted string
// (\" and \\ escapes). OR, NOT, parentheses and functions are refused with a message naming the
// problem rather than misread. Each list then says which fields and operators it takes and what
// a value must be, with the typed readers below, so every list spells values the same way:
//   enums   the full proto name (ROUTE_STATUS_DRAFT), the name without the enum's prefix (DRAFT),
//           either in any case, or the number of a defined value; anything else is refused;
//   names   the canonical resource name ("people/42", never "people/042");
//   dates   ГГГГ-ММ-ДД or ДД.ММ.ГГГГ;  booleans  true / false;  numbers  decimal integers.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace nms {

struct FilterTerm {
  std::string field;
  std::string op;  // "=", "!=", "<", "<=", ">", ">=", ":" (has)
  std::string value;
  bool operator==(const FilterTerm&) const = default;
};

inline constexpr size_t kMaxFilterBytes = 2000;

// INVALID_ARGUMENT ("Поле filter: …") for syntax errors and for fields outside `allowed` (an
// empty `allowed` leaves the fields to the caller, which must then refuse unknown ones).
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view filter,
                                                    const std::vector<std::string>& allowed);

// INVALID_ARGUMENT unless the term's operator is one of `ops`.
absl::Status FilterOps(const FilterTerm& t, std::initializer_list<absl::string_view> ops);

// Typed values of a term; INVALID_ARGUMENT naming the field otherwise. FilterBool is what the
// term asks the field to be: `x != true` asks for false.
absl::StatusOr<bool> FilterBool(const FilterTerm& t);
absl::StatusOr<int64_t> FilterNumber(const FilterTerm& t);
absl::StatusOr<absl::CivilDay> FilterDay(const FilterTerm& t);
absl::StatusOr<int64_t> FilterName(const FilterTerm& t, absl::string_view collection);
// A free-text search term (`text:"слова поиска"`, at most 200 characters): its words are added
// to `words`, which may hold at most 10 in all.
absl::Status FilterWords(const FilterTerm& t, std::vector<std::string>* words);

struct EnumValueName {
  std::string name;  // full proto name, e.g. "ROUTE_STATUS_DRAFT"
  int number = 0;
};
// The enum value a term names (see the spelling above); `prefix` is what the full names share
// ("ROUTE_STATUS_"). The unspecified value (0) is never a filter value.
absl::StatusOr<int> FilterEnum(const FilterTerm& t, absl::string_view prefix, const std::vector<EnumValueName>& values);
// The same for values numbered 1, 2, … whose short names are `names`.
absl::StatusOr<int> FilterEnum(const FilterTerm& t, absl::string_view prefix,
                               std::initializer_list<absl::string_view> names);

}  // namespace nms
