#include "server/db/call_deadline.h"

namespace nms::db {
namespace {
thread_local absl::Time g_deadline = absl::InfiniteFuture();
}  // namespace

ScopedCallDeadline::ScopedCallDeadline(absl::Time deadline) : previous_(g_deadline) { g_deadline = deadline; }
ScopedCallDeadline::~ScopedCallDeadline() { g_deadline = previous_; }

absl::Time CallDeadline() { return g_deadline; }

}  // namespace nms::db
