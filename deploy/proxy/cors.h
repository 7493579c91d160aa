// CORS. The proxy serves the clients itself, so browsers call it same-origin and need no CORS;
// the proxy's own origin (the request's Host) is always allowed. Other origins only when listed
// (--cors_origins, e.g. a dev server on another port); "*" allows any, and only when asked.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nms::proxy {

inline constexpr std::string_view kCorsExposeHeaders = "grpc-status,grpc-message";
inline constexpr std::string_view kCorsAllowMethods = "POST,GET,OPTIONS";

class CorsPolicy {
 public:
  // Comma-separated origins; "*" allows any origin; empty: only the proxy's own.
  explicit CorsPolicy(std::string_view origins_flag);

  // The value for Access-Control-Allow-Origin, or "" when the origin is not allowed. `host` is
  // the request's Host header. We echo the origin (with Vary: Origin) rather than "*".
  std::string AllowedOrigin(std::string_view origin, std::string_view host) const;

  // True for an Origin whose scheme://host[:port] is the request's Host (default ports aside).
  static bool IsOwnOrigin(std::string_view origin, std::string_view host);

  // Access-Control-Allow-Headers of a preflight: of the requested headers, exactly those the
  // proxy reads (content-type, x-grpc-web, grpc-timeout) or forwards upstream
  // (ShouldForwardRequestHeader). Lower-case, comma-separated, in the requested order.
  static std::string AllowHeadersFor(std::string_view requested);

  bool any() const { return any_; }
  const std::vector<std::string>& origins() const { return origins_; }

 private:
  bool any_ = false;
  std::vector<std::string> origins_;
};

}  // namespace nms::proxy
