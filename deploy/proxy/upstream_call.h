// One generic upstream gRPC call. Every gRPC-web request becomes a bidi-streaming call on the
// wire: gRPC does not distinguish unary from streaming there, so the proxy needs no per-method
// knowledge. Responses are pulled one message at a time (the next read starts only after the
// browser has taken the previous one), which gives end-to-end flow control.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "grpc_web_codec.h"

namespace nms::proxy {

// Receives the call's events on gRPC threads; implementations hop to their own executor.
class UpstreamObserver {
 public:
  virtual ~UpstreamObserver() = default;
  virtual void OnUpstreamHeaders(Metadata headers) = 0;
  // The call pauses until UpstreamCall::ResumeReading() is called.
  virtual void OnUpstreamMessage(std::string message) = 0;
  virtual void OnUpstreamDone(grpc::Status status, Metadata trailers) = 0;
};

struct UpstreamRequest {
  std::string method;                 // "/pkg.Service/Method"
  Metadata metadata;                  // already validated keys; "-bin" values raw bytes
  std::optional<std::chrono::nanoseconds> timeout;
  std::vector<std::string> messages;  // serialized request messages
};

class UpstreamCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  static std::shared_ptr<UpstreamCall> Start(grpc::GenericStub& stub, UpstreamRequest request,
                                             std::shared_ptr<UpstreamObserver> observer);
  ~UpstreamCall() override;

  // After each OnUpstreamMessage, exactly once.
  void ResumeReading();
  // Thread-safe; the call still ends with OnUpstreamDone (CANCELLED).
  void Cancel();

  // Shutdown support: cancel every call in flight / how many are still running.
  static void CancelAll();
  static size_t ActiveCount();

 private:
  UpstreamCall(std::vector<std::string> messages, std::shared_ptr<UpstreamObserver> observer);
  void WriteNext();

  void OnReadInitialMetadataDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

  grpc::ClientContext context_;
  std::vector<grpc::ByteBuffer> requests_;
  size_t next_request_ = 0;
  grpc::ByteBuffer response_;
  std::shared_ptr<UpstreamObserver> observer_;  // released in OnDone (breaks the cycle)
  std::shared_ptr<UpstreamCall> self_;  // keeps the reactor alive until OnDone
};

// Upstream metadata → HTTP headers: drops transport/reserved keys, base64s "-bin" values.
Metadata ToHttpHeaders(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

}  // namespace nms::proxy
