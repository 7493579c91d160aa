#include "nms/v1/monitoring.grpc.pb.h"
#include "server/services/factories.h"

namespace nms::services {

// Not implemented yet: the generated base class answers UNIMPLEMENTED for every method.
std::unique_ptr<grpc::Service> MakeMonitoringService(ServiceDeps) {
  return std::make_unique<nms::v1::MonitoringService::Service>();
}

}  // namespace nms::services
