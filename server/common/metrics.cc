#include "server/common/metrics.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nms::metrics {
namespace {

template <size_t N>
void Observe(const std::array<double, N>& bounds, double value, std::vector<int64_t>& counts, double& sum,
             int64_t& count) {
  if (counts.empty()) counts.assign(N + 1, 0);
  size_t i = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++counts[i];
  sum += value;
  ++count;
}

// Label values are method names and code names: no quotes or backslashes to escape.
template <size_t N>
void RenderHistogram(std::string& out, absl::string_view name, absl::string_view method,
                     const std::array<double, N>& bounds, const std::vector<int64_t>& counts, double sum,
                     int64_t count) {
  int64_t cumulative = 0;
  for (size_t i = 0; i <= N; ++i) {
    cumulative += counts.empty() ? 0 : counts[i];
    std::string le = i < N ? absl::StrFormat("%g", bounds[i]) : "+Inf";
    absl::StrAppend(&out, name, "_bucket{method=\"", method, "\",le=\"", le, "\"} ", cumulative, "\n");
  }
  absl::StrAppend(&out, name, "_sum{method=\"", method, "\"} ", absl::StrFormat("%.6f", sum), "\n");
  absl::StrAppend(&out, name, "_count{method=\"", method, "\"} ", count, "\n");
}

}  // namespace

void Registry::RecordCall(absl::string_view method, absl::string_view code, absl::Duration latency,
                          int64_t statements) {
  absl::MutexLock lock(&mu_);
  Method& m = methods_[method];
  ++m.by_code[code];
  Observe(kLatencyBuckets, absl::ToDoubleSeconds(latency), m.latency.counts, m.latency.sum, m.latency.count);
  if (statements >= 0) {
    Observe(kStatementBuckets, static_cast<double>(statements), m.statements.counts, m.statements.sum,
            m.statements.count);
  }
}

void Registry::AddSource(SampleSource source) {
  absl::MutexLock lock(&mu_);
  sources_.push_back(std::move(source));
}

std::string Registry::Render() {
  std::vector<SampleSource> sources;
  std::map<std::string, Method> methods;  // sorted, copied so rendering holds no lock
  {
    absl::MutexLock lock(&mu_);
    sources = sources_;
    for (const auto& [name, m] : methods_) methods.emplace(name, m);
  }
  std::string out;
  const std::string calls = family_ + "_calls_total", duration = family_ + "_duration_seconds",
                    statements = family_ + "_db_statements";
  absl::StrAppend(&out, "# HELP ", calls, " Calls answered, by method and status code.\n", "# TYPE ", calls,
                  " counter\n");
  for (const auto& [name, m] : methods) {
    std::map<std::string, int64_t> codes(m.by_code.begin(), m.by_code.end());
    for (const auto& [code, n] : codes) {
      absl::StrAppend(&out, calls, "{method=\"", name, "\",code=\"", code, "\"} ", n, "\n");
    }
  }
  absl::StrAppend(&out, "# HELP ", duration, " Time from receiving a call to sending its status.\n", "# TYPE ",
                  duration, " histogram\n");
  for (const auto& [name, m] : methods) {
    RenderHistogram(out, duration, name, kLatencyBuckets, m.latency.counts, m.latency.sum,
                    m.latency.count);
  }
  bool any_statements = false;  // the proxy counts none
  for (const auto& [name, m] : methods) any_statements = any_statements || m.statements.count > 0;
  if (any_statements) {
    absl::StrAppend(&out, "# HELP ", statements, " Database round trips (prepares and executions) per call.\n",
                    "# TYPE ", statements, " histogram\n");
  }
  for (const auto& [name, m] : methods) {
    if (m.statements.count == 0) continue;
    RenderHistogram(out, statements, name, kStatementBuckets, m.statements.counts,
                    m.statements.sum, m.statements.count);
  }
  for (const auto& source : sources) {
    for (const Sample& s : source()) {
      absl::StrAppend(&out, "# HELP ", s.name, " ", s.help, "\n# TYPE ", s.name, " ", s.type, "\n", s.name, " ",
                      absl::StrFormat("%.17g", s.value), "\n");
    }
  }
  return out;
}

}  // namespace nms::metrics
