// Static file serving for the built web and mobile clients from the proxy's own origin, so the
// browser needs no CORS for its API calls. Path resolution is pure (filesystem reads only) and
// unit-tested; the HTTP response itself is built by the connection.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace nms::proxy {

struct StaticMount {
  std::string prefix;           // URL prefix, always starting and ending with '/'
  std::filesystem::path root;   // canonical directory
};

// "--static=/m/=clients/mobile/dist" → {"/m/", canonical(dir)}. The directory must exist.
absl::StatusOr<StaticMount> ParseStaticMount(std::string_view spec);

std::string_view MimeTypeFor(const std::filesystem::path& file);
// Content-hashed files under assets/ are immutable for a year; index.html, the service worker,
// the manifest and version.json must be revalidated or clients never see a new release.
std::string_view CacheControlFor(const std::filesystem::path& file);

// The build writes "x.js.br" and "x.js.gz" next to compressible files (clients/shared/compress.ts).
// Returns the variant to send for `file` given the request's Accept-Encoding: the encoding with
// the highest q the browser accepts (br on a tie), when its file exists.
struct Precompressed {
  std::filesystem::path file;
  std::string_view encoding;  // "br" or "gzip"
};
std::optional<Precompressed> PrecompressedFor(const std::filesystem::path& file,
                                              std::string_view accept_encoding);
// True when `file` has any precompressed variant (the response then varies by Accept-Encoding).
bool HasPrecompressed(const std::filesystem::path& file);

struct StaticResolution {
  enum class Kind { kNotMounted, kFile, kRedirect, kNotFound, kForbidden };
  Kind kind = Kind::kNotMounted;
  std::filesystem::path file;  // kFile
  std::string location;        // kRedirect
};

class StaticFiles {
 public:
  explicit StaticFiles(std::vector<StaticMount> mounts);

  // target is the raw request-target ("/m/app.js?v=1"). Directories serve their index.html,
  // unknown extension-less paths fall back to the mount's index.html (SPA routing), and anything
  // that tries to leave the mount's root is kForbidden.
  StaticResolution Resolve(std::string_view target) const;

  bool empty() const { return mounts_.empty(); }

 private:
  std::vector<StaticMount> mounts_;  // longest prefix first
};

}  // namespace nms::proxy
