#pragma once
// MentoringService (issue 5, docs/domain.md §4): settings and mentor profiles with eligibility,
// mentee requests (manual and automatic), optimal matching proposals with pins and bans, the
// pair lifecycle with plans, meetings and feedback, and the schools' mentoring programmes.
// Handlers are split by concept: mentoring_service_{profiles,requests,matching,pairs,programmes}.cc.

#include "nms/v1/mentoring.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"
#include "server/domain/common/parallel.h"

namespace nms::services {

class MentoringServiceImpl final : public nms::v1::MentoringService::Service {
 public:
  // `parallel`: the server's workers for matching's independent pieces.
  MentoringServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn, ParallelRunner& parallel = RunInCaller())
      : pool_(pool), authn_(authn), parallel_(parallel) {}

#define NMS_RPC(Method) \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Method##Request* req, nms::v1::Method##Response* resp) override;
  NMS_RPC(GetMentoringSettings)
  NMS_RPC(UpdateMentoringSettings)
  NMS_RPC(CreateMentorProfile)
  NMS_RPC(GetMentorProfile)
  NMS_RPC(ListMentorProfiles)
  NMS_RPC(UpdateMentorProfile)
  NMS_RPC(DeleteMentorProfile)
  NMS_RPC(CreateMenteeRequest)
  NMS_RPC(GetMenteeRequest)
  NMS_RPC(ListMenteeRequests)
  NMS_RPC(UpdateMenteeRequest)
  NMS_RPC(CancelMenteeRequest)
  NMS_RPC(SyncAutoRequests)
  NMS_RPC(ProposeMatching)
  NMS_RPC(GetMatchingProposal)
  NMS_RPC(ListMatchingProposals)
  NMS_RPC(ApplyMatchingProposal)
  NMS_RPC(DiscardMatchingProposal)
  NMS_RPC(CreateMatchingConstraint)
  NMS_RPC(ListMatchingConstraints)
  NMS_RPC(DeleteMatchingConstraint)
  NMS_RPC(CreateMentoringPair)
  NMS_RPC(GetMentoringPair)
  NMS_RPC(ListMentoringPairs)
  NMS_RPC(UpdateMentoringPair)
  NMS_RPC(AcceptMentoringPair)
  NMS_RPC(RejectMentoringPair)
  NMS_RPC(CompleteMentoringPair)
  NMS_RPC(CancelMentoringPair)
  NMS_RPC(CreateMentoringMeeting)
  NMS_RPC(GetMentoringMeeting)
  NMS_RPC(ListMentoringMeetings)
  NMS_RPC(UpdateMentoringMeeting)
  NMS_RPC(DeleteMentoringMeeting)
  NMS_RPC(CreateMentoringFeedback)
  NMS_RPC(ListMentoringFeedbacks)
  NMS_RPC(CreateMentoringProgramme)
  NMS_RPC(GetMentoringProgramme)
  NMS_RPC(ListMentoringProgrammes)
  NMS_RPC(UpdateMentoringProgramme)
  NMS_RPC(DeleteMentoringProgramme)
#undef NMS_RPC

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
  ParallelRunner& parallel_;
};

}  // namespace nms::services
