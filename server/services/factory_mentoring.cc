#include "nms/v1/mentoring.grpc.pb.h"
#include "server/services/factories.h"

namespace nms::services {

// Not implemented yet: the generated base class answers UNIMPLEMENTED for every method.
std::unique_ptr<grpc::Service> MakeMentoringService(ServiceDeps) {
  return std::make_unique<nms::v1::MentoringService::Service>();
}

}  // namespace nms::services
