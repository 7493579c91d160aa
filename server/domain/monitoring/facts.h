#pragma once
// The facts the indicators count (docs/domain.md §6), defined once over plain records that the
// repository loads for a region. Every rule that decides whether a person or an organisation
// counts lives here: "basic level and above", the young-teacher cohort (under 35, first three
// years), active at a date, in the period, distinct people per methodist, and so on.

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/civil_time.h"
#include "server/domain/monitoring/indicators.h"
#include "server/domain/young/cohort.h"

namespace nms::monitoring {

using Day = absl::CivilDay;
using OptDay = std::optional<absl::CivilDay>;

// An interval [start, end] with an open end; active at `d` when start <= d (or no start) and
// (no end or d <= end).
bool ActiveAt(const OptDay& start, const OptDay& end, Day d);
// True when [start, end] overlaps the range (open end = still going).
bool Overlaps(const OptDay& start, const OptDay& end, const DateRange& r);

// Level "basic and above" (nms.v1.CompetencyLevel BASIC=2, ADVANCED=3, HIGH=4).
bool IsBasicOrAbove(int level);

// The young-teacher cohort rule lives in the young-teacher domain.
using young::InYoungCohort;

struct OrgRec {
  int64_t id = 0;
  int64_t municipality_id = 0;  // 0 = regional organisation
  int64_t district_id = 0;
  int type = 0;
};
// A teacher's placement over time: one record per primary employment (or the directory's
// current placement when the person has none, with open dates). A teacher counts in the
// organisation of the record active at the reference date.
struct TeacherRec {
  int64_t person_id = 0;
  int64_t organization_id = 0;
  OptDay birth_date;
  OptDay work_start_date;
  int management_role = 0;  // people.management_role; > 0 = head / deputy
  OptDay employed_from;
  OptDay employed_to;
  int category = 0;  // employments.position_category (PositionCategory); 0 = derive from management_role
};

// Position categories (nms.v1.PositionCategory): the regulations count "педагогические
// работники" (pedagogical workers) and "педагогические работники и управленческие кадры"
// (plus heads and deputies); other staff count in neither.
constexpr int kCategoryPedagogical = 1, kCategoryManager = 2, kCategoryOther = 3;
// The category of a placement; unset = manager when the record has a management role, else pedagogical.
int EffectiveCategory(const TeacherRec& t);
struct DiagnosisRec {  // FINAL diagnostic results
  int64_t person_id = 0;
  Day date;
  int level = 0;
};
struct RouteRec {
  int64_t person_id = 0;
  int status = 0;  // nms.v1.RouteStatus
  bool from_diagnostics = false;
  Day created;
  OptDay completed;
};
struct CompletionRec {
  int64_t person_id = 0;
  OptDay end_date;
  bool federal_registry = false;
  bool chosen_from_diagnostics = false;
  bool attestation_passed = false;
  bool quality_management = false;
  OptDay start_date;  // "took part" counts a course running in the period, passed or not
};
struct MembershipRec {  // management team
  int64_t person_id = 0;
  int64_t organization_id = 0;
  OptDay start, end;
};
struct PersonSpanRec {  // community membership, expert activity, support measure
  int64_t person_id = 0;
  OptDay start, end;
  int level = 0;  // communities: nms.v1.CommunityLevel (1 regional, 2 municipal, 3 school)
};
struct OrgSpanRec {  // org in internship platform / management mentoring / mentoring programme
  int64_t organization_id = 0;
  OptDay start, end;
};
struct MenteeRec {  // young teacher as mentee of a started ACTIVE or COMPLETED person pair
  int64_t person_id = 0;
  OptDay start, end;
};
struct AssignmentRec {
  int64_t methodist_id = 0;
  int64_t teacher_id = 0;
  int role = 0;  // nms.v1.MethodistRole; 1 = regional methodist
  OptDay start, end;
};
struct StaffRec {
  int64_t person_id = 0;
  OptDay start, end;
  bool federally_trained = false;
  OptDay federal_training_date;
};
struct EventRec {
  OptDay start, end;
  int level = 1;  // nms.v1.CommunityLevel; 1 = regional
};

// Everything loaded for one region.
struct FactInputs {
  std::vector<OrgRec> organizations;
  std::vector<TeacherRec> teachers;
  std::vector<DiagnosisRec> diagnoses;
  std::vector<RouteRec> routes;
  std::vector<CompletionRec> completions;
  std::vector<MembershipRec> management;
  std::vector<PersonSpanRec> communities;
  std::vector<PersonSpanRec> expert;
  std::vector<PersonSpanRec> support_measures;
  std::vector<MenteeRec> mentees;
  std::vector<OrgSpanRec> internship_orgs;
  std::vector<OrgSpanRec> management_mentoring_orgs;
  std::vector<OrgSpanRec> mentoring_programmes;
  std::vector<AssignmentRec> assignments;
  std::vector<StaffRec> cnppm_staff;
  std::vector<EventRec> events;
  int young_age_limit = 35;
  int young_years_limit = 3;
};

// A scope: everything (region), or the organisations of a district / municipality / one org.
struct Scope {
  ScopeLevel level = ScopeLevel::kRegion;
  int64_t id = 0;  // region/district/municipality/organisation id
};

// Counts facts for scopes of one region. Build once per (inputs, reference date) and ask for
// any number of (scope, fact, period) counts: each (fact, types, period) is evaluated once over
// the region and bucketed by organisation, so a drill-down costs no more passes. Not
// thread-safe (the bucket cache is filled lazily).
class FactCounter {
 public:
  FactCounter(const FactInputs& in, Day ref);
  int64_t Count(const Scope& scope, const FactRef& ref, const DateRange& period) const;

 private:
  // The distinct ids (people or organisations) of a fact in a scope; for regional facts the
  // number itself. `by_org` tells which kind the ids are.
  int64_t Collect(const Scope& s, const FactRef& f, const DateRange& period, absl::flat_hash_set<int64_t>* ids,
                  bool* by_org = nullptr) const;
  bool OrgInScope(int64_t org_id, const Scope& s, const std::vector<int>& types) const;
  bool OrgMatches(int64_t org_id, const Scope& s) const;  // scope only, no type filter

  struct CacheKey {
    int fact;
    std::vector<int> types;
    Day start, end;
    bool operator==(const CacheKey& o) const {
      return fact == o.fact && types == o.types && start == o.start && end == o.end;
    }
    template <typename H>
    friend H AbslHashValue(H h, const CacheKey& k) {
      return H::combine(std::move(h), k.fact, k.types, k.start - Day(1970, 1, 1), k.end - Day(1970, 1, 1));
    }
  };
  mutable absl::flat_hash_map<CacheKey, absl::flat_hash_map<int64_t, int64_t>> cache_;
  // Regional methodists per organisation of their teachers, per organisation-type filter.
  mutable absl::flat_hash_map<std::vector<int>, absl::flat_hash_map<int64_t, absl::flat_hash_set<int64_t>>> methodists_;
  bool PersonInScope(int64_t person_id, const Scope& s, const std::vector<int>& types) const;
  // Management teams plus municipal methodological service specialists, per organisation.
  const absl::flat_hash_map<int64_t, int64_t>& TeamsAndMms(const FactRef& f, const DateRange& period) const;
  // Organisation spans: at the reference date for cumulative periods, else overlapping the period.
  bool SpanCounts(const OptDay& start, const OptDay& end, const DateRange& period) const;

  const FactInputs& in_;
  Day ref_;
  absl::flat_hash_map<int64_t, const OrgRec*> orgs_;
  absl::flat_hash_map<int64_t, int64_t> person_org_;  // teachers employed at the reference date
  absl::flat_hash_map<int64_t, int> person_cat_;      // their position category there
  std::vector<const TeacherRec*> teachers_;           // their records
};

}  // namespace nms::monitoring
