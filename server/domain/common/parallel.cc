#include "server/domain/common/parallel.h"

namespace nms {
namespace {

class CallerOnly final : public ParallelRunner {
 public:
  int helpers() const override { return 0; }
  void Run(int, const std::function<void()>& work) override { work(); }
};

}  // namespace

ParallelRunner& RunInCaller() {
  static CallerOnly runner;
  return runner;
}

}  // namespace nms
