#include "server/domain/common/dates.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace nms {

absl::StatusOr<absl::CivilDay> MakeDay(int year, int month, int day, absl::string_view field) {
  absl::CivilDay d(year, month, day);
  if (year < 1900 || year > 2200 || d.year() != year || d.month() != month || d.day() != day) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "Поле %s: несуществующая дата %02d.%02d.%04d", field, day, month, year));
  }
  return d;
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text, absl::string_view field) {
  std::vector<absl::string_view> parts;
  bool iso = false;
  if (text.find('.') != absl::string_view::npos) {
    parts = absl::StrSplit(text, '.');
  } else {
    parts = absl::StrSplit(text, '-');
    iso = true;
  }
  int a = 0, b = 0, c = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &a) || !absl::SimpleAtoi(parts[1], &b) ||
      !absl::SimpleAtoi(parts[2], &c)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Поле ", field, ": дата должна быть в формате ДД.ММ.ГГГГ или ГГГГ-ММ-ДД, получено \"",
        text.substr(0, 40), "\""));
  }
  return iso ? MakeDay(a, b, c, field) : MakeDay(c, b, a, field);
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

int FullYearsBetween(absl::CivilDay from, absl::CivilDay on) {
  int years = static_cast<int>(on.year() - from.year());
  if (on.month() < from.month() || (on.month() == from.month() && on.day() < from.day())) {
    --years;
  }
  return years;
}

}  // namespace nms

namespace nms {
std::string FormatDayRu(absl::CivilDay day) {
  return absl::StrFormat("%02d.%02d.%04d", day.day(), day.month(), static_cast<int>(day.year()));
}
}  // namespace nms
