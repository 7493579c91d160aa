#include "server/services/diagnostics_service.h"
#include "server/services/factories.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeDiagnosticsService(ServiceDeps deps) {
  return std::make_unique<DiagnosticsServiceImpl>(deps.pool, deps.authn, deps.calibration);
}

}  // namespace nms::services
