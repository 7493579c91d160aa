#pragma once
// Small helpers shared by the RouteService handler files: resource names, text checks, the
// region's "today", and the names people are printed with.

#include <cstdint>
#include <string>
#include <utility>

#include <cppconn/connection.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/domain/access/policy.h"
#include "server/domain/common/text.h"

namespace nms::services {

// "routes/{id}".
absl::StatusOr<int64_t> ParseRouteName(absl::string_view name, absl::string_view field);
// "routes/{route}/items/{item}" → {route, item}.
absl::StatusOr<std::pair<int64_t, int64_t>> ParseItemName(absl::string_view name, absl::string_view field);

// Today in the region's time zone (Europe/Moscow when unknown).
absl::CivilDay RegionToday(sql::Connection& c, int64_t region_id);

// "Фамилия Имя Отчество" of a person; empty when unknown.
std::string PersonName(sql::Connection& c, int64_t person_id);
// "должность, организация" as printed under a signature.
std::string PositionTitle(sql::Connection& c, int64_t person_id);

// The role of the caller's first grant that allows `action` at `where` (for the history).
access::Role RoleAt(const access::Principal& p, access::Action action, const access::Placement& where);

// Whether the caller holds a grant in the region through a role that reads routes (catalogue and
// settings are regional reference data every participant of the region may read).
bool InRegion(const access::Principal& p, int64_t region_id);

}  // namespace nms::services
