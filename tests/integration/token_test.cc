// Access tokens beyond what auth_test.cc covers: real expiry, forged and tampered tokens signed
// with the replicas' own secret, and revocation seen by another replica and after a password
// reset or a disabled account.
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "server/auth/token.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_tokens";
// The secret ServerProcess gives every server (see harness.cc).
constexpr char kSecret[] = "integration-test-secret-integration-test-secret";

struct Claims {
  int64_t account = 0, session = 0, expires = 0;  // expires: Unix seconds
};

// Reads the payload of a token the server issued: "v1:<account>:<session>:<expiry>".
Claims Decode(const std::string& token) {
  std::string text;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(token.substr(0, token.find('.')), &text));
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  Claims c;
  EXPECT_EQ(parts.size(), 4u);
  if (parts.size() == 4) {
    c.account = std::stoll(parts[1]);
    c.session = std::stoll(parts[2]);
    c.expires = std::stoll(parts[3]);
  }
  return c;
}

grpc::StatusCode WhoAmI(ServerProcess& server, const std::string& token) {
  auto stub = v1::AuthService::NewStub(server.Channel());
  v1::GetCurrentPrincipalResponse me;
  return stub->GetCurrentPrincipal(Ctx(token).get(), {}, &me).error_code();
}

// Polls until the server refuses `token` (revocation reaches replicas within their cache window).
bool RefusedWithin(ServerProcess& server, const std::string& token, absl::Duration limit) {
  absl::Time end = absl::Now() + limit;
  while (absl::Now() < end) {
    if (WhoAmI(server, token) == grpc::StatusCode::UNAUTHENTICATED) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

class TokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
  }
  static Fixture f_;
};
Fixture TokenTest::f_;

TEST_F(TokenTest, ExpiredAccessTokenIsRefusedAndRefreshRenewsIt) {
  ServerProcess server(kDb, "--access_token_ttl=2s");
  auto auth = v1::AuthService::NewStub(server.Channel());
  grpc::ClientContext sctx;
  v1::SignInRequest sreq;
  sreq.set_login("school.a1");
  sreq.set_password("Passw0rd!");
  v1::SignInResponse signed_in;
  absl::Time before = absl::Now();
  ASSERT_TRUE(auth->SignIn(&sctx, sreq, &signed_in).ok());
  std::string token = signed_in.tokens().access_token();
  EXPECT_EQ(WhoAmI(server, token), grpc::StatusCode::OK);
  // The server stamps the flag's lifetime into the token...
  Claims issued = Decode(token);
  EXPECT_GE(issued.expires, absl::ToUnixSeconds(before) + 1);
  EXPECT_LE(issued.expires, absl::ToUnixSeconds(absl::Now()) + 3);
  // ...and the token's own expiry is what ends it: the same claims, valid signature, an expiry
  // one second ago (time is moved in the token, not by sleeping until it runs out).
  auth::AccessClaims past{issued.account, issued.session, absl::Now() - absl::Seconds(1)};
  std::string expired_token = auth::TokenSigner(kSecret).Sign(past);
  auto me = v1::AuthService::NewStub(server.Channel());
  v1::GetCurrentPrincipalResponse resp;
  grpc::Status expired = me->GetCurrentPrincipal(Ctx(expired_token).get(), {}, &resp);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(expired.error_message().find("Срок действия"), std::string::npos) << expired.error_message();
  grpc::ClientContext rctx;
  v1::RefreshTokenRequest rreq;
  rreq.set_refresh_token(signed_in.tokens().refresh_token());
  v1::RefreshTokenResponse renewed;
  ASSERT_TRUE(auth->RefreshToken(&rctx, rreq, &renewed).ok());
  EXPECT_EQ(WhoAmI(server, renewed.tokens().access_token()), grpc::StatusCode::OK);
}

TEST_F(TokenTest, ForgedAndTamperedTokensAreRefused) {
  ServerProcess server(kDb);
  std::string teacher = SignIn(*server.Channel(), "teacher.a1");
  std::string admin = SignIn(*server.Channel(), "regional.admin");
  Claims t = Decode(teacher), a = Decode(admin);
  auth::TokenSigner ours(kSecret);
  auth::TokenSigner theirs("another-secret-another-secret-another-secret");
  absl::Time later = absl::Now() + absl::Minutes(10);
  struct Case {
    const char* what;
    std::string token;
  };
  std::vector<Case> cases = {
      {"expired, correctly signed", ours.Sign({t.account, t.session, absl::Now() - absl::Seconds(1)})},
      {"admin's account on the teacher's session", ours.Sign({a.account, t.session, later})},
      {"no session (would never be revocable)", ours.Sign({a.account, 0, later})},
      {"negative ids", ours.Sign({-a.account, -1, later})},
      {"signed with another secret", theirs.Sign({a.account, a.session, later})},
      {"payload swapped, MAC kept", admin.substr(0, admin.find('.')) + teacher.substr(teacher.find('.'))},
      {"MAC missing", teacher.substr(0, teacher.find('.') + 1)},
      {"MAC truncated", teacher.substr(0, teacher.size() - 4)},
      {"two dots", teacher + ".x"},
      {"not base64", "!!!!.????"},
      {"oversized", std::string(4000, 'A') + "." + std::string(43, 'B')},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(WhoAmI(server, c.token), grpc::StatusCode::UNAUTHENTICATED) << c.what;
  }
  // The genuine tokens still work: refusal was about the forgeries.
  EXPECT_EQ(WhoAmI(server, teacher), grpc::StatusCode::OK);
  EXPECT_EQ(WhoAmI(server, ours.Sign({a.account, a.session, later})), grpc::StatusCode::OK)
      << "a token minted with the shared secret for a live session is valid on every replica";
}

TEST_F(TokenTest, SignOutOnOneReplicaReachesTheOther) {
  // A short session cache on the other replica keeps the wait short; its length is a flag.
  ServerProcess a(kDb), b(kDb, "--auth_cache_ttl=300ms");
  auto auth = v1::AuthService::NewStub(a.Channel());
  std::string token = SignIn(*a.Channel(), "mun.a");
  EXPECT_EQ(WhoAmI(b, token), grpc::StatusCode::OK);  // b caches the session now
  v1::SignOutResponse out;
  ASSERT_TRUE(auth->SignOut(Ctx(token).get(), {}, &out).ok());
  EXPECT_EQ(WhoAmI(a, token), grpc::StatusCode::UNAUTHENTICATED) << "the replica that signed out forgets at once";
  EXPECT_TRUE(RefusedWithin(b, token, absl::Seconds(15))) << "the other replica must refuse within its cache window";
}

TEST_F(TokenTest, PasswordResetAndDisabledAccountEndSessions) {
  ServerProcess server(kDb, "--auth_cache_ttl=300ms");
  std::string teacher = SignIn(*server.Channel(), "teacher.b1");
  std::string admin = SignIn(*server.Channel(), "regional.admin");
  ASSERT_EQ(WhoAmI(server, teacher), grpc::StatusCode::OK);
  auto config = db::ParseDsn(TestDsn(kDb));
  db::ConnectionPool pool(*config);
  int64_t account = 0;
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                auto rs = db::Stmt(c, "SELECT id FROM accounts WHERE login = 'teacher.b1'").Query();
                if (rs->next()) account = rs->getInt64(1);
                return absl::OkStatus();
              }).ok());
  auto dir = v1::DirectoryService::NewStub(server.Channel());
  v1::ResetPasswordRequest reset;
  reset.set_account(absl::StrCat("accounts/", account));
  v1::ResetPasswordResponse otp;
  ASSERT_TRUE(dir->ResetPassword(Ctx(admin).get(), reset, &otp).ok());
  EXPECT_TRUE(RefusedWithin(server, teacher, absl::Seconds(15))) << "a reset password ends the old sessions";

  // A disabled account is refused even with a fresh session.
  std::string fresh = SignIn(*server.Channel(), "teacher.b1", otp.one_time_password());
  ASSERT_EQ(WhoAmI(server, fresh), grpc::StatusCode::OK);
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                db::Stmt(c, "UPDATE accounts SET disabled = TRUE WHERE id = ?").Int(account).Execute();
                return absl::OkStatus();
              }).ok());
  EXPECT_TRUE(RefusedWithin(server, fresh, absl::Seconds(15)));
}

}  // namespace
}  // namespace nms::testing
