#include "server/db/statement_counter.h"

namespace nms::db {
namespace {
thread_local StatementCount t_count;
}  // namespace

StatementCount StatementsOnThisThread() { return t_count; }
void CountPrepare() { ++t_count.prepares; }
void CountExecution() { ++t_count.executions; }

}  // namespace nms::db
