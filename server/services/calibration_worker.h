#pragma once
// Runs item calibration operations (issue 18) in the background of a server process. The
// operation row holds its whole state (diagnostic_calibration_operations), so the worker keeps
// nothing it could lose: it claims a pending operation (or one whose worker stopped beating),
// reads the instrument's finished sessions, fits the item response model per area with progress
// written as it goes, and stores the calibration with the operation's end in one transaction.
// Any replica may pick up what another left; a clean shutdown hands the operation back.
//
// main owns the worker and the thread that runs Loop(); services only Notify() it.

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/db/pool.h"

namespace nms::services {

class CalibrationWorker {
 public:
  explicit CalibrationWorker(db::ConnectionPool& pool);
  CalibrationWorker(const CalibrationWorker&) = delete;
  CalibrationWorker& operator=(const CalibrationWorker&) = delete;

  // Claims and runs operations until Stop(); polls every few seconds for other replicas' work.
  void Loop();
  void Stop();
  // Wakes the loop (a new operation was committed).
  void Notify();

  // Runs one claimed operation to its end in the calling thread.
  static absl::Status Run(db::ConnectionPool& pool, int64_t operation_id, int64_t instrument_id,
                          const std::string& worker, const std::atomic<bool>* stop);

 private:
  db::ConnectionPool& pool_;
  const std::string worker_id_;
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> stop_{false};
};

}  // namespace nms::services
