// The proxy edits auth messages on the wire by field number; these tests build them with real
// generated code of the same shape (echo.proto's AuthService messages) and parse the result back.
#include "session_cookie.h"

#include <gtest/gtest.h>

#include "echo.pb.h"

namespace nms::proxy {
namespace {

using nms::testing::v1::RefreshTokenRequest;
using nms::testing::v1::RefreshTokenResponse;
using nms::testing::v1::SignInResponse;

TEST(SessionCookie, ClassifiesOnlyTheConfiguredServicesSessionMethods) {
  EXPECT_EQ(ClassifyAuthMethod("/nms.v1.AuthService/SignIn", "nms.v1.AuthService"), AuthMethod::kSignIn);
  EXPECT_EQ(ClassifyAuthMethod("/nms.v1.AuthService/RefreshToken", "nms.v1.AuthService"),
            AuthMethod::kRefreshToken);
  EXPECT_EQ(ClassifyAuthMethod("/nms.v1.AuthService/SignOut", "nms.v1.AuthService"), AuthMethod::kSignOut);
  EXPECT_EQ(ClassifyAuthMethod("/nms.v1.AuthService/GetCurrentPrincipal", "nms.v1.AuthService"),
            AuthMethod::kNone);
  EXPECT_EQ(ClassifyAuthMethod("/nms.v1.AuthServiceX/SignIn", "nms.v1.AuthService"), AuthMethod::kNone);
  EXPECT_EQ(ClassifyAuthMethod("/other.AuthService/SignIn", "nms.v1.AuthService"), AuthMethod::kNone);
  EXPECT_EQ(ClassifyAuthMethod("/nms.v1.AuthService/SignIn", ""), AuthMethod::kNone);
}

TEST(SessionCookie, TakesTheRefreshTokenOutOfSignInAndKeepsEverythingElse) {
  SignInResponse in;
  in.mutable_tokens()->set_access_token("access.jwt");
  in.mutable_tokens()->mutable_access_token_expire_time()->set_seconds(1700000900);
  in.mutable_tokens()->set_refresh_token("r3fr3sh-t0ken_A");
  in.mutable_tokens()->mutable_refresh_token_expire_time()->set_seconds(1702592000);
  in.mutable_principal()->set_login("учитель@demo.nms");
  auto taken = TakeRefreshToken(in.SerializeAsString());
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(taken->token, "r3fr3sh-t0ken_A");
  EXPECT_EQ(taken->expire_unix_s, 1702592000);
  EXPECT_EQ(taken->message.find("r3fr3sh"), std::string::npos);
  SignInResponse out;
  ASSERT_TRUE(out.ParseFromString(taken->message));
  EXPECT_EQ(out.tokens().refresh_token(), "");
  EXPECT_EQ(out.tokens().access_token(), "access.jwt");
  EXPECT_EQ(out.tokens().access_token_expire_time().seconds(), 1700000900);
  EXPECT_EQ(out.tokens().refresh_token_expire_time().seconds(), 1702592000);
  EXPECT_EQ(out.principal().login(), "учитель@demo.nms");
}

TEST(SessionCookie, RefreshResponseWithoutTokenIsLeftAlone) {
  RefreshTokenResponse in;
  in.mutable_tokens()->set_access_token("only-access");
  auto taken = TakeRefreshToken(in.SerializeAsString());
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->token, "");
  EXPECT_FALSE(taken->expire_unix_s);
  RefreshTokenResponse out;
  ASSERT_TRUE(out.ParseFromString(taken->message));
  EXPECT_EQ(out.tokens().access_token(), "only-access");
  // An empty message stays empty.
  EXPECT_EQ(TakeRefreshToken("")->message, "");
}

TEST(SessionCookie, RefusesMalformedMessagesInsteadOfForwardingThem) {
  EXPECT_FALSE(TakeRefreshToken(std::string("\x0a\x05\x1a\x09", 4)).ok());  // truncated
  EXPECT_FALSE(TakeRefreshToken(std::string("\x0b", 1)).ok());              // group
  EXPECT_FALSE(WithRefreshToken(std::string("\x0a\x10", 2), "t").ok());
  EXPECT_FALSE(RefreshTokenOf(std::string("\xff", 1)).ok());
}

TEST(SessionCookie, WritesTheCookiesTokenIntoRefreshRequests) {
  RefreshTokenRequest script;
  script.set_refresh_token("what-a-script-sent");
  auto edited = WithRefreshToken(script.SerializeAsString(), "from-cookie");
  ASSERT_TRUE(edited.ok());
  RefreshTokenRequest out;
  ASSERT_TRUE(out.ParseFromString(*edited));
  EXPECT_EQ(out.refresh_token(), "from-cookie");
  EXPECT_EQ(*RefreshTokenOf(*edited), "from-cookie");
  EXPECT_EQ(*RefreshTokenOf(""), "");
  ASSERT_TRUE(out.ParseFromString(*WithRefreshToken("", "t2")));
  EXPECT_EQ(out.refresh_token(), "t2");
}

TEST(SessionCookie, SetCookieIsHttpOnlyStrictAndScopedToTheAuthService) {
  SessionCookie c;
  EXPECT_EQ(c.SetValue("abc-_9", 3600, true),
            "nms_refresh=abc-_9; Path=/nms.v1.AuthService/; Max-Age=3600; HttpOnly; "
            "SameSite=Strict; Secure");
  EXPECT_EQ(c.SetValue("abc", -1, false),
            "nms_refresh=abc; Path=/nms.v1.AuthService/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(c.ClearValue(true),
            "nms_refresh=; Path=/nms.v1.AuthService/; Max-Age=0; Expires=Thu, 01 Jan 1970 "
            "00:00:00 GMT; HttpOnly; SameSite=Strict; Secure");
  // Characters a cookie value may not hold are encoded, and decoded when read back.
  std::string set = c.SetValue("a;b c=\"d\"", -1, false);
  std::string value = set.substr(0, set.find(';'));
  EXPECT_EQ(value.find_first_of(" \";,"), std::string::npos) << value;
  EXPECT_EQ(c.Find(value), "a;b c=\"d\"");
}

TEST(SessionCookie, FindsItsCookieAmongOthers) {
  SessionCookie c;
  EXPECT_EQ(c.Find("a=1; nms_refresh=tok; b=2"), "tok");
  EXPECT_EQ(c.Find("nms_refresh=tok"), "tok");
  EXPECT_EQ(c.Find("xnms_refresh=no; nms_refreshx=no"), std::nullopt);
  EXPECT_EQ(c.Find("nms_refresh="), std::nullopt);
  EXPECT_EQ(c.Find(""), std::nullopt);
  c.name = "";
  EXPECT_FALSE(c.enabled());
  EXPECT_EQ(c.Find("nms_refresh=tok"), std::nullopt);
}

TEST(SessionCookie, SecureExceptOnPlainHttpLoopback) {
  SessionCookie c;
  EXPECT_FALSE(c.SecureFor("127.0.0.1:8080", ""));
  EXPECT_FALSE(c.SecureFor("localhost:5173", ""));
  EXPECT_FALSE(c.SecureFor("[::1]:8080", ""));
  EXPECT_TRUE(c.SecureFor("nms.example.ru", ""));
  EXPECT_TRUE(c.SecureFor("10.0.0.5:8080", ""));
  EXPECT_TRUE(c.SecureFor("", ""));  // no Host (HTTP/1.0): assume the worst
  EXPECT_TRUE(c.SecureFor("127.0.0.1:8080", "https"));
  EXPECT_TRUE(c.SecureFor("localhost", "HTTPS, http"));
  c.secure = SessionCookie::Secure::kAlways;
  EXPECT_TRUE(c.SecureFor("127.0.0.1", ""));
  c.secure = SessionCookie::Secure::kNever;
  EXPECT_FALSE(c.SecureFor("nms.example.ru", "https"));
  EXPECT_TRUE(IsLoopbackHost("app.localhost:80"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.evil.example"));
  EXPECT_FALSE(IsLoopbackHost("localhost.evil.example"));
}

}  // namespace
}  // namespace nms::proxy
