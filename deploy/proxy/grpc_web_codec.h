// gRPC-web wire format, kept pure (no I/O, no gRPC runtime) so it can be unit-tested in isolation.
//
// A gRPC-web body is a sequence of frames: 1 flag byte, 4-byte big-endian length, payload.
// Flag 0x00 = message, 0x80 = trailers (an HTTP/1-style header block carried in the body because
// browsers cannot read real HTTP trailers). The "-text" variants base64 the whole byte stream;
// clients and servers may send it as a concatenation of independently padded base64 chunks.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace nms::proxy {

inline constexpr uint8_t kDataFrame = 0x00;
inline constexpr uint8_t kCompressedFlag = 0x01;
inline constexpr uint8_t kTrailerFrame = 0x80;
inline constexpr size_t kFrameHeaderSize = 5;

enum class WireMode { kBinary, kText };

// Parses a request Content-Type. Returns nullopt when it is not a gRPC-web type we speak
// (only the protobuf flavour: the proxy forwards opaque bytes and gRPC servers expect proto).
std::optional<WireMode> ParseContentType(std::string_view content_type);

// The Content-Type we answer with for a given mode.
std::string_view ResponseContentType(WireMode mode);

// Standard base64 with padding.
std::string Base64Encode(std::string_view bytes);

// Decodes base64 that may be several padded chunks glued together ("AAA=BBBB" style), ignores
// ASCII whitespace and accepts the URL-safe alphabet too. The final chunk may omit padding.
absl::StatusOr<std::string> Base64DecodeChunks(std::string_view text);

// One frame with its payload.
std::string EncodeFrame(uint8_t flags, std::string_view payload);

// Splits a request body into message payloads. Errors: INVALID_ARGUMENT for truncated or
// unexpected frames, UNIMPLEMENTED for compressed frames, RESOURCE_EXHAUSTED when a message is
// larger than max_message_bytes (checked from the length prefix before copying anything).
absl::StatusOr<std::vector<std::string>> DecodeRequestFrames(std::string_view body,
                                                             size_t max_message_bytes);

// Response body parser for clients and tests: every frame, data and trailers alike.
struct Frame {
  uint8_t flags = 0;
  std::string payload;
};
absl::StatusOr<std::vector<Frame>> DecodeAllFrames(std::string_view body);

// gRPC's grpc-message encoding: bytes outside printable ASCII and '%' become %XX.
std::string PercentEncodeGrpcMessage(std::string_view message);
std::string PercentDecode(std::string_view text);

using Metadata = std::vector<std::pair<std::string, std::string>>;

// The trailer frame payload: "grpc-status: N\r\ngrpc-message: ...\r\n" then extra trailers.
// Keys are lower-cased; "-bin" values must already be base64.
std::string EncodeTrailerBlock(int grpc_status, std::string_view message, const Metadata& extra);

// Inverse of EncodeTrailerBlock (keys lower-cased, values trimmed, message left encoded).
Metadata ParseTrailerBlock(std::string_view block);

// grpc-timeout header ("100m", "5S", "1H"...) → duration. nullopt when malformed.
std::optional<std::chrono::nanoseconds> ParseGrpcTimeout(std::string_view value);

// True for a metadata key gRPC accepts (lowercase [0-9a-z_.-]) that is not reserved (grpc-*,
// HTTP/2 pseudo or connection headers). Invalid metadata would make gRPC fail the call.
bool IsForwardableMetadataKey(std::string_view key);
// True for a non-binary metadata value gRPC accepts (printable ASCII).
bool IsValidAsciiMetadataValue(std::string_view value);
// Which browser headers become upstream metadata: authorization and custom x-* headers (minus the
// grpc-web protocol marker and x-forwarded-*, which the proxy sets). Everything else (cookies,
// origin, user-agent...) stays at the edge.
bool ShouldForwardRequestHeader(std::string_view lower_key);

// "/package.Service/Method" with exactly two non-empty segments.
bool IsGrpcMethodPath(std::string_view path);

}  // namespace nms::proxy
