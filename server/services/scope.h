#pragma once
// Resolving resource names to their place in the territory and checking access, shared by
// every service so the "out of scope is indistinguishable from missing" rule lives once.

#include "absl/strings/string_view.h"
#include <string_view>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "server/db/directory_repository.h"
#include "server/domain/access/policy.h"

namespace nms::services {

// Placement of "regions/1", "districts/2", "municipalities/3", "organizations/4", "people/5".
absl::StatusOr<access::Placement> PlaceByName(sql::Connection& c, absl::string_view name,
                                              absl::string_view field);

// Authorizes `action` on a resource whose placement lookup produced `placement`. A missing
// resource is NOT_FOUND only for callers with region-wide grants; everyone else gets the same
// PERMISSION_DENIED they would get for an existing resource outside their scope.
absl::Status CheckAccess(const access::Principal& p, access::Action action,
                         const absl::StatusOr<access::Placement>& placement);

// For a resource a request may name without the caller reaching it (a methodist of the region,
// a mentor the region's matching draws on): allowed when some grant of the caller for `action`
// lies in the resource's region. Another region's, and a missing one, answer exactly as
// CheckAccess answers for out of scope.
absl::Status CheckRegionAccess(const access::Principal& p, access::Action action,
                               const absl::StatusOr<access::Placement>& placement);

// The list filter for `parent` (checked against the caller), or, when `parent` is empty, the
// widest scope in which the caller may perform `action`.
absl::StatusOr<db::ScopeFilter> ResolveListScope(sql::Connection& c, const access::Principal& p,
                                                 access::Action action, absl::string_view parent,
                                                 absl::string_view field);

// FAILED_PRECONDITION when the client's version is stale; INVALID_ARGUMENT when missing.
absl::Status CheckVersion(int64_t requested, int64_t current);

// Validates update_mask paths against the allowed set; an empty mask means all of them.
absl::StatusOr<std::vector<std::string>> MaskPaths(const google::protobuf::FieldMask& mask,
                                                   std::initializer_list<absl::string_view> allowed);

}  // namespace nms::services
