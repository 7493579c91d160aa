#include "server/services/factories.h"
#include "server/services/practice_service.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakePracticeService(ServiceDeps deps) {
  return std::make_unique<PracticeServiceImpl>(deps.pool, deps.authn);
}

}  // namespace nms::services
