#pragma once
// MonitoringService: indicator catalogue per region with presets, computation with drill-down,
// quarterly series, CSV/HTML reports, and recording of the facts the indicators count.

#include "nms/v1/monitoring.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/monitoring_facts_cache.h"
#include "server/db/pool.h"

namespace nms::services {

class MonitoringServiceImpl final : public nms::v1::MonitoringService::Service {
 public:
  MonitoringServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn, db::MonitoringFactsCache& facts)
      : pool_(pool), authn_(authn), facts_(facts) {}

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
  NMS_RPC(ListTrainingCompletions)
  NMS_RPC(DeleteTrainingCompletion)
  NMS_RPC(GetManagementTeamMembership)
  NMS_RPC(ListManagementTeamMemberships)
  NMS_RPC(DeleteManagementTeamMembership)
  NMS_RPC(GetCommunityMembership)
  NMS_RPC(ListCommunityMemberships)
  NMS_RPC(DeleteCommunityMembership)
  NMS_RPC(GetExpertActivity)
  NMS_RPC(ListExpertActivities)
  NMS_RPC(DeleteExpertActivity)
  NMS_RPC(GetInternshipPlatform)
  NMS_RPC(ListInternshipPlatforms)
  NMS_RPC(DeleteInternshipPlatform)
  NMS_RPC(GetInternshipParticipant)
  NMS_RPC(ListInternshipParticipants)
  NMS_RPC(DeleteInternshipParticipant)
  NMS_RPC(GetRegionalEvent)
  NMS_RPC(ListRegionalEvents)
  NMS_RPC(DeleteRegionalEvent)
  NMS_RPC(GetRegionalEventParticipant)
  NMS_RPC(ListRegionalEventParticipants)
  NMS_RPC(DeleteRegionalEventParticipant)
  NMS_RPC(GetCnppmStaffMember)
  NMS_RPC(ListCnppmStaffMembers)
  NMS_RPC(DeleteCnppmStaffMember)
  NMS_RPC(GetMethodistAssignment)
  NMS_RPC(ListMethodistAssignments)
  NMS_RPC(DeleteMethodistAssignment)
  NMS_RPC(UpdateManagementTeamMembership)
  NMS_RPC(UpdateCommunityMembership)
  NMS_RPC(UpdateExpertActivity)
  NMS_RPC(UpdateInternshipPlatform)
  NMS_RPC(UpdateInternshipParticipant)
  NMS_RPC(UpdateRegionalEvent)
  NMS_RPC(UpdateRegionalEventParticipant)
  NMS_RPC(UpdateCnppmStaffMember)
  NMS_RPC(UpdateMethodistAssignment)
#undef NMS_RPC

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
  db::MonitoringFactsCache& facts_;  // a region's loaded facts, reused while unchanged
};

}  // namespace nms::services
