#include "server/services/factories.h"
#include "server/services/inbox_service.h"

namespace nms::services {

std::unique_ptr<grpc::Service> MakeInboxService(ServiceDeps deps) {
  return std::make_unique<InboxServiceImpl>(deps.pool, deps.authn);
}

std::unique_ptr<grpc::Service> MakeNotificationService(ServiceDeps deps) {
  return std::make_unique<NotificationServiceImpl>(deps.pool, deps.authn);
}

}  // namespace nms::services
