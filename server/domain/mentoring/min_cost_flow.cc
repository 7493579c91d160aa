#include "server/domain/mentoring/min_cost_flow.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "absl/strings/str_cat.h"

namespace nms::mentoring {
namespace {
constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
}  // namespace

MinCostFlow::MinCostFlow(int nodes) : n_(nodes) {}

int MinCostFlow::AddArc(int from, int to, int cap, int64_t cost) {
  input_.push_back({from, to, cap, cost});
  return static_cast<int>(input_.size()) - 1;
}

int MinCostFlow::Flow(int arc_id) const {
  return input_[arc_id].cap - arcs_[position_[arc_id]].cap;
}

void MinCostFlow::BuildAdjacency() {
  // Counting sort of the residual arcs by tail; within a node, insertion order (forward arcs
  // and reverse arcs interleaved as they were added), which keeps the scan deterministic.
  start_.assign(n_ + 1, 0);
  for (const Input& a : input_) {
    ++start_[a.from + 1];
    ++start_[a.to + 1];
  }
  for (int v = 0; v < n_; ++v) start_[v + 1] += start_[v];
  std::vector<int> fill(start_.begin(), start_.end() - 1);
  arcs_.assign(2 * input_.size(), Arc{});
  position_.resize(input_.size());
  for (size_t i = 0; i < input_.size(); ++i) {
    const Input& a = input_[i];
    const int f = fill[a.from]++;
    const int r = fill[a.to]++;
    arcs_[f] = Arc{a.to, a.cap, r, a.cost};
    arcs_[r] = Arc{a.from, 0, f, -a.cost};
    position_[i] = f;
  }
}

bool MinCostFlow::Dijkstra(int s, int t) {
  dist_.assign(n_, kInf);
  using Item = std::pair<int64_t, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  dist_[s] = 0;
  heap.push({0, s});
  int64_t reached = kInf;
  while (!heap.empty()) {
    auto [d, v] = heap.top();
    heap.pop();
    if (d != dist_[v]) continue;
    if (v == t) {
      reached = d;
      break;
    }
    const int64_t pv = pot_[v];
    for (int k = start_[v]; k < start_[v + 1]; ++k) {
      const Arc& a = arcs_[k];
      if (a.cap <= 0) continue;
      const int64_t nd = d + a.cost + pv - pot_[a.to];
      if (nd < dist_[a.to]) {
        dist_[a.to] = nd;
        heap.push({nd, a.to});
      }
    }
  }
  if (reached == kInf) return false;
  // Nodes not settled get the bound D: reduced costs stay non-negative (settled nodes have
  // exact distances <= D, the rest have tentative distances >= D).
  for (int v = 0; v < n_; ++v) pot_[v] += std::min(dist_[v], reached);
  return true;
}

bool MinCostFlow::BuildLevels(int s, int t) {
  level_.assign(n_, -1);
  queue_.clear();
  level_[s] = 0;
  queue_.push_back(s);
  for (size_t i = 0; i < queue_.size(); ++i) {
    const int v = queue_[i];
    // Nodes at or past t's level cannot lie on a shortest admissible path to t.
    if (level_[t] >= 0 && level_[v] >= level_[t]) break;
    const int64_t pv = pot_[v];
    for (int k = start_[v]; k < start_[v + 1]; ++k) {
      const Arc& a = arcs_[k];
      if (a.cap <= 0 || level_[a.to] >= 0) continue;
      if (a.cost + pv - pot_[a.to] != 0) continue;
      level_[a.to] = level_[v] + 1;
      queue_.push_back(a.to);
    }
  }
  return level_[t] >= 0;
}

void MinCostFlow::BlockingFlow(int s, int t, Result* result) {
  it_.assign(start_.begin(), start_.end() - 1);
  std::vector<int> path;  // positions of the arcs from s
  int v = s;
  // Iterative Dinic advance/retreat on the admissible level graph.
  while (true) {
    if (v == t) {
      int push = std::numeric_limits<int>::max();
      for (int k : path) push = std::min(push, arcs_[k].cap);
      size_t cut = path.size();
      for (size_t i = 0; i < path.size(); ++i) {
        Arc& a = arcs_[path[i]];
        a.cap -= push;
        arcs_[a.rev].cap += push;
        result->cost += static_cast<int64_t>(push) * a.cost;
        if (a.cap == 0 && cut == path.size()) cut = i;
      }
      result->flow += push;
      // Retreat to the tail of the first saturated arc.
      path.resize(cut);
      v = path.empty() ? s : arcs_[path.back()].to;
      continue;
    }
    bool advanced = false;
    const int64_t pv = pot_[v];
    for (int& k = it_[v]; k < start_[v + 1]; ++k) {
      const Arc& a = arcs_[k];
      if (a.cap <= 0 || level_[a.to] != level_[v] + 1) continue;
      if (a.cost + pv - pot_[a.to] != 0) continue;
      path.push_back(k);
      v = a.to;
      advanced = true;
      break;
    }
    if (advanced) continue;
    if (v == s) return;
    level_[v] = -1;  // Dead end for this level graph.
    path.pop_back();
    v = path.empty() ? s : arcs_[path.back()].to;
    ++it_[v];
  }
}

bool MinCostFlow::InitialPotentials(int s) {
  // Distances from s; nodes s cannot reach keep 0 (no residual arc ever leads to them: arcs
  // gain capacity only in reverse along augmenting paths, which run through reached nodes).
  dist_.assign(n_, kInf);
  dist_[s] = 0;
  for (int round = 0; round < n_; ++round) {
    bool changed = false;
    for (const Input& a : input_) {
      if (a.cap <= 0 || dist_[a.from] == kInf) continue;
      if (dist_[a.from] + a.cost < dist_[a.to]) {
        dist_[a.to] = dist_[a.from] + a.cost;
        changed = true;
      }
    }
    if (!changed) {
      for (int v = 0; v < n_; ++v) pot_[v] = dist_[v] == kInf ? 0 : dist_[v];
      return true;
    }
  }
  return false;  // still relaxing after n rounds: a negative cycle
}

absl::StatusOr<MinCostFlow::Result> MinCostFlow::Solve(int s, int t) {
  if (n_ <= 0 || s < 0 || s >= n_ || t < 0 || t >= n_ || s == t) {
    return absl::InvalidArgumentError(absl::StrCat("min-cost flow: source ", s, " and sink ", t,
                                                   " must be distinct nodes of 0..", n_ - 1));
  }
  bool negative = false;
  for (size_t i = 0; i < input_.size(); ++i) {
    const Input& a = input_[i];
    if (a.from < 0 || a.from >= n_ || a.to < 0 || a.to >= n_ || a.cap < 0) {
      return absl::InvalidArgumentError(absl::StrCat("min-cost flow: arc ", i, " (", a.from, " -> ", a.to,
                                                     ", capacity ", a.cap, ") is not a valid arc"));
    }
    if (a.cost < 0) negative = true;
  }
  BuildAdjacency();
  pot_.assign(n_, 0);
  if (negative && !InitialPotentials(s)) {
    return absl::InvalidArgumentError(
        "min-cost flow: a cycle of negative total cost is reachable from the source; its cost is unbounded");
  }
  Result result;
  while (Dijkstra(s, t)) {
    ++result.dijkstra_runs;
    while (BuildLevels(s, t)) {
      ++result.blocking_flows;
      BlockingFlow(s, t, &result);
    }
  }
  return result;
}

}  // namespace nms::mentoring
