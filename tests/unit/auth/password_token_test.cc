#include <gtest/gtest.h>

#include "server/auth/password.h"
#include "server/auth/token.h"

namespace nms::auth {
namespace {

TEST(Password, HashVerifies) {
  auto h = HashPassword("correct horse", 2000);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(VerifyPassword("correct horse", *h));
  EXPECT_FALSE(VerifyPassword("correct hors", *h));
  EXPECT_EQ(h->find("correct"), std::string::npos);
}

TEST(Password, SaltDiffersPerHash) {
  EXPECT_NE(*HashPassword("same", 2000), *HashPassword("same", 2000));
}

TEST(Password, MalformedHashesNeverVerify) {
  for (const char* bad : {"", "plain", "pbkdf2-sha256$10$AAAA$AAAA", "md5$1$a$b",
                          "pbkdf2-sha256$2000$!!!$AAAA"}) {
    EXPECT_FALSE(VerifyPassword("x", bad)) << bad;
  }
}

TEST(Password, OneTimePasswordsAreReadable) {
  std::string otp = GenerateOneTimePassword();
  EXPECT_EQ(otp.size(), 10u);
  EXPECT_EQ(otp.find_first_of("0O1lI"), std::string::npos);
}

TEST(Token, SignsAndVerifies) {
  TokenSigner s("0123456789abcdef0123456789abcdef");
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  std::string t = s.Sign({7, 9, now + absl::Minutes(15)});
  auto c = s.Verify(t, now);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->account_id, 7);
  EXPECT_EQ(c->session_id, 9);
}

TEST(Token, ExpiredIsUnauthenticated) {
  TokenSigner s("0123456789abcdef0123456789abcdef");
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  std::string t = s.Sign({7, 9, now + absl::Minutes(15)});
  auto c = s.Verify(t, now + absl::Minutes(16));
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(std::string(c.status().message()).find("истёк"), std::string::npos);
}

TEST(Token, TamperingIsDetected) {
  TokenSigner s("0123456789abcdef0123456789abcdef");
  TokenSigner other("ffffffffffffffffffffffffffffffff");
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  std::string t = s.Sign({7, 9, now + absl::Minutes(15)});
  // Another secret's signature, a flipped payload character, garbage.
  EXPECT_FALSE(other.Verify(t, now).ok());
  std::string flipped = t;
  flipped[2] = flipped[2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(s.Verify(flipped, now).ok());
  // Forge a payload for account 1 with the old signature.
  std::string forged = s.Sign({1, 9, now + absl::Minutes(15)});
  forged = forged.substr(0, forged.find('.')) + t.substr(t.find('.'));
  EXPECT_FALSE(s.Verify(forged, now).ok());
  EXPECT_FALSE(s.Verify("", now).ok());
  EXPECT_FALSE(s.Verify("a.b.c", now).ok());
  EXPECT_FALSE(s.Verify(std::string(10000, 'x'), now).ok());
}

}  // namespace
}  // namespace nms::auth
