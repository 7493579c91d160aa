#pragma once
// Reading back protobuf values this server stored (JSON or binary columns). They were written
// by the server itself, so a value that does not parse is damaged data: it is reported in the
// log with where it came from (never its content) and read as empty, instead of being ignored.

#include <string>

#include <google/protobuf/message.h>

#include "absl/strings/string_view.h"

namespace nms::db {

// `where` names the column, e.g. "diagnostic_campaigns.population_json". An empty value is a
// valid empty message. Returns whether the value parsed.
bool ParseStoredJson(const std::string& json, google::protobuf::Message* out, absl::string_view where);
bool ParseStoredBinary(const std::string& blob, google::protobuf::Message* out, absl::string_view where);

}  // namespace nms::db
