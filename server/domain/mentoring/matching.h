#pragma once
// Optimal mentor–mentee matching (docs/domain.md §4). Pure: plain structs in, pairs with explanations
// out. The assignment maximises the number of matched mentees first and then minimises the total
// cost, solved exactly as a min-cost max-flow:
//   source → mentee (cap 1) → candidate mentor (cap 1, pair cost) → mentor slot k → sink,
// where a mentor's k-th new mentee costs load_weight·(current_load + k) (convex, so the flow fills
// the cheaper slots first and spreads load). Hard exclusions (same person, forbidden pairs,
// other region / locality, a pair type the mentor does not take) never become arcs; pins are
// placed before the solve and consume capacity. Each mentee brings its best
// max_candidates_per_mentee candidates (pair cost + the mentor's load, ties spread by a
// per-mentee hash); a mentee left unmatched with a cut list is solved again with all of its
// candidates. The optimum is exact over the candidate arcs. Deterministic: inputs are sorted by
// id and arcs added in that order; threads only split independent pieces of the network.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/domain/common/parallel.h"

namespace nms::mentoring {

// Values equal nms.v1.PairType.
constexpr int kPairSubject = 1;
constexpr int kPairYoungSpecialist = 2;
constexpr int kPairCompetencyPeer = 3;
constexpr int kPairManagerManager = 4;
constexpr int kPairGroup = 5;
constexpr int kPairOrganizationManagement = 6;

// Values equal nms.v1.PairDistance.
enum class Distance { kSameOrganization = 1, kSameMunicipality = 2, kSameDistrict = 3, kRegion = 4 };
// Values equal nms.v1.UnmatchedReason.
enum class UnmatchedReason { kNoCandidates = 1, kCapacityExhausted = 2, kAllForbidden = 3, kPinConflict = 4 };

struct Place {
  int64_t region_id = 0;
  int64_t district_id = 0;  // 0 = municipality in no inter-municipal district.
  int64_t municipality_id = 0;
  int64_t organization_id = 0;
};

struct Mentor {
  int64_t id = 0;          // Mentor profile id.
  int64_t entity_id = 0;   // Person id, or organisation id when is_organization.
  bool is_organization = false;
  Place place;
  std::vector<std::string> subjects;
  // Indicator codes and "area:N" tags the mentor is strong in.
  std::vector<std::string> strengths;
  std::vector<int> pair_types;  // nms.v1.PairType values; empty = any.
  int capacity = 0;
  int current_load = 0;  // Mentees in proposed/accepted/active pairs before this run.
};

struct Mentee {
  int64_t id = 0;  // Mentee request id.
  int64_t entity_id = 0;
  bool is_organization = false;
  Place place;
  std::vector<std::string> subjects;
  // Indicator codes and "area:N" tags to work on, most severe first; empty = none known.
  std::vector<std::string> deficits;
  int pair_type = 0;  // nms.v1.PairType; 0 = any.
};

// Constraints refer to mentor profile ids and mentee request ids.
struct PairRef {
  int64_t mentee_id = 0;
  int64_t mentor_id = 0;
};

struct CostWeights {
  int64_t subject_mismatch = 30;
  int64_t all_deficits_uncovered = 40;  // Scaled by the uncovered share.
  int64_t same_organization = 0;
  int64_t same_municipality = 10;
  int64_t same_district = 25;
  int64_t region = 40;
  int64_t load_per_mentee = 5;
};

struct MatchingOptions {
  int max_candidates_per_mentee = 30;
  bool allow_cross_municipality = false;  // Also same district; otherwise same municipality only.
  CostWeights weights;
  // Runs independent pieces (mentees' candidate scans, pieces of the network) at once; the
  // caller alone when none is given. The result does not depend on it.
  ParallelRunner* parallel = nullptr;
  bool greedy_baseline = false;  // Benchmarks only: the greedy matcher on the same candidates.
};

struct Explanation {
  bool subject_match = false;
  std::vector<std::string> shared_subjects;
  std::vector<std::string> covered_deficits;
  std::vector<std::string> uncovered_deficits;
  Distance distance = Distance::kRegion;
  int mentor_load_before = 0;
  int mentor_load_after = 0;
  int mentor_capacity = 0;
  std::string summary;  // Russian, one line.
};

struct MatchedPair {
  int64_t mentee_id = 0;
  int64_t mentor_id = 0;
  int pair_type = 0;  // nms.v1.PairType of the pair (ResolvePairType)
  int64_t cost = 0;  // Pair cost plus the load cost of the slot it took.
  bool pinned = false;
  Explanation explanation;
};

struct Unmatched {
  int64_t mentee_id = 0;
  UnmatchedReason reason = UnmatchedReason::kNoCandidates;
  std::string detail;  // Russian.
};

struct MatchingResult {
  std::vector<MatchedPair> pairs;  // Ordered by mentee id.
  std::vector<Unmatched> unmatched;  // Ordered by mentee id.
  int mentees = 0;
  int mentors = 0;
  int64_t candidate_edges = 0;
  int matched = 0;
  int64_t total_cost = 0;
};

// The bare assignment problem (exposed for tests and the benchmark): mentees 0..n-1, mentors
// 0..m-1, candidate arcs with costs, free slots and load per mentor.
struct AssignmentProblem {
  struct Arc {
    int mentee = 0;
    int mentor = 0;
    int64_t cost = 0;
  };
  int mentees = 0;
  std::vector<Arc> arcs;
  std::vector<int> free_slots;    // Per mentor.
  std::vector<int> current_load;  // Per mentor.
  int64_t load_weight = 0;
};

// Mentor index per mentee, -1 = unmatched: the maximum number of matched mentees, and among
// those the minimum total cost (arc costs + convex load costs). Independent pieces of the
// candidate graph are solved on `parallel`'s workers; the result does not depend on it.
std::vector<int> SolveAssignmentExact(const AssignmentProblem& p, ParallelRunner& parallel = RunInCaller());
// Baseline: mentees in order take their cheapest candidate with a free slot.
std::vector<int> SolveAssignmentGreedy(const AssignmentProblem& p);
struct Objective {
  int matched = 0;
  int64_t cost = 0;
  friend bool operator==(const Objective& a, const Objective& b) {
    return a.matched == b.matched && a.cost == b.cost;
  }
};
// Matched count and total cost (arc costs + convex load costs) of an assignment; matched = -1
// when the assignment violates a capacity or uses a non-candidate pair.
Objective Evaluate(const AssignmentProblem& p, const std::vector<int>& assignment);

// The pair cost formula: subject mismatch, the uncovered share of the deficits, distance.
int64_t CostOf(const CostWeights& w, bool mentee_has_subjects, bool subject_match, int64_t deficits,
               int64_t covered, Distance distance);

// Whether the mentor takes pairs of `pair_type` (0 = any): organisation profiles only
// management mentoring of organisations; manager–manager and group pairs only when declared;
// other types when declared or when the mentor declared none.
bool TakesPairType(const Mentor& mentor, int pair_type);

// The type a matched pair gets: the requested one, else by what the match rests on.
int ResolvePairType(const Mentor& mentor, const Mentee& mentee, const Explanation& e);

// Cost of one pair without the load part, with its explanation (load fields left zero).
int64_t PairCost(const Mentor& mentor, const Mentee& mentee, const CostWeights& w,
                 Explanation* explanation);
Distance DistanceBetween(const Place& a, const Place& b);

// Full matching: candidates, exclusions, pins, exact solve, explanations.
MatchingResult Match(std::vector<Mentor> mentors, std::vector<Mentee> mentees,
                     const std::vector<PairRef>& forbidden, const std::vector<PairRef>& pins,
                     const MatchingOptions& options);

}  // namespace nms::mentoring
