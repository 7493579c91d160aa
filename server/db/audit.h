#pragma once
// Audit trail and federal outbox rows, written inside the caller's transaction so a change,
// its audit record and its change-feed entry commit (or roll back) together.

#include "absl/strings/string_view.h"
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "server/domain/federal/change_feed.h"  // operations: federal::kCreate, kUpdate, kDelete

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

// Appends a change-feed entry: `operation` is federal::kCreate (first appearance of the entity),
// kUpdate or kDelete; the external id is derived (federal::ExternalId) and the payload reduced to
// what the record kind carries (federal::PayloadFields).
void WriteOutbox(sql::Connection& c, int64_t region_id, absl::string_view entity_type,
                 absl::string_view resource, absl::string_view operation,
                 const google::protobuf::Message& payload);

// The JSON the feed carries for an entity of `entity_type`: only its PayloadFields.
std::string FeedJson(absl::string_view entity_type, const google::protobuf::Message& payload);

// The same for a payload stored before minimisation (schema version 1, the full entity as JSON):
// parsed as the kind's message, reduced, printed again. "{}" when it cannot be parsed.
std::string MinimiseStoredFeedJson(absl::string_view entity_type, const std::string& json);

}  // namespace nms::db
