#include "server/services/factories.h"
#include "server/services/young_teacher_service.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeYoungTeacherService(ServiceDeps deps) {
  return std::make_unique<YoungTeacherServiceImpl>(deps.pool, deps.authn);
}

}  // namespace nms::services
