#pragma once
// PracticeService (issue 16 §1): the regional bank of effective pedagogical practices.
// validate -> practices rules (server/domain/practices) -> PracticeRepository.

#include "nms/v1/practices.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"

namespace nms::services {

#define NMS_RPC(Method)                                                                 \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, \
                      nms::v1::Method##Response* resp) override;

class PracticeServiceImpl final : public nms::v1::PracticeService::Service {
 public:
  PracticeServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn) : pool_(pool), authn_(authn) {}
  NMS_RPC(GetPractice)
  NMS_RPC(ListPractices)
  NMS_RPC(CreatePractice)
  NMS_RPC(UpdatePractice)
  NMS_RPC(SubmitPractice)
  NMS_RPC(ReviewPractice)
  NMS_RPC(PublishPractice)
  NMS_RPC(ReturnPractice)
  NMS_RPC(GetPracticeRubric)

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
};

#undef NMS_RPC

}  // namespace nms::services
