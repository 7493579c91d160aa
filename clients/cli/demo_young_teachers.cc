// Demo stage: young teachers (see demo.h). Its area's service fills this in as it lands.

#include "clients/cli/demo.h"

namespace nms::cli {

absl::Status SeedDemoYoungTeachers(db::ConnectionPool&, const DemoWorld&) { return absl::OkStatus(); }

}  // namespace nms::cli
