#pragma once
// Dates and times between proto messages and Abseil values. Below services and repositories
// alike: repositories fill proto messages from rows, services read them from requests.

#include <optional>

#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "nms/v1/common.pb.h"

namespace nms::mapping {

// Unset (all zero) -> nullopt; impossible dates -> INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::optional<absl::CivilDay>> FromProtoDate(const nms::v1::Date& date,
                                                            absl::string_view field);
nms::v1::Date ToProtoDate(const std::optional<absl::CivilDay>& day);
// The same for set_allocated_*: nullptr when there is no day, so an unknown date stays unset in
// the answer rather than reading as 0/0/0.
nms::v1::Date* NewProtoDate(const std::optional<absl::CivilDay>& day);
google::protobuf::Timestamp ToProtoTime(absl::Time t);
absl::Time FromProtoTime(const google::protobuf::Timestamp& t);

}  // namespace nms::mapping
