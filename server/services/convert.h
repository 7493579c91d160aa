#pragma once
// Conversions between proto messages and domain values, shared by all services.

#include "absl/strings/string_view.h"
#include <optional>

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "nms/v1/common.pb.h"
#include "server/domain/common/page_token.h"

namespace nms::services {

// Unset (all zero) -> nullopt; impossible dates -> INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::optional<absl::CivilDay>> FromProtoDate(const nms::v1::Date& date,
                                                            absl::string_view field);
nms::v1::Date ToProtoDate(const std::optional<absl::CivilDay>& day);
// The same for set_allocated_*: nullptr when there is no day, so an unknown date stays unset in
// the answer rather than reading as 0/0/0.
nms::v1::Date* NewProtoDate(const std::optional<absl::CivilDay>& day);
google::protobuf::Timestamp ToProtoTime(absl::Time t);
absl::Time FromProtoTime(const google::protobuf::Timestamp& t);

// Today in the region's presentation zone (Europe/Moscow by default).
absl::CivilDay TodayInRegion(absl::string_view time_zone = "Europe/Moscow");

// The paging of a List request (its `page_size` and `page_token` fields): a negative size and a
// token that is not one of ours for this very request (same method and every other field: parent,
// filter, order, …) are INVALID_ARGUMENT; `shape` is what the list keeps in its tokens.
absl::StatusOr<PageRequest> Paging(const google::protobuf::Message& request, std::initializer_list<KeyPart> shape,
                                   int def = 50, int max = 500);

}  // namespace nms::services
