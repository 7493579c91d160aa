#pragma once
// The whole nms.v1 API as data: every service and method read from the descriptor set the build
// generates from proto/nms/v1 (no per-method code), dynamic request/response messages, and one
// way to call any method by name over a real channel. The fuzzer, the authorisation matrix, the
// log and SQL-injection tests and the load generator all walk the API through this, so a new RPC
// is covered the moment its proto lands.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace nms::testing {

struct RpcMethod {
  std::string key;        // "DirectoryService/GetPerson"
  std::string path;       // "/nms.v1.DirectoryService/GetPerson"
  std::string service;    // "DirectoryService"
  std::string method;     // "GetPerson"
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  bool server_streaming = false;
  bool client_streaming = false;
};

class ApiSurface {
 public:
  // The surface of the descriptor set compiled into this build (loaded once).
  static const ApiSurface& Get();

  const std::vector<RpcMethod>& methods() const { return methods_; }
  const RpcMethod* Find(absl::string_view key) const;
  const google::protobuf::DescriptorPool& pool() const { return pool_; }

  std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type) const;
  std::unique_ptr<google::protobuf::Message> NewRequest(const RpcMethod& m) const {
    return NewMessage(m.descriptor->input_type());
  }
  std::unique_ptr<google::protobuf::Message> NewResponse(const RpcMethod& m) const {
    return NewMessage(m.descriptor->output_type());
  }

  // A request from protobuf text format (used by the tables of the matrix test).
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ParseRequest(const RpcMethod& m,
                                                                          const std::string& text) const;

 private:
  ApiSurface();
  google::protobuf::DescriptorPool pool_;
  mutable google::protobuf::DynamicMessageFactory factory_;
  std::vector<RpcMethod> methods_;
};

// The outcome of one call: status, and the response messages' bytes (one for unary calls,
// any number for server streaming).
struct CallResult {
  grpc::Status status;
  std::vector<std::string> responses;
};

struct CallOptions {
  std::string bearer_token;              // empty = no authorization header
  absl::Duration deadline = absl::Seconds(20);
  size_t max_stream_messages = 64;       // a stream is cancelled after this many messages
};

// Calls `m` with a serialised request (which need not parse: garbage is a valid fuzz input).
CallResult CallRaw(grpc::Channel& channel, const RpcMethod& m, const std::string& request_bytes,
                   const CallOptions& options);

CallResult Call(grpc::Channel& channel, const RpcMethod& m, const google::protobuf::Message& request,
                const CallOptions& options);

// grpc.health.v1.Health/Check for the whole server: OK and SERVING.
bool HealthServing(grpc::Channel& channel, absl::Duration deadline = absl::Seconds(5));

// Reads a field path such as "completion.name" or "rows[0].person" from a message; empty when
// the path does not exist.
std::string FieldPathValue(const google::protobuf::Message& m, absl::string_view path);

}  // namespace nms::testing
