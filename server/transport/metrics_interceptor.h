#pragma once
// A gRPC server interceptor that records every call in the metrics registry (method, status
// code, latency, DB statements) and logs slow calls with the same technical fields — never a
// request's content. Installed by main on the server builder.

#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <memory>

#include "absl/time/time.h"
#include "server/common/metrics.h"

namespace nms::transport {

class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Calls slower than `slow_call` are logged at warning level (zero: none).
  MetricsInterceptorFactory(metrics::Registry& registry, absl::Duration slow_call);
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

  // Calls between receipt and status right now, for a gauge.
  int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

 private:
  friend class MetricsInterceptor;
  metrics::Registry& registry_;
  absl::Duration slow_call_;
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace nms::transport
