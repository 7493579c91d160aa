#include "grpc_web_codec.h"

#include <gtest/gtest.h>

namespace nms::proxy {
namespace {

using namespace std::chrono_literals;

TEST(ContentType, RecognisesGrpcWebFlavours) {
  EXPECT_EQ(ParseContentType("application/grpc-web"), WireMode::kBinary);
  EXPECT_EQ(ParseContentType("application/grpc-web+proto"), WireMode::kBinary);
  EXPECT_EQ(ParseContentType("Application/GRPC-Web+Proto; charset=utf-8"), WireMode::kBinary);
  EXPECT_EQ(ParseContentType("application/grpc-web-text"), WireMode::kText);
  EXPECT_EQ(ParseContentType("application/grpc-web-text+proto"), WireMode::kText);
  EXPECT_EQ(ParseContentType("application/grpc-web+json"), std::nullopt);
  EXPECT_EQ(ParseContentType("application/grpc"), std::nullopt);
  EXPECT_EQ(ParseContentType("text/plain"), std::nullopt);
  EXPECT_EQ(ParseContentType(""), std::nullopt);
}

TEST(Base64, RoundTripsAllLengths) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(*Base64DecodeChunks(Base64Encode(bytes)), bytes) << "length " << i;
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
}

TEST(Base64, DecodesConcatenatedPaddedChunks) {
  // What grpc-web-text clients send when a body is written in several pieces.
  std::string glued = Base64Encode("f") + Base64Encode("oo") + Base64Encode("bar") +
                      Base64Encode("") + Base64Encode(std::string("\x80\x00\x01", 3));
  auto decoded = Base64DecodeChunks(glued);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, std::string("foobar\x80\x00\x01", 9));
}

TEST(Base64, AcceptsWhitespaceUrlSafeAndMissingFinalPadding) {
  EXPECT_EQ(*Base64DecodeChunks("Zm9v\r\nYmFy"), "foobar");
  EXPECT_EQ(*Base64DecodeChunks("Zm8"), "fo");
  EXPECT_EQ(*Base64DecodeChunks("-_8="), std::string("\xfb\xff", 2));
}

TEST(Base64, RejectsGarbage) {
  EXPECT_FALSE(Base64DecodeChunks("Zm9v!").ok());
  EXPECT_FALSE(Base64DecodeChunks("Z").ok());
  EXPECT_FALSE(Base64DecodeChunks("Z===").ok());
  EXPECT_FALSE(Base64DecodeChunks("Zg=a").ok());
  EXPECT_FALSE(Base64DecodeChunks("Zg=").ok());
  EXPECT_FALSE(Base64DecodeChunks("=").ok());
}

TEST(Framing, EncodesHeaderBigEndian) {
  std::string frame = EncodeFrame(kDataFrame, std::string(0x010203, 'x'));
  ASSERT_EQ(frame.size(), 5u + 0x010203);
  EXPECT_EQ(frame.substr(0, 5), std::string("\x00\x00\x01\x02\x03", 5));
  EXPECT_EQ(EncodeFrame(kTrailerFrame, "ab"), std::string("\x80\x00\x00\x00\x02" "ab", 7));
}

TEST(Framing, DecodesSeveralMessagesIncludingEmpty) {
  std::string body = EncodeFrame(kDataFrame, "one") + EncodeFrame(kDataFrame, "") +
                     EncodeFrame(kDataFrame, "three");
  auto messages = DecodeRequestFrames(body, 100);
  ASSERT_TRUE(messages.ok()) << messages.status();
  EXPECT_EQ(*messages, (std::vector<std::string>{"one", "", "three"}));
  EXPECT_TRUE(DecodeRequestFrames("", 100)->empty());
}

TEST(Framing, RejectsMalformedBodies) {
  EXPECT_EQ(DecodeRequestFrames(std::string("\x00\x00\x00", 3), 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeRequestFrames(std::string("\x00\x00\x00\x00\x09" "abc", 8), 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeRequestFrames(EncodeFrame(kTrailerFrame, "x"), 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeRequestFrames(EncodeFrame(kCompressedFlag, "x"), 100).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(DecodeRequestFrames(EncodeFrame(0x02, "x"), 100).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Framing, EnforcesMaxMessageSizeFromTheLengthPrefix) {
  EXPECT_TRUE(DecodeRequestFrames(EncodeFrame(kDataFrame, std::string(100, 'a')), 100).ok());
  auto too_big = DecodeRequestFrames(EncodeFrame(kDataFrame, std::string(101, 'a')), 100);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kResourceExhausted);
  // A huge declared length with no payload is refused for size, before anything is copied.
  auto huge = DecodeRequestFrames(std::string("\x00\xff\xff\xff\xff", 5), 100);
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(Framing, DecodeAllFramesSeesTrailers) {
  std::string body = EncodeFrame(kDataFrame, "m") + EncodeFrame(kTrailerFrame, "grpc-status: 0\r\n");
  auto frames = DecodeAllFrames(body);
  ASSERT_TRUE(frames.ok());
  ASSERT_EQ(frames->size(), 2u);
  EXPECT_EQ((*frames)[1].flags, kTrailerFrame);
  EXPECT_EQ((*frames)[1].payload, "grpc-status: 0\r\n");
}

TEST(PercentEncoding, FollowsGrpcRules) {
  EXPECT_EQ(PercentEncodeGrpcMessage("plain text: ok!"), "plain text: ok!");
  EXPECT_EQ(PercentEncodeGrpcMessage("100%"), "100%25");
  EXPECT_EQ(PercentEncodeGrpcMessage("a\nb\tc"), "a%0Ab%09c");
  // "Ошибка" in UTF-8: every byte escaped, upper-case hex.
  EXPECT_EQ(PercentEncodeGrpcMessage("Ошибка"), "%D0%9E%D1%88%D0%B8%D0%B1%D0%BA%D0%B0");
  EXPECT_EQ(PercentDecode("%D0%9E%D1%88%D0%B8%D0%B1%D0%BA%D0%B0"), "Ошибка");
  EXPECT_EQ(PercentDecode(PercentEncodeGrpcMessage("Тест 100% \x01 done")), "Тест 100% \x01 done");
  EXPECT_EQ(PercentDecode("50%"), "50%");    // incomplete escapes pass through
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
}

TEST(Trailers, EncodeStatusMessageAndExtras) {
  std::string block = EncodeTrailerBlock(5, "Не найдено", {{"X-Trace", "abc"}});
  EXPECT_EQ(block,
            "grpc-status: 5\r\n"
            "grpc-message: %D0%9D%D0%B5 %D0%BD%D0%B0%D0%B9%D0%B4%D0%B5%D0%BD%D0%BE\r\n"
            "x-trace: abc\r\n");
  EXPECT_EQ(EncodeTrailerBlock(0, "", {}), "grpc-status: 0\r\n");
  Metadata parsed = ParseTrailerBlock(block);
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0], (std::pair<std::string, std::string>{"grpc-status", "5"}));
  EXPECT_EQ(PercentDecode(parsed[1].second), "Не найдено");
  EXPECT_EQ(parsed[2].first, "x-trace");
}

TEST(Timeout, ParsesAllUnits) {
  EXPECT_EQ(ParseGrpcTimeout("1H"), std::chrono::nanoseconds(1h));
  EXPECT_EQ(ParseGrpcTimeout("2M"), std::chrono::nanoseconds(2min));
  EXPECT_EQ(ParseGrpcTimeout("3S"), std::chrono::nanoseconds(3s));
  EXPECT_EQ(ParseGrpcTimeout("1500m"), std::chrono::nanoseconds(1500ms));
  EXPECT_EQ(ParseGrpcTimeout("7u"), std::chrono::nanoseconds(7us));
  EXPECT_EQ(ParseGrpcTimeout("99999999n"), std::chrono::nanoseconds(99999999));
  EXPECT_EQ(ParseGrpcTimeout(""), std::nullopt);
  EXPECT_EQ(ParseGrpcTimeout("S"), std::nullopt);
  EXPECT_EQ(ParseGrpcTimeout("10"), std::nullopt);
  EXPECT_EQ(ParseGrpcTimeout("123456789S"), std::nullopt);  // more than 8 digits
  EXPECT_EQ(ParseGrpcTimeout("-1S"), std::nullopt);
  EXPECT_EQ(ParseGrpcTimeout("5s"), std::nullopt);
}

TEST(Metadata, ForwardsOnlyAuthorizationAndCustomHeaders) {
  EXPECT_TRUE(ShouldForwardRequestHeader("authorization"));
  EXPECT_TRUE(ShouldForwardRequestHeader("x-request-id"));
  EXPECT_TRUE(ShouldForwardRequestHeader("x-trace-bin"));
  EXPECT_FALSE(ShouldForwardRequestHeader("x-grpc-web"));
  EXPECT_FALSE(ShouldForwardRequestHeader("cookie"));
  EXPECT_FALSE(ShouldForwardRequestHeader("origin"));
  EXPECT_FALSE(ShouldForwardRequestHeader("grpc-timeout"));
  EXPECT_FALSE(ShouldForwardRequestHeader("x-bad key"));
  EXPECT_FALSE(IsForwardableMetadataKey("grpc-status"));
  EXPECT_FALSE(IsForwardableMetadataKey("content-type"));
  EXPECT_FALSE(IsForwardableMetadataKey("X-Upper"));
  EXPECT_TRUE(IsValidAsciiMetadataValue("Bearer abc.def"));
  EXPECT_FALSE(IsValidAsciiMetadataValue("Иван"));
  EXPECT_FALSE(IsValidAsciiMetadataValue("a\nb"));
}

TEST(MethodPath, AcceptsOnlyServiceSlashMethod) {
  EXPECT_TRUE(IsGrpcMethodPath("/nms.v1.DirectoryService/ListTeachers"));
  EXPECT_TRUE(IsGrpcMethodPath("/Svc/M"));
  EXPECT_FALSE(IsGrpcMethodPath("/"));
  EXPECT_FALSE(IsGrpcMethodPath("/index.html"));
  EXPECT_FALSE(IsGrpcMethodPath("//Method"));
  EXPECT_FALSE(IsGrpcMethodPath("/Svc/"));
  EXPECT_FALSE(IsGrpcMethodPath("/a/b/c"));
  EXPECT_FALSE(IsGrpcMethodPath("/a/b%20c"));
  EXPECT_FALSE(IsGrpcMethodPath("a/b"));
}

}  // namespace
}  // namespace nms::proxy
