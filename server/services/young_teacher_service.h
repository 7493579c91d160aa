#pragma once
// YoungTeacherService (docs/domain.md §5): region settings, the cohort of a scope at a reference
// date (computed from people's dates, never stored), its summary against the target, alerts
// for those without a mentor, an ИОМ or any recent support, and support measures — recorded
// ones with versions and idempotent writes, and read-only ones derived from mentoring pairs
// and routes. Cohort, summary and alerts live in young_teacher_service.cc, measures in
// young_teacher_measures.cc.

#include "nms/v1/young_teacher.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"

namespace nms::services {

class YoungTeacherServiceImpl final : public nms::v1::YoungTeacherService::Service {
 public:
  YoungTeacherServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn) : pool_(pool), authn_(authn) {}

#define NMS_RPC(Method)                                                                 \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, \
                      nms::v1::Method##Response* resp) override;
  NMS_RPC(GetYoungTeacherSettings)
  NMS_RPC(UpdateYoungTeacherSettings)
  NMS_RPC(ListCohort)
  NMS_RPC(GetCohortSummary)
  NMS_RPC(ListYoungTeacherAlerts)
  NMS_RPC(CreateSupportMeasure)
  NMS_RPC(GetSupportMeasure)
  NMS_RPC(ListSupportMeasures)
  NMS_RPC(UpdateSupportMeasure)
  NMS_RPC(DeleteSupportMeasure)
#undef NMS_RPC

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
};

}  // namespace nms::services
