#include "server/services/event_service.h"
#include "server/services/factories.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeEventService(ServiceDeps deps) {
  return std::make_unique<EventServiceImpl>(deps.pool, deps.authn);
}

}  // namespace nms::services
