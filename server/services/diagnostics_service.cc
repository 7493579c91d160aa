#include "server/services/diagnostics_service.h"

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/services/diagnostics_common.h"

namespace nms::services {

DiagnosticsServiceImpl::DiagnosticsServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn,
                                               CalibrationWorker* calibration)
    : pool_(pool), authn_(authn), calibration_(calibration) {}

void SweepAbandonedSessions(db::ConnectionPool& pool) {
  constexpr int kSweepBatch = 500;
  auto swept = diag::SweepExpiredSessions(pool, kSweepBatch);
  if (!swept.ok()) {
    log::Warn("session sweep failed", {{"code", absl::StatusCodeToString(swept.status().code())}});
  } else if (*swept > 0) {
    log::Info("sessions timed out", {{"count", absl::StrCat(*swept)}});
  }
}

}  // namespace nms::services
