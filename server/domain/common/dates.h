#pragma once
// Calendar dates for the domain: absl::CivilDay, with parsing of the formats users type
// (ДД.ММ.ГГГГ and ISO ГГГГ-ММ-ДД) and whole-year age arithmetic.

#include "absl/strings/string_view.h"
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace nms {

// Builds a day from y/m/d, rejecting impossible dates (31.02) instead of normalising them.
absl::StatusOr<absl::CivilDay> MakeDay(int year, int month, int day, absl::string_view field);

// Parses "ДД.ММ.ГГГГ" or "ГГГГ-ММ-ДД".
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text, absl::string_view field);

// "ГГГГ-ММ-ДД".
std::string FormatDay(absl::CivilDay day);

// Completed years between `from` and `on` (age on a date; birthday counts on the day itself).
int FullYearsBetween(absl::CivilDay from, absl::CivilDay on);

}  // namespace nms

namespace nms {
// "ДД.ММ.ГГГГ", as Russian texts show a date.
std::string FormatDayRu(absl::CivilDay day);
}  // namespace nms
