// Mentor–mentee matching at the scale of issue 5: 20 000 mentees × 8 000 mentors in a region of
// 5 districts and 24 municipalities, tens of candidates per mentee. Runs the full domain matcher
// (candidates, exclusions, pins, exact min-cost max-flow, explanations) and, on the same
// candidates in the same run, the greedy baseline (mentees in id order take their cheapest free
// candidate). Prints both times and objectives (matched mentees, total cost) so the optimality
// gain is visible, then the bare exact solver on the same-sized sparse assignment problem with 1
// and 2 threads. No database needed.
//
//   build/matching_bench [--mentees=20000] [--mentors=8000] [--candidates=30] [--seed=7]
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/thread_pool.h"
#include "server/domain/mentoring/matching.h"

ABSL_FLAG(int, mentees, 20000, "open mentee requests");
ABSL_FLAG(int, mentors, 8000, "eligible mentor profiles");
ABSL_FLAG(int, candidates, 30, "candidate mentors per mentee (max_candidates_per_mentee)");
ABSL_FLAG(int, seed, 7, "random seed");
ABSL_FLAG(int, threads, 2, "solver threads");

namespace {

using namespace nms::mentoring;  // NOLINT

struct World {
  std::vector<Mentor> mentors;
  std::vector<Mentee> mentees;
  std::vector<PairRef> forbidden;
  std::vector<PairRef> pins;
};

World MakeWorld(int n_mentees, int n_mentors, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<std::string> subjects = {"математика", "русский язык", "литература", "английский язык",
      "история", "обществознание", "физика", "химия", "биология", "география", "информатика",
      "физическая культура", "музыка", "изобразительное искусство", "технология", "начальные классы", "ОБЗР"};
  std::vector<std::string> codes;
  for (int area = 1; area <= 5; ++area) {
    for (int k = 1; k <= 5; ++k) codes.push_back(absl::StrCat("A", area, ".", k));
  }
  // 24 municipalities in 5 districts, of uneven size (a big city and small towns), 12 schools each.
  constexpr int kMunicipalities = 24;
  std::vector<double> weight(kMunicipalities);
  double total = 0;
  for (int m = 0; m < kMunicipalities; ++m) total += weight[m] = 1.0 + (m % 5 == 0 ? 3.0 : 0.0) + uni(0, 10) / 10.0;
  std::discrete_distribution<int> pick_mun(weight.begin(), weight.end());
  auto place = [&]() {
    const int m = pick_mun(rng);
    return Place{1, 1 + m % 5, 100 + m, 1000 + m * 12 + uni(0, 11)};
  };
  World w;
  for (int j = 0; j < n_mentors; ++j) {
    Mentor m;
    m.id = 1 + j;
    m.entity_id = 1'000'000 + j;
    m.place = place();
    m.subjects = {subjects[uni(0, 16)]};
    if (uni(0, 3) == 0) m.subjects.push_back(subjects[uni(0, 16)]);
    for (int k = uni(1, 6); k > 0; --k) m.strengths.push_back(codes[uni(0, 24)]);
    m.strengths.push_back(absl::StrCat("area:", uni(1, 5)));
    m.capacity = uni(1, 4);
    m.current_load = uni(0, 2) == 0 ? 1 : 0;
    if (m.current_load > m.capacity) m.current_load = m.capacity;
    if (uni(0, 9) == 0) m.pair_types = {kPairYoungSpecialist};
    w.mentors.push_back(m);
  }
  for (int i = 0; i < n_mentees; ++i) {
    Mentee e;
    e.id = 1 + i;
    e.entity_id = 2'000'000 + i;
    e.place = place();
    e.subjects = {subjects[uni(0, 16)]};
    for (int k = uni(0, 5); k > 0; --k) e.deficits.push_back(codes[uni(0, 24)]);
    if (!e.deficits.empty()) e.deficits.push_back(absl::StrCat("area:", uni(1, 5)));
    const int r = uni(0, 99);
    e.pair_type = r < 70 ? 0 : r < 85 ? kPairYoungSpecialist : r < 95 ? kPairCompetencyPeer : kPairSubject;
    w.mentees.push_back(e);
  }
  for (int k = 0; k < n_mentees / 100; ++k) w.forbidden.push_back({1 + uni(0, n_mentees - 1), 1 + uni(0, n_mentors - 1)});
  for (int k = 0; k < n_mentees / 200; ++k) w.pins.push_back({1 + uni(0, n_mentees - 1), 1 + uni(0, n_mentors - 1)});
  return w;
}

struct Run {
  MatchingResult result;
  double millis = 0;
};

Run Timed(const World& w, const MatchingOptions& o) {
  Run r;
  absl::Time t0 = absl::Now();
  r.result = Match(w.mentors, w.mentees, w.forbidden, w.pins, o);
  r.millis = absl::ToDoubleMilliseconds(absl::Now() - t0);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int n = absl::GetFlag(FLAGS_mentees);
  const int m = absl::GetFlag(FLAGS_mentors);
  World w = MakeWorld(n, m, absl::GetFlag(FLAGS_seed));
  int slots = 0;
  for (const Mentor& x : w.mentors) slots += x.capacity - x.current_load;
  std::printf("instance: %d mentees, %d mentors with %d free places, %zu forbidden pairs, %zu pins\n", n, m, slots,
              w.forbidden.size(), w.pins.size());

  MatchingOptions o;
  o.max_candidates_per_mentee = absl::GetFlag(FLAGS_candidates);
  nms::ThreadPool workers(absl::GetFlag(FLAGS_threads) - 1);  // the caller is the first thread
  o.parallel = &workers;
  for (bool cross : {false, true}) {
    o.allow_cross_municipality = cross;
    MatchingOptions g = o;
    g.greedy_baseline = true;
    const Run greedy = Timed(w, g);
    const Run exact = Timed(w, o);
    const Run again = Timed(w, o);
    bool same = again.result.pairs.size() == exact.result.pairs.size();
    for (size_t k = 0; same && k < exact.result.pairs.size(); ++k) {
      same = exact.result.pairs[k].mentor_id == again.result.pairs[k].mentor_id &&
             exact.result.pairs[k].mentee_id == again.result.pairs[k].mentee_id;
    }
    std::printf("\n%s (candidate arcs: %lld)\n", cross ? "within districts (allow_cross_municipality)" : "within municipalities",
                static_cast<long long>(exact.result.candidate_edges));
    std::printf("  exact  Match(): %8.0f ms  matched %6d  total cost %9lld  (%.2f per pair)\n", exact.millis,
                exact.result.matched, static_cast<long long>(exact.result.total_cost),
                static_cast<double>(exact.result.total_cost) / std::max(1, exact.result.matched));
    std::printf("  greedy Match(): %8.0f ms  matched %6d  total cost %9lld  (%.2f per pair)\n", greedy.millis,
                greedy.result.matched, static_cast<long long>(greedy.result.total_cost),
                static_cast<double>(greedy.result.total_cost) / std::max(1, greedy.result.matched));
    std::printf("  exact vs greedy: time x%.2f, +%d matched mentees, cost per pair %.1f%% lower; repeat run identical: %s\n",
                exact.millis / std::max(1.0, greedy.millis), exact.result.matched - greedy.result.matched,
                100.0 * (1.0 - (static_cast<double>(exact.result.total_cost) / std::max(1, exact.result.matched)) /
                                   (static_cast<double>(greedy.result.total_cost) / std::max(1, greedy.result.matched))),
                same ? "yes" : "NO");
  }

  // The bare solver: the same size as a sparse assignment problem (candidates drawn from the
  // mentee's municipality), exact with 1 and 2 threads against greedy.
  std::mt19937 rng(absl::GetFlag(FLAGS_seed));
  AssignmentProblem p;
  p.mentees = n;
  p.load_weight = 5;
  p.free_slots.resize(m);
  p.current_load.resize(m);
  std::vector<std::vector<int>> by_mun(24);
  for (int j = 0; j < m; ++j) {
    p.free_slots[j] = 1 + static_cast<int>(rng() % 4);
    p.current_load[j] = static_cast<int>(rng() % 2);
    by_mun[rng() % 24].push_back(j);
  }
  const int64_t costs[] = {0, 10, 13, 20, 25, 30, 40, 50, 53, 60, 70, 80};
  for (int i = 0; i < n; ++i) {
    const auto& pool = by_mun[rng() % 24];
    for (int k = 0; k < absl::GetFlag(FLAGS_candidates); ++k) {
      p.arcs.push_back({i, pool[rng() % pool.size()], costs[rng() % 12]});
    }
  }
  std::printf("\nbare solver, %zu arcs:\n", p.arcs.size());
  absl::Time t0 = absl::Now();
  const auto greedy = SolveAssignmentGreedy(p);
  const double greedy_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
  for (int threads : {1, 2}) {
    t0 = absl::Now();
    nms::ThreadPool helpers(threads - 1);
    const auto exact = SolveAssignmentExact(p, helpers);
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
    const Objective oe = Evaluate(p, exact);
    std::printf("  exact, %d thread%s: %6.0f ms  matched %6d  cost %9lld\n", threads, threads > 1 ? "s" : " ", ms,
                oe.matched, static_cast<long long>(oe.cost));
  }
  const Objective og = Evaluate(p, greedy);
  std::printf("  greedy:          %6.0f ms  matched %6d  cost %9lld\n", greedy_ms, og.matched,
              static_cast<long long>(og.cost));
  return 0;
}
