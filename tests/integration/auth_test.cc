// AuthService against a real MariaDB and a real nms-server process.
#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using nms::v1::AuthService;

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase("it_auth");
    fixture_ = SeedFixture("it_auth");
    server_ = new ServerProcess("it_auth");
  }
  static void TearDownTestSuite() { delete server_; }
  std::unique_ptr<AuthService::Stub> Stub() { return AuthService::NewStub(server_->Channel()); }

  static Fixture fixture_;
  static ServerProcess* server_;
};
Fixture AuthTest::fixture_;
ServerProcess* AuthTest::server_ = nullptr;

TEST_F(AuthTest, SignInReturnsPrincipalWithGrants) {
  grpc::ClientContext ctx;
  v1::SignInRequest req;
  req.set_login("School.A1 ");  // case and spaces do not matter
  req.set_password("Passw0rd!");
  v1::SignInResponse resp;
  ASSERT_TRUE(Stub()->SignIn(&ctx, req, &resp).ok());
  EXPECT_FALSE(resp.tokens().access_token().empty());
  EXPECT_FALSE(resp.tokens().refresh_token().empty());
  ASSERT_EQ(resp.principal().grants_size(), 1);
  EXPECT_EQ(resp.principal().grants(0).role(), v1::ROLE_SCHOOL_ADMIN);
  EXPECT_EQ(resp.principal().grants(0).scope(), "organizations/" + std::to_string(fixture_.school_a1));
  EXPECT_EQ(resp.principal().display_name(), "Директорова Анна Петровна");
}

TEST_F(AuthTest, WrongPasswordAndUnknownLoginLookTheSame) {
  v1::SignInResponse resp;
  v1::SignInRequest req;
  req.set_login("school.a1");
  req.set_password("wrong");
  grpc::ClientContext c1;
  auto a = Stub()->SignIn(&c1, req, &resp);
  req.set_login("nobody");
  grpc::ClientContext c2;
  auto b = Stub()->SignIn(&c2, req, &resp);
  EXPECT_EQ(a.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(b.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(a.error_message(), b.error_message());
}

TEST_F(AuthTest, EmptyFieldsAreInvalidArgument) {
  grpc::ClientContext ctx;
  v1::SignInRequest req;
  v1::SignInResponse resp;
  auto st = Stub()->SignIn(&ctx, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("login"), std::string::npos);
}

TEST_F(AuthTest, MissingOrTamperedTokenIsUnauthenticated) {
  auto dir = v1::DirectoryService::NewStub(server_->Channel());
  v1::GetRegionRequest req;
  req.set_name("regions/" + std::to_string(fixture_.region));
  v1::Region resp;
  {
    grpc::ClientContext ctx;
    EXPECT_EQ(dir->GetRegion(&ctx, req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  std::string token = SignIn(*server_->Channel(), "regional.admin");
  std::string tampered = token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'a' ? 'b' : 'a';
  EXPECT_EQ(dir->GetRegion(Ctx(tampered).get(), req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto ctx = Ctx("");
  ctx->AddMetadata("authorization", "Basic abc");
  EXPECT_EQ(dir->GetRegion(ctx.get(), req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(dir->GetRegion(Ctx(token).get(), req, &resp).ok());
}

TEST_F(AuthTest, SignOutRevokesTokens) {
  grpc::ClientContext sctx;
  v1::SignInRequest sreq;
  sreq.set_login("mun.a");
  sreq.set_password("Passw0rd!");
  v1::SignInResponse signed_in;
  ASSERT_TRUE(Stub()->SignIn(&sctx, sreq, &signed_in).ok());
  std::string token = signed_in.tokens().access_token();
  v1::GetCurrentPrincipalResponse me;
  ASSERT_TRUE(Stub()->GetCurrentPrincipal(Ctx(token).get(), {}, &me).ok());
  v1::SignOutResponse out;
  ASSERT_TRUE(Stub()->SignOut(Ctx(token).get(), {}, &out).ok());
  EXPECT_EQ(Stub()->GetCurrentPrincipal(Ctx(token).get(), {}, &me).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The refresh token of a signed-out session is dead too.
  grpc::ClientContext rctx;
  v1::RefreshTokenRequest rreq;
  rreq.set_refresh_token(signed_in.tokens().refresh_token());
  v1::RefreshTokenResponse rresp;
  EXPECT_EQ(Stub()->RefreshToken(&rctx, rreq, &rresp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// Signs in as `login` and returns the tokens.
v1::TokenPair SignInTokens(AuthService::Stub& stub, const std::string& login) {
  grpc::ClientContext ctx;
  v1::SignInRequest req;
  req.set_login(login);
  req.set_password("Passw0rd!");
  v1::SignInResponse resp;
  EXPECT_TRUE(stub.SignIn(&ctx, req, &resp).ok());
  return resp.tokens();
}

grpc::Status Refresh(AuthService::Stub& stub, const std::string& refresh_token, v1::TokenPair* out = nullptr) {
  grpc::ClientContext ctx;
  v1::RefreshTokenRequest req;
  req.set_refresh_token(refresh_token);
  v1::RefreshTokenResponse resp;
  grpc::Status st = stub.RefreshToken(&ctx, req, &resp);
  if (out != nullptr) *out = resp.tokens();
  return st;
}

grpc::StatusCode WhoAmI(AuthService::Stub& stub, const std::string& access_token) {
  v1::GetCurrentPrincipalResponse me;
  return stub.GetCurrentPrincipal(Ctx(access_token).get(), {}, &me).error_code();
}

TEST_F(AuthTest, RefreshRotatesAndTheNewTokensWork) {
  auto stub = Stub();
  v1::TokenPair signed_in = SignInTokens(*stub, "teacher.a1");
  v1::TokenPair first;
  ASSERT_TRUE(Refresh(*stub, signed_in.refresh_token(), &first).ok());
  EXPECT_NE(first.refresh_token(), signed_in.refresh_token());
  v1::GetCurrentPrincipalResponse me;
  ASSERT_TRUE(stub->GetCurrentPrincipal(Ctx(first.access_token()).get(), {}, &me).ok());
  EXPECT_EQ(me.principal().person(), "people/" + std::to_string(fixture_.teacher_a1));
  v1::TokenPair second;
  ASSERT_TRUE(Refresh(*stub, first.refresh_token(), &second).ok());
  EXPECT_EQ(WhoAmI(*stub, second.access_token()), grpc::StatusCode::OK);
}

// Refresh-token reuse (OAuth 2.0 Security BCP): a rotated token presented again means it leaked,
// so the whole session it belongs to ends — the newest refresh token and every access token of
// the session, not just the reused token.
TEST_F(AuthTest, ReusingARotatedRefreshTokenRevokesTheWholeSession) {
  auto stub = Stub();
  v1::TokenPair signed_in = SignInTokens(*stub, "teacher.a1");
  v1::TokenPair first;
  ASSERT_TRUE(Refresh(*stub, signed_in.refresh_token(), &first).ok());
  ASSERT_EQ(WhoAmI(*stub, first.access_token()), grpc::StatusCode::OK);
  // Another session of the same account is a different family and survives.
  v1::TokenPair other = SignInTokens(*stub, "teacher.a1");

  grpc::Status reuse = Refresh(*stub, signed_in.refresh_token());
  EXPECT_EQ(reuse.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(reuse.error_message().find("уже был использован"), std::string::npos) << reuse.error_message();
  EXPECT_EQ(Refresh(*stub, first.refresh_token()).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(*stub, first.access_token()), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(*stub, signed_in.access_token()), grpc::StatusCode::UNAUTHENTICATED);

  EXPECT_EQ(WhoAmI(*stub, other.access_token()), grpc::StatusCode::OK);
  v1::TokenPair other_renewed;
  EXPECT_TRUE(Refresh(*stub, other.refresh_token(), &other_renewed).ok());
}

TEST_F(AuthTest, ReuseOfAnOlderGenerationEndsTheFamilyToo) {
  auto stub = Stub();
  v1::TokenPair t0 = SignInTokens(*stub, "mun.a");
  v1::TokenPair t1, t2;
  ASSERT_TRUE(Refresh(*stub, t0.refresh_token(), &t1).ok());
  ASSERT_TRUE(Refresh(*stub, t1.refresh_token(), &t2).ok());
  EXPECT_EQ(Refresh(*stub, t0.refresh_token()).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Refresh(*stub, t2.refresh_token()).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(*stub, t2.access_token()), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTest, AnUnknownRefreshTokenRevokesNothing) {
  auto stub = Stub();
  v1::TokenPair live = SignInTokens(*stub, "regional.methodist");
  EXPECT_EQ(Refresh(*stub, "never-issued-refresh-token").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(*stub, live.access_token()), grpc::StatusCode::OK);
  EXPECT_TRUE(Refresh(*stub, live.refresh_token()).ok());
}

TEST_F(AuthTest, ChangePasswordRequiresOldPasswordAndRevokesOtherSessions) {
  std::string other_session = SignIn(*server_->Channel(), "teacher.b1");
  std::string token = SignIn(*server_->Channel(), "teacher.b1");
  v1::ChangePasswordRequest req;
  req.set_old_password("nope");
  req.set_new_password("NewPassw0rd!");
  v1::ChangePasswordResponse resp;
  EXPECT_EQ(Stub()->ChangePassword(Ctx(token).get(), req, &resp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  req.set_old_password("Passw0rd!");
  req.set_new_password("short");
  EXPECT_EQ(Stub()->ChangePassword(Ctx(token).get(), req, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  req.set_new_password("NewPassw0rd!");
  ASSERT_TRUE(Stub()->ChangePassword(Ctx(token).get(), req, &resp).ok());
  v1::GetCurrentPrincipalResponse me;
  EXPECT_TRUE(Stub()->GetCurrentPrincipal(Ctx(token).get(), {}, &me).ok());
  // Other sessions end within the authenticator's cache window (5 s).
  absl::SleepFor(absl::Seconds(6));
  EXPECT_EQ(Stub()->GetCurrentPrincipal(Ctx(other_session).get(), {}, &me).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  SignIn(*server_->Channel(), "teacher.b1", "NewPassw0rd!");
}

TEST_F(AuthTest, RepeatedFailuresLockTheAccount) {
  v1::SignInRequest req;
  req.set_login("federal.sync");
  req.set_password("wrong");
  v1::SignInResponse resp;
  for (int i = 0; i < 10; ++i) {
    grpc::ClientContext ctx;
    EXPECT_EQ(Stub()->SignIn(&ctx, req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  req.set_password("Passw0rd!");
  grpc::ClientContext ctx;
  auto st = Stub()->SignIn(&ctx, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("попыток"), std::string::npos);
}

}  // namespace
}  // namespace nms::testing
