#include "server/domain/mentoring/matching.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/mentoring/min_cost_flow.h"

namespace nms::mentoring {
namespace {

int64_t SlotCost(const AssignmentProblem& p, int mentor, int k) {
  return p.load_weight * (static_cast<int64_t>(p.current_load[mentor]) + k);
}

std::vector<std::string> SortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

const char* DistanceText(Distance d) {
  switch (d) {
    case Distance::kSameOrganization: return "та же организация";
    case Distance::kSameMunicipality: return "тот же муниципалитет";
    case Distance::kSameDistrict: return "тот же округ";
    case Distance::kRegion: return "другой муниципалитет региона";
  }
  return "";
}

std::string Summary(const Explanation& e, size_t deficits) {
  std::string s = e.subject_match ? absl::StrCat("тот же предмет (", absl::StrJoin(e.shared_subjects, ", "), ")")
                                  : std::string("предмет не совпадает");
  if (deficits == 0) {
    absl::StrAppend(&s, ", дефициты не известны");
  } else {
    absl::StrAppend(&s, ", закрывает ", e.covered_deficits.size(), " из ", deficits,
                    deficits % 10 == 1 && deficits % 100 != 11 ? " дефицита" : " дефицитов");
  }
  absl::StrAppend(&s, ", ", DistanceText(e.distance), ", нагрузка наставника ", e.mentor_load_before,
                  "→", e.mentor_load_after, " из ", e.mentor_capacity);
  return s;
}

}  // namespace

Distance DistanceBetween(const Place& a, const Place& b) {
  if (a.organization_id != 0 && a.organization_id == b.organization_id) return Distance::kSameOrganization;
  if (a.municipality_id != 0 && a.municipality_id == b.municipality_id) return Distance::kSameMunicipality;
  if (a.district_id != 0 && a.district_id == b.district_id) return Distance::kSameDistrict;
  return Distance::kRegion;
}

int64_t CostOf(const CostWeights& w, bool mentee_has_subjects, bool subject_match, int64_t deficits,
               int64_t covered, Distance distance) {
  int64_t cost = 0;
  if (mentee_has_subjects && !subject_match) cost += w.subject_mismatch;
  if (deficits > 0) cost += ((deficits - covered) * w.all_deficits_uncovered + deficits / 2) / deficits;
  switch (distance) {
    case Distance::kSameOrganization: cost += w.same_organization; break;
    case Distance::kSameMunicipality: cost += w.same_municipality; break;
    case Distance::kSameDistrict: cost += w.same_district; break;
    case Distance::kRegion: cost += w.region; break;
  }
  return cost;
}

int64_t PairCost(const Mentor& mentor, const Mentee& mentee, const CostWeights& w,
                 Explanation* e) {
  Explanation local;
  Explanation& x = e != nullptr ? *e : local;
  x.shared_subjects.clear();
  for (const std::string& s : mentee.subjects) {
    if (std::find(mentor.subjects.begin(), mentor.subjects.end(), s) != mentor.subjects.end() &&
        std::find(x.shared_subjects.begin(), x.shared_subjects.end(), s) == x.shared_subjects.end()) {
      x.shared_subjects.push_back(s);
    }
  }
  x.subject_match = !x.shared_subjects.empty();
  x.covered_deficits.clear();
  x.uncovered_deficits.clear();
  for (const std::string& d : mentee.deficits) {
    const bool covered =
        std::find(mentor.strengths.begin(), mentor.strengths.end(), d) != mentor.strengths.end();
    (covered ? x.covered_deficits : x.uncovered_deficits).push_back(d);
  }
  x.distance = DistanceBetween(mentor.place, mentee.place);
  return CostOf(w, !mentee.subjects.empty(), x.subject_match, static_cast<int64_t>(mentee.deficits.size()),
                static_cast<int64_t>(x.covered_deficits.size()), x.distance);
}

namespace {

// Union-find over mentees (0..n-1) and mentors (n..n+m-1).
class Components {
 public:
  explicit Components(int size) : parent_(size) {
    for (int i = 0; i < size; ++i) parent_[i] = i;
  }
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Join(int a, int b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<int> parent_;
};

// One connected piece of the candidate graph: its arcs (indices into p.arcs, in input order).
struct Piece {
  std::vector<int> arcs;
};

void SolvePiece(const AssignmentProblem& p, const Piece& piece, std::vector<int>& assignment) {
  // Local numbering in order of first appearance (deterministic: arcs are in input order).
  absl::flat_hash_map<int, int> mentee_local, mentor_local;
  std::vector<int> mentees, mentors;
  for (int a : piece.arcs) {
    const auto& arc = p.arcs[a];
    if (mentee_local.try_emplace(arc.mentee, static_cast<int>(mentees.size())).second) mentees.push_back(arc.mentee);
    if (mentor_local.try_emplace(arc.mentor, static_cast<int>(mentors.size())).second) mentors.push_back(arc.mentor);
  }
  const int n = static_cast<int>(mentees.size());
  const int m = static_cast<int>(mentors.size());
  const int s = 0;
  const int t = 1 + n + m;
  MinCostFlow flow(t + 1);
  for (int i = 0; i < n; ++i) flow.AddArc(s, 1 + i, 1, 0);
  std::vector<int> arc_ids(piece.arcs.size());
  for (size_t k = 0; k < piece.arcs.size(); ++k) {
    const auto& arc = p.arcs[piece.arcs[k]];
    arc_ids[k] = flow.AddArc(1 + mentee_local[arc.mentee], 1 + n + mentor_local[arc.mentor], 1, arc.cost);
  }
  for (int j = 0; j < m; ++j) {
    // Convex slot costs: the k-th new mentee of a mentor costs load_weight·(load + k).
    for (int k = 0; k < p.free_slots[mentors[j]]; ++k) flow.AddArc(1 + n + j, t, 1, SlotCost(p, mentors[j], k));
  }
  // Costs here are non-negative sums and the graph has no cycle, so Solve cannot refuse it.
  auto solved = flow.Solve(s, t);
  if (!solved.ok()) return;
  for (size_t k = 0; k < piece.arcs.size(); ++k) {
    if (flow.Flow(arc_ids[k]) > 0) {
      const auto& arc = p.arcs[piece.arcs[k]];
      assignment[arc.mentee] = arc.mentor;
    }
  }
}

}  // namespace

std::vector<int> SolveAssignmentExact(const AssignmentProblem& p, ParallelRunner& parallel) {
  const int n = p.mentees;
  const int m = static_cast<int>(p.free_slots.size());
  std::vector<int> assignment(n, -1);
  // The candidate graph falls apart into independent pieces (mentees reach mentors of their
  // own municipality or district only): each piece is solved exactly on its own, which is
  // both the same optimum and far less work than one network (blocking-flow phases grow with
  // the size of a network), and the pieces run on the runner's workers.
  Components comps(n + m);
  for (const auto& arc : p.arcs) {
    if (p.free_slots[arc.mentor] > 0) comps.Join(arc.mentee, n + arc.mentor);
  }
  absl::flat_hash_map<int, int> piece_of_root;
  std::vector<Piece> pieces;
  for (size_t a = 0; a < p.arcs.size(); ++a) {
    const auto& arc = p.arcs[a];
    if (p.free_slots[arc.mentor] <= 0) continue;
    auto [it, inserted] = piece_of_root.try_emplace(comps.Find(arc.mentee), static_cast<int>(pieces.size()));
    if (inserted) pieces.emplace_back();
    pieces[it->second].arcs.push_back(static_cast<int>(a));
  }
  // Largest first, so two workers finish together.
  std::vector<int> order(pieces.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return pieces[a].arcs.size() > pieces[b].arcs.size(); });
  std::atomic<size_t> next{0};
  auto work = [&] {
    // Pieces have disjoint mentees, so workers write disjoint entries of `assignment`.
    for (size_t k = next++; k < order.size(); k = next++) SolvePiece(p, pieces[order[k]], assignment);
  };
  parallel.Run(static_cast<int>(pieces.size()), work);
  return assignment;
}

std::vector<int> SolveAssignmentGreedy(const AssignmentProblem& p) {
  const int m = static_cast<int>(p.free_slots.size());
  std::vector<std::vector<const AssignmentProblem::Arc*>> by_mentee(p.mentees);
  for (const auto& arc : p.arcs) by_mentee[arc.mentee].push_back(&arc);
  std::vector<int> used(m, 0);
  std::vector<int> assignment(p.mentees, -1);
  for (int i = 0; i < p.mentees; ++i) {
    const AssignmentProblem::Arc* best = nullptr;
    int64_t best_cost = 0;
    for (const auto* arc : by_mentee[i]) {
      if (used[arc->mentor] >= p.free_slots[arc->mentor]) continue;
      const int64_t c = arc->cost + SlotCost(p, arc->mentor, used[arc->mentor]);
      if (best == nullptr || c < best_cost) {
        best = arc;
        best_cost = c;
      }
    }
    if (best != nullptr) {
      assignment[i] = best->mentor;
      ++used[best->mentor];
    }
  }
  return assignment;
}

Objective Evaluate(const AssignmentProblem& p, const std::vector<int>& assignment) {
  absl::flat_hash_map<std::pair<int, int>, int64_t> arc_cost;
  for (const auto& arc : p.arcs) {
    auto [it, inserted] = arc_cost.try_emplace({arc.mentee, arc.mentor}, arc.cost);
    if (!inserted) it->second = std::min(it->second, arc.cost);
  }
  Objective o;
  std::vector<int> used(p.free_slots.size(), 0);
  for (int i = 0; i < static_cast<int>(assignment.size()); ++i) {
    const int j = assignment[i];
    if (j < 0) continue;
    auto it = arc_cost.find({i, j});
    if (it == arc_cost.end()) return {-1, 0};
    o.cost += it->second + SlotCost(p, j, used[j]);
    ++used[j];
    ++o.matched;
    if (used[j] > p.free_slots[j]) return {-1, 0};
  }
  return o;
}

namespace {

// Strings interned to small ints so the candidate scan compares sorted int vectors.
class Interner {
 public:
  int Id(const std::string& s) { return ids_.try_emplace(s, static_cast<int>(ids_.size())).first->second; }
  std::vector<int> Sorted(const std::vector<std::string>& v) {
    std::vector<int> out;
    out.reserve(v.size());
    for (const auto& s : v) out.push_back(Id(s));
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  absl::flat_hash_map<std::string, int> ids_;
};

int CountShared(const std::vector<int>& a, const std::vector<int>& b) {
  int n = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

// Order-preserving de-duplication (the explanation lists deficits most severe first).
std::vector<std::string> UniqueInOrder(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen;
  for (const auto& s : v) {
    if (seen.insert(s).second) out.push_back(s);
  }
  return out;
}

// Spreads ties between equally good candidates over mentors, different for every mentee, so a
// municipality's mentees do not all list the same lowest-id mentors (which would leave the
// rest idle once the candidate list is cut).
uint64_t TieBreak(int64_t mentee, int64_t mentor) {
  uint64_t x = static_cast<uint64_t>(mentee) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(mentor);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

const char* PairTypeTitle(int t) {
  switch (t) {
    case kPairSubject: return "по предмету";
    case kPairYoungSpecialist: return "«наставник – молодой специалист»";
    case kPairCompetencyPeer: return "по компетенциям";
    case kPairManagerManager: return "«руководитель – руководитель»";
    case kPairGroup: return "групповое";
    case kPairOrganizationManagement: return "менторство организаций";
  }
  return "любой";
}

}  // namespace

bool TakesPairType(const Mentor& mentor, int pair_type) {
  if (mentor.is_organization) return pair_type == 0 || pair_type == kPairOrganizationManagement;
  if (pair_type == kPairOrganizationManagement) return false;
  const bool listed =
      std::find(mentor.pair_types.begin(), mentor.pair_types.end(), pair_type) != mentor.pair_types.end();
  // Management and group mentoring are taken only by mentors who declared them.
  if (pair_type == kPairManagerManager || pair_type == kPairGroup) return listed;
  return pair_type == 0 || mentor.pair_types.empty() || listed;
}

int ResolvePairType(const Mentor& mentor, const Mentee& mentee, const Explanation& e) {
  if (mentee.pair_type != 0) return mentee.pair_type;
  if (mentor.is_organization) return kPairOrganizationManagement;
  if (!e.covered_deficits.empty()) return kPairCompetencyPeer;
  return kPairSubject;
}

MatchingResult Match(std::vector<Mentor> mentors, std::vector<Mentee> mentees,
                     const std::vector<PairRef>& forbidden, const std::vector<PairRef>& pins,
                     const MatchingOptions& options) {
  ParallelRunner& runner = options.parallel != nullptr ? *options.parallel : RunInCaller();
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(mentors.begin(), mentors.end(), by_id);
  std::sort(mentees.begin(), mentees.end(), by_id);
  for (Mentor& m : mentors) {
    m.subjects = SortedUnique(std::move(m.subjects));
    m.strengths = SortedUnique(std::move(m.strengths));
  }
  for (Mentee& e : mentees) {
    e.subjects = UniqueInOrder(e.subjects);
    e.deficits = UniqueInOrder(e.deficits);
  }
  const CostWeights& w = options.weights;
  MatchingResult result;
  result.mentees = static_cast<int>(mentees.size());
  result.mentors = static_cast<int>(mentors.size());

  Interner interner;
  struct Tags {
    std::vector<int> subjects, strengths_or_deficits;
  };
  std::vector<Tags> mentor_tags(mentors.size()), mentee_tags(mentees.size());
  absl::flat_hash_map<int64_t, int> mentor_index;
  absl::flat_hash_map<int64_t, std::vector<int>> by_municipality;
  absl::flat_hash_map<int64_t, std::vector<int>> by_district;
  for (int j = 0; j < static_cast<int>(mentors.size()); ++j) {
    mentor_index[mentors[j].id] = j;
    mentor_tags[j] = {interner.Sorted(mentors[j].subjects), interner.Sorted(mentors[j].strengths)};
    if (mentors[j].place.municipality_id != 0) by_municipality[mentors[j].place.municipality_id].push_back(j);
    if (mentors[j].place.district_id != 0) by_district[mentors[j].place.district_id].push_back(j);
  }
  for (size_t i = 0; i < mentees.size(); ++i) {
    mentee_tags[i] = {interner.Sorted(mentees[i].subjects), interner.Sorted(mentees[i].deficits)};
  }
  absl::flat_hash_set<std::pair<int64_t, int64_t>> forbidden_set;
  for (const PairRef& f : forbidden) forbidden_set.insert({f.mentee_id, f.mentor_id});

  AssignmentProblem problem;
  problem.load_weight = w.load_per_mentee;
  problem.free_slots.resize(mentors.size());
  problem.current_load.resize(mentors.size());
  for (size_t j = 0; j < mentors.size(); ++j) {
    problem.free_slots[j] = std::max(0, mentors[j].capacity - mentors[j].current_load);
    problem.current_load[j] = mentors[j].current_load;
  }
  std::vector<int> pinned_per_mentor(mentors.size(), 0);

  struct Decided {
    int mentor = -1;  // -1 = unmatched with reason.
    bool pinned = false;
    UnmatchedReason reason = UnmatchedReason::kNoCandidates;
    std::string detail;
  };
  std::vector<Decided> decided(mentees.size());
  std::vector<bool> settled(mentees.size(), false);

  // Pins, in (mentee, mentor) order; the first feasible pin of a mentee wins. A pin overrides
  // cost, locality and pair type (the methodist decided), never capacity or the hard rules.
  std::vector<PairRef> sorted_pins = pins;
  std::sort(sorted_pins.begin(), sorted_pins.end(), [](const PairRef& a, const PairRef& b) {
    return std::make_pair(a.mentee_id, a.mentor_id) < std::make_pair(b.mentee_id, b.mentor_id);
  });
  absl::flat_hash_map<int64_t, int> mentee_index;
  for (int i = 0; i < static_cast<int>(mentees.size()); ++i) mentee_index[mentees[i].id] = i;
  for (const PairRef& pin : sorted_pins) {
    auto mi = mentee_index.find(pin.mentee_id);
    if (mi == mentee_index.end()) continue;
    const int i = mi->second;
    if (settled[i] && decided[i].mentor >= 0) continue;
    auto mj = mentor_index.find(pin.mentor_id);
    std::string problem_text;
    if (mj == mentor_index.end()) {
      problem_text = "закреплённый наставник недоступен для подбора (не активен, не соответствует требованиям или не принимает наставляемых)";
    } else {
      const int j = mj->second;
      const Mentor& mentor = mentors[j];
      const Mentee& mentee = mentees[i];
      if (mentor.is_organization != mentee.is_organization) {
        problem_text = "наставник и наставляемый разного вида (организация и педагог)";
      } else if (mentor.entity_id == mentee.entity_id) {
        problem_text = "наставник и наставляемый совпадают";
      } else if (forbidden_set.contains({pin.mentee_id, pin.mentor_id})) {
        problem_text = "пара одновременно закреплена и запрещена";
      } else if (mentor.place.region_id != mentee.place.region_id) {
        problem_text = "наставник из другого региона";
      } else if (pinned_per_mentor[j] >= problem.free_slots[j]) {
        problem_text = "у закреплённого наставника нет свободных мест";
      } else {
        ++pinned_per_mentor[j];
        decided[i] = Decided{j, true, UnmatchedReason::kPinConflict, ""};
        settled[i] = true;
        continue;
      }
    }
    decided[i] = Decided{-1, false, UnmatchedReason::kPinConflict,
                         absl::StrCat("Закрепление не выполнено: ", problem_text)};
    settled[i] = true;
  }

  // Candidates for the rest: every admissible mentor in reach, ranked by pair cost plus the
  // mentor's current load; the best max_candidates_per_mentee enter the network. A mentee left
  // unmatched whose list was cut gets the mentors of its cut tail that still have free places
  // after the solve, and the network is solved again.
  const int k_max = options.max_candidates_per_mentee > 0 ? options.max_candidates_per_mentee : 30;
  absl::flat_hash_map<int64_t, std::vector<int64_t>> forbidden_by_mentee;
  for (const PairRef& f : forbidden) forbidden_by_mentee[f.mentee_id].push_back(f.mentor_id);
  struct Cand {
    int64_t rank;
    uint64_t tie;
    int mentor;
    int64_t cost;
    bool operator<(const Cand& o) const {
      return rank != o.rank ? rank < o.rank : tie != o.tie ? tie < o.tie : mentor < o.mentor;
    }
  };
  struct Scan {
    std::vector<Cand> top;  // best first, at most k_max
    bool truncated = false;
    int forbidden = 0, full = 0, wrong_type = 0;
  };
  // Admissible candidates of mentee i for which `take(j)` holds, best `limit` first.
  // Mentors of a district by subject, for the pruned district scan below.
  absl::flat_hash_map<std::pair<int64_t, int>, std::vector<int>> by_district_subject;
  if (options.allow_cross_municipality) {
    for (int j = 0; j < static_cast<int>(mentors.size()); ++j) {
      if (mentors[j].place.district_id == 0) continue;
      for (int subject : mentor_tags[j].subjects) by_district_subject[{mentors[j].place.district_id, subject}].push_back(j);
    }
  }
  // Admissible candidates of mentee i for which `take(j)` holds, best `limit` first. With
  // `prune`, mentors of the other municipalities of the district are skipped when even their
  // lowest possible rank (district distance, plus the subject mismatch unless they share a
  // subject) is above the limit-th best rank found at home: the kept list is the same.
  auto scan = [&](int i, int limit, const auto& take, bool prune, Scan* out) {
    const Mentee& mentee = mentees[i];
    out->top.clear();
    if (mentee.place.municipality_id == 0) return;
    const Tags& et = mentee_tags[i];
    const int64_t total_deficits = static_cast<int64_t>(et.strengths_or_deficits.size());
    auto fb = forbidden_by_mentee.find(mentee.id);
    const std::vector<int64_t>* banned = fb == forbidden_by_mentee.end() ? nullptr : &fb->second;
    auto consider = [&](int j) {
      const Mentor& mentor = mentors[j];
      if (mentor.place.region_id != mentee.place.region_id) return;
      if (mentor.is_organization != mentee.is_organization) return;
      if (mentor.entity_id == mentee.entity_id) return;
      if (!TakesPairType(mentor, mentee.pair_type)) {
        ++out->wrong_type;
        return;
      }
      const Tags& mt = mentor_tags[j];
      const int shared = CountShared(et.subjects, mt.subjects);
      const int covered = CountShared(et.strengths_or_deficits, mt.strengths_or_deficits);
      // The pair type's own requirement: a subject pair shares a subject, a competency pair
      // covers at least one deficit (when the mentee names any).
      if ((mentee.pair_type == kPairSubject && !et.subjects.empty() && shared == 0) ||
          (mentee.pair_type == kPairCompetencyPeer && total_deficits > 0 && covered == 0)) {
        ++out->wrong_type;
        return;
      }
      if (banned != nullptr && std::find(banned->begin(), banned->end(), mentor.id) != banned->end()) {
        ++out->forbidden;
        return;
      }
      if (pinned_per_mentor[j] >= problem.free_slots[j]) {
        ++out->full;
        return;
      }
      if (!take(j)) return;
      const int64_t cost = CostOf(w, !et.subjects.empty(), shared > 0, total_deficits, covered,
                                  DistanceBetween(mentor.place, mentee.place));
      out->top.push_back({cost + w.load_per_mentee * mentor.current_load, TieBreak(mentee.id, mentor.id), j, cost});
    };
    auto home = by_municipality.find(mentee.place.municipality_id);
    if (home != by_municipality.end()) {
      for (int j : home->second) consider(j);
    }
    auto district = options.allow_cross_municipality && mentee.place.district_id != 0
                        ? by_district.find(mentee.place.district_id)
                        : by_district.end();
    if (district != by_district.end()) {
      const int64_t home_mun = mentee.place.municipality_id;
      int64_t kth = std::numeric_limits<int64_t>::max();
      if (prune && static_cast<int>(out->top.size()) >= limit) {
        std::nth_element(out->top.begin(), out->top.begin() + (limit - 1), out->top.end());
        kth = out->top[limit - 1].rank;
      }
      const int64_t lb_shared = w.same_district;
      const int64_t lb_other = w.same_district + (et.subjects.empty() ? 0 : w.subject_mismatch);
      if (lb_shared > kth) {
        out->truncated = district->second.size() > (home == by_municipality.end() ? 0 : home->second.size());
      } else if (lb_other > kth) {
        std::vector<int> sharing;
        for (int subject : et.subjects) {
          auto it = by_district_subject.find({mentee.place.district_id, subject});
          if (it != by_district_subject.end()) sharing.insert(sharing.end(), it->second.begin(), it->second.end());
        }
        std::sort(sharing.begin(), sharing.end());
        sharing.erase(std::unique(sharing.begin(), sharing.end()), sharing.end());
        for (int j : sharing) {
          if (mentors[j].place.municipality_id != home_mun) consider(j);
        }
        out->truncated = true;
      } else {
        for (int j : district->second) {
          if (mentors[j].place.municipality_id != home_mun) consider(j);
        }
      }
    }
    if (static_cast<int>(out->top.size()) > limit) {
      std::nth_element(out->top.begin(), out->top.begin() + limit, out->top.end());
      out->top.resize(limit);
      out->truncated = true;
    }
    std::sort(out->top.begin(), out->top.end());
  };
  std::vector<int> open_mentees;  // mentee indices still to solve
  for (int i = 0; i < static_cast<int>(mentees.size()); ++i) {
    if (!settled[i]) open_mentees.push_back(i);
  }
  std::vector<Scan> scans(open_mentees.size());
  {
    // Mentees are independent here: chunks on the runner's workers, merged in mentee order below.
    std::atomic<size_t> next{0};
    constexpr size_t kChunk = 256;
    auto work = [&] {
      for (size_t from = next.fetch_add(kChunk); from < open_mentees.size(); from = next.fetch_add(kChunk)) {
        for (size_t k = from; k < std::min(open_mentees.size(), from + kChunk); ++k) {
          scan(open_mentees[k], k_max, [](int) { return true; }, true, &scans[k]);
        }
      }
    };
    runner.Run(static_cast<int>((open_mentees.size() + kChunk - 1) / kChunk), work);
  }
  std::vector<int> solve_mentees;  // problem index → mentee index
  std::vector<bool> truncated;     // per problem index
  std::vector<std::pair<size_t, size_t>> arc_range;  // per problem index: its first arcs
  for (size_t k = 0; k < open_mentees.size(); ++k) {
    const int i = open_mentees[k];
    const Scan& sc = scans[k];
    if (sc.top.empty()) {
      Decided d;
      if (sc.full > 0) {
        d.reason = UnmatchedReason::kCapacityExhausted;
        d.detail = absl::StrCat("Все подходящие наставники (", sc.full, ") заняты");
      } else if (sc.forbidden > 0) {
        d.reason = UnmatchedReason::kAllForbidden;
        d.detail = "Все подходящие пары запрещены методистом";
      } else if (sc.wrong_type > 0) {
        d.detail = absl::StrCat("Нет наставников для пары вида ", PairTypeTitle(mentees[i].pair_type),
                                " в пределах территории");
      } else {
        d.detail = "Нет подходящих наставников в пределах территории";
      }
      decided[i] = d;
      settled[i] = true;
      continue;
    }
    const int pi = static_cast<int>(solve_mentees.size());
    solve_mentees.push_back(i);
    truncated.push_back(sc.truncated);
    arc_range.push_back({problem.arcs.size(), problem.arcs.size() + sc.top.size()});
    for (const Cand& c : sc.top) problem.arcs.push_back({pi, c.mentor, c.cost});
  }
  scans.clear();
  scans.shrink_to_fit();
  problem.mentees = static_cast<int>(solve_mentees.size());
  // Pins already took slots: the solver sees what is left, and loads start after the pins.
  for (size_t j = 0; j < mentors.size(); ++j) {
    problem.free_slots[j] -= pinned_per_mentor[j];
    problem.current_load[j] += pinned_per_mentor[j];
  }
  auto solve = [&](const AssignmentProblem& p) {
    return options.greedy_baseline ? SolveAssignmentGreedy(p) : SolveAssignmentExact(p, runner);
  };
  std::vector<int> assignment = solve(problem);
  if (!options.greedy_baseline) {
    std::vector<int> left(mentors.size());
    for (size_t j = 0; j < mentors.size(); ++j) left[j] = problem.free_slots[j];
    for (int a : assignment) {
      if (a >= 0) --left[a];
    }
    std::vector<bool> listed(mentors.size(), false);
    bool widened = false;
    Scan extra;
    for (int pi = 0; pi < problem.mentees; ++pi) {
      if (assignment[pi] >= 0 || !truncated[pi]) continue;
      // Mentors with places left that were cut from this mentee's list.
      const auto [first, last] = arc_range[pi];
      for (size_t a = first; a < last; ++a) listed[problem.arcs[a].mentor] = true;
      scan(solve_mentees[pi], k_max, [&](int j) { return left[j] > 0 && !listed[j]; }, false, &extra);
      for (size_t a = first; a < last; ++a) listed[problem.arcs[a].mentor] = false;
      for (const Cand& c : extra.top) problem.arcs.push_back({pi, c.mentor, c.cost});
      widened = widened || !extra.top.empty();
    }
    if (widened) assignment = solve(problem);
  }
  result.candidate_edges = static_cast<int64_t>(problem.arcs.size());
  for (int pi = 0; pi < problem.mentees; ++pi) {
    const int i = solve_mentees[pi];
    if (assignment[pi] >= 0) {
      decided[i] = Decided{assignment[pi], false, UnmatchedReason::kNoCandidates, ""};
    } else {
      decided[i] = Decided{-1, false, UnmatchedReason::kCapacityExhausted,
                           "Подходящие наставники заняты другими наставляемыми в оптимальном распределении"};
    }
  }

  // Totals per mentor, then slot costs in mentee-id order (pins first: they were placed first).
  std::vector<int> total_new(mentors.size(), 0);
  for (const Decided& d : decided) {
    if (d.mentor >= 0) ++total_new[d.mentor];
  }
  std::vector<int> slot(mentors.size(), 0);
  std::vector<int> order(mentees.size());
  for (size_t i = 0; i < mentees.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return decided[a].pinned && !decided[b].pinned; });
  std::vector<int64_t> slot_cost(mentees.size(), 0);
  for (int i : order) {
    const int j = decided[i].mentor;
    if (j < 0) continue;
    slot_cost[i] = w.load_per_mentee * (static_cast<int64_t>(mentors[j].current_load) + slot[j]);
    ++slot[j];
  }
  for (size_t i = 0; i < mentees.size(); ++i) {
    const Decided& d = decided[i];
    if (d.mentor < 0) {
      result.unmatched.push_back({mentees[i].id, d.reason, d.detail});
      continue;
    }
    const Mentor& mentor = mentors[d.mentor];
    MatchedPair pair;
    pair.mentee_id = mentees[i].id;
    pair.mentor_id = mentor.id;
    pair.pinned = d.pinned;
    pair.cost = PairCost(mentor, mentees[i], w, &pair.explanation) + slot_cost[i];
    pair.pair_type = ResolvePairType(mentor, mentees[i], pair.explanation);
    pair.explanation.mentor_load_before = mentor.current_load;
    pair.explanation.mentor_load_after = mentor.current_load + total_new[d.mentor];
    pair.explanation.mentor_capacity = mentor.capacity;
    pair.explanation.summary = Summary(pair.explanation, mentees[i].deficits.size());
    if (pair.pinned) pair.explanation.summary = absl::StrCat("закреплено методистом; ", pair.explanation.summary);
    result.total_cost += pair.cost;
    ++result.matched;
    result.pairs.push_back(std::move(pair));
  }
  return result;
}

}  // namespace nms::mentoring
