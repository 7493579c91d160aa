#pragma once
// DiagnosticsService: frameworks and instruments (diagnostics_frameworks.cc), campaigns and
// participants (diagnostics_campaigns.cc), sessions, scoring and results
// (diagnostics_sessions.cc), reports and item problem reports (diagnostics_reports.cc), item calibration and analytics
// (diagnostics_calibration.cc).


#include "nms/v1/diagnostics.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"

namespace nms::services {

class CalibrationWorker;

class DiagnosticsServiceImpl final : public nms::v1::DiagnosticsService::Service {
 public:
  // `calibration` (owned by main; may be null) is woken when a calibration operation is started.
  DiagnosticsServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn,
                         CalibrationWorker* calibration = nullptr);

#define NMS_RPC(Method) \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, nms::v1::Method##Response* resp) override;
  NMS_RPC(CreateCompetencyFramework)
  NMS_RPC(GetCompetencyFramework)
  NMS_RPC(ListCompetencyFrameworks)
  NMS_RPC(UpdateCompetencyFramework)
  NMS_RPC(PublishCompetencyFramework)
  NMS_RPC(CreateInstrument)
  NMS_RPC(GetInstrument)
  NMS_RPC(ListInstruments)
  NMS_RPC(UpdateInstrument)
  NMS_RPC(DeleteInstrument)
  NMS_RPC(PublishInstrument)
  NMS_RPC(ImportInstrument)
  NMS_RPC(ExportInstrument)
  NMS_RPC(CreateCampaign)
  NMS_RPC(GetCampaign)
  NMS_RPC(ListCampaigns)
  NMS_RPC(UpdateCampaign)
  NMS_RPC(DeleteCampaign)
  NMS_RPC(LaunchCampaign)
  NMS_RPC(CloseCampaign)
  NMS_RPC(ListCampaignParticipants)
  NMS_RPC(GrantRetake)
  NMS_RPC(StartSession)
  NMS_RPC(GetSession)
  NMS_RPC(ListSessions)
  NMS_RPC(SaveAnswer)
  NMS_RPC(SubmitSession)
  NMS_RPC(RecordExternalScores)
  NMS_RPC(SubmitExpertWork)
  NMS_RPC(GetExpertWork)
  NMS_RPC(GetDiagnosticResult)
  NMS_RPC(ListDiagnosticResults)
  NMS_RPC(ImportExternalResults)
  NMS_RPC(GetIndividualReport)
  NMS_RPC(GetAggregateReport)
  NMS_RPC(ExportResultsCsv)
  NMS_RPC(ReportItemProblem)
  NMS_RPC(ListItemProblemReports)
  NMS_RPC(ResolveItemProblemReport)
  NMS_RPC(StartItemCalibration)
  NMS_RPC(GetCalibrationOperation)
  NMS_RPC(GetItemCalibration)
  NMS_RPC(GetItemAnalytics)
#undef NMS_RPC

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
  CalibrationWorker* calibration_;
};

// Ends sessions whose deadline passed while nobody looked (a phone switched off mid-test), a
// batch at a time, so their results reach reports without waiting for the next touch or the
// campaign's close. main calls it periodically; every replica may: ending is idempotent.
void SweepAbandonedSessions(db::ConnectionPool& pool);

}  // namespace nms::services
