#pragma once
// AIP resource names ("people/42") <-> numeric ids. Ids are positive 63-bit integers.

#include "absl/strings/string_view.h"
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace nms {

// Formats "collection/id".
std::string ResourceName(absl::string_view collection, int64_t id);

// Parses "collection/id"; `field` names the request field in the error message.
absl::StatusOr<int64_t> ParseResourceName(absl::string_view name, absl::string_view collection,
                                          absl::string_view field);

// Like ParseResourceName but an empty name yields 0 (an optional reference).
absl::StatusOr<int64_t> ParseOptionalResourceName(absl::string_view name,
                                                  absl::string_view collection,
                                                  absl::string_view field);

// Splits "collection/id" when several collections are allowed (scopes, parents).
struct AnyName {
  std::string collection;
  int64_t id = 0;
};
absl::StatusOr<AnyName> ParseAnyName(absl::string_view name, absl::string_view field);

}  // namespace nms
