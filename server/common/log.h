#pragma once
// Structured logs: one JSON object per line on stderr. Callers pass only technical fields
// (method, status, ids, durations); personal data (names, birth dates, contacts, passwords,
// tokens) must never be passed here — the log-scan test enforces it.

#include "absl/strings/string_view.h"
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace nms::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLevel(Level level);
bool ParseLevel(absl::string_view text, Level* level);
bool Enabled(Level level);

using Field = std::pair<absl::string_view, std::string>;
void Write(Level level, absl::string_view message, std::initializer_list<Field> fields = {});

inline void Info(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kWarn, m, f); }
inline void Error(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kError, m, f); }
inline void Debug(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kDebug, m, f); }

}  // namespace nms::log
