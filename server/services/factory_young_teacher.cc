#include "nms/v1/young_teacher.grpc.pb.h"
#include "server/services/factories.h"

namespace nms::services {

// Not implemented yet: the generated base class answers UNIMPLEMENTED for every method.
std::unique_ptr<grpc::Service> MakeYoungTeacherService(ServiceDeps) {
  return std::make_unique<nms::v1::YoungTeacherService::Service>();
}

}  // namespace nms::services
