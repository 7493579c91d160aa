#pragma once
// A region's indicator facts, loaded once and reused while the data behind them is unchanged.
//
// Loading every fact of a 100 000-teacher region is most of an indicator computation (hundreds
// of milliseconds), and a dashboard asks again for every drill-down click and time series. An
// entry is reused while a fingerprint of the fact tables is the same: the highest id of each
// table (inserts) and of audit_log (every write through the API, updates and deletes included).
// The fingerprint is read before the facts, so a write racing the load only makes the next call
// reload. Writes that bypass the API (a DBA's UPDATE) are picked up after --facts_cache_ttl.
#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/domain/monitoring/facts.h"

namespace sql {
class Connection;
}

namespace nms::db {

class MonitoringFactsCache {
 public:
  // Owned by main (sized from --facts_cache_ttl) and handed to the services; ttl = 0 turns the
  // cache off (every call loads).
  MonitoringFactsCache(absl::Duration ttl, int max_regions) : ttl_(ttl), max_regions_(max_regions) {}

  // The region's facts: the cached ones when the fingerprint still matches, else freshly loaded.
  absl::StatusOr<std::shared_ptr<const monitoring::FactInputs>> Get(sql::Connection& c, int64_t region_id);

 private:
  struct Entry {
    std::string fingerprint;
    absl::Time loaded;
    std::shared_ptr<const monitoring::FactInputs> facts;
  };

  absl::Mutex mu_;
  const absl::Duration ttl_;
  const int max_regions_;
  absl::flat_hash_map<int64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace nms::db
