#include "server/services/factories.h"
#include "server/services/route_service.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeRouteService(ServiceDeps deps) {
  return std::make_unique<RouteServiceImpl>(deps.pool, deps.authn, deps.route_worker);
}

}  // namespace nms::services
