#pragma once
// A step of a transaction that stays or goes as one while the transaction goes on.

#include <cppconn/connection.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace nms::db {

// Runs `fn` under a savepoint of the open transaction: a statement that fails inside `fn` undoes
// its writes and comes back as a status; when `fn` returns an error its writes are undone too. A
// lost connection or a deadlock ends the transaction: they are thrown on to InTransaction.
absl::Status InSavepoint(sql::Connection& c, absl::FunctionRef<absl::Status()> fn);

}  // namespace nms::db
