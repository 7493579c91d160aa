#pragma once
// RouteService (ИОМ), issue 4: the catalogue, generation (one teacher or a campaign as a
// background operation), the lifecycle, items with evidence, reflective reports and ДПП
// enrolment, accompaniment, the printable document, the CSV register and the re-diagnosis
// effect. Handlers validate, authorise and map statuses; rules live in server/domain/route,
// SQL in server/db/*route*. The methods are split by concept over route_service*.cc.

#include <memory>

#include "nms/v1/route.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"
#include "server/domain/route/lifecycle.h"
#include "server/services/route_bulk_worker.h"

namespace nms::services {

class RouteServiceImpl final : public nms::v1::RouteService::Service {
 public:
  // `worker`: this process's bulk-generation worker (owned by main), woken when an operation is
  // queued; nullptr leaves bulk operations to other replicas.
  RouteServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn, RouteBulkWorker* worker);

#define NMS_RPC(Method) \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, nms::v1::Method##Response* resp) override;
  // Catalogue (route_service_catalogue.cc)
  NMS_RPC(CreateActivity)
  NMS_RPC(GetActivity)
  NMS_RPC(ListActivities)
  NMS_RPC(UpdateActivity)
  NMS_RPC(DeleteActivity)
  // Routes and their lifecycle (route_service.cc)
  NMS_RPC(GenerateRoute)
  NMS_RPC(BulkGenerateRoutes)
  NMS_RPC(GetRouteOperation)
  NMS_RPC(GetRoute)
  NMS_RPC(ListRoutes)
  NMS_RPC(UpdateRoute)
  NMS_RPC(AgreeRoute)
  NMS_RPC(ApproveRoute)
  NMS_RPC(StartRoute)
  NMS_RPC(CompleteRoute)
  NMS_RPC(CancelRoute)
  NMS_RPC(ReturnRouteForRevision)
  NMS_RPC(ListRouteStatusChanges)
  NMS_RPC(GetRouteEffect)
  // Revisions after a new diagnosis (route_service_revision.cc)
  NMS_RPC(ReviseRoute)
  NMS_RPC(ListRouteRevisions)
  NMS_RPC(GetRouteSettings)
  NMS_RPC(UpdateRouteSettings)
  NMS_RPC(RenderRouteDocument)
  // Items (route_service_items.cc)
  NMS_RPC(CreateRouteItem)
  NMS_RPC(GetRouteItem)
  NMS_RPC(ListRouteItems)
  NMS_RPC(UpdateRouteItem)
  NMS_RPC(DeleteRouteItem)
  NMS_RPC(UpdateRouteItemStatus)
  NMS_RPC(AddRouteItemEvidence)
  NMS_RPC(SubmitRouteItemReflection)
  NMS_RPC(ApplyRouteItemEnrolment)
  NMS_RPC(ApproveRouteItemEnrolment)
  NMS_RPC(RejectRouteItemEnrolment)
  NMS_RPC(ConfirmRouteItemEnrolment)
  NMS_RPC(WithdrawRouteItemEnrolment)
  // Accompaniment and the register (route_service_register.cc)
  NMS_RPC(AssignRouteMethodist)
  NMS_RPC(GetMethodistLoad)
  NMS_RPC(ListMethodistLoads)
  NMS_RPC(ExportRoutesCsv)
  NMS_RPC(ImportRoutesCsv)
#undef NMS_RPC

 private:
  // The lifecycle methods differ only in the command.
  grpc::Status Transit(grpc::ServerContext* ctx, const char* method, const std::string& name, int64_t version,
                       const std::string& request_id, const google::protobuf::Message& req, nms::v1::Route* out,
                       route::Command command);
  // The enrolment methods differ only in the target status.
  grpc::Status Enrol(grpc::ServerContext* ctx, const char* method, const std::string& name, int64_t version,
                     const std::string& comment, const std::string& request_id, const google::protobuf::Message& req,
                     nms::v1::RouteItem* out, route::Enrolment target);

  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
  RouteBulkWorker* worker_;
};

}  // namespace nms::services
