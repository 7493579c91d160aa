#include "server/auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace nms::auth {

std::string TokenSigner::Mac(absl::string_view payload) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

std::string TokenSigner::Sign(const AccessClaims& c) const {
  std::string payload = absl::WebSafeBase64Escape(
      absl::StrCat("v1:", c.account_id, ":", c.session_id, ":", absl::ToUnixSeconds(c.expires)));
  return absl::StrCat(payload, ".", absl::WebSafeBase64Escape(Mac(payload)));
}

absl::StatusOr<AccessClaims> TokenSigner::Verify(absl::string_view token, absl::Time now) const {
  auto invalid = [] { return absl::UnauthenticatedError("Недействительный токен доступа, войдите снова"); };
  auto dot = token.find('.');
  if (token.size() > 512 || dot == absl::string_view::npos) return invalid();
  absl::string_view payload = token.substr(0, dot);
  std::string mac;
  if (!absl::WebSafeBase64Unescape(token.substr(dot + 1), &mac)) return invalid();
  std::string expected = Mac(payload);
  if (mac.size() != expected.size() ||
      CRYPTO_memcmp(mac.data(), expected.data(), expected.size()) != 0) {
    return invalid();
  }
  std::string text;
  if (!absl::WebSafeBase64Unescape(payload, &text)) return invalid();
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  AccessClaims c;
  int64_t exp = 0;
  if (parts.size() != 4 || parts[0] != "v1" || !absl::SimpleAtoi(parts[1], &c.account_id) ||
      !absl::SimpleAtoi(parts[2], &c.session_id) || !absl::SimpleAtoi(parts[3], &exp)) {
    return invalid();
  }
  c.expires = absl::FromUnixSeconds(exp);
  if (c.expires <= now) {
    return absl::UnauthenticatedError("Срок действия токена истёк, обновите токен или войдите снова");
  }
  return c;
}

std::string HashRefreshToken(absl::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof(digest));
}

}  // namespace nms::auth
