#pragma once
// Building a draft ИОМ from a deficit profile and the activity catalogue (the ИОМ template, docs/domain.md §3),
// the derived progress of a route and the effect of a re-diagnosis. Pure and deterministic:
// the same inputs give the same route, byte for byte, so bulk generation is reproducible.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/domain/route/lifecycle.h"

namespace nms::route {

// Values equal nms.v1.RouteSection.
enum class Section : int {
  kFurtherTraining = 1, kInternship = 2, kEvents = 3, kCommunities = 4, kExperiencePresentation = 5,
  kMethodologicalMaterials = 6, kMentoring = 7,
};
// Values equal nms.v1.ActivityKind.
enum class ActivityKind : int {
  kFurtherTraining = 1, kRetraining = 2, kInternship = 3, kEvent = 4, kCommunity = 5,
  kExperiencePresentation = 6, kMethodologicalMaterials = 7, kMentoringWithMentor = 8,
  kMentoringAsMentor = 9,
};

// Values equal nms.v1.RouteMentoringRole: the sub-row of the template's section 3.
enum class MentoringRole : int { kNone = 0, kWithMentor = 1, kAsMentor = 2 };

Section SectionOf(ActivityKind kind);
// The section 3 sub-row of a catalogue activity's kind; kNone for the other sections.
MentoringRole MentoringRoleOf(ActivityKind kind);
const char* SectionNumber(Section s);  // "1.1" … "3"
const char* SectionTitle(Section s);   // Russian heading of the template

struct Deficit {
  std::string indicator_code;
  int area = 0;  // nms.v1.CompetencyArea
  std::string title;
  double score = 0;
  int rank = 0;  // 1 = most severe
};

struct Activity {
  int64_t id = 0;
  ActivityKind kind = ActivityKind::kEvent;
  std::string title;
  int hours = 0;
  std::string format_title;    // "очно", "дистанционно", …
  std::string provider_title;
  std::string federal_registry_id;
  std::vector<std::string> indicator_codes;
  std::vector<int> areas;
  std::vector<std::string> positions;  // empty = any
  std::vector<std::string> subjects;   // empty = any
  std::optional<absl::CivilDay> start_date, end_date;
  bool active = true;
};

struct Teacher {
  std::string position;
  std::vector<std::string> subjects;
};

struct GenerationOptions {
  absl::CivilDay start_date;
  int horizon_months = 12;
  int max_items_per_deficit = 2;
  // Upper bound of the route's hours. Coverage wins over the bound only when a deficit would
  // otherwise stay uncovered, and then with the cheapest activity that covers it.
  int max_total_hours = 180;
  bool include_mentoring = false;
};

struct GeneratedItem {
  Section section = Section::kEvents;
  int position = 0;        // within the section, from 1
  int64_t activity_id = 0; // 0 = custom (mentoring fallback)
  std::string title;
  std::string form;
  int hours = 0;
  absl::CivilDay deadline;
  std::vector<std::string> closes;  // indicator codes
  std::string reason;
  MentoringRole mentoring_role = MentoringRole::kNone;  // section 3 only
};

struct GeneratedRoute {
  absl::CivilDay planned_start, planned_end;
  std::vector<GeneratedItem> items;  // ordered by section, then position
  std::vector<std::string> uncovered;  // indicator codes no catalogue entry addresses
  int total_hours = 0;
};

GeneratedRoute Generate(const std::vector<Deficit>& deficits, const std::vector<Activity>& catalogue,
                        const Teacher& teacher, const GenerationOptions& options);

// ---- derived progress
struct ItemFacts {
  ItemStatus status = ItemStatus::kPlanned;
  int hours = 0;
  std::vector<std::string> closes;
};
struct Progress {
  int total = 0, planned = 0, in_progress = 0, done = 0, skipped = 0;
  double percent_closed = 0;
  int hours_planned = 0, hours_done = 0;
  int deficits_covered = 0, deficits_total = 0;
};
Progress ComputeProgress(const std::vector<ItemFacts>& items, const std::vector<std::string>& deficit_codes);

// ---- re-diagnosis effect
struct AreaScore {
  int area = 0;
  double score = 0;
  int level = 0;
};
struct AreaDelta {
  int area = 0;
  double before = 0, after = 0, delta = 0;
  int before_level = 0, after_level = 0;
};
struct Effect {
  std::vector<AreaDelta> areas;  // by area value; areas present in either diagnosis
  std::vector<std::string> closed, remaining, appeared;  // sorted codes
};
Effect ComputeEffect(const std::vector<AreaScore>& before, const std::vector<AreaScore>& after,
                     const std::vector<std::string>& before_deficits,
                     const std::vector<std::string>& after_deficits);

}  // namespace nms::route
