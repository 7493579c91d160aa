#pragma once
// The support state of one young teacher at a reference date (docs/domain.md §5): whether they
// have a mentor, an ИОМ, any support right now, when they were last supported, and which
// alerts apply ("no mentor", "no ИОМ", "no support measure in the last N months").
//
// Measures come from three places and are judged alike: the ones schools and methodists
// record (events, clubs, competitions, visits), and two kinds derived on read from the other
// areas — MENTOR from a mentoring pair, ROUTE from an approved ИОМ. A measure is support only
// while ACTIVE or once COMPLETED, over its dates; PLANNED and CANCELLED ones are not (the
// same rule monitoring's indicator 8 counts by).

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/domain/young/settings.h"

namespace nms::young {

// Values equal nms.v1.SupportMeasureKind / SupportMeasureStatus / YoungTeacherAlertKind.
enum class MeasureKind : int {
  kUnspecified = 0,
  kMentor = 1,
  kRoute = 2,
  kEvent = 3,
  kClub = 4,
  kCompetition = 5,
  kMethodologicalVisit = 6,
  kOther = 7,
};
enum class MeasureStatus : int { kUnspecified = 0, kPlanned = 1, kActive = 2, kCompleted = 3, kCancelled = 4 };
enum class AlertKind : int { kNoMentor = 1, kNoRoute = 2, kNoRecentMeasure = 3 };

struct Measure {
  MeasureKind kind = MeasureKind::kOther;
  MeasureStatus status = MeasureStatus::kPlanned;
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;  // unset = ongoing
};

// ACTIVE or COMPLETED: the measure happened (or is happening).
bool IsSupport(const Measure& m);
// A support measure whose dates cover `day`.
bool ActiveOn(const Measure& m, absl::CivilDay day);
// The latest day on or before `ref` on which the measure was support, if any.
std::optional<absl::CivilDay> LastSupportDay(const Measure& m, absl::CivilDay ref);

// Calendar helpers consistent with nms::FullYearsBetween (a 29 February anniversary falls on
// 1 March in other years).
absl::CivilDay AddYears(absl::CivilDay day, int years);
// The same day `months` months earlier, clamped to the end of a shorter month (31.03 → 28.02).
absl::CivilDay MonthsBefore(absl::CivilDay day, int months);
// Completed months between the dates (0 when `on` is before `from`).
int FullMonthsBetween(absl::CivilDay from, absl::CivilDay on);
// "ДД.ММ.ГГГГ", as people read dates in the alerts' details.
std::string RussianDate(absl::CivilDay day);

// The first day the teacher is no longer in the cohort: the earlier of the birthday at the
// age limit and the anniversary of the work start at the experience limit.
absl::CivilDay CohortEndDate(absl::CivilDay birth, absl::CivilDay work_start, const Settings& s);

struct Alert {
  AlertKind kind = AlertKind::kNoMentor;
  absl::CivilDay since;  // since when the condition holds
  std::string detail;    // Russian, for people
};

struct Assessment {
  int age_years = 0;
  int experience_months = 0;
  absl::CivilDay cohort_end;
  bool has_mentor = false;   // a mentor measure active at the date
  bool has_route = false;    // an approved ИОМ (in progress or completed) that started by the date
  bool in_support = false;   // any support measure active at the date
  int active_measures = 0;
  std::optional<absl::CivilDay> last_measure_date;
  std::vector<Alert> alerts;  // in AlertKind order

  bool HasAlert(AlertKind kind) const;
};

// Judges a cohort member at `ref`. `route_pending` says an ИОМ exists but is not approved yet
// (draft or agreed), which only changes the wording of the "no ИОМ" alert. `window_months` is
// the "no recent measure" window (inclusive: a measure active on the day `window_months`
// before `ref` still counts).
Assessment Assess(absl::CivilDay birth, absl::CivilDay work_start, const std::vector<Measure>& measures,
                  bool route_pending, absl::CivilDay ref, const Settings& settings, int window_months);

}  // namespace nms::young
