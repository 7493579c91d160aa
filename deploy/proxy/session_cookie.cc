#include "session_cookie.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpc_web_codec.h"
#include "string_view_bridge.h"

namespace nms::proxy {
namespace {

// Field numbers of the auth messages (proto/nms/v1/auth.proto).
constexpr uint32_t kResponseTokensField = 1;  // SignInResponse.tokens, RefreshTokenResponse.tokens
constexpr uint32_t kRefreshTokenField = 3;    // TokenPair.refresh_token
constexpr uint32_t kRefreshExpireField = 4;   // TokenPair.refresh_token_expire_time
constexpr uint32_t kTimestampSecondsField = 1;
constexpr uint32_t kRequestTokenField = 1;    // RefreshTokenRequest.refresh_token

constexpr int kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5;

struct WireField {
  uint32_t number = 0;
  int type = 0;
  std::string_view whole;    // tag + value, to copy it unchanged
  std::string_view payload;  // kLen only
  uint64_t varint = 0;       // kVarint only
};

bool ReadVarint(std::string_view& in, uint64_t& out) {
  out = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto b = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    out |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void AppendLenField(std::string& out, uint32_t number, std::string_view payload) {
  AppendVarint(out, (uint64_t{number} << 3) | kLen);
  AppendVarint(out, payload.size());
  out.append(payload);
}

absl::StatusOr<std::vector<WireField>> ParseFields(std::string_view msg) {
  std::vector<WireField> fields;
  const absl::Status bad = absl::InvalidArgumentError("malformed protobuf message");
  while (!msg.empty()) {
    const char* start = msg.data();
    uint64_t tag = 0;
    if (!ReadVarint(msg, tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFF) return bad;
    WireField f;
    f.number = static_cast<uint32_t>(tag >> 3);
    f.type = static_cast<int>(tag & 7);
    switch (f.type) {
      case kVarint:
        if (!ReadVarint(msg, f.varint)) return bad;
        break;
      case kFixed64:
      case kFixed32: {
        size_t n = f.type == kFixed64 ? 8 : 4;
        if (msg.size() < n) return bad;
        msg.remove_prefix(n);
        break;
      }
      case kLen: {
        uint64_t len = 0;
        if (!ReadVarint(msg, len) || len > msg.size()) return bad;
        f.payload = msg.substr(0, len);
        msg.remove_prefix(len);
        break;
      }
      default:  // groups (3, 4) are not used by proto3 messages; 6, 7 do not exist
        return bad;
    }
    f.whole = std::string_view(start, static_cast<size_t>(msg.data() - start));
    fields.push_back(f);
  }
  return fields;
}

// Cookie values may not hold ; , " \ or spaces; refresh tokens are web-safe base64 already, the
// rest is percent-encoded for safety.
std::string CookieEncode(std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : v) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(c);
    } else {
      auto u = static_cast<uint8_t>(c);
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

bool IsIpv4Loopback(std::string_view h) {
  if (!absl::StartsWith(ToAbsl(h), "127.")) return false;
  int dots = 0;
  for (char c : h) {
    if (c == '.') {
      ++dots;
    } else if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return dots == 3;
}

}  // namespace

AuthMethod ClassifyAuthMethod(std::string_view path, std::string_view auth_service) {
  if (auth_service.empty() || path.size() < auth_service.size() + 2 || path[0] != '/' ||
      path.substr(1, auth_service.size()) != auth_service || path[auth_service.size() + 1] != '/') {
    return AuthMethod::kNone;
  }
  std::string_view method = path.substr(auth_service.size() + 2);
  if (method == "SignIn") return AuthMethod::kSignIn;
  if (method == "RefreshToken") return AuthMethod::kRefreshToken;
  if (method == "SignOut") return AuthMethod::kSignOut;
  return AuthMethod::kNone;
}

bool IsLoopbackHost(std::string_view host) {
  host = ToStd(absl::StripAsciiWhitespace(ToAbsl(host)));
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return close != std::string_view::npos && host.substr(1, close - 1) == "::1";
  }
  host = host.substr(0, host.find(':'));
  std::string lower = absl::AsciiStrToLower(ToAbsl(host));
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  return lower == "localhost" || absl::EndsWith(lower, ".localhost") || IsIpv4Loopback(lower);
}

bool SessionCookie::SecureFor(std::string_view host, std::string_view forwarded_proto) const {
  if (secure == Secure::kAlways) return true;
  if (secure == Secure::kNever) return false;
  // A front that terminated TLS says so; its first hop is the browser's.
  absl::string_view proto = absl::StripAsciiWhitespace(
      absl::string_view(ToAbsl(forwarded_proto)).substr(0, forwarded_proto.find(',')));
  if (absl::EqualsIgnoreCase(proto, "https")) return true;
  return !IsLoopbackHost(host);
}

std::string SessionCookie::SetValue(std::string_view token, int64_t max_age_s, bool secure_flag) const {
  std::string out = absl::StrCat(name, "=", CookieEncode(token), "; Path=", Path());
  if (max_age_s >= 0) absl::StrAppend(&out, "; Max-Age=", max_age_s);
  absl::StrAppend(&out, "; HttpOnly; SameSite=Strict");
  if (secure_flag) out += "; Secure";
  return out;
}

std::string SessionCookie::ClearValue(bool secure_flag) const {
  std::string out = absl::StrCat(name, "=; Path=", Path(),
                                 "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
                                 "; HttpOnly; SameSite=Strict");
  if (secure_flag) out += "; Secure";
  return out;
}

std::optional<std::string> SessionCookie::Find(std::string_view cookie_header) const {
  if (name.empty()) return std::nullopt;
  for (absl::string_view part : absl::StrSplit(ToAbsl(cookie_header), ';')) {
    part = absl::StripAsciiWhitespace(part);
    size_t eq = part.find('=');
    if (eq == absl::string_view::npos) continue;
    if (absl::StripAsciiWhitespace(part.substr(0, eq)) != ToAbsl(name)) continue;
    absl::string_view value = absl::StripAsciiWhitespace(part.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    // Browsers list the most specific path first.
    if (!value.empty()) return PercentDecode(ToStd(value));
  }
  return std::nullopt;
}

absl::StatusOr<TakenRefreshToken> TakeRefreshToken(std::string_view response) {
  auto fields = ParseFields(response);
  if (!fields.ok()) return fields.status();
  TakenRefreshToken out;
  for (const auto& f : *fields) {
    if (f.number != kResponseTokensField || f.type != kLen) {
      out.message.append(f.whole);
      continue;
    }
    auto pair = ParseFields(f.payload);
    if (!pair.ok()) return pair.status();
    std::string kept;
    for (const auto& p : *pair) {
      if (p.number == kRefreshTokenField && p.type == kLen) {
        out.token = std::string(p.payload);  // last one wins, as in protobuf parsing
        continue;                            // left out: an empty string is its default
      }
      if (p.number == kRefreshExpireField && p.type == kLen) {
        auto ts = ParseFields(p.payload);
        if (!ts.ok()) return ts.status();
        for (const auto& t : *ts) {
          if (t.number == kTimestampSecondsField && t.type == kVarint) {
            out.expire_unix_s = static_cast<int64_t>(t.varint);
          }
        }
      }
      kept.append(p.whole);
    }
    AppendLenField(out.message, kResponseTokensField, kept);
  }
  return out;
}

absl::StatusOr<std::string> WithRefreshToken(std::string_view request, std::string_view token) {
  auto fields = ParseFields(request);
  if (!fields.ok()) return fields.status();
  std::string out;
  for (const auto& f : *fields) {
    if (f.number != kRequestTokenField) out.append(f.whole);
  }
  AppendLenField(out, kRequestTokenField, token);
  return out;
}

absl::StatusOr<std::string> RefreshTokenOf(std::string_view request) {
  auto fields = ParseFields(request);
  if (!fields.ok()) return fields.status();
  std::string token;
  for (const auto& f : *fields) {
    if (f.number == kRequestTokenField && f.type == kLen) token = std::string(f.payload);
  }
  return token;
}

}  // namespace nms::proxy
