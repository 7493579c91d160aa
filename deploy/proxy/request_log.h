// One stderr line per request. Only method, path (no query string: it may carry tokens), status
// and duration: never bodies or headers, which may hold personal data or credentials.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace nms::metrics {
class Registry;
}

namespace nms::proxy {

void SetRequestLogEnabled(bool enabled);

// Plain diagnostic line ("nms-proxy: ...") for start-up, shutdown and internal errors.
void LogLine(std::string_view text);

struct RequestLog {
  std::string method;
  std::string path;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  // Where the finished request is counted (--metrics_listen); nullptr: not counted.
  metrics::Registry* metrics = nullptr;

  // grpc_status < 0 for non-gRPC requests; note is a short free-form word ("client-gone").
  // Also records the request in `metrics`: a gRPC-web call by its method and gRPC code, any
  // other request as method "http" by its HTTP status.
  void Write(int http_status, int grpc_status = -1, std::string_view note = {}) const;
};

}  // namespace nms::proxy
