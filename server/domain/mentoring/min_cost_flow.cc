#include "server/domain/mentoring/min_cost_flow.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace nms::mentoring {
namespace {
constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
}  // namespace

MinCostFlow::MinCostFlow(int nodes) : n_(nodes), head_(nodes, -1) {}

int MinCostFlow::AddArc(int from, int to, int cap, int64_t cost) {
  const int id = static_cast<int>(orig_cap_.size());
  orig_cap_.push_back(cap);
  to_.push_back(to);
  cap_.push_back(cap);
  cost_.push_back(cost);
  to_.push_back(from);
  cap_.push_back(0);
  cost_.push_back(-cost);
  // Remember the tail through the reverse arc's head; adjacency is built in Solve().
  next_.push_back(from);
  next_.push_back(to);
  return id;
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
    for (int k = adj_start_[v]; k < adj_start_[v + 1]; ++k) {
      const int a = adj_[k];
      if (cap_[a] <= 0) continue;
      const int w = to_[a];
      const int64_t nd = d + cost_[a] + pot_[v] - pot_[w];
      if (nd < dist_[w]) {
        dist_[w] = nd;
        heap.push({nd, w});
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
  std::vector<int> queue;
  queue.reserve(n_);
  level_[s] = 0;
  queue.push_back(s);
  for (size_t i = 0; i < queue.size(); ++i) {
    const int v = queue[i];
    for (int k = adj_start_[v]; k < adj_start_[v + 1]; ++k) {
      const int a = adj_[k];
      const int w = to_[a];
      if (cap_[a] <= 0 || level_[w] >= 0) continue;
      if (cost_[a] + pot_[v] - pot_[w] != 0) continue;
      level_[w] = level_[v] + 1;
      queue.push_back(w);
    }
  }
  return level_[t] >= 0;
}

MinCostFlow::Result MinCostFlow::Solve(int s, int t) {
  // CSR adjacency in insertion order (determinism: same arcs → same scan order).
  const int arcs = static_cast<int>(to_.size());
  adj_start_.assign(n_ + 1, 0);
  for (int a = 0; a < arcs; ++a) ++adj_start_[next_[a] + 1];
  for (int v = 0; v < n_; ++v) adj_start_[v + 1] += adj_start_[v];
  adj_.assign(arcs, 0);
  {
    std::vector<int> fill(adj_start_.begin(), adj_start_.end() - 1);
    for (int a = 0; a < arcs; ++a) adj_[fill[next_[a]]++] = a;
  }
  pot_.assign(n_, 0);
  Result result;
  std::vector<int> path_arcs;
  std::vector<int> path_nodes;
  while (Dijkstra(s, t)) {
    ++result.dijkstra_runs;
    while (BuildLevels(s, t)) {
      it_.assign(adj_start_.begin(), adj_start_.end() - 1);
      path_arcs.clear();
      path_nodes.assign(1, s);
      // Iterative Dinic advance/retreat on the admissible level graph.
      while (!path_nodes.empty()) {
        const int v = path_nodes.back();
        if (v == t) {
          int push = std::numeric_limits<int>::max();
          for (int a : path_arcs) push = std::min(push, cap_[a]);
          size_t cut = path_arcs.size();
          for (size_t i = 0; i < path_arcs.size(); ++i) {
            const int a = path_arcs[i];
            cap_[a] -= push;
            cap_[a ^ 1] += push;
            result.cost += static_cast<int64_t>(push) * cost_[a];
            if (cap_[a] == 0 && cut == path_arcs.size()) cut = i;
          }
          result.flow += push;
          // Retreat to the tail of the first saturated arc.
          path_arcs.resize(cut);
          path_nodes.resize(cut + 1);
          continue;
        }
        bool advanced = false;
        for (int& k = it_[v]; k < adj_start_[v + 1]; ++k) {
          const int a = adj_[k];
          const int w = to_[a];
          if (cap_[a] <= 0 || level_[w] != level_[v] + 1) continue;
          if (cost_[a] + pot_[v] - pot_[w] != 0) continue;
          path_arcs.push_back(a);
          path_nodes.push_back(w);
          advanced = true;
          break;
        }
        if (advanced) continue;
        level_[v] = -1;  // Dead end for this level graph.
        path_nodes.pop_back();
        if (!path_arcs.empty()) {
          path_arcs.pop_back();
          ++it_[path_nodes.back()];
        }
      }
    }
  }
  return result;
}

}  // namespace nms::mentoring
