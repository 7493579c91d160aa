#pragma once
// The write the fault and scale-out tests stream: one training completion whose title is its own
// idempotency key, so "there exactly once" is one query: a lost write has no row with its title,
// a doubled one has two.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nms/v1/monitoring.pb.h"
#include "server/db/pool.h"

namespace nms::testing {

nms::v1::CreateTrainingCompletionRequest KeyedWrite(int64_t person, const std::string& key);

// Rows written by keyed writes whose keys start with `prefix`: key -> row ids.
std::map<std::string, std::vector<int64_t>> KeyedRows(db::ConnectionPool& pool, const std::string& prefix);

}  // namespace nms::testing
