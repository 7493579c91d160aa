#pragma once
// Password hashing with PBKDF2-HMAC-SHA256 (OpenSSL), a per-password random salt and the
// iteration count stored in the hash, so the cost can be raised later without a migration.
// Format: "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>".

#include "absl/strings/string_view.h"
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace nms::auth {

inline constexpr int kDefaultPasswordIterations = 120000;

absl::StatusOr<std::string> HashPassword(absl::string_view password,
                                         int iterations = kDefaultPasswordIterations);

// Constant-time comparison; false for malformed hashes.
bool VerifyPassword(absl::string_view password, absl::string_view encoded);

// Random bytes from OpenSSL's CSPRNG, base64url without padding.
std::string RandomToken(int bytes);

// A one-time password a person can read out over the phone: 10 characters without
// ambiguous letters.
std::string GenerateOneTimePassword();

}  // namespace nms::auth
