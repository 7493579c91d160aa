#include "request_log.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/common/metrics.h"
#include "absl/status/status.h"
#include "string_view_bridge.h"

namespace nms::proxy {
namespace {
std::atomic<bool> g_enabled{true};

void Emit(const std::string& line) {
  // One fwrite per line: stdio locks the stream, so concurrent lines never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}
}  // namespace

void SetRequestLogEnabled(bool enabled) { g_enabled = enabled; }

void LogLine(std::string_view text) {
  Emit(absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
                    " nms-proxy: ", ToAbsl(text), "\n"));
}

void RequestLog::Write(int http_status, int grpc_status, std::string_view note) const {
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const std::string bare_path = path.substr(0, path.find('?'));  // a query may carry tokens
  if (metrics != nullptr) {
    // Method labels are the gRPC path without its slash ("nms.v1.DirectoryService/GetPerson");
    // everything else (files, preflights, health) is one "http" series keyed by status.
    const bool grpc = grpc_status >= 0;
    std::string method = grpc ? bare_path : "http";
    if (grpc && !method.empty() && method[0] == '/') method.erase(0, 1);
    std::string code = grpc ? absl::StatusCodeToString(static_cast<absl::StatusCode>(grpc_status))
                            : absl::StrCat(http_status);
    metrics->RecordCall(method, code, absl::FromChrono(elapsed), -1);
  }
  if (!g_enabled) return;
  double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ", method,
      " ", bare_path, " ", http_status);
  if (grpc_status >= 0) absl::StrAppend(&line, " grpc-status=", grpc_status);
  absl::StrAppend(&line, absl::StrFormat(" %.1fms", ms));
  if (!note.empty()) absl::StrAppend(&line, " ", ToAbsl(note));
  line.push_back('\n');
  Emit(line);
}

}  // namespace nms::proxy
