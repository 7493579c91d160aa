#include "server/services/diagnostics_service.h"

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/services/diagnostics_common.h"

namespace nms::services {

namespace {
constexpr absl::Duration kSweepEvery = absl::Seconds(30);
constexpr int kSweepBatch = 500;
}  // namespace

DiagnosticsServiceImpl::DiagnosticsServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn,
                                               CalibrationWorker* calibration)
    : pool_(pool), authn_(authn), calibration_(calibration) {
  sweeper_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(kSweepEvery)) {
      auto swept = diag::SweepExpiredSessions(pool_, kSweepBatch);
      if (!swept.ok()) {
        log::Warn("session sweep failed", {{"code", absl::StatusCodeToString(swept.status().code())}});
      } else if (*swept > 0) {
        log::Info("sessions timed out", {{"count", absl::StrCat(*swept)}});
      }
    }
  });
}

DiagnosticsServiceImpl::~DiagnosticsServiceImpl() {
  stop_.Notify();
  if (sweeper_.joinable()) sweeper_.join();
}

}  // namespace nms::services
