#pragma once
// The operators' metrics endpoint: a tiny HTTP/1.x server on its own port answering
// `GET /metrics` with the registry rendered in Prometheus' text format, and `GET /healthz`.
// One request per connection, served one at a time on one thread: a scraper every few seconds,
// never user traffic. Bind it to loopback or a private interface.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace nms::transport {

class MetricsHttpServer {
 public:
  using Render = std::function<std::string()>;

  // Listens on "host:port" (port 0 = any free port) and starts serving.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(const std::string& listen, Render render);
  ~MetricsHttpServer();  // stops and joins

  int port() const { return port_; }

 private:
  MetricsHttpServer(int fd, int port, int wake_read, int wake_write, Render render);
  void Serve();
  void Answer(int conn);

  int fd_, port_, wake_read_, wake_write_;
  Render render_;
  std::thread thread_;
};

}  // namespace nms::transport
