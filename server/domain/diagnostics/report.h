#pragma once
// Report maths of diagnostics (pure): the aggregate of a school, municipality or region (share
// diagnosed, level distribution overall and per area, most frequent deficits), the comparison
// of a teacher's two diagnoses, and the CSV export of results.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/domain/diagnostics/scoring.h"

namespace nms::diagnostics {

// One diagnosed person's result as the aggregate needs it.
struct ReportRow {
  int64_t person_id = 0;
  Level overall_level = Level::kUnspecified;
  double overall_score = 0;
  std::vector<AreaResult> areas;
  std::vector<std::pair<std::string, int>> deficits;  // indicator code, area
};

struct LevelShare {
  Level level = Level::kUnspecified;
  int64_t count = 0;
  double share_percent = 0;  // of the diagnosed
};

struct AreaDistribution {
  int area = 0;
  std::vector<LevelShare> levels;  // all four levels, недостаточный first
  double mean_score = 0;           // over those assessed in the area
  int64_t assessed = 0;
};

struct DeficitCount {
  std::string code;
  int area = 0;
  int64_t count = 0;
  double share_percent = 0;  // of the diagnosed
};

struct AggregateSummary {
  int64_t population = 0;
  int64_t diagnosed = 0;
  double diagnosed_share_percent = 0;  // diagnosed / population
  std::vector<LevelShare> overall;     // all four levels
  std::vector<AreaDistribution> areas; // in `area_order`, then any other area seen
  std::vector<DeficitCount> top_deficits;
};

// Percentages rounded to 0.01 (0 when the denominator is 0).
double Percent(int64_t part, int64_t whole);

// `rows` holds at most one row per person (the caller picks which result counts); duplicates
// are counted once (the first). Top deficits: by count, then area order, then code.
AggregateSummary Summarize(const std::vector<ReportRow>& rows, int64_t population, const std::vector<int>& area_order,
                           int top_n);

// Two diagnoses of one teacher side by side.
struct AreaDelta {
  int area = 0;
  double previous_score = 0;
  double current_score = 0;
  double delta = 0;  // current - previous, percentage points
  Level previous_level = Level::kUnspecified;
  Level current_level = Level::kUnspecified;
};

struct ProfileComparison {
  std::vector<AreaDelta> areas;      // areas assessed both times, in the current order
  std::vector<std::string> closed;   // deficits before, assessed now and not deficits now
  std::vector<std::string> opened;   // deficits now that were not before (current rank order)
};

struct ProfileView {
  std::vector<AreaResult> areas;
  std::set<std::string> assessed_codes;
  std::vector<std::string> deficit_codes;  // by rank
};

ProfileComparison Compare(const ProfileView& previous, const ProfileView& current);

// One exported result.
struct CsvResultRow {
  std::string person;  // "people/12"
  std::string full_name;
  std::string organization;
  std::string position;
  std::string diagnosis_date;  // ГГГГ-ММ-ДД
  double overall_score = 0;
  Level overall_level = Level::kUnspecified;
  std::map<int, AreaResult> areas;
  std::vector<std::string> deficit_codes;
  std::string result;    // "results/7"
  std::string campaign;  // may be empty
  std::string source;    // "сессия" / "импорт"
};

// CSV for Excel (common/csv.h: BOM, `;`, decimal comma, Russian header, names not ids): ФИО,
// organisation, position, diagnosis date, overall score and level, a score and a level column
// per area of `areas`, deficit codes ("; "-joined), campaign (its title), source.
std::string RenderResultsCsv(const std::vector<int>& areas, const std::vector<CsvResultRow>& rows);

}  // namespace nms::diagnostics
