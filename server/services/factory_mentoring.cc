#include "server/services/factories.h"
#include "server/services/mentoring_service.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeMentoringService(ServiceDeps deps) {
  return std::make_unique<MentoringServiceImpl>(deps.pool, deps.authn, deps.parallel);
}

}  // namespace nms::services
