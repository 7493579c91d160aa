#include "server/domain/common/text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace nms {

bool DecodeUtf8(absl::string_view s, size_t& i, uint32_t& cp) {
  unsigned char c = s[i];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return false;
  cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = s[i + k];
    if ((cc >> 6) != 2) return false;
    cp = (cp << 6) | (cc & 0x3f);
  }
  i += len;
  return true;
}

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  uint32_t cp = 0;
  while (i < text.size()) {
    if (!DecodeUtf8(text, i, cp)) return false;
  }
  return true;
}

std::string ShortenUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  static constexpr absl::string_view kEllipsis = "…";
  const size_t budget = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  size_t i = 0, keep = 0;
  uint32_t cp = 0;
  while (i < text.size() && DecodeUtf8(text, i, cp) && i <= budget) keep = i;
  return absl::StrCat(text.substr(0, keep), kEllipsis);
}

absl::Status RequireText(absl::string_view v, absl::string_view field, size_t max) {
  if (absl::StripAsciiWhitespace(v).empty()) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  return OptionalText(v, field, max);
}

absl::Status OptionalText(absl::string_view v, absl::string_view field, size_t max) {
  if (v.size() > max || !IsValidUtf8(v)) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": не длиннее ", max, " байт UTF-8"));
  }
  return absl::OkStatus();
}

}  // namespace nms
