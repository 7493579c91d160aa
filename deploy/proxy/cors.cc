#include "cors.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpc_web_codec.h"
#include "string_view_bridge.h"

namespace nms::proxy {

CorsPolicy::CorsPolicy(std::string_view origins_flag) {
  for (absl::string_view o : absl::StrSplit(ToAbsl(origins_flag), ',', absl::SkipWhitespace())) {
    o = absl::StripAsciiWhitespace(o);
    while (!o.empty() && o.back() == '/') o.remove_suffix(1);  // "https://a.ru/" == "https://a.ru"
    if (o == "*") {
      any_ = true;
    } else if (!o.empty()) {
      origins_.push_back(absl::AsciiStrToLower(o));
    }
  }
}

bool CorsPolicy::IsOwnOrigin(std::string_view origin, std::string_view host) {
  std::string o = absl::AsciiStrToLower(ToAbsl(origin));
  std::string h = absl::AsciiStrToLower(absl::StripAsciiWhitespace(ToAbsl(host)));
  if (h.empty()) return false;
  std::string_view scheme_default;
  if (absl::StartsWith(o, "http://")) {
    o.erase(0, 7);
    scheme_default = ":80";
  } else if (absl::StartsWith(o, "https://")) {
    o.erase(0, 8);
    scheme_default = ":443";
  } else {
    return false;
  }
  auto strip_default = [&](std::string& s) {
    if (absl::EndsWith(s, ToAbsl(scheme_default))) s.resize(s.size() - scheme_default.size());
  };
  strip_default(o);
  strip_default(h);
  return o == h;
}

std::string CorsPolicy::AllowedOrigin(std::string_view origin, std::string_view host) const {
  if (origin.empty()) return "";
  if (any_ || IsOwnOrigin(origin, host)) return std::string(origin);
  std::string lower = absl::AsciiStrToLower(ToAbsl(origin));
  for (const auto& o : origins_) {
    if (o == lower) return std::string(origin);
  }
  return "";
}

std::string CorsPolicy::AllowHeadersFor(std::string_view requested) {
  std::string out;
  for (absl::string_view h : absl::StrSplit(ToAbsl(requested), ',', absl::SkipWhitespace())) {
    std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(h));
    bool read_by_proxy = key == "content-type" || key == "x-grpc-web" || key == "grpc-timeout";
    if (!read_by_proxy && !ShouldForwardRequestHeader(key)) continue;
    absl::StrAppend(&out, out.empty() ? "" : ",", key);
  }
  return out;
}

}  // namespace nms::proxy
