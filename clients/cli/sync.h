#pragma once
// `nmsctl sync`: the federal-portal sync job. Pulls the change feed into a local directory as
// JSONL (standing in for the federal portal) with a persisted, crash-safe cursor, and pushes
// registry-of-programmes and course-completion files (CSV or JSONL) through the import RPCs.

#include "clients/cli/commands.h"

namespace nms::cli {

// nmsctl sync pull DIR [region=regions/N] [batch=500] [follow] [types=teacher,route,...]
// nmsctl sync push-programmes FILE region=regions/N
// nmsctl sync push-completions FILE region=regions/N
// nmsctl sync status [DIR] [region=regions/N]
// Authentication: client certificate when NMS_SYNC_CERT, NMS_SYNC_KEY and NMS_SYNC_CA are set
// (mTLS port in --server), otherwise --login/--password over the plain port.
int Sync(const Options& o);

}  // namespace nms::cli
