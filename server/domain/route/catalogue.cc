#include "server/domain/route/catalogue.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/common/text.h"
#include "server/domain/directory/person.h"

namespace nms::route {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("Поле activity.", field, ": ", what));
}

// Messages name the request field: "activity.title".
absl::Status Text(const std::string& v, absl::string_view field, size_t max) {
  return OptionalText(v, absl::StrCat("activity.", field), max);
}

absl::Status Tokens(const std::vector<std::string>& v, absl::string_view field, size_t max_items, size_t max_len) {
  if (v.size() > max_items) return Bad(field, absl::StrCat("не более ", max_items, " значений"));
  std::set<std::string> seen;
  for (const auto& s : v) {
    if (absl::StripAsciiWhitespace(s).empty() || s.size() > max_len || !IsValidUtf8(s) ||
        s.find_first_of("\r\n\t") != std::string::npos) {
      return Bad(field, absl::StrCat("непустые значения в одну строку, не длиннее ", max_len, " байт"));
    }
    if (!seen.insert(s).second) return Bad(field, absl::StrCat("значение «", s, "» повторяется"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateActivity(const ActivityInput& a) {
  if (a.kind < 1 || a.kind > 9) return Bad("kind", "укажите вид мероприятия");
  if (a.event_kind < 0 || a.event_kind > 7) return Bad("event_kind", "неизвестный вид события");
  if (a.event_kind != 0 && a.kind != static_cast<int>(ActivityKind::kEvent)) {
    return Bad("event_kind", "указывается только для мероприятий раздела 1.3");
  }
  if (absl::StripAsciiWhitespace(a.title).empty()) return Bad("title", "обязательно");
  if (auto st = Text(a.title, "title", 1000); !st.ok()) return st;
  if (auto st = Text(a.description, "description", 10000); !st.ok()) return st;
  if (auto st = Text(a.provider_title, "provider_title", 1000); !st.ok()) return st;
  if (auto st = Text(a.federal_registry_id, "federal_registry_id", 128); !st.ok()) return st;
  if (a.hours < 0 || a.hours > 2000) return Bad("hours", "от 0 до 2000 академических часов");
  if (a.format < 0 || a.format > 3) return Bad("format", "неизвестный формат");
  if (a.learning_form < 0 || a.learning_form > 3) return Bad("learning_form", "неизвестная форма обучения");
  if (auto st = Tokens(a.indicator_codes, "addressed_indicator_codes", 100, 64); !st.ok()) return st;
  for (const auto& code : a.indicator_codes) {
    if (code.find_first_of(" ,;") != std::string::npos) return Bad("addressed_indicator_codes", "код показателя без пробелов и запятых");
  }
  std::set<int> areas;
  for (int area : a.areas) {
    if (area < 1 || area > 5) return Bad("addressed_areas", "неизвестная область компетенций");
    if (!areas.insert(area).second) return Bad("addressed_areas", "область повторяется");
  }
  if (a.indicator_codes.empty() && a.areas.empty()) {
    return Bad("addressed_indicator_codes",
               "укажите показатели или области компетенций, на которые направлено мероприятие");
  }
  if (auto st = Tokens(a.positions, "positions", 50, 255); !st.ok()) return st;
  if (auto st = Tokens(a.subjects, "subjects", 50, 100); !st.ok()) return st;
  if (a.start_date && a.end_date && *a.end_date < *a.start_date) return Bad("end_date", "раньше даты начала");
  if (!a.url.empty()) {
    if (auto st = Text(a.url, "url", 2000); !st.ok()) return st;
    bool scheme = absl::StartsWithIgnoreCase(a.url, "https://") || absl::StartsWithIgnoreCase(a.url, "http://");
    if (!scheme || a.url.find_first_of(" \t\r\n") != std::string::npos) return Bad("url", "ожидается ссылка вида https://…");
  }
  return absl::OkStatus();
}

ActivityKind FederalProgrammeKind(int hours) {
  return hours >= 250 ? ActivityKind::kRetraining : ActivityKind::kFurtherTraining;
}

const char* FormatTitle(int format) {
  switch (format) {
    case 1: return "очно";
    case 2: return "дистанционно";
    case 3: return "очно-заочно";
  }
  return "";
}

}  // namespace nms::route
