#include "server/db/savepoint.h"

#include "server/db/sql.h"

namespace nms::db {

absl::Status InSavepoint(sql::Connection& c, absl::FunctionRef<absl::Status()> fn) {
  Stmt(c, "SAVEPOINT nms_step").Execute();
  absl::Status st;
  try {
    st = fn();
  } catch (const sql::SQLException& e) {
    // A deadlock (1213) has rolled the whole transaction back, savepoint included: only a
    // retry of the transaction can go on.
    if (IsConnectionError(e.getErrorCode()) || e.getErrorCode() == 1213) throw;
    st = FromSqlException(e);
  }
  Stmt(c, st.ok() ? "RELEASE SAVEPOINT nms_step" : "ROLLBACK TO SAVEPOINT nms_step").Execute();
  return st;
}

}  // namespace nms::db
