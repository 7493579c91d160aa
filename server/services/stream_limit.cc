#include "server/services/stream_limit.h"

namespace nms::services {

absl::StatusOr<StreamLimiter::Slot> StreamLimiter::Acquire(int64_t account_id) {
  absl::MutexLock lock(&mu_);
  int& mine = by_account_[account_id];
  if (mine >= per_account_limit_) {
    if (mine == 0) by_account_.erase(account_id);
    return absl::ResourceExhaustedError(
        "Слишком много одновременных потоков у этой учётной записи; закройте лишние и повторите");
  }
  if (open_ >= total_limit_) {
    if (mine == 0) by_account_.erase(account_id);
    return absl::ResourceExhaustedError("Сервер обслуживает максимум потоков; повторите позже");
  }
  ++mine;
  ++open_;
  return Slot(this, account_id);
}

void StreamLimiter::Release(int64_t account_id) {
  absl::MutexLock lock(&mu_);
  --open_;
  auto it = by_account_.find(account_id);
  if (it != by_account_.end() && --it->second <= 0) by_account_.erase(it);
}

StreamLimiter::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Release(account_);
}

int StreamLimiter::open() {
  absl::MutexLock lock(&mu_);
  return open_;
}

int StreamLimiter::limit() { return total_limit_; }

}  // namespace nms::services
