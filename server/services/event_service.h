#pragma once
// EventService (issue 16 §3): the calendar of methodological events with registration,
// attendance, suggestions by deficit and ИОМ items.
// validate -> events rules (server/domain/events) -> EventRepository (+ route repositories).

#include "nms/v1/events.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"

namespace nms::services {

#define NMS_RPC(Method)                                                                 \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, \
                      nms::v1::Method##Response* resp) override;

class EventServiceImpl final : public nms::v1::EventService::Service {
 public:
  EventServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn) : pool_(pool), authn_(authn) {}
  NMS_RPC(GetEvent)
  NMS_RPC(ListEvents)
  NMS_RPC(CreateEvent)
  NMS_RPC(UpdateEvent)
  NMS_RPC(PublishEvent)
  NMS_RPC(CancelEvent)
  NMS_RPC(RegisterForEvent)
  NMS_RPC(CancelEventRegistration)
  NMS_RPC(ListEventRegistrations)
  NMS_RPC(MarkEventAttendance)
  NMS_RPC(ListSuggestedEvents)
  NMS_RPC(AddEventToRoute)

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
};

#undef NMS_RPC

}  // namespace nms::services
