#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>

#include "absl/container/flat_hash_set.h"
#include "server/common/thread_pool.h"
#include "server/domain/mentoring/matching.h"
#include "server/domain/mentoring/min_cost_flow.h"

namespace nms::mentoring {
namespace {

// Enumerates every assignment; lexicographic best (max matched, then min cost).
Objective BruteForce(const AssignmentProblem& p) {
  std::vector<std::vector<int>> options(p.mentees, std::vector<int>{-1});
  for (const auto& arc : p.arcs) options[arc.mentee].push_back(arc.mentor);
  std::vector<int> current(p.mentees, -1);
  Objective best{0, 0};
  bool have = false;
  std::function<void(int)> rec = [&](int i) {
    if (i == p.mentees) {
      Objective o = Evaluate(p, current);
      if (o.matched < 0) return;
      if (!have || o.matched > best.matched || (o.matched == best.matched && o.cost < best.cost)) {
        best = o;
        have = true;
      }
      return;
    }
    for (int j : options[i]) {
      current[i] = j;
      rec(i + 1);
    }
    current[i] = -1;
  };
  rec(0);
  return best;
}

AssignmentProblem RandomProblem(std::mt19937& rng) {
  AssignmentProblem p;
  p.mentees = 1 + rng() % 7;
  const int m = 1 + rng() % 4;
  p.free_slots.resize(m);
  p.current_load.resize(m);
  for (int j = 0; j < m; ++j) {
    p.free_slots[j] = rng() % 3;
    p.current_load[j] = rng() % 4;
  }
  p.load_weight = rng() % 8;
  for (int i = 0; i < p.mentees; ++i) {
    const int k = rng() % 4;
    std::vector<int> mentors(m);
    for (int j = 0; j < m; ++j) mentors[j] = j;
    std::shuffle(mentors.begin(), mentors.end(), rng);
    for (int c = 0; c < std::min(k, m); ++c) {
      p.arcs.push_back({i, mentors[c], static_cast<int64_t>(rng() % 60)});
    }
  }
  return p;
}

TEST(MatchingExact, EqualsBruteForceOnRandomSmallInstances) {
  std::mt19937 rng(20261123);
  int greedy_worse = 0;
  for (int round = 0; round < 1500; ++round) {
    const AssignmentProblem p = RandomProblem(rng);
    const Objective brute = BruteForce(p);
    const Objective exact = Evaluate(p, SolveAssignmentExact(p));
    ASSERT_EQ(exact.matched, brute.matched) << "round " << round;
    ASSERT_EQ(exact.cost, brute.cost) << "round " << round;
    const Objective greedy = Evaluate(p, SolveAssignmentGreedy(p));
    ASSERT_GE(greedy.matched, 0);
    if (!(greedy == brute)) ++greedy_worse;
  }
  // The instances are hard enough that a greedy matcher misses the optimum on some of them.
  EXPECT_GT(greedy_worse, 0);
}

TEST(MatchingExact, MaximisesMatchedBeforeCost) {
  // Mentee 0 prefers mentor 0 (cost 0) but only mentor 0 can take mentee 1: the optimum gives
  // mentee 0 the expensive mentor 1 so that both are matched.
  AssignmentProblem p;
  p.mentees = 2;
  p.free_slots = {1, 1};
  p.current_load = {0, 0};
  p.arcs = {{0, 0, 0}, {0, 1, 1000}, {1, 0, 0}};
  const auto a = SolveAssignmentExact(p);
  EXPECT_EQ(a[0], 1);
  EXPECT_EQ(a[1], 0);
  EXPECT_EQ(Evaluate(p, a), (Objective{2, 1000}));
  // Greedy takes mentor 0 for mentee 0 and leaves mentee 1 without a mentor.
  EXPECT_EQ(Evaluate(p, SolveAssignmentGreedy(p)).matched, 1);
}

TEST(MinCostFlowTest, SmallNetwork) {
  MinCostFlow f(4);
  const int a = f.AddArc(0, 1, 2, 1);
  const int b = f.AddArc(0, 2, 1, 5);
  f.AddArc(1, 3, 1, 1);
  f.AddArc(2, 3, 2, 1);
  const int c = f.AddArc(1, 2, 1, 1);
  auto r = f.Solve(0, 3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->flow, 3);
  // Paths: 0-1-3 (2), 0-1-2-3 (3), 0-2-3 (6).
  EXPECT_EQ(r->cost, 11);
  EXPECT_EQ(f.Flow(a), 2);
  EXPECT_EQ(f.Flow(b), 1);
  EXPECT_EQ(f.Flow(c), 1);
}

// Regression: a negative arc cost used to make Solve loop forever (Dijkstra with potentials and
// the zero-reduced-cost blocking flow both assume non-negative reduced costs).
TEST(MinCostFlowTest, NegativeArcCostsAreSolvedExactly) {
  MinCostFlow f(4);
  f.AddArc(0, 1, 1, 2);
  f.AddArc(0, 2, 1, 3);
  const int a = f.AddArc(1, 3, 1, -4);
  f.AddArc(2, 3, 1, 1);
  const int b = f.AddArc(1, 2, 1, -1);
  auto r = f.Solve(0, 3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->flow, 2);
  // Both sink arcs are needed for flow 2: 0-1-3 (-2) + 0-2-3 (4).
  EXPECT_EQ(r->cost, 2);
  EXPECT_EQ(f.Flow(a), 1);
  EXPECT_EQ(f.Flow(b), 0);
}

// On a layered network every s-t path has the same number of middle arcs, so shifting their costs
// by a constant shifts the optimum by constant x flow: the negative version must agree with the
// shifted, all-non-negative one.
TEST(MinCostFlowTest, NegativeCostsAgreeWithShiftedCosts) {
  std::mt19937 rng(20261207);
  for (int round = 0; round < 50; ++round) {
    const int left = 1 + static_cast<int>(rng() % 12), right = 1 + static_cast<int>(rng() % 12);
    const int s = 0, t = 1 + left + right;
    struct A {
      int from, to, cap;
      int64_t cost;
    };
    std::vector<A> middle;
    for (int i = 0; i < left; ++i) {
      for (int j = 0; j < right; ++j) {
        if (rng() % 3 == 0) continue;
        middle.push_back({1 + i, 1 + left + j, 1 + static_cast<int>(rng() % 2), static_cast<int64_t>(rng() % 41) - 20});
      }
    }
    auto solve = [&](int64_t shift) {
      MinCostFlow f(t + 1);
      for (int i = 0; i < left; ++i) f.AddArc(s, 1 + i, 2, 0);
      for (const A& m : middle) f.AddArc(m.from, m.to, m.cap, m.cost + shift);
      for (int j = 0; j < right; ++j) f.AddArc(1 + left + j, t, 2, 0);
      return f.Solve(s, t);
    };
    auto negative = solve(0);
    auto shifted = solve(20);
    ASSERT_TRUE(negative.ok()) << negative.status();
    ASSERT_TRUE(shifted.ok()) << shifted.status();
    EXPECT_EQ(negative->flow, shifted->flow) << "round " << round;
    EXPECT_EQ(negative->cost + 20 * negative->flow, shifted->cost) << "round " << round;
  }
}

TEST(MinCostFlowTest, NegativeCycleAndBadArcsAreRefused) {
  MinCostFlow cycle(4);
  cycle.AddArc(0, 1, 1, 0);
  cycle.AddArc(1, 2, 1, -5);
  cycle.AddArc(2, 1, 1, 1);
  cycle.AddArc(2, 3, 1, 0);
  auto r = cycle.Solve(0, 3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("negative"), absl::string_view::npos) << r.status();

  MinCostFlow negative_cap(2);
  negative_cap.AddArc(0, 1, -1, 0);
  EXPECT_EQ(negative_cap.Solve(0, 1).status().code(), absl::StatusCode::kInvalidArgument);

  MinCostFlow out_of_range(2);
  out_of_range.AddArc(0, 5, 1, 0);
  EXPECT_EQ(out_of_range.Solve(0, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MinCostFlow(2).Solve(1, 1).status().code(), absl::StatusCode::kInvalidArgument);
}

Place At(int64_t mun, int64_t org, int64_t district = 0) { return Place{1, district, mun, org}; }

struct RandomWorld {
  std::vector<Mentor> mentors;
  std::vector<Mentee> mentees;
  std::vector<PairRef> forbidden;
  std::vector<PairRef> pins;
};

RandomWorld MakeWorld(std::mt19937& rng) {
  RandomWorld w;
  const std::vector<std::string> subjects = {"математика", "физика", "русский язык", "история"};
  const std::vector<std::string> codes = {"M1", "M2", "P1", "D1", "C1"};
  const int nm = 1 + rng() % 8;
  const int ne = 1 + rng() % 16;
  for (int j = 0; j < nm; ++j) {
    Mentor m;
    m.id = 100 + j;
    m.entity_id = 1 + rng() % 20;
    const int64_t mun = 1 + rng() % 3;
    m.place = At(mun, mun * 10 + rng() % 2, mun <= 2 ? 7 : 0);
    m.subjects = {subjects[rng() % subjects.size()]};
    m.strengths = {codes[rng() % codes.size()], codes[rng() % codes.size()]};
    m.capacity = rng() % 4;
    m.current_load = rng() % 3;
    if (rng() % 3 == 0) m.pair_types = {1 + static_cast<int>(rng() % 3)};
    w.mentors.push_back(m);
  }
  for (int i = 0; i < ne; ++i) {
    Mentee e;
    e.id = 1000 + i;
    e.entity_id = 1 + rng() % 20;
    const int64_t mun = 1 + rng() % 3;
    e.place = At(mun, mun * 10 + rng() % 2, mun <= 2 ? 7 : 0);
    e.subjects = {subjects[rng() % subjects.size()]};
    if (rng() % 2) e.deficits = {codes[rng() % codes.size()], codes[rng() % codes.size()]};
    e.pair_type = rng() % 4;
    w.mentees.push_back(e);
  }
  for (int k = 0; k < 3; ++k) {
    w.forbidden.push_back({1000 + static_cast<int64_t>(rng() % ne), 100 + static_cast<int64_t>(rng() % nm)});
  }
  if (rng() % 2) w.pins.push_back({1000 + static_cast<int64_t>(rng() % ne), 100 + static_cast<int64_t>(rng() % nm)});
  return w;
}

TEST(Matching, NeverViolatesCapacityOrExclusions) {
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    RandomWorld w = MakeWorld(rng);
    MatchingOptions options;
    options.allow_cross_municipality = rng() % 2;
    const MatchingResult r = Match(w.mentors, w.mentees, w.forbidden, w.pins, options);
    ASSERT_EQ(r.pairs.size() + r.unmatched.size(), w.mentees.size());
    std::map<int64_t, int> load;
    absl::flat_hash_set<std::pair<int64_t, int64_t>> forbidden;
    for (const auto& f : w.forbidden) forbidden.insert({f.mentee_id, f.mentor_id});
    for (const MatchedPair& p : r.pairs) {
      const Mentor& m = *std::find_if(w.mentors.begin(), w.mentors.end(), [&](const Mentor& x) { return x.id == p.mentor_id; });
      const Mentee& e = *std::find_if(w.mentees.begin(), w.mentees.end(), [&](const Mentee& x) { return x.id == p.mentee_id; });
      EXPECT_NE(m.entity_id, e.entity_id);
      EXPECT_FALSE(forbidden.contains({p.mentee_id, p.mentor_id}));
      ++load[m.id];
      EXPECT_LE(m.current_load + load[m.id], m.capacity);
      EXPECT_EQ(p.explanation.mentor_capacity, m.capacity);
      if (!p.pinned) {
        if (options.allow_cross_municipality && e.place.district_id != 0) {
          EXPECT_EQ(m.place.district_id, e.place.district_id);
        } else {
          EXPECT_EQ(m.place.municipality_id, e.place.municipality_id);
        }
      }
    }
  }
}

TEST(Matching, PinsAreHonouredAndDeterministic) {
  std::mt19937 rng(99);
  int pins_checked = 0;
  for (int round = 0; round < 300; ++round) {
    RandomWorld w = MakeWorld(rng);
    const MatchingResult r = Match(w.mentors, w.mentees, w.forbidden, w.pins, {});
    for (const PairRef& pin : w.pins) {
      auto it = std::find_if(r.pairs.begin(), r.pairs.end(), [&](const MatchedPair& p) { return p.mentee_id == pin.mentee_id; });
      if (it != r.pairs.end() && it->pinned) {
        EXPECT_EQ(it->mentor_id, pin.mentor_id);
        ++pins_checked;
      } else {
        auto u = std::find_if(r.unmatched.begin(), r.unmatched.end(), [&](const Unmatched& x) { return x.mentee_id == pin.mentee_id; });
        ASSERT_NE(u, r.unmatched.end());
        EXPECT_EQ(u->reason, UnmatchedReason::kPinConflict);
      }
    }
    // Same input in another order → the same pairs.
    std::shuffle(w.mentors.begin(), w.mentors.end(), rng);
    std::shuffle(w.mentees.begin(), w.mentees.end(), rng);
    const MatchingResult again = Match(w.mentors, w.mentees, w.forbidden, w.pins, {});
    ASSERT_EQ(again.pairs.size(), r.pairs.size());
    for (size_t k = 0; k < r.pairs.size(); ++k) {
      EXPECT_EQ(again.pairs[k].mentee_id, r.pairs[k].mentee_id);
      EXPECT_EQ(again.pairs[k].mentor_id, r.pairs[k].mentor_id);
      EXPECT_EQ(again.pairs[k].cost, r.pairs[k].cost);
    }
    EXPECT_EQ(again.total_cost, r.total_cost);
  }
  EXPECT_GT(pins_checked, 10);
}

TEST(Matching, ExplainsPairsAndUnmatched) {
  Mentor a;
  a.id = 1;
  a.entity_id = 10;
  a.place = At(1, 11);
  a.subjects = {"математика"};
  a.strengths = {"M1", "M2"};
  a.capacity = 2;
  a.current_load = 1;
  Mentor forbidden_mentor = a;
  forbidden_mentor.id = 2;
  forbidden_mentor.entity_id = 20;
  forbidden_mentor.place = At(2, 21);
  Mentee e;
  e.id = 5;
  e.entity_id = 30;
  e.place = At(1, 11);
  e.subjects = {"математика"};
  e.deficits = {"M1", "P1", "M2"};
  Mentee far = e;
  far.id = 6;
  far.entity_id = 31;
  far.place = At(3, 31);
  Mentee banned = e;
  banned.id = 7;
  banned.entity_id = 32;
  banned.place = At(2, 21);
  Mentee self = e;
  self.id = 8;
  self.entity_id = 10;  // The mentor himself.
  const MatchingResult r = Match({a, forbidden_mentor}, {e, far, banned, self}, {{7, 2}}, {}, {});
  ASSERT_EQ(r.pairs.size(), 1u);
  const MatchedPair& p = r.pairs[0];
  EXPECT_EQ(p.mentee_id, 5);
  EXPECT_EQ(p.mentor_id, 1);
  EXPECT_TRUE(p.explanation.subject_match);
  EXPECT_EQ(p.explanation.covered_deficits, (std::vector<std::string>{"M1", "M2"}));
  EXPECT_EQ(p.explanation.uncovered_deficits, (std::vector<std::string>{"P1"}));
  EXPECT_EQ(p.explanation.distance, Distance::kSameOrganization);
  EXPECT_EQ(p.explanation.mentor_load_before, 1);
  EXPECT_EQ(p.explanation.mentor_load_after, 2);
  EXPECT_NE(p.explanation.summary.find("закрывает 2 из 3"), std::string::npos) << p.explanation.summary;
  // 40 * 1/3 rounded + load 5 * 1.
  EXPECT_EQ(p.cost, 13 + 5);
  ASSERT_EQ(r.unmatched.size(), 3u);
  EXPECT_EQ(r.unmatched[0].mentee_id, 6);
  EXPECT_EQ(r.unmatched[0].reason, UnmatchedReason::kNoCandidates);
  EXPECT_EQ(r.unmatched[1].mentee_id, 7);
  EXPECT_EQ(r.unmatched[1].reason, UnmatchedReason::kAllForbidden);
  EXPECT_EQ(r.unmatched[2].mentee_id, 8);
  // The only mentor nearby is the mentee himself: no candidate at all.
  EXPECT_EQ(r.unmatched[2].reason, UnmatchedReason::kNoCandidates);
}

TEST(Matching, CapacityExhaustedReasonAndPinConflict) {
  Mentor a;
  a.id = 1;
  a.entity_id = 10;
  a.place = At(1, 11);
  a.capacity = 1;
  Mentee e1{.id = 5, .entity_id = 30, .place = At(1, 11)};
  Mentee e2{.id = 6, .entity_id = 31, .place = At(1, 12)};
  // Pin e2 to a: the pin wins the only slot although e1 is closer.
  MatchingResult r = Match({a}, {e1, e2}, {}, {{6, 1}}, {});
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].mentee_id, 6);
  EXPECT_TRUE(r.pairs[0].pinned);
  ASSERT_EQ(r.unmatched.size(), 1u);
  EXPECT_EQ(r.unmatched[0].reason, UnmatchedReason::kCapacityExhausted);
  // A pin to a full mentor is reported as a conflict.
  a.current_load = 1;
  r = Match({a}, {e1}, {}, {{5, 1}}, {});
  ASSERT_EQ(r.unmatched.size(), 1u);
  EXPECT_EQ(r.unmatched[0].reason, UnmatchedReason::kPinConflict);
}


// Admissible pairs of a world exactly as the matcher defines them (no pins), for brute force.
AssignmentProblem ProblemOf(const RandomWorld& w, const MatchingOptions& o) {
  std::vector<Mentor> mentors = w.mentors;
  std::vector<Mentee> mentees = w.mentees;
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(mentors.begin(), mentors.end(), by_id);
  std::sort(mentees.begin(), mentees.end(), by_id);
  AssignmentProblem p;
  p.mentees = static_cast<int>(mentees.size());
  p.load_weight = o.weights.load_per_mentee;
  for (const Mentor& m : mentors) {
    p.free_slots.push_back(std::max(0, m.capacity - m.current_load));
    p.current_load.push_back(m.current_load);
  }
  for (int i = 0; i < p.mentees; ++i) {
    const Mentee& e = mentees[i];
    for (int j = 0; j < static_cast<int>(mentors.size()); ++j) {
      const Mentor& m = mentors[j];
      const bool near = o.allow_cross_municipality && e.place.district_id != 0
                            ? m.place.district_id == e.place.district_id
                            : m.place.municipality_id == e.place.municipality_id;
      if (!near || m.entity_id == e.entity_id || m.is_organization != e.is_organization) continue;
      if (!TakesPairType(m, e.pair_type)) continue;
      bool banned = false;
      for (const auto& f : w.forbidden) banned |= f.mentee_id == e.id && f.mentor_id == m.id;
      if (banned) continue;
      Explanation x;
      const int64_t cost = PairCost(m, e, o.weights, &x);
      if (e.pair_type == kPairSubject && !e.subjects.empty() && !x.subject_match) continue;
      if (e.pair_type == kPairCompetencyPeer && !e.deficits.empty() && x.covered_deficits.empty()) continue;
      p.arcs.push_back({i, j, cost});
    }
  }
  return p;
}

TEST(Matching, FullMatchEqualsBruteForceOverAdmissiblePairs) {
  std::mt19937 rng(314);
  int cut_short = 0;
  for (int round = 0; round < 400; ++round) {
    RandomWorld w = MakeWorld(rng);
    w.pins.clear();
    if (w.mentees.size() > 7) w.mentees.resize(7);
    MatchingOptions o;
    o.allow_cross_municipality = rng() % 2;
    const Objective brute = BruteForce(ProblemOf(w, o));
    // Lists long enough to hold every admissible mentor: the exact optimum of the instance.
    o.max_candidates_per_mentee = 100;
    const MatchingResult r = Match(w.mentors, w.mentees, w.forbidden, {}, o);
    ASSERT_EQ(r.matched, brute.matched) << "round " << round;
    ASSERT_EQ(r.total_cost, brute.cost) << "round " << round;
    int64_t sum = 0;
    for (const MatchedPair& pair : r.pairs) sum += pair.cost;
    EXPECT_EQ(sum, r.total_cost);
    // Cut lists: optimal over the candidate arcs only, so never better than the instance's
    // optimum, and the widening of cut lists keeps it close.
    o.max_candidates_per_mentee = 1 + rng() % 2;
    const MatchingResult cut = Match(w.mentors, w.mentees, w.forbidden, {}, o);
    ASSERT_LE(cut.matched, brute.matched) << "round " << round;
    if (cut.matched == brute.matched) {
      EXPECT_GE(cut.total_cost, brute.cost);
    } else {
      ++cut_short;
    }
  }
  EXPECT_LT(cut_short, 40);
}

TEST(Matching, PairTypeRules) {
  Mentor young_only{.id = 1, .entity_id = 10, .place = At(1, 11), .subjects = {"физика"},
                    .pair_types = {kPairYoungSpecialist}, .capacity = 5};
  Mentor any{.id = 2, .entity_id = 20, .place = At(1, 12), .subjects = {"химия"}, .strengths = {"D1"}, .capacity = 5};
  Mentor manager{.id = 3, .entity_id = 30, .place = At(1, 13), .pair_types = {kPairManagerManager}, .capacity = 5};
  Mentor org{.id = 4, .entity_id = 11, .is_organization = true, .place = At(1, 11), .capacity = 2};
  EXPECT_TRUE(TakesPairType(young_only, kPairYoungSpecialist));
  EXPECT_FALSE(TakesPairType(young_only, kPairSubject));
  EXPECT_TRUE(TakesPairType(any, kPairSubject));
  EXPECT_FALSE(TakesPairType(any, kPairManagerManager));  // only when declared
  EXPECT_FALSE(TakesPairType(any, kPairGroup));
  EXPECT_TRUE(TakesPairType(manager, kPairManagerManager));
  EXPECT_TRUE(TakesPairType(org, kPairOrganizationManagement));
  EXPECT_FALSE(TakesPairType(org, kPairSubject));
  EXPECT_FALSE(TakesPairType(any, kPairOrganizationManagement));

  Mentee subject_pair{.id = 100, .entity_id = 40, .place = At(1, 14), .subjects = {"физика"}, .pair_type = kPairSubject};
  Mentee peer{.id = 101, .entity_id = 41, .place = At(1, 14), .subjects = {"физика"}, .deficits = {"D1", "D2"},
              .pair_type = kPairCompetencyPeer};
  Mentee head{.id = 102, .entity_id = 42, .place = At(1, 14), .pair_type = kPairManagerManager};
  Mentee school{.id = 103, .entity_id = 12, .is_organization = true, .place = At(1, 12)};
  Mentee anyone{.id = 104, .entity_id = 43, .place = At(1, 14), .deficits = {"D1"}};
  const MatchingResult r = Match({young_only, any, manager, org}, {subject_pair, peer, head, school, anyone}, {}, {}, {});
  std::map<int64_t, std::pair<int64_t, int>> got;  // mentee → (mentor, pair type)
  for (const auto& p : r.pairs) got[p.mentee_id] = {p.mentor_id, p.pair_type};
  // The subject pair needs a shared subject: only young_only teaches physics, but takes young
  // specialists only, and «any» teaches chemistry.
  EXPECT_FALSE(got.contains(100));
  ASSERT_EQ(r.unmatched.front().mentee_id, 100);
  EXPECT_NE(r.unmatched.front().detail.find("по предмету"), std::string::npos) << r.unmatched.front().detail;
  EXPECT_EQ(got[101], (std::pair<int64_t, int>{2, kPairCompetencyPeer}));  // covers D1
  EXPECT_EQ(got[102], (std::pair<int64_t, int>{3, kPairManagerManager}));
  EXPECT_EQ(got[103], (std::pair<int64_t, int>{4, kPairOrganizationManagement}));
  // No type asked: the pair rests on the covered deficit.
  EXPECT_EQ(got[104], (std::pair<int64_t, int>{2, kPairCompetencyPeer}));
}

TEST(Matching, CutCandidateListsSpreadOverEqualMentorsAndWiden) {
  // 60 interchangeable mentors with one place each and 60 mentees with lists of 4: every mentee
  // must still get a mentor (ties are spread per mentee, and a cut list is widened).
  std::vector<Mentor> mentors;
  std::vector<Mentee> mentees;
  for (int k = 0; k < 60; ++k) {
    mentors.push_back(Mentor{.id = 1 + k, .entity_id = 1000 + k, .place = At(1, 11), .capacity = 1});
    mentees.push_back(Mentee{.id = 500 + k, .entity_id = 2000 + k, .place = At(1, 12)});
  }
  MatchingOptions o;
  o.max_candidates_per_mentee = 4;
  const MatchingResult r = Match(mentors, mentees, {}, {}, o);
  EXPECT_EQ(r.matched, 60);
  EXPECT_LT(r.candidate_edges, 60 * 60);
  // Widening: mentee 7's list (1 candidate) holds only mentor 1, which mentee 5 needs too;
  // mentor 2 was cut from 7's list by rank but has a place.
  Mentor m1{.id = 1, .entity_id = 10, .place = At(1, 11), .subjects = {"физика"}, .capacity = 1};
  Mentor m2{.id = 2, .entity_id = 20, .place = At(1, 12), .subjects = {"химия"}, .capacity = 1};
  Mentee e5{.id = 5, .entity_id = 30, .place = At(1, 11), .subjects = {"физика"}, .pair_type = kPairSubject};
  Mentee e7{.id = 7, .entity_id = 31, .place = At(1, 11), .subjects = {"физика"}};
  o.max_candidates_per_mentee = 1;
  const MatchingResult w = Match({m1, m2}, {e5, e7}, {}, {}, o);
  ASSERT_EQ(w.matched, 2);
  EXPECT_EQ(w.pairs[0].mentor_id, 1);
  EXPECT_EQ(w.pairs[1].mentor_id, 2);
}

TEST(Matching, DistrictScanFindsSubjectMentorsBeyondTheHomeMunicipality) {
  // Home municipality 1: three mentors of another subject (rank 10 + 30). District neighbour
  // municipality 2: one physics teacher (25) and one chemist (25 + 30). With lists of 3 the
  // physics teacher must be found although the home list is already full.
  std::vector<Mentor> mentors;
  for (int k = 0; k < 3; ++k) {
    mentors.push_back(Mentor{.id = 1 + k, .entity_id = 10 + k, .place = At(1, 11, 7), .subjects = {"химия"}, .capacity = 1});
  }
  mentors.push_back(Mentor{.id = 8, .entity_id = 80, .place = At(2, 21, 7), .subjects = {"физика"}, .capacity = 1});
  mentors.push_back(Mentor{.id = 9, .entity_id = 90, .place = At(2, 22, 7), .subjects = {"химия"}, .capacity = 1});
  Mentee e{.id = 100, .entity_id = 200, .place = At(1, 12, 7), .subjects = {"физика"}};
  MatchingOptions o;
  o.allow_cross_municipality = true;
  o.max_candidates_per_mentee = 3;
  const MatchingResult r = Match(mentors, {e}, {}, {}, o);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_EQ(r.pairs[0].mentor_id, 8);
  EXPECT_EQ(r.pairs[0].explanation.distance, Distance::kSameDistrict);
  EXPECT_EQ(r.pairs[0].cost, 25);
  // Without cross-municipality matching the neighbour is out of reach.
  o.allow_cross_municipality = false;
  EXPECT_EQ(Match(mentors, {e}, {}, {}, o).pairs[0].explanation.distance, Distance::kSameMunicipality);
}

TEST(Matching, ThreadsDoNotChangeTheResult) {
  std::mt19937 rng(5);
  for (int round = 0; round < 50; ++round) {
    RandomWorld w = MakeWorld(rng);
    ThreadPool helper(1);
    MatchingOptions one, two;
    two.parallel = &helper;
    const MatchingResult a = Match(w.mentors, w.mentees, w.forbidden, w.pins, one);
    const MatchingResult b = Match(w.mentors, w.mentees, w.forbidden, w.pins, two);
    ASSERT_EQ(a.pairs.size(), b.pairs.size());
    for (size_t k = 0; k < a.pairs.size(); ++k) {
      EXPECT_EQ(a.pairs[k].mentor_id, b.pairs[k].mentor_id);
      EXPECT_EQ(a.pairs[k].mentee_id, b.pairs[k].mentee_id);
    }
  }
}

TEST(MatchingExact, PiecesOnTwoThreadsEqualOneThread) {
  ThreadPool helper(1);
  std::mt19937 rng(11);
  for (int round = 0; round < 300; ++round) {
    const AssignmentProblem p = RandomProblem(rng);
    EXPECT_EQ(Evaluate(p, SolveAssignmentExact(p, helper)), Evaluate(p, SolveAssignmentExact(p)));
    EXPECT_EQ(SolveAssignmentExact(p, helper), SolveAssignmentExact(p));
  }
}

}  // namespace
}  // namespace nms::mentoring
