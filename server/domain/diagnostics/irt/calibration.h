#pragma once
// Calibration of one competency area's items from stored answers by marginal maximum likelihood
// (Bock–Aitkin EM over a fixed normal quadrature; θ ~ N(0, 1) fixes the scale).
//
// Minimum-data rule, per item (MinimumData): an item keeps its own discrimination (2PL) only with
// at least 200 responses and 20 of each outcome; with at least 30 responses and 5 of each outcome
// it falls back to Rasch, i.e. it shares the area's common discrimination estimated from all such
// items (Rasch with the ability variance free, which N(0, 1) turns into a common slope); below that
// it is not calibrated (kExcluded) and stays out of the adaptive bank. An area needs at least two
// calibrated items and answers from MinimumData::persons people, otherwise calibration fails.
//
// EM: the E-step gives expected counts n_jq (answers to item j at node q) and r_jq (correct ones);
// the M-step raises each item's expected complete-data log-likelihood by Newton steps in the
// slope–intercept form z = aθ + c with step halving inside the parameter box, so every iteration
// is a generalised EM step and the marginal log-likelihood never decreases (the trace is kept).
//
// Standard errors come from the inverse of the cross-product (empirical) information of the
// per-person marginal scores; the delta method carries them from (a, c) to b = -c/a. A Rasch item
// reports the standard error of the common discrimination.
//
// Item fit: for each respondent of an item, the posterior given all their other answers (the
// item's own likelihood divided out) gives the rest-EAP and the expected probability E_i of a
// correct answer, under which the answer is Bernoulli(E_i). Respondents are ordered by rest-EAP
// and split into up to 10 equal groups; X² = Σ_g (Σ u_i - Σ E_i)² / Σ E_i (1 - E_i) on (groups -
// item parameters) degrees of freedom (Yen's Q1 in a posterior-predictive form, which avoids
// Q1's inflation from grouping on an estimate that contains the item). An item misfits when the
// test rejects (p < misfit_p) AND the misfit matters: the root mean square difference between
// observed and expected shares correct over the groups (weighted by group size, as in PISA's
// RMSD) exceeds misfit_rmsd. With thousands of sessions the test alone rejects every real item
// for deviations of a point or two, which would empty the adaptive bank for nothing.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/diagnostics/irt/model.h"

namespace nms::diagnostics::irt {

// Persons × items, row-major; kNotPresented where a person did not get the item.
inline constexpr int8_t kNotPresented = -1;
struct ResponseMatrix {
  int persons = 0;
  int items = 0;
  std::vector<int8_t> cells;  // persons * items: 0, 1 or kNotPresented
  int8_t at(int person, int item) const { return cells[static_cast<size_t>(person) * items + item]; }
  int8_t& at(int person, int item) { return cells[static_cast<size_t>(person) * items + item]; }
  static ResponseMatrix Empty(int persons, int items) {
    return ResponseMatrix{persons, items, std::vector<int8_t>(static_cast<size_t>(persons) * items, kNotPresented)};
  }
};

enum class ItemModel : int { kExcluded = 0, kTwoPl = 1, kRasch = 2 };

struct MinimumData {
  int two_pl_responses = 200;
  int two_pl_each_outcome = 20;
  int rasch_responses = 30;
  int rasch_each_outcome = 5;
  int persons = 30;
};

struct CalibrationOptions {
  MinimumData minimum;
  int quadrature_points = 41;
  int max_iterations = 500;
  double tolerance = 1e-4;  // largest change of any a or b between iterations
  double a_min = 0.2, a_max = 4.0, b_limit = 6.0;
  double misfit_p = 0.01;
  double misfit_rmsd = 0.1;
  int fit_groups = 10;
};

struct ItemCalibration {
  ItemModel model = ItemModel::kExcluded;
  ItemParams params;
  double se_a = 0, se_b = 0;  // +inf when the information is singular
  int responses = 0;
  int correct = 0;
  double fit_chi2 = 0;
  int fit_df = 0;
  double fit_p = 1;
  double fit_rmsd = 0;  // observed vs expected share correct over the fit groups
  bool misfit = false;
  std::string note;  // Russian, why an item was excluded or fell back to Rasch
};

struct CalibrationResult {
  std::vector<ItemCalibration> items;  // one per matrix column
  std::vector<double> log_likelihood;  // marginal log-likelihood at each iteration's parameters
  int iterations = 0;
  bool converged = false;
  int persons_used = 0;
  double common_a = 0;  // of the Rasch items (0 when there are none)
};

// Progress of the background operation: iteration number and current log-likelihood.
using CalibrationProgress = std::function<void(int iteration, double log_likelihood)>;

// FAILED_PRECONDITION (Russian) when the minimum-data rule leaves fewer than two items or too
// few people; INVALID_ARGUMENT for a malformed matrix.
absl::StatusOr<CalibrationResult> Calibrate(const ResponseMatrix& data, const CalibrationOptions& options = {},
                                            const CalibrationProgress& progress = nullptr);

// Inverts a symmetric positive-definite n×n matrix in place (Gauss–Jordan with partial pivoting);
// false when it is singular.
bool InvertMatrix(std::vector<double>& m, int n);

}  // namespace nms::diagnostics::irt
