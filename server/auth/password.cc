#include "server/auth/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace nms::auth {
namespace {

bool Pbkdf2(absl::string_view password, const std::string& salt, int iterations, std::string& out) {
  out.resize(32);
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                           reinterpret_cast<const unsigned char*>(salt.data()),
                           static_cast<int>(salt.size()), iterations, EVP_sha256(), 32,
                           reinterpret_cast<unsigned char*>(out.data())) == 1;
}

}  // namespace

std::string RandomToken(int bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  return absl::WebSafeBase64Escape(raw);
}

std::string GenerateOneTimePassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  unsigned char raw[10];
  RAND_bytes(raw, sizeof(raw));
  std::string out;
  for (unsigned char c : raw) out += kAlphabet[c % (sizeof(kAlphabet) - 1)];
  return out;
}

absl::StatusOr<std::string> HashPassword(absl::string_view password, int iterations) {
  std::string salt(16, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), 16) != 1) {
    return absl::InternalError("Генератор случайных чисел недоступен");
  }
  std::string hash;
  if (!Pbkdf2(password, salt, iterations, hash)) return absl::InternalError("PBKDF2 failed");
  return absl::StrCat("pbkdf2-sha256$", iterations, "$", absl::Base64Escape(salt), "$",
                      absl::Base64Escape(hash));
}

bool VerifyPassword(absl::string_view password, absl::string_view encoded) {
  std::vector<absl::string_view> parts = absl::StrSplit(encoded, '$');
  int iterations = 0;
  std::string salt, expected, actual;
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256" || !absl::SimpleAtoi(parts[1], &iterations) ||
      iterations < 1000 || iterations > 10000000 || !absl::Base64Unescape(parts[2], &salt) ||
      !absl::Base64Unescape(parts[3], &expected) || expected.size() != 32) {
    return false;
  }
  if (!Pbkdf2(password, salt, iterations, actual)) return false;
  return CRYPTO_memcmp(actual.data(), expected.data(), 32) == 0;
}

}  // namespace nms::auth
