#pragma once
// Conversions shared by all services: request paging, the region's today, and (re-exported)
// the proto date and time mapping.

#include "absl/strings/string_view.h"
#include <optional>

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "nms/v1/common.pb.h"
#include "server/domain/common/page_token.h"
#include "server/mapping/proto_time.h"

namespace nms::services {

// Proto dates and times live one layer down (repositories use them too).
using mapping::FromProtoDate;
using mapping::FromProtoTime;
using mapping::NewProtoDate;
using mapping::ToProtoDate;
using mapping::ToProtoTime;

// Today in the region's presentation zone (Europe/Moscow by default).
absl::CivilDay TodayInRegion(absl::string_view time_zone = "Europe/Moscow");

// The paging of a List request (its `page_size` and `page_token` fields): a negative size and a
// token that is not one of ours for this very request (same method and every other field: parent,
// filter, order, …) are INVALID_ARGUMENT; `shape` is what the list keeps in its tokens.
absl::StatusOr<PageRequest> Paging(const google::protobuf::Message& request, std::initializer_list<KeyPart> shape,
                                   int def = 50, int max = 500);

}  // namespace nms::services
