#pragma once
// Per-RPC figures for operators, rendered in Prometheus' text exposition format (version 0.0.4):
// calls by method and status code, latency histograms, DB statements per call. Owned by main and
// handed to the gRPC interceptor that records calls and to the HTTP endpoint that renders them;
// gauges owned elsewhere (the DB pool, stream limits) are added at render time by callbacks.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace nms::metrics {

// Upper bounds of the latency buckets, in seconds.
inline constexpr std::array<double, 12> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,   0.25,   0.5,   1,    2.5,   10};
// Upper bounds of the statements-per-call buckets.
inline constexpr std::array<double, 8> kStatementBuckets = {1, 2, 4, 8, 16, 32, 64, 256};

class Registry {
 public:
  // `family` prefixes the per-call series: "nms_rpc" for the server (nms_rpc_calls_total, ...),
  // "nms_proxy" for the grpc-web proxy.
  explicit Registry(std::string family = "nms_rpc") : family_(std::move(family)) {}

  // One finished call. `statements` < 0 when unknown (the call's work left its thread).
  void RecordCall(absl::string_view method, absl::string_view code, absl::Duration latency, int64_t statements);

  // A sample the renderer asks for every time: name, help, type ("gauge" or "counter"), value.
  struct Sample {
    std::string name, help, type;
    double value = 0;
  };
  using SampleSource = std::function<std::vector<Sample>()>;
  void AddSource(SampleSource source);

  std::string Render();

 private:
  struct Histogram {
    std::vector<int64_t> counts;  // per bucket, not cumulative; last = +Inf
    double sum = 0;
    int64_t count = 0;
  };
  struct Method {
    absl::flat_hash_map<std::string, int64_t> by_code;
    Histogram latency, statements;
  };

  const std::string family_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Method> methods_ ABSL_GUARDED_BY(mu_);
  std::vector<SampleSource> sources_ ABSL_GUARDED_BY(mu_);
};

}  // namespace nms::metrics
