// CORS for browsers that load the clients from another origin (e.g. the Vite dev server).
// Same-origin deployments need none of this; an empty origin list disables it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nms::proxy {

inline constexpr std::string_view kCorsAllowHeaders =
    "authorization,content-type,x-grpc-web,x-user-agent,grpc-timeout,x-request-id";
inline constexpr std::string_view kCorsExposeHeaders = "grpc-status,grpc-message";
inline constexpr std::string_view kCorsAllowMethods = "POST,GET,OPTIONS";

class CorsPolicy {
 public:
  // Comma-separated origins; "*" allows any origin.
  explicit CorsPolicy(std::string_view origins_flag);

  // The value for Access-Control-Allow-Origin, or "" when the origin is not allowed. We echo the
  // origin (with Vary: Origin) rather than "*" so credentials keep working if ever needed.
  std::string AllowedOrigin(std::string_view origin) const;

  bool enabled() const { return any_ || !origins_.empty(); }

 private:
  bool any_ = false;
  std::vector<std::string> origins_;
};

}  // namespace nms::proxy
