#include "server/services/factories.h"
#include "server/services/federal_exchange_service.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeFederalExchangeService(ServiceDeps deps) {
  return std::make_unique<FederalExchangeServiceImpl>(deps.pool, deps.authn, deps.streams, deps.feed_gap_timeout,
                                                      deps.max_message_bytes);
}

}  // namespace nms::services
