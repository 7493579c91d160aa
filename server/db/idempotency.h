#pragma once
// Exactly-once effect for retried writes. The first call with a request_id inserts a key row
// before doing its work, in the same transaction; a concurrent retry blocks on that row and,
// once the first commits, finds the stored response and returns it without writing again.

#include "absl/strings/string_view.h"
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "server/db/pool.h"

namespace sql {
class Connection;
}

namespace nms::db {

// Runs `write` in a transaction. When `request_id` is non-empty the (account, request_id) key
// makes the call idempotent: a repeat returns the first call's `response`. Reusing a key for
// a different request is INVALID_ARGUMENT.
absl::Status IdempotentWrite(ConnectionPool& pool, int64_t account_id, absl::string_view method,
                             absl::string_view request_id,
                             const google::protobuf::Message& request,
                             google::protobuf::Message* response,
                             absl::FunctionRef<absl::Status(sql::Connection&)> write);

}  // namespace nms::db
