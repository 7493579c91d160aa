#pragma once
// The list conventions of MentoringService (AIP-132/158/160 subset): filters are
// `field = value` terms joined by AND (values optionally in double quotes), page tokens are
// opaque keyset positions (the last id seen). Pure so the parsing rules are unit-tested and
// the repository only maps known fields to SQL.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms::mentoring {

struct FilterTerm {
  std::string field;
  std::string value;
  friend bool operator==(const FilterTerm&, const FilterTerm&) = default;
};

// INVALID_ARGUMENT (naming the filter) for unknown fields, malformed terms, or over 2000 bytes.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view filter,
                                                    std::initializer_list<absl::string_view> allowed);

// Opaque token for "after id"; 0 = first page. Decoding a foreign or damaged token is
// INVALID_ARGUMENT.
std::string EncodePageToken(int64_t after_id);
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token);

// "true"/"false" → bool, else INVALID_ARGUMENT naming the field.
absl::StatusOr<bool> FilterBool(const FilterTerm& term);

}  // namespace nms::mentoring
