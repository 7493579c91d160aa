#include "cors.h"

#include <gtest/gtest.h>

namespace nms::proxy {
namespace {

TEST(Cors, DisabledByDefault) {
  CorsPolicy none("");
  EXPECT_FALSE(none.enabled());
  EXPECT_EQ(none.AllowedOrigin("http://localhost:5173"), "");
}

TEST(Cors, ListedOriginsOnly) {
  CorsPolicy p("http://localhost:5173, https://nms.example.ru/");
  EXPECT_TRUE(p.enabled());
  EXPECT_EQ(p.AllowedOrigin("http://localhost:5173"), "http://localhost:5173");
  EXPECT_EQ(p.AllowedOrigin("https://NMS.example.ru"), "https://NMS.example.ru");
  EXPECT_EQ(p.AllowedOrigin("https://evil.example"), "");
  EXPECT_EQ(p.AllowedOrigin(""), "");
}

TEST(Cors, WildcardEchoesAnyOrigin) {
  CorsPolicy any("*");
  EXPECT_EQ(any.AllowedOrigin("https://whatever.test"), "https://whatever.test");
  EXPECT_EQ(any.AllowedOrigin(""), "");
}

}  // namespace
}  // namespace nms::proxy
