#pragma once
// Effectiveness indicators of the regional system (docs/domain.md §6): a definition is a
// numerator and a denominator over named facts, a period, a target with a comparison. The
// facts themselves are defined here, once, over plain per-person and per-organisation
// records loaded by the repository (see facts.h); this file evaluates definitions, ships the
// presets as data and handles periods and quarters. Pure C++: no SQL, gRPC or protobuf.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace nms::monitoring {

// Values equal nms.v1.MonitoringFact.
enum class Fact : int {
  kUnspecified = 0,
  kConstantOne = 1,
  kTeachers = 2,
  kTeachersDiagnosed = 3,
  kTeachersDiagnosedBasicOrAbove = 4,
  kTeachersWithRoute = 5,
  kTeachersRouteCompleted = 6,
  kTeachersCompletedFrDpp = 7,
  kTeachersCompletedFrDppFromDiagnostics = 8,
  kManagementTeams = 9,
  kManagementTeamsTrained = 10,
  kManagementTeamsTrainedQualityManagement = 11,
  kRegionalMethodists = 12,
  kYoungTeachers = 13,
  kYoungTeachersSupported = 14,
  kOrganizations = 15,
  kOrganizationsWithMentoringProgramme = 16,
  kOrganizationsInManagementMentoring = 17,
  kOrganizationsInInternshipPlatforms = 18,
  kTeachersInCommunities = 19,
  kTeachersInExpertActivity = 20,
  kCnppmStaff = 21,
  kCnppmStaffFederallyTrained = 22,
  kRegionalEvents = 23,
  kAttestation = 24,
  kManagementTeamsTookPart = 25,
  kTeachersAssignedToRegionalMethodist = 26,
  kPedagogicalWorkers = 27,
  kTeamsAndMmsSpecialists = 28,
  kTeamsAndMmsSpecialistsTookPart = 29,
};
constexpr int kFactCount = 30;
bool IsValidFact(int v);

// Values equal nms.v1.IndicatorValueKind / IndicatorPeriod / TargetComparison /
// IndicatorScopeLevel / IndicatorStatus / IndicatorPreset.
enum class ValueKind : int { kUnspecified = 0, kPercent = 1, kRatio = 2, kCount = 3, kBoolean = 4 };
enum class Period : int { kUnspecified = 0, kYear = 1, kHalfYear = 2, kQuarter = 3, kCumulative = 4 };
enum class Comparison : int { kUnspecified = 0, kGreaterOrEqual = 1, kLessOrEqual = 2, kEqual = 3 };
enum class ScopeLevel : int { kUnspecified = 0, kRegion = 1, kDistrict = 2, kMunicipality = 3, kOrganization = 4 };
enum class Status : int { kUnspecified = 0, kReached = 1, kNotReached = 2, kNotApplicable = 3 };
enum class Preset : int { kUnspecified = 0, kMoscowOblast = 1, kMordovia = 2, kSakhalin = 3, kMunicipal = 4 };

// Organisation types (nms.v1.OrganizationType values).
// kOrgAdditional is ДПО (further professional education); kOrgChildrenAdditional is
// additional education of children (Sakhalin order §6.3 item 6 names them apart).
constexpr int kOrgSchool = 1, kOrgKindergarten = 2, kOrgCollege = 3, kOrgAdditional = 4, kOrgCnppm = 5,
              kOrgMunicipalService = 8, kOrgChildrenAdditional = 9;
constexpr int kMaxOrgType = 9;

struct FactRef {
  Fact fact = Fact::kUnspecified;
  // Empty = the fact's default (all educational organisations: types 1..4).
  std::vector<int> organization_types;
};

struct Definition {
  int64_t id = 0;
  std::string code;
  int ordinal = 0;
  std::string title;
  std::string description;
  Preset preset = Preset::kUnspecified;
  FactRef numerator;
  FactRef denominator;
  ValueKind value_kind = ValueKind::kPercent;
  ScopeLevel scope_level = ScopeLevel::kRegion;
  Period period = Period::kYear;
  double target_value = 0;
  Comparison comparison = Comparison::kGreaterOrEqual;
  std::string source_clause;
  std::string denominator_note;
  bool enabled = true;
};

// Empty when valid; otherwise Russian messages naming the field.
std::vector<std::string> ValidateDefinition(const Definition& d);

// [start, end] of the period ending at `ref` (CUMULATIVE starts at 1900-01-01).
struct DateRange {
  absl::CivilDay start;
  absl::CivilDay end;
};
DateRange PeriodRange(Period period, absl::CivilDay ref);

// Quarters whose last day lies in [from, to], oldest first: (year, quarter, last day).
struct Quarter {
  int year;
  int quarter;
  absl::CivilDay last_day;
};
std::vector<Quarter> QuartersEnding(absl::CivilDay from, absl::CivilDay to);

struct Evaluation {
  int64_t numerator = 0;
  int64_t denominator = 0;
  double value = 0;
  Status status = Status::kNotApplicable;
  std::string note;  // Russian, empty when applicable
};

// Evaluates counted facts against a definition. For BOOLEAN indicators `attestation` is the
// attested value for the period (nullopt = no attestation -> not applicable).
Evaluation Evaluate(const Definition& d, int64_t numerator, int64_t denominator,
                    std::optional<bool> attestation = std::nullopt);

bool TargetReached(double value, double target, Comparison cmp);

// ---- presets

struct PresetInfo {
  Preset preset;
  std::string title;
  std::string source;
  std::vector<Definition> definitions;
  // How often the regulation monitors the set (Mordovia regulation §7: at least every half-year; the
  // others yearly); the dashboard offers reports for periods of this length.
  Period monitoring_period = Period::kYear;
};
const std::vector<PresetInfo>& Presets();
const PresetInfo* FindPreset(Preset preset);

// Display helpers (Russian).
const char* ComparisonSign(Comparison c);
const char* StatusTitle(Status s);
std::string FormatValue(double v, ValueKind kind);

}  // namespace nms::monitoring
