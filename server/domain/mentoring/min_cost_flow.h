#pragma once
// Exact min-cost max-flow on a sparse graph (primal-dual: Dijkstra with potentials to find the
// shortest augmenting distance, then a Dinic blocking flow on the zero-reduced-cost arcs).
// Why primal-dual and not one path per Dijkstra: matching costs are small integers, so all
// shortest augmenting paths of one length are pushed at once and the number of Dijkstra runs is
// bounded by the number of distinct path lengths (hundreds), not by the flow value (tens of
// thousands). Requires non-negative arc costs. Deterministic: arcs are scanned in insertion order.

#include <cstdint>
#include <vector>

namespace nms::mentoring {

class MinCostFlow {
 public:
  explicit MinCostFlow(int nodes);

  // Adds an arc and returns its id (use it with Flow()). cost must be >= 0, cap >= 0.
  int AddArc(int from, int to, int cap, int64_t cost);

  struct Result {
    int64_t flow = 0;
    int64_t cost = 0;
    int dijkstra_runs = 0;
  };
  // Maximises the flow from s to t and, among maximum flows, minimises the cost.
  Result Solve(int s, int t);

  // Flow on an arc after Solve().
  int Flow(int arc_id) const { return orig_cap_[arc_id] - cap_[2 * arc_id]; }

 private:
  bool Dijkstra(int s, int t);
  bool BuildLevels(int s, int t);
  int Push(int v, int t, int limit);

  int n_;
  // Residual arcs: 2*i is the forward arc i, 2*i+1 its reverse.
  std::vector<int> to_;
  std::vector<int> cap_;
  std::vector<int64_t> cost_;
  std::vector<int> orig_cap_;
  std::vector<int> next_;   // Linked list per node (built into CSR before solving).
  std::vector<int> head_;
  // CSR adjacency (arc ids), built by Solve().
  std::vector<int> adj_start_;
  std::vector<int> adj_;
  std::vector<int64_t> pot_;
  std::vector<int64_t> dist_;
  std::vector<int> level_;
  std::vector<int> it_;
};

}  // namespace nms::mentoring
