// Everything a connection needs that is shared by all connections, fixed after start-up.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "cors.h"
#include "server/common/metrics.h"
#include "session_cookie.h"
#include "static_files.h"

namespace nms::proxy {

struct ProxyContext {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::GenericStub> stub;
  size_t max_message_bytes = 4 << 20;
  CorsPolicy cors{""};
  SessionCookie session_cookie;
  // Sent with every file and plain-text answer (documents); empty: none.
  std::string content_security_policy;
  StaticFiles static_files{{}};
  std::chrono::seconds idle_timeout{60};   // keep-alive idle and slow request headers/bodies
  std::chrono::seconds write_timeout{60};  // a browser that stops reading
  std::atomic<bool> draining{false};       // set on SIGTERM: finish current requests, no keep-alive
  std::atomic<int> requests_in_flight{0};
  std::atomic<int> connections_open{0};
  // Per-call figures for --metrics_listen; nullptr when metrics are off.
  metrics::Registry* metrics = nullptr;

  // Bytes of request body we are willing to read: the largest allowed message, base64-inflated,
  // plus room for frame headers. Larger bodies are refused before reading them.
  size_t BodyLimit() const { return max_message_bytes / 3 * 4 + 64 * 1024; }
};

}  // namespace nms::proxy
