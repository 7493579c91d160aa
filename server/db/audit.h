#pragma once
// Audit trail and federal outbox rows, written inside the caller's transaction so a change,
// its audit record and its change-feed entry commit (or roll back) together.

#include "absl/strings/string_view.h"
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace sql {
class Connection;
}

namespace nms::db {

// The JSON form audit and outbox rows store (proto field names).
std::string AuditJson(const google::protobuf::Message& m);

// `before`/`after` may be null (create / delete). Stored as JSON.
void WriteAudit(sql::Connection& c, int64_t account_id, absl::string_view action,
                absl::string_view resource, const google::protobuf::Message* before,
                const google::protobuf::Message* after);

// Appends a change-feed entry. `operation` is "upsert" or "delete".
void WriteOutbox(sql::Connection& c, int64_t region_id, absl::string_view entity_type,
                 absl::string_view resource, absl::string_view external_id,
                 absl::string_view operation, const google::protobuf::Message& payload);

}  // namespace nms::db
