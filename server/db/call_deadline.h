#pragma once
// The deadline of the RPC the current thread is serving, so database waits (a free pooled
// connection, connecting) never outlast the caller's patience. Set by services::Run for the
// length of a handler; absent (infinite) elsewhere, e.g. in nmsctl and migrations.

#include "absl/time/time.h"

namespace nms::db {

// Sets the thread's call deadline for its lifetime and restores the previous one after.
class ScopedCallDeadline {
 public:
  explicit ScopedCallDeadline(absl::Time deadline);
  ~ScopedCallDeadline();
  ScopedCallDeadline(const ScopedCallDeadline&) = delete;
  ScopedCallDeadline& operator=(const ScopedCallDeadline&) = delete;

 private:
  absl::Time previous_;
};

// absl::InfiniteFuture() when the thread serves no call with a deadline.
absl::Time CallDeadline();

}  // namespace nms::db
