#include "server/common/thread_pool.h"

#include <algorithm>

namespace nms {

ThreadPool::ThreadPool(int threads) {
  for (int i = 0; i < std::max(0, threads); ++i) threads_.emplace_back([this] { Loop(); });
}

ThreadPool::~ThreadPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& t : threads_) t.join();
}

void ThreadPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](ThreadPool* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping and nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void ThreadPool::Run(int copies, const std::function<void()>& work) {
  // Helpers that start after the caller is done must not touch `work` (it lives on the
  // caller's stack): a shared gate closes when the caller finishes, and the caller waits only
  // for the copies that passed the gate before that.
  struct Gate {
    absl::Mutex mu;
    bool closed ABSL_GUARDED_BY(mu) = false;
    int running ABSL_GUARDED_BY(mu) = 0;
  };
  auto gate = std::make_shared<Gate>();
  const int extra = std::min(copies - 1, helpers());
  if (extra > 0) {
    absl::MutexLock lock(&mu_);
    for (int i = 0; i < extra; ++i) {
      queue_.push_back([gate, &work] {
        {
          absl::MutexLock g(&gate->mu);
          if (gate->closed) return;
          ++gate->running;
        }
        work();
        absl::MutexLock g(&gate->mu);
        --gate->running;
      });
    }
  }
  work();
  absl::MutexLock g(&gate->mu);
  gate->closed = true;
  gate->mu.Await(absl::Condition(
      +[](Gate* x) ABSL_EXCLUSIVE_LOCKS_REQUIRED(x->mu) { return x->running == 0; }, gate.get()));
}

PeriodicTask::PeriodicTask(absl::Duration every, std::function<void()> task) {
  thread_ = std::thread([this, every, task = std::move(task)] {
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        if (mu_.AwaitWithTimeout(absl::Condition(&stop_), every)) return;
      }
      task();
    }
  });
}

PeriodicTask::~PeriodicTask() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

}  // namespace nms
