#pragma once
// Runs bulk route generation operations in the background of a server process. The state of
// an operation lives in route_operations (see RouteOperationRepository), so the worker keeps
// nothing it could lose: it claims a pending operation (or one whose worker died), generates
// one batch of teachers per transaction together with the progress, and finishes it. Any
// replica may pick up what another left; a clean shutdown hands the operation back.

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/db/pool.h"

namespace nms::services {

class RouteBulkWorker {
 public:
  explicit RouteBulkWorker(db::ConnectionPool& pool, int batch_size = 500);
  ~RouteBulkWorker();
  RouteBulkWorker(const RouteBulkWorker&) = delete;
  RouteBulkWorker& operator=(const RouteBulkWorker&) = delete;

  // Wakes the worker (a new operation was committed).
  void Notify();

  // Processes one operation to its end in the calling thread (used by the benchmark and by
  // the background loop). Returns false when the operation was handed back on shutdown.
  static absl::Status Run(db::ConnectionPool& pool, int64_t operation_id, const std::string& worker, int batch_size,
                          const std::atomic<bool>* stop);

 private:
  void Loop();

  db::ConnectionPool& pool_;
  const int batch_size_;
  const std::string worker_id_;
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace nms::services
