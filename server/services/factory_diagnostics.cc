#include "nms/v1/diagnostics.grpc.pb.h"
#include "server/services/factories.h"

namespace nms::services {

// Not implemented yet: the generated base class answers UNIMPLEMENTED for every method.
std::unique_ptr<grpc::Service> MakeDiagnosticsService(ServiceDeps) {
  return std::make_unique<nms::v1::DiagnosticsService::Service>();
}

}  // namespace nms::services
