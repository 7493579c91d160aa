#pragma once
// InboxService (issue 12 §1): counts and lists of the work waiting for the caller, each kind
// read through the access action its follow-up needs; reminders to teachers of open campaigns.
// NotificationService (issue 13 §7): a person's own notifications. The notifications of events
// are written by the services of those events (services/notify.h).

#include "nms/v1/inbox.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"

namespace nms::services {

#define NMS_RPC(Method)                                                                 \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, \
                      nms::v1::Method##Response* resp) override;

class InboxServiceImpl final : public nms::v1::InboxService::Service {
 public:
  InboxServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn) : pool_(pool), authn_(authn) {}
  NMS_RPC(GetInboxSummary)
  NMS_RPC(ListInboxEntries)
  NMS_RPC(RemindTeachers)

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
};

class NotificationServiceImpl final : public nms::v1::NotificationService::Service {
 public:
  NotificationServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn) : pool_(pool), authn_(authn) {}
  NMS_RPC(ListNotifications)
  NMS_RPC(MarkNotificationsRead)

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
};

#undef NMS_RPC

}  // namespace nms::services
