#include "request_log.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
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
  if (!g_enabled) return;
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
  std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ", method,
      " ", path.substr(0, path.find('?')), " ", http_status);
  if (grpc_status >= 0) absl::StrAppend(&line, " grpc-status=", grpc_status);
  absl::StrAppend(&line, absl::StrFormat(" %.1fms", ms));
  if (!note.empty()) absl::StrAppend(&line, " ", ToAbsl(note));
  line.push_back('\n');
  Emit(line);
}

}  // namespace nms::proxy
