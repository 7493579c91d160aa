#include "nms/v1/federal_exchange.grpc.pb.h"
#include "server/services/factories.h"

namespace nms::services {

// Not implemented yet: the generated base class answers UNIMPLEMENTED for every method.
std::unique_ptr<grpc::Service> MakeFederalExchangeService(ServiceDeps) {
  return std::make_unique<nms::v1::FederalExchangeService::Service>();
}

}  // namespace nms::services
