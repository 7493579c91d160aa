#pragma once
// Exact min-cost max-flow on a sparse graph (primal-dual: Dijkstra with potentials to find the
// shortest augmenting distance, then a Dinic blocking flow on the zero-reduced-cost arcs).
// Why primal-dual and not one path per Dijkstra: matching costs are small integers, so all
// shortest augmenting paths of one length are pushed at once and the number of Dijkstra runs is
// bounded by the number of distinct path lengths (tens), not by the flow value (tens of
// thousands). Negative arc costs are allowed: Bellman-Ford from the source sets the first
// potentials so every reduced cost starts non-negative (Dijkstra with potentials assumes it; with
// raw negative costs the blocking-flow phase never ended). A negative-cost cycle reachable from
// the source has no shortest paths and is refused. Deterministic: arcs are scanned in insertion
// order.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace nms::mentoring {

class MinCostFlow {
 public:
  explicit MinCostFlow(int nodes);

  // Adds an arc and returns its id (use it with Flow()). cap must be >= 0 and both ends valid
  // nodes (checked by Solve); cost may be negative.
  int AddArc(int from, int to, int cap, int64_t cost);

  struct Result {
    int64_t flow = 0;
    int64_t cost = 0;
    int dijkstra_runs = 0;
    int blocking_flows = 0;
  };
  // Maximises the flow from s to t and, among maximum flows, minimises the cost. Call once.
  // INVALID_ARGUMENT for a node out of range, a negative capacity or a negative-cost cycle
  // reachable from s.
  absl::StatusOr<Result> Solve(int s, int t);

  // Flow on an arc after Solve().
  int Flow(int arc_id) const;

 private:
  // A residual arc in adjacency (CSR) order. Packed, with its reverse's position, so a scan
  // touches one array: the solver is bound by memory traffic over ~10^6 arcs.
  struct Arc {
    int to = 0;
    int cap = 0;
    int rev = 0;  // position of the reverse arc
    int64_t cost = 0;
  };

  void BuildAdjacency();
  // Initial potentials: shortest distances from s over the arcs with capacity (Bellman-Ford),
  // needed only when some cost is negative. False when a negative cycle is reachable from s.
  bool InitialPotentials(int s);
  bool Dijkstra(int s, int t);
  bool BuildLevels(int s, int t);
  void BlockingFlow(int s, int t, Result* result);

  int n_;
  // As added: tail, head, capacity, cost of arc i.
  struct Input {
    int from, to, cap;
    int64_t cost;
  };
  std::vector<Input> input_;
  std::vector<int> position_;  // arc id -> position of its forward residual arc
  std::vector<Arc> arcs_;
  std::vector<int> start_;     // node -> first position; start_[n_] = arcs_.size()
  std::vector<int64_t> pot_;
  std::vector<int64_t> dist_;
  std::vector<int> level_;
  std::vector<int> it_;
  std::vector<int> queue_;
};

}  // namespace nms::mentoring
