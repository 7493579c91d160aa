#pragma once
// How domain code runs independent pieces of work at once without starting threads itself:
// the process's workers are created once (in main) and handed in; code that gets none runs
// everything in the calling thread. Results must never depend on the number of workers.

#include <functional>

namespace nms {

class ParallelRunner {
 public:
  virtual ~ParallelRunner() = default;

  // Workers available besides the caller's own thread (0 = the caller only).
  virtual int helpers() const = 0;

  // Calls `work` in the calling thread and in up to `copies - 1` helpers at the same time, and
  // returns when every call that started has returned. `work` must share its items out itself
  // (e.g. an atomic index) and be safe to call when nothing is left. A helper that is busy
  // elsewhere is not waited for: the caller's own call takes the remaining items.
  virtual void Run(int copies, const std::function<void()>& work) = 0;
};

// The runner without helpers: `work` runs once, in the caller.
ParallelRunner& RunInCaller();

}  // namespace nms
