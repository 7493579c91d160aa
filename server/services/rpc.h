#pragma once
// The one entry point of every RPC handler: authenticate, run the handler, turn any status or
// escaped exception into a gRPC status, and log one line without personal data. Handlers are
// thus "validate -> domain -> repository" and nothing else.

#include "absl/strings/string_view.h"
#include <grpcpp/grpcpp.h>

#include <exception>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "server/auth/authenticator.h"
#include "server/domain/access/principal.h"

namespace nms::services {

// Longest status message sent, in bytes (longer ones are cut with "…", see ToGrpcStatus).
inline constexpr size_t kMaxStatusMessageBytes = 1024;
grpc::Status ToGrpcStatus(const absl::Status& status);

// Runs an authenticated handler. `method` is "Service/Method" for logs.
grpc::Status Run(grpc::ServerContext* ctx, auth::Authenticator& auth, absl::string_view method,
                 absl::FunctionRef<absl::Status(const access::Principal&)> handler);

// Runs a handler that needs no principal (SignIn, RefreshToken).
grpc::Status RunPublic(grpc::ServerContext* ctx, absl::string_view method,
                       absl::FunctionRef<absl::Status()> handler);

}  // namespace nms::services
