#include "server/domain/mentoring/matching.h"

#include <algorithm>
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

bool TakesPairType(const Mentor& m, int pair_type) {
  if (pair_type == 0 || m.pair_types.empty()) return true;
  return std::find(m.pair_types.begin(), m.pair_types.end(), pair_type) != m.pair_types.end();
}

std::string Summary(const Explanation& e, size_t deficits) {
  std::string s = e.subject_match ? absl::StrCat("тот же предмет (", absl::StrJoin(e.shared_subjects, ", "), ")")
                                  : std::string("предмет не совпадает");
  if (deficits == 0) {
    absl::StrAppend(&s, ", дефициты не известны");
  } else {
    absl::StrAppend(&s, ", закрывает ", e.covered_deficits.size(), " из ", deficits, " дефицитов");
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

int64_t PairCost(const Mentor& mentor, const Mentee& mentee, const CostWeights& w,
                 Explanation* e) {
  Explanation local;
  Explanation& x = e != nullptr ? *e : local;
  int64_t cost = 0;
  // Subjects.
  x.shared_subjects.clear();
  for (const std::string& s : mentee.subjects) {
    if (std::find(mentor.subjects.begin(), mentor.subjects.end(), s) != mentor.subjects.end() &&
        std::find(x.shared_subjects.begin(), x.shared_subjects.end(), s) == x.shared_subjects.end()) {
      x.shared_subjects.push_back(s);
    }
  }
  x.subject_match = !x.shared_subjects.empty();
  if (!mentee.subjects.empty() && !x.subject_match) cost += w.subject_mismatch;
  // Deficits covered by strengths.
  x.covered_deficits.clear();
  x.uncovered_deficits.clear();
  for (const std::string& d : mentee.deficits) {
    const bool covered =
        std::find(mentor.strengths.begin(), mentor.strengths.end(), d) != mentor.strengths.end();
    (covered ? x.covered_deficits : x.uncovered_deficits).push_back(d);
  }
  const int64_t total = static_cast<int64_t>(mentee.deficits.size());
  if (total > 0) {
    const int64_t uncovered = static_cast<int64_t>(x.uncovered_deficits.size());
    cost += (uncovered * w.all_deficits_uncovered + total / 2) / total;
  }
  // Distance.
  x.distance = DistanceBetween(mentor.place, mentee.place);
  switch (x.distance) {
    case Distance::kSameOrganization: cost += w.same_organization; break;
    case Distance::kSameMunicipality: cost += w.same_municipality; break;
    case Distance::kSameDistrict: cost += w.same_district; break;
    case Distance::kRegion: cost += w.region; break;
  }
  return cost;
}

std::vector<int> SolveAssignmentExact(const AssignmentProblem& p) {
  const int m = static_cast<int>(p.free_slots.size());
  const int s = 0;
  const int t = 1 + p.mentees + m;
  MinCostFlow flow(t + 1);
  for (int i = 0; i < p.mentees; ++i) flow.AddArc(s, 1 + i, 1, 0);
  std::vector<int> arc_ids(p.arcs.size());
  for (size_t a = 0; a < p.arcs.size(); ++a) {
    const auto& arc = p.arcs[a];
    arc_ids[a] = flow.AddArc(1 + arc.mentee, 1 + p.mentees + arc.mentor, 1, arc.cost);
  }
  for (int j = 0; j < m; ++j) {
    // Convex slot costs; a slot no mentee can reach costs nothing to add.
    for (int k = 0; k < p.free_slots[j]; ++k) flow.AddArc(1 + p.mentees + j, t, 1, SlotCost(p, j, k));
  }
  flow.Solve(s, t);
  std::vector<int> assignment(p.mentees, -1);
  for (size_t a = 0; a < p.arcs.size(); ++a) {
    if (flow.Flow(arc_ids[a]) > 0) assignment[p.arcs[a].mentee] = p.arcs[a].mentor;
  }
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

MatchingResult Match(std::vector<Mentor> mentors, std::vector<Mentee> mentees,
                     const std::vector<PairRef>& forbidden, const std::vector<PairRef>& pins,
                     const MatchingOptions& options) {
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(mentors.begin(), mentors.end(), by_id);
  std::sort(mentees.begin(), mentees.end(), by_id);
  for (Mentor& m : mentors) {
    m.subjects = SortedUnique(std::move(m.subjects));
    m.strengths = SortedUnique(std::move(m.strengths));
  }
  const CostWeights& w = options.weights;
  MatchingResult result;
  result.mentees = static_cast<int>(mentees.size());
  result.mentors = static_cast<int>(mentors.size());

  absl::flat_hash_map<int64_t, int> mentor_index;
  absl::flat_hash_map<int64_t, std::vector<int>> by_municipality;
  absl::flat_hash_map<int64_t, std::vector<int>> by_district;
  for (int j = 0; j < static_cast<int>(mentors.size()); ++j) {
    mentor_index[mentors[j].id] = j;
    by_municipality[mentors[j].place.municipality_id].push_back(j);
    if (mentors[j].place.district_id != 0) by_district[mentors[j].place.district_id].push_back(j);
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
  std::vector<int> new_pairs(mentors.size(), 0);  // Pins placed per mentor.

  struct Decided {
    int mentor = -1;  // -1 = unmatched with reason.
    bool pinned = false;
    UnmatchedReason reason = UnmatchedReason::kNoCandidates;
    std::string detail;
  };
  std::vector<Decided> decided(mentees.size());
  std::vector<bool> settled(mentees.size(), false);

  // Pins, in (mentee, mentor) order; the first feasible pin of a mentee wins.
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
      problem_text = "закреплённый наставник недоступен для подбора";
    } else {
      const int j = mj->second;
      const Mentor& mentor = mentors[j];
      const Mentee& mentee = mentees[i];
      if (mentor.entity_id == mentee.entity_id && mentor.is_organization == mentee.is_organization) {
        problem_text = "наставник и наставляемый совпадают";
      } else if (forbidden_set.contains({pin.mentee_id, pin.mentor_id})) {
        problem_text = "пара одновременно закреплена и запрещена";
      } else if (mentor.place.region_id != mentee.place.region_id) {
        problem_text = "наставник из другого региона";
      } else if (new_pairs[j] >= problem.free_slots[j]) {
        problem_text = "у закреплённого наставника нет свободных мест";
      } else {
        ++new_pairs[j];
        decided[i] = Decided{j, true, UnmatchedReason::kPinConflict, ""};
        settled[i] = true;
        continue;
      }
    }
    decided[i] = Decided{-1, false, UnmatchedReason::kPinConflict,
                         absl::StrCat("Закрепление не выполнено: ", problem_text)};
    settled[i] = true;
  }

  // Candidates for the rest, cheapest max_candidates_per_mentee per mentee.
  const int k_max = options.max_candidates_per_mentee > 0 ? options.max_candidates_per_mentee : 30;
  std::vector<int> solve_mentees;  // Problem index → mentee index.
  std::vector<std::pair<int64_t, int>> cands;
  for (int i = 0; i < static_cast<int>(mentees.size()); ++i) {
    if (settled[i]) continue;
    const Mentee& mentee = mentees[i];
    const std::vector<int>* pool = nullptr;
    if (options.allow_cross_municipality && mentee.place.district_id != 0) {
      auto it = by_district.find(mentee.place.district_id);
      if (it != by_district.end()) pool = &it->second;
    }
    if (pool == nullptr) {
      auto it = by_municipality.find(mentee.place.municipality_id);
      if (it != by_municipality.end()) pool = &it->second;
    }
    int forbidden_count = 0;
    int full_count = 0;
    cands.clear();
    if (pool != nullptr) {
      for (int j : *pool) {
        const Mentor& mentor = mentors[j];
        if (mentor.place.region_id != mentee.place.region_id) continue;
        if (mentor.is_organization != mentee.is_organization) continue;
        if (mentor.entity_id == mentee.entity_id) continue;
        if (!TakesPairType(mentor, mentee.pair_type)) continue;
        if (forbidden_set.contains({mentee.id, mentor.id})) {
          ++forbidden_count;
          continue;
        }
        if (new_pairs[j] >= problem.free_slots[j]) {
          ++full_count;
          continue;
        }
        cands.push_back({PairCost(mentor, mentee, w, nullptr), j});
      }
    }
    if (cands.empty()) {
      Decided d;
      if (full_count > 0) {
        d.reason = UnmatchedReason::kCapacityExhausted;
        d.detail = absl::StrCat("Все подходящие наставники (", full_count, ") заняты");
      } else if (forbidden_count > 0) {
        d.reason = UnmatchedReason::kAllForbidden;
        d.detail = "Все подходящие пары запрещены методистом";
      } else {
        d.reason = UnmatchedReason::kNoCandidates;
        d.detail = "Нет подходящих наставников в пределах территории";
      }
      decided[i] = d;
      settled[i] = true;
      continue;
    }
    if (static_cast<int>(cands.size()) > k_max) {
      std::partial_sort(cands.begin(), cands.begin() + k_max, cands.end());
      cands.resize(k_max);
    } else {
      std::sort(cands.begin(), cands.end());
    }
    const int pi = static_cast<int>(solve_mentees.size());
    solve_mentees.push_back(i);
    for (const auto& [cost, j] : cands) problem.arcs.push_back({pi, j, cost});
  }
  problem.mentees = static_cast<int>(solve_mentees.size());
  result.candidate_edges = static_cast<int64_t>(problem.arcs.size());
  // Pins already took slots: the solver sees what is left, and loads start after the pins.
  AssignmentProblem reduced = problem;
  for (size_t j = 0; j < mentors.size(); ++j) {
    reduced.free_slots[j] = problem.free_slots[j] - new_pairs[j];
    reduced.current_load[j] = problem.current_load[j] + new_pairs[j];
  }
  const std::vector<int> assignment = SolveAssignmentExact(reduced);
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
    pair.explanation.mentor_load_before = mentor.current_load;
    pair.explanation.mentor_load_after = mentor.current_load + total_new[d.mentor];
    pair.explanation.mentor_capacity = mentor.capacity;
    pair.explanation.summary = Summary(pair.explanation, mentees[i].deficits.size());
    result.total_cost += pair.cost;
    ++result.matched;
    result.pairs.push_back(std::move(pair));
  }
  return result;
}

}  // namespace nms::mentoring
