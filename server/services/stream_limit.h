#pragma once
// Caps long-lived server streams. The synchronous server gives each call a handler thread for its
// whole life, so a client opening many streams (or following the change feed and never reading)
// would hold every thread and starve ordinary calls; beyond the cap a new stream is refused with
// RESOURCE_EXHAUSTED, which clients retry with backoff.

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace nms::services {

class StreamLimiter {
 public:
  // Owned by main, which sizes it from its flags and hands it to the services.
  StreamLimiter(int total, int per_account)
      : total_limit_(total < 1 ? 1 : total), per_account_limit_(per_account < 1 ? 1 : per_account) {}

  // Held for the life of one stream.
  class Slot {
   public:
    Slot(Slot&& other) noexcept : owner_(other.owner_), account_(other.account_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    friend class StreamLimiter;
    Slot(StreamLimiter* owner, int64_t account) : owner_(owner), account_(account) {}
    StreamLimiter* owner_;
    int64_t account_;
  };

  absl::StatusOr<Slot> Acquire(int64_t account_id);

  // Streams open now and the cap, for the metrics endpoint.
  int open();
  int limit();

 private:
  void Release(int64_t account_id);

  absl::Mutex mu_;
  const int total_limit_;
  const int per_account_limit_;
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<int64_t, int> by_account_ ABSL_GUARDED_BY(mu_);
};

}  // namespace nms::services
