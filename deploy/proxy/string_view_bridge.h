// Debian's Abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0),
// which does not convert to or from std::string_view. The proxy speaks std::string_view (as
// Beast does); these two helpers cross the boundary without copying.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace nms::proxy {

inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace nms::proxy
