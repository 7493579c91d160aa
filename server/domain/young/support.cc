#include "server/domain/young/support.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/domain/common/dates.h"

namespace nms::young {

bool IsSupport(const Measure& m) {
  return m.status == MeasureStatus::kActive || m.status == MeasureStatus::kCompleted;
}

bool ActiveOn(const Measure& m, absl::CivilDay day) {
  return IsSupport(m) && m.start <= day && (!m.end.has_value() || *m.end >= day);
}

std::optional<absl::CivilDay> LastSupportDay(const Measure& m, absl::CivilDay ref) {
  if (!IsSupport(m) || m.start > ref) return std::nullopt;
  if (m.end.has_value() && *m.end < ref) return *m.end;
  return ref;
}

absl::CivilDay AddYears(absl::CivilDay day, int years) {
  // CivilDay normalises 29.02 of a common year to 01.03, which is when FullYearsBetween
  // counts the anniversary.
  return absl::CivilDay(day.year() + years, day.month(), day.day());
}

absl::CivilDay MonthsBefore(absl::CivilDay day, int months) {
  absl::CivilMonth m = absl::CivilMonth(day) - months;
  absl::CivilDay first(m);
  int days_in_month = static_cast<int>(absl::CivilDay(m + 1) - first);
  return first + (std::min(day.day(), days_in_month) - 1);
}

int FullMonthsBetween(absl::CivilDay from, absl::CivilDay on) {
  if (on < from) return 0;
  int months = static_cast<int>((on.year() - from.year()) * 12 + (on.month() - from.month()));
  if (on.day() < from.day()) --months;
  return std::max(months, 0);
}

std::string RussianDate(absl::CivilDay day) {
  return absl::StrFormat("%02d.%02d.%04d", day.day(), day.month(), day.year());
}

absl::CivilDay CohortEndDate(absl::CivilDay birth, absl::CivilDay work_start, const Settings& s) {
  return std::min(AddYears(birth, s.age_limit_years), AddYears(work_start, s.experience_limit_years));
}

bool Assessment::HasAlert(AlertKind kind) const {
  for (const auto& a : alerts) {
    if (a.kind == kind) return true;
  }
  return false;
}

Assessment Assess(absl::CivilDay birth, absl::CivilDay work_start, const std::vector<Measure>& measures,
                  bool route_pending, absl::CivilDay ref, const Settings& settings, int window_months) {
  Assessment a;
  a.age_years = FullYearsBetween(birth, ref);
  a.experience_months = FullMonthsBetween(work_start, ref);
  a.cohort_end = CohortEndDate(birth, work_start, settings);

  std::optional<absl::CivilDay> mentor_ended;  // latest end of a mentoring that is over by ref
  for (const auto& m : measures) {
    bool active = ActiveOn(m, ref);
    if (active) ++a.active_measures;
    a.in_support = a.in_support || active;
    if (auto last = LastSupportDay(m, ref)) {
      if (!a.last_measure_date || *a.last_measure_date < *last) a.last_measure_date = *last;
    }
    if (m.kind == MeasureKind::kMentor) {
      a.has_mentor = a.has_mentor || active;
      if (!active && IsSupport(m) && m.end && *m.end < ref && (!mentor_ended || *mentor_ended < *m.end)) {
        mentor_ended = *m.end;
      }
    }
    if (m.kind == MeasureKind::kRoute && IsSupport(m) && m.start <= ref) a.has_route = true;
  }

  // Cohort entry is the work start: nobody becomes younger, so age never brings one in.
  if (!a.has_mentor) {
    Alert alert{AlertKind::kNoMentor, work_start, "Наставник не закреплён"};
    if (mentor_ended) {
      alert.since = std::max(work_start, *mentor_ended + 1);
      alert.detail = absl::StrCat("Наставничество завершено ", RussianDate(*mentor_ended), "; новый наставник не закреплён");
    }
    a.alerts.push_back(std::move(alert));
  }
  if (!a.has_route) {
    a.alerts.push_back({AlertKind::kNoRoute, work_start,
                        route_pending ? "ИОМ составлен, но ещё не утверждён" : "Индивидуальный образовательный маршрут не составлен"});
  }
  absl::CivilDay window_start = MonthsBefore(ref, window_months);
  if (!a.last_measure_date || *a.last_measure_date < window_start) {
    Alert alert{AlertKind::kNoRecentMeasure, work_start,
                absl::StrCat("Нет мер поддержки за последние ", window_months, " мес.; мер поддержки не было")};
    if (a.last_measure_date) {
      alert.since = std::max(work_start, *a.last_measure_date + 1);
      alert.detail = absl::StrCat("Нет мер поддержки за последние ", window_months, " мес.; последняя завершилась ",
                                  RussianDate(*a.last_measure_date));
    }
    a.alerts.push_back(std::move(alert));
  }
  return a;
}

}  // namespace nms::young
