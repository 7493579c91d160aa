#pragma once
// Who may be appointed a regional methodist (региональный методист). Moscow Oblast regulation
// §(региональный методический актив) and the Arkhangelsk model «Требования к региональным
// методистам»: the highest qualification category, higher pedagogical education and at least
// five years of work by speciality (here: since the card's work start date). Pure.

#include <optional>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "server/domain/directory/person.h"

namespace nms::directory {

struct MethodistCard {
  int qualification_category = 0;  // nms.v1.QualificationCategory
  int education = 0;               // nms.v1.EducationLevel
  std::optional<absl::CivilDay> work_start_date;
};

inline MethodistCard MethodistCardOf(const PersonRecord& p) {
  return {p.qualification_category, p.education, p.work_start_date};
}

constexpr int kMinRegionalMethodistYears = 5;

// OK when the card qualifies; FAILED_PRECONDITION listing every requirement the card misses
// (or does not state), in Russian.
absl::Status CheckRegionalMethodistEligible(const MethodistCard& card, absl::CivilDay today);

}  // namespace nms::directory
