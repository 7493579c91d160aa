#pragma once
// AIP resource names ("people/42", "routes/7/items/3") <-> numeric ids: the one parser of every
// name a request carries. Ids are positive 63-bit integers written in their one canonical form
// (no sign, no leading zeros): "people/042" is INVALID_ARGUMENT, never another spelling of
// "people/42", so a name always means one thing and answers always echo what was sent.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms {

// Formats "collection/id".
std::string ResourceName(absl::string_view collection, int64_t id);

// The canonical id of a name segment, or nullopt-like 0 when `text` is not one.
int64_t CanonicalId(absl::string_view text);

// Parses a name of `pattern`, whose segments are literals or "{}" for an id, e.g.
// "routes/{}/items/{}" or "regions/{}/routeSettings"; returns the ids in order. `field` names the
// request field in the error message; an empty name is "обязательно".
absl::StatusOr<std::vector<int64_t>> ParseNamePattern(absl::string_view name, absl::string_view pattern,
                                                      absl::string_view field);

// Parses "collection/id".
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
