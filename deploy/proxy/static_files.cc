#include "static_files.h"

#include <algorithm>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpc_web_codec.h"
#include "string_view_bridge.h"

namespace nms::proxy {
namespace fs = std::filesystem;
namespace {

// True when `p` (canonical) is `root` or inside it; protects against symlinks leading out.
bool IsWithin(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

bool IsRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// Precompressed siblings must be real files: a symlink could lead out of the mount.
bool IsPlainFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(p, ec));
}

}  // namespace

absl::StatusOr<StaticMount> ParseStaticMount(std::string_view spec) {
  size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size() || spec[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("--static expects /prefix=dir, got '", ToAbsl(spec), "'"));
  }
  std::string prefix(spec.substr(0, eq));
  if (prefix.back() != '/') prefix.push_back('/');
  std::error_code ec;
  fs::path root = fs::canonical(fs::path(std::string(spec.substr(eq + 1))), ec);
  if (ec || !fs::is_directory(root, ec)) {
    return absl::NotFoundError(absl::StrCat("static directory not found: ", ToAbsl(spec.substr(eq + 1))));
  }
  return StaticMount{std::move(prefix), std::move(root)};
}

std::string_view MimeTypeFor(const fs::path& file) {
  std::string ext = absl::AsciiStrToLower(file.extension().string());
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  for (const auto& e : kTypes) {
    if (e.ext == ext) return e.type;
  }
  return "application/octet-stream";
}

std::string_view CacheControlFor(const fs::path& file) {
  std::string name = absl::AsciiStrToLower(file.filename().string());
  std::string ext = absl::AsciiStrToLower(file.extension().string());
  if (ext == ".html" || ext == ".htm" || ext == ".webmanifest" || name == "sw.js" ||
      name == "service-worker.js" || name == "registersw.js" || name == "version.json") {
    return "no-cache";
  }
  // Vite emits content-hashed names under assets/: safe to keep forever.
  if (file.parent_path().filename() == "assets") return "public, max-age=31536000, immutable";
  return "public, max-age=300";
}

namespace {

// q of `coding` in an Accept-Encoding header: explicit entry, else "*", else 0.
double QualityOf(std::string_view accept_encoding, std::string_view coding) {
  double star = 0, explicit_q = -1;
  for (absl::string_view entry : absl::StrSplit(ToAbsl(accept_encoding), ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> parts = absl::StrSplit(entry, ';');
    absl::string_view name = absl::StripAsciiWhitespace(parts[0]);
    double q = 1;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view p = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&p, "q=") || absl::ConsumePrefix(&p, "Q=")) {
        if (!absl::SimpleAtod(p, &q)) q = 0;
      }
    }
    if (absl::EqualsIgnoreCase(name, ToAbsl(coding))) explicit_q = q;
    if (name == "*") star = q;
  }
  return explicit_q >= 0 ? explicit_q : star;
}

}  // namespace

std::optional<Precompressed> PrecompressedFor(const fs::path& file, std::string_view accept_encoding) {
  struct Option {
    std::string_view encoding, suffix;
  };
  static constexpr Option kOptions[] = {{"br", ".br"}, {"gzip", ".gz"}};
  std::optional<Precompressed> best;
  double best_q = 0;
  for (const auto& o : kOptions) {
    double q = QualityOf(accept_encoding, o.encoding);
    if (q <= best_q) continue;  // strictly better only: br wins ties
    fs::path variant = file;
    variant += std::string(o.suffix);
    if (!IsPlainFile(variant)) continue;
    best = Precompressed{std::move(variant), o.encoding};
    best_q = q;
  }
  return best;
}

bool HasPrecompressed(const fs::path& file) {
  for (const char* suffix : {".br", ".gz"}) {
    fs::path variant = file;
    variant += suffix;
    if (IsPlainFile(variant)) return true;
  }
  return false;
}

StaticFiles::StaticFiles(std::vector<StaticMount> mounts) : mounts_(std::move(mounts)) {
  std::stable_sort(mounts_.begin(), mounts_.end(), [](const auto& a, const auto& b) {
    return a.prefix.size() > b.prefix.size();
  });
}

StaticResolution StaticFiles::Resolve(std::string_view target) const {
  using Kind = StaticResolution::Kind;
  std::string_view raw_path = target.substr(0, target.find_first_of("?#"));
  std::string path = PercentDecode(raw_path);
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
      path.find('\\') != std::string::npos) {
    return {Kind::kForbidden};
  }

  const StaticMount* mount = nullptr;
  for (const auto& m : mounts_) {
    if (absl::StartsWith(path, m.prefix)) {
      mount = &m;
      break;
    }
    if (path + "/" == m.prefix) return {Kind::kRedirect, {}, m.prefix};
  }
  if (mount == nullptr) return {Kind::kNotMounted};

  // Rebuild the relative path segment by segment; ".." never gets near the filesystem.
  fs::path rel;
  std::string_view last_segment;
  for (absl::string_view seg : absl::StrSplit(absl::string_view(path).substr(mount->prefix.size()), '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") return {Kind::kForbidden};
    rel /= std::string(seg);
    last_segment = ToStd(seg);
  }

  std::error_code ec;
  fs::path candidate = mount->root / rel;
  if (fs::is_directory(candidate, ec)) {
    if (!rel.empty() && path.back() != '/') {
      return {Kind::kRedirect, {}, absl::StrCat(ToAbsl(raw_path), "/")};
    }
    candidate /= "index.html";
  }
  if (IsRegularFile(candidate)) {
    fs::path real = fs::canonical(candidate, ec);
    if (ec || !IsWithin(mount->root, real)) return {Kind::kForbidden};
    return {Kind::kFile, real};
  }
  // SPA fallback: client-side routes look like "/teachers/42", never like "/app.js".
  if (last_segment.find('.') == std::string_view::npos) {
    fs::path index = mount->root / "index.html";
    if (IsRegularFile(index)) return {Kind::kFile, fs::canonical(index, ec)};
  }
  return {Kind::kNotFound};
}

}  // namespace nms::proxy
