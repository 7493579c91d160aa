// The browser's refresh token lives in an HttpOnly cookie the proxy manages, never in a place a
// script can read. The proxy recognises three methods of the configured auth service:
//   SignIn / RefreshToken responses: TokenPair.refresh_token is moved out of the message into
//     Set-Cookie (the message the script sees carries an empty refresh_token);
//   RefreshToken requests: the cookie's token is written into RefreshTokenRequest.refresh_token;
//   SignOut responses: the cookie is cleared (whatever the server answered).
// The messages are edited on the protobuf wire format by field number, so the proxy still needs
// no generated code: SignInResponse/RefreshTokenResponse {TokenPair tokens = 1;},
// TokenPair {string refresh_token = 3; Timestamp refresh_token_expire_time = 4;},
// RefreshTokenRequest {string refresh_token = 1;}. Pure, unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace nms::proxy {

enum class AuthMethod { kNone, kSignIn, kRefreshToken, kSignOut };

// "/nms.v1.AuthService/SignIn" with auth_service "nms.v1.AuthService" → kSignIn.
AuthMethod ClassifyAuthMethod(std::string_view path, std::string_view auth_service);

struct SessionCookie {
  enum class Secure { kAuto, kAlways, kNever };

  std::string name = "nms_refresh";  // empty: cookie handling off, tokens pass through untouched
  std::string auth_service = "nms.v1.AuthService";
  Secure secure = Secure::kAuto;

  bool enabled() const { return !name.empty(); }
  // The cookie is sent back only to the auth service's methods, never to other calls or files.
  std::string Path() const { return "/" + auth_service + "/"; }

  // kAuto: Secure unless the browser reached us over plain HTTP on a loopback name (the local
  // dev stack), where browsers other than Chromium refuse Secure cookies. `host` is the Host
  // header, `forwarded_proto` the X-Forwarded-Proto of a TLS-terminating front (may be empty).
  bool SecureFor(std::string_view host, std::string_view forwarded_proto) const;

  // Set-Cookie values. max_age_s < 0: no Max-Age (a browser-session cookie).
  std::string SetValue(std::string_view token, int64_t max_age_s, bool secure) const;
  std::string ClearValue(bool secure) const;

  // The token in a Cookie header ("a=b; nms_refresh=...; c=d"), or nullopt.
  std::optional<std::string> Find(std::string_view cookie_header) const;
};

// True for localhost, *.localhost, 127.0.0.0/8 and [::1], with or without a port.
bool IsLoopbackHost(std::string_view host);

// What TakeRefreshToken found in a SignInResponse / RefreshTokenResponse.
struct TakenRefreshToken {
  std::string message;                    // the response with refresh_token removed
  std::string token;                      // "" when the response carried none
  std::optional<int64_t> expire_unix_s;   // refresh_token_expire_time.seconds
};
// INVALID_ARGUMENT when the bytes are not a well-formed message (the caller must not forward
// them: they might still hold the token).
absl::StatusOr<TakenRefreshToken> TakeRefreshToken(std::string_view response);

// RefreshTokenRequest with refresh_token replaced by `token` (other fields kept).
absl::StatusOr<std::string> WithRefreshToken(std::string_view request, std::string_view token);
// RefreshTokenRequest.refresh_token ("" when absent).
absl::StatusOr<std::string> RefreshTokenOf(std::string_view request);

}  // namespace nms::proxy
