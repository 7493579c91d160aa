#pragma once
// The one validator of free-text request fields: UTF-8, bounded in bytes, and — when required —
// not blank (whitespace only counts as empty, everywhere). Messages name the field as sent.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace nms {

// Decodes the UTF-8 code point at `i` and advances past it; false on malformed input.
bool DecodeUtf8(absl::string_view s, size_t& i, uint32_t& cp);
bool IsValidUtf8(absl::string_view text);
// At most `max_bytes` bytes of `text`, cut between characters (a malformed tail is dropped), with
// "…" appended (and counted) when anything was cut.
std::string ShortenUtf8(absl::string_view text, size_t max_bytes);

// INVALID_ARGUMENT "Поле F обязательно" when blank, "Поле F: не длиннее N байт UTF-8" when too
// long or not UTF-8.
absl::Status RequireText(absl::string_view v, absl::string_view field, size_t max = 1000);
// The same, an empty value allowed.
absl::Status OptionalText(absl::string_view v, absl::string_view field, size_t max = 1000);

}  // namespace nms
