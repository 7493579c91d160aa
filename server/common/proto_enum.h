#pragma once
// Proto enums as requests spell them: the one check of an enum field's value and the one reading
// of an enum in a list filter (server/domain/common/aip_filter.h), from the enum's descriptor.

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/common/aip_filter.h"

namespace nms {

// What the value names share: "ROUTE_STATUS_" for ROUTE_STATUS_UNSPECIFIED, ROUTE_STATUS_DRAFT, ….
std::string EnumPrefix(const google::protobuf::EnumDescriptor* e);

// The enum value a filter term names (full name, short name, any case, or a defined number).
absl::StatusOr<int> FilterEnum(const FilterTerm& t, const google::protobuf::EnumDescriptor* e);

enum class EnumUse { kRequired, kOptional };
// INVALID_ARGUMENT naming `field`: "обязательно" for an unset required value, "неизвестное
// значение N" with the allowed names for a number outside the enum.
absl::Status CheckEnum(int value, const google::protobuf::EnumDescriptor* e, absl::string_view field, EnumUse use);

}  // namespace nms
