#pragma once
// Conversions between proto messages and domain values, shared by all services.

#include "absl/strings/string_view.h"
#include <optional>

#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "nms/v1/common.pb.h"

namespace nms::services {

// Unset (all zero) -> nullopt; impossible dates -> INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::optional<absl::CivilDay>> FromProtoDate(const nms::v1::Date& date,
                                                            absl::string_view field);
nms::v1::Date ToProtoDate(const std::optional<absl::CivilDay>& day);
google::protobuf::Timestamp ToProtoTime(absl::Time t);
absl::Time FromProtoTime(const google::protobuf::Timestamp& t);

// Today in the region's presentation zone (Europe/Moscow by default).
absl::CivilDay TodayInRegion(absl::string_view time_zone = "Europe/Moscow");

// Clamps page_size to [1, max], defaulting 0 to `def`.
int PageSize(int requested, int def = 50, int max = 500);

}  // namespace nms::services
