#pragma once
// The process's worker threads, created by main and handed to whatever runs work in parallel
// (matching's independent pieces). Fixed size: a busy server never starts threads per call.

#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/domain/common/parallel.h"

namespace nms {

class ThreadPool final : public ParallelRunner {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool() override;  // finishes queued tasks' bookkeeping and joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int helpers() const override { return static_cast<int>(threads_.size()); }
  void Run(int copies, const std::function<void()>& work) override;

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// Calls `task` every `every` on its own thread until destroyed (created by main for
// housekeeping such as timing out abandoned diagnostic sessions).
class PeriodicTask {
 public:
  PeriodicTask(absl::Duration every, std::function<void()> task);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace nms
