#include "grpc_web_codec.h"

#include <array>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "string_view_bridge.h"

namespace nms::proxy {
namespace {

constexpr char kB64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Decode table: 0..63 for alphabet characters (standard and URL-safe), -1 otherwise.
constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kB64Alphabet[i])] = static_cast<int8_t>(i);
  t['-'] = 62;
  t['_'] = 63;
  return t;
}
constexpr auto kB64Decode = MakeDecodeTable();

uint32_t ReadBigEndian32(std::string_view s) {
  return (uint32_t{static_cast<uint8_t>(s[0])} << 24) |
         (uint32_t{static_cast<uint8_t>(s[1])} << 16) |
         (uint32_t{static_cast<uint8_t>(s[2])} << 8) | uint32_t{static_cast<uint8_t>(s[3])};
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (std::tolower(static_cast<unsigned char>(c)) - 'a') + 10;
}

}  // namespace

std::optional<WireMode> ParseContentType(std::string_view content_type) {
  // Parameters such as "; charset=utf-8" do not change the framing.
  std::string_view base = content_type.substr(0, content_type.find(';'));
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(ToAbsl(base)));
  if (lower == "application/grpc-web" || lower == "application/grpc-web+proto") {
    return WireMode::kBinary;
  }
  if (lower == "application/grpc-web-text" || lower == "application/grpc-web-text+proto") {
    return WireMode::kText;
  }
  return std::nullopt;
}

std::string_view ResponseContentType(WireMode mode) {
  return mode == WireMode::kText ? "application/grpc-web-text+proto" : "application/grpc-web+proto";
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                 (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                 uint32_t{static_cast<uint8_t>(bytes[i + 2])};
    out.push_back(kB64Alphabet[(n >> 18) & 63]);
    out.push_back(kB64Alphabet[(n >> 12) & 63]);
    out.push_back(kB64Alphabet[(n >> 6) & 63]);
    out.push_back(kB64Alphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (rest == 2) n |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out.push_back(kB64Alphabet[(n >> 18) & 63]);
    out.push_back(kB64Alphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kB64Alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

absl::StatusOr<std::string> Base64DecodeChunks(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  // Quantum of up to 4 sextets; '=' closes the current quantum, which is how independently
  // padded chunks can simply be concatenated.
  uint32_t acc = 0;
  int have = 0;
  int pads = 0;
  auto flush = [&]() -> absl::Status {
    if (have == 1) return absl::InvalidArgumentError("malformed base64: dangling character");
    if (have == 0) return absl::OkStatus();
    uint32_t n = acc << (6 * (4 - have));
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    if (have >= 3) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (have == 4) out.push_back(static_cast<char>(n & 0xFF));
    acc = 0;
    have = 0;
    return absl::OkStatus();
  };
  for (char c : text) {
    if (c == ' ' || c == '\r' || c == '\n' || c == '\t') continue;
    if (c == '=') {
      if (have < 2 || have + pads >= 4) {
        return absl::InvalidArgumentError("malformed base64: misplaced padding");
      }
      ++pads;
      if (have + pads == 4) {
        if (auto st = flush(); !st.ok()) return st;
        pads = 0;
      }
      continue;
    }
    if (pads > 0) return absl::InvalidArgumentError("malformed base64: data inside padding");
    int8_t v = kB64Decode[static_cast<uint8_t>(c)];
    if (v < 0) return absl::InvalidArgumentError("malformed base64: bad character");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    if (++have == 4) {
      if (auto st = flush(); !st.ok()) return st;
    }
  }
  if (pads > 0) return absl::InvalidArgumentError("malformed base64: incomplete padding");
  if (auto st = flush(); !st.ok()) return st;
  return out;
}

std::string EncodeFrame(uint8_t flags, std::string_view payload) {
  std::string out;
  out.reserve(kFrameHeaderSize + payload.size());
  uint32_t n = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>((n >> 24) & 0xFF));
  out.push_back(static_cast<char>((n >> 16) & 0xFF));
  out.push_back(static_cast<char>((n >> 8) & 0xFF));
  out.push_back(static_cast<char>(n & 0xFF));
  out.append(payload);
  return out;
}

absl::StatusOr<std::vector<std::string>> DecodeRequestFrames(std::string_view body,
                                                             size_t max_message_bytes) {
  std::vector<std::string> messages;
  while (!body.empty()) {
    if (body.size() < kFrameHeaderSize) {
      return absl::InvalidArgumentError("truncated gRPC-web frame header");
    }
    uint8_t flags = static_cast<uint8_t>(body[0]);
    uint32_t len = ReadBigEndian32(body.substr(1, 4));
    if (flags & kTrailerFrame) return absl::InvalidArgumentError("trailer frame in request");
    if (flags & kCompressedFlag) {
      return absl::UnimplementedError("Сжатые сообщения gRPC-web не поддерживаются");
    }
    if (flags != kDataFrame) return absl::InvalidArgumentError("unknown gRPC-web frame flags");
    if (len > max_message_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("request message of ", len,
                                                       " bytes exceeds the limit of ",
                                                       max_message_bytes));
    }
    if (body.size() - kFrameHeaderSize < len) {
      return absl::InvalidArgumentError("truncated gRPC-web frame payload");
    }
    messages.emplace_back(body.substr(kFrameHeaderSize, len));
    body.remove_prefix(kFrameHeaderSize + len);
  }
  return messages;
}

absl::StatusOr<std::vector<Frame>> DecodeAllFrames(std::string_view body) {
  std::vector<Frame> frames;
  while (!body.empty()) {
    if (body.size() < kFrameHeaderSize) return absl::InvalidArgumentError("truncated frame");
    uint32_t len = ReadBigEndian32(body.substr(1, 4));
    if (body.size() - kFrameHeaderSize < len) return absl::InvalidArgumentError("truncated frame");
    frames.push_back({static_cast<uint8_t>(body[0]), std::string(body.substr(5, len))});
    body.remove_prefix(kFrameHeaderSize + len);
  }
  return frames;
}

std::string PercentEncodeGrpcMessage(std::string_view message) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(message.size());
  for (char ch : message) {
    auto c = static_cast<uint8_t>(ch);
    if (c >= 0x20 && c <= 0x7E && c != '%') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && IsHex(text[i + 1]) && IsHex(text[i + 2])) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);  // gRPC: undecodable sequences pass through unchanged
    }
  }
  return out;
}

std::string EncodeTrailerBlock(int grpc_status, std::string_view message, const Metadata& extra) {
  std::string block = absl::StrCat("grpc-status: ", grpc_status, "\r\n");
  if (!message.empty()) {
    absl::StrAppend(&block, "grpc-message: ", PercentEncodeGrpcMessage(message), "\r\n");
  }
  for (const auto& [key, value] : extra) {
    absl::StrAppend(&block, absl::AsciiStrToLower(key), ": ", value, "\r\n");
  }
  return block;
}

Metadata ParseTrailerBlock(std::string_view block) {
  Metadata out;
  while (!block.empty()) {
    size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    out.emplace_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(ToAbsl(line.substr(0, colon)))),
                     std::string(absl::StripAsciiWhitespace(ToAbsl(line.substr(colon + 1)))));
  }
  return out;
}

std::optional<std::chrono::nanoseconds> ParseGrpcTimeout(std::string_view value) {
  // Spec: TimeoutValue is at most 8 ASCII digits, followed by one unit letter.
  if (value.size() < 2 || value.size() > 9) return std::nullopt;
  std::string_view digits = value.substr(0, value.size() - 1);
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t n = 0;
  if (!absl::SimpleAtoi(ToAbsl(digits), &n)) return std::nullopt;
  using namespace std::chrono;
  switch (value.back()) {
    case 'H': return duration_cast<nanoseconds>(hours(n));
    case 'M': return duration_cast<nanoseconds>(minutes(n));
    case 'S': return duration_cast<nanoseconds>(seconds(n));
    case 'm': return duration_cast<nanoseconds>(milliseconds(n));
    case 'u': return duration_cast<nanoseconds>(microseconds(n));
    case 'n': return nanoseconds(n);
    default: return std::nullopt;
  }
}

bool IsForwardableMetadataKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  if (absl::StartsWith(ToAbsl(key), "grpc-")) return false;
  static constexpr std::string_view kReserved[] = {
      "content-type", "content-length", "te", "host", "connection", "keep-alive",
      "transfer-encoding", "upgrade", "proxy-connection", "user-agent"};
  for (auto r : kReserved) {
    if (key == r) return false;
  }
  return true;
}

bool IsValidAsciiMetadataValue(std::string_view value) {
  for (char ch : value) {
    auto c = static_cast<uint8_t>(ch);
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool ShouldForwardRequestHeader(std::string_view lower_key) {
  if (lower_key == "authorization") return true;
  if (lower_key == "x-grpc-web") return false;
  // The proxy sets x-forwarded-for itself; a browser must not pick its own client address.
  if (absl::StartsWith(ToAbsl(lower_key), "x-forwarded-")) return false;
  return absl::StartsWith(ToAbsl(lower_key), "x-") && IsForwardableMetadataKey(lower_key);
}

bool IsGrpcMethodPath(std::string_view path) {
  if (path.size() < 4 || path[0] != '/') return false;
  std::string_view rest = path.substr(1);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) return false;
  if (rest.find('/', slash + 1) != std::string_view::npos) return false;
  for (char c : rest) {
    auto u = static_cast<uint8_t>(c);
    if (u <= 0x20 || u >= 0x7F || c == '?' || c == '#' || c == '%') return false;
  }
  return true;
}

}  // namespace nms::proxy
