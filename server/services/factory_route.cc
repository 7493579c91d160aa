#include "nms/v1/route.grpc.pb.h"
#include "server/services/factories.h"

namespace nms::services {

// Not implemented yet: the generated base class answers UNIMPLEMENTED for every method.
std::unique_ptr<grpc::Service> MakeRouteService(ServiceDeps) {
  return std::make_unique<nms::v1::RouteService::Service>();
}

}  // namespace nms::services
