#pragma once
// Round trips to the database made by the current thread, for per-RPC statistics: the
// synchronous server runs a call on one thread, so the difference of two readings taken at the
// start and end of a call is what that call cost. Counting is a thread-local increment.

#include <cstdint>

namespace nms::db {

struct StatementCount {
  int64_t prepares = 0;    // server-side prepared statements created (one round trip each)
  int64_t executions = 0;  // statements executed, COMMIT and ROLLBACK included
};

// What this thread has sent so far.
StatementCount StatementsOnThisThread();

// Called by the db layer on every prepare / execution.
void CountPrepare();
void CountExecution();

}  // namespace nms::db
