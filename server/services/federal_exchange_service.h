#pragma once
// FederalExchangeService: the resumable change feed over the transactional outbox and the
// idempotent imports of the federal registry of programmes and of course completions.

#include "nms/v1/federal_exchange.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "absl/time/time.h"
#include "server/db/pool.h"
#include "server/services/stream_limit.h"

namespace nms::services {

class FederalExchangeServiceImpl final : public nms::v1::FederalExchangeService::Service {
 public:
  // `max_message_bytes`: the server's --max_message_bytes; no StreamChanges message exceeds it.
  // `gap_timeout`: how long the feed holds rows back behind a missing sequence number.
  FederalExchangeServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn, StreamLimiter& streams,
                             absl::Duration gap_timeout, size_t max_message_bytes);

  grpc::Status StreamChanges(grpc::ServerContext* ctx, const nms::v1::StreamChangesRequest* req,
                             grpc::ServerWriter<nms::v1::StreamChangesResponse>* writer) override;
  grpc::Status ImportProgrammes(grpc::ServerContext* ctx, const nms::v1::ImportProgrammesRequest* req,
                                nms::v1::ImportProgrammesResponse* resp) override;
  grpc::Status ImportCompletions(grpc::ServerContext* ctx, const nms::v1::ImportCompletionsRequest* req,
                                 nms::v1::ImportCompletionsResponse* resp) override;
  grpc::Status GetExchangeStatus(grpc::ServerContext* ctx, const nms::v1::GetExchangeStatusRequest* req,
                                 nms::v1::GetExchangeStatusResponse* resp) override;

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
  StreamLimiter& streams_;
  int64_t gap_timeout_micros_;
  size_t max_message_bytes_;
};

}  // namespace nms::services
