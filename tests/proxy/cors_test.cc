#include "cors.h"

#include <gtest/gtest.h>

namespace nms::proxy {
namespace {

constexpr std::string_view kHost = "127.0.0.1:8080";

TEST(Cors, DefaultAllowsOnlyTheProxysOwnOrigin) {
  CorsPolicy none("");
  EXPECT_FALSE(none.any());
  EXPECT_EQ(none.AllowedOrigin("http://localhost:5173", kHost), "");
  EXPECT_EQ(none.AllowedOrigin("https://evil.example", kHost), "");
  EXPECT_EQ(none.AllowedOrigin("http://127.0.0.1:8080", kHost), "http://127.0.0.1:8080");
  EXPECT_EQ(none.AllowedOrigin("http://127.0.0.1:8081", kHost), "");
  EXPECT_EQ(none.AllowedOrigin("http://127.0.0.1:8080", ""), "");  // no Host: nothing is "own"
  EXPECT_EQ(none.AllowedOrigin("", kHost), "");
}

TEST(Cors, OwnOriginIgnoresCaseAndDefaultPorts) {
  EXPECT_TRUE(CorsPolicy::IsOwnOrigin("https://NMS.example.ru", "nms.example.ru"));
  EXPECT_TRUE(CorsPolicy::IsOwnOrigin("https://nms.example.ru", "nms.example.ru:443"));
  EXPECT_TRUE(CorsPolicy::IsOwnOrigin("http://nms.example.ru", "nms.example.ru:80"));
  EXPECT_FALSE(CorsPolicy::IsOwnOrigin("http://nms.example.ru", "nms.example.ru:443"));
  EXPECT_FALSE(CorsPolicy::IsOwnOrigin("https://nms.example.ru.evil.example", "nms.example.ru"));
  EXPECT_FALSE(CorsPolicy::IsOwnOrigin("null", "nms.example.ru"));
}

TEST(Cors, ListedOriginsOnly) {
  CorsPolicy p("http://localhost:5173, https://nms.example.ru/");
  EXPECT_EQ(p.AllowedOrigin("http://localhost:5173", kHost), "http://localhost:5173");
  EXPECT_EQ(p.AllowedOrigin("https://NMS.example.ru", kHost), "https://NMS.example.ru");
  EXPECT_EQ(p.AllowedOrigin("https://evil.example", kHost), "");
  EXPECT_EQ(p.AllowedOrigin("", kHost), "");
}

TEST(Cors, WildcardOnlyWhenAsked) {
  CorsPolicy any("*");
  EXPECT_TRUE(any.any());
  EXPECT_EQ(any.AllowedOrigin("https://whatever.test", kHost), "https://whatever.test");
  EXPECT_EQ(any.AllowedOrigin("", kHost), "");
}

TEST(Cors, PreflightAllowsExactlyTheHeadersTheProxyReadsOrForwards) {
  EXPECT_EQ(CorsPolicy::AllowHeadersFor(
                "Authorization, content-type,x-grpc-web,x-user-agent,grpc-timeout,x-request-id"),
            "authorization,content-type,x-grpc-web,x-user-agent,grpc-timeout,x-request-id");
  // Dropped at the edge, so not allowed: the browser refuses the call instead of silently
  // losing the header.
  EXPECT_EQ(CorsPolicy::AllowHeadersFor("cookie,x-forwarded-for,user-agent,grpc-status,x-bad key"),
            "");
  EXPECT_EQ(CorsPolicy::AllowHeadersFor("x-trace-bin, accept"), "x-trace-bin");
  EXPECT_EQ(CorsPolicy::AllowHeadersFor(""), "");
}

}  // namespace
}  // namespace nms::proxy
