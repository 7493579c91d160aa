#pragma once
// Signed, expiring access tokens: "<payload>.<HMAC-SHA256 of payload>", both base64url. The
// payload names the account and the sign-in session, so revoking the session (sign-out,
// password change) invalidates every access token issued for it.

#include "absl/strings/string_view.h"
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace nms::auth {

struct AccessClaims {
  int64_t account_id = 0;
  int64_t session_id = 0;
  absl::Time expires;
};

class TokenSigner {
 public:
  // `secret` must be at least 32 bytes; replicas share it so any replica accepts any token.
  explicit TokenSigner(std::string secret) : secret_(std::move(secret)) {}

  std::string Sign(const AccessClaims& claims) const;

  // UNAUTHENTICATED for tampered, malformed or expired tokens.
  absl::StatusOr<AccessClaims> Verify(absl::string_view token, absl::Time now) const;

 private:
  std::string Mac(absl::string_view payload) const;
  std::string secret_;
};

// SHA-256 of a refresh token: only the hash is stored.
std::string HashRefreshToken(absl::string_view token);

}  // namespace nms::auth
