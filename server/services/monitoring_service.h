#pragma once
// MonitoringService: indicator catalogue per region with presets, computation with drill-down,
// quarterly series, CSV/HTML reports, and recording of the facts the indicators count.

#include "nms/v1/monitoring.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"

namespace nms::services {

class MonitoringServiceImpl final : public nms::v1::MonitoringService::Service {
 public:
  MonitoringServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn) : pool_(pool), authn_(authn) {}

#define NMS_RPC(Method) \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, nms::v1::Method##Response* resp) override;
  NMS_RPC(ListIndicatorPresets)
  NMS_RPC(ApplyIndicatorPreset)
  NMS_RPC(CreateIndicatorDefinition)
  NMS_RPC(GetIndicatorDefinition)
  NMS_RPC(ListIndicatorDefinitions)
  NMS_RPC(UpdateIndicatorDefinition)
  NMS_RPC(DeleteIndicatorDefinition)
  NMS_RPC(RecordIndicatorAttestation)
  NMS_RPC(ComputeIndicators)
  NMS_RPC(GetIndicatorTimeSeries)
  NMS_RPC(ExportIndicatorsCsv)
  NMS_RPC(RenderIndicatorReport)
  NMS_RPC(CreateTrainingCompletion)
  NMS_RPC(GetTrainingCompletion)
  NMS_RPC(UpdateTrainingCompletion)
  NMS_RPC(CreateManagementTeamMembership)
  NMS_RPC(CreateCommunityMembership)
  NMS_RPC(CreateExpertActivity)
  NMS_RPC(CreateInternshipPlatform)
  NMS_RPC(CreateInternshipParticipant)
  NMS_RPC(CreateRegionalEvent)
  NMS_RPC(CreateRegionalEventParticipant)
  NMS_RPC(CreateCnppmStaffMember)
  NMS_RPC(CreateMethodistAssignment)
#undef NMS_RPC

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
};

}  // namespace nms::services
