#include "server/services/factories.h"
#include "server/services/monitoring_service.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeMonitoringService(ServiceDeps deps) {
  return std::make_unique<MonitoringServiceImpl>(deps.pool, deps.authn, deps.facts_cache);
}

}  // namespace nms::services
