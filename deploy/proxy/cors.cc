#include "cors.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
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

std::string CorsPolicy::AllowedOrigin(std::string_view origin) const {
  if (origin.empty()) return "";
  if (any_) return std::string(origin);
  std::string lower = absl::AsciiStrToLower(ToAbsl(origin));
  for (const auto& o : origins_) {
    if (o == lower) return std::string(origin);
  }
  return "";
}

}  // namespace nms::proxy
