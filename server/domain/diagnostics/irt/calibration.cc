#include "server/domain/diagnostics/irt/calibration.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nms::diagnostics::irt {
namespace {

// log(1 + e^z) without overflow.
double Softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

struct ItemState {
  int col = 0;
  bool tied = false;  // Rasch: uses the common discrimination
  double a = 1, c = 0;
};

// Expected complete-data log-likelihood of one item given expected counts at the nodes.
double ItemQ(const double* n, const double* r, const std::vector<double>& x, double a, double c) {
  double q = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    if (n[k] <= 0) continue;
    const double z = a * x[k] + c;
    q -= r[k] * Softplus(-z) + (n[k] - r[k]) * Softplus(z);
  }
  return q;
}

class Em {
 public:
  Em(const CalibrationOptions& opt, std::vector<ItemState> items, std::vector<std::vector<std::pair<int, int8_t>>> obs)
      : opt_(opt), items_(std::move(items)), obs_(std::move(obs)) {
    Quadrature q = NormalQuadrature(opt.quadrature_points);
    x_ = q.nodes;
    logw_.resize(x_.size());
    for (size_t k = 0; k < x_.size(); ++k) logw_[k] = std::log(q.weights[k]);
    const size_t kk = x_.size() * items_.size();
    n_.assign(kk, 0);
    r_.assign(kk, 0);
    lp_.assign(kk, 0);
    lq_.assign(kk, 0);
  }

  std::vector<ItemState>& items() { return items_; }
  const std::vector<double>& nodes() const { return x_; }

  void Tables() {
    const size_t nq = x_.size();
    for (size_t j = 0; j < items_.size(); ++j) {
      for (size_t k = 0; k < nq; ++k) {
        const double z = items_[j].a * x_[k] + items_[j].c;
        lp_[j * nq + k] = -Softplus(-z);
        lq_[j * nq + k] = -Softplus(z);
      }
    }
  }

  // Posterior weights of one person at the nodes (normalised); returns its log marginal likelihood.
  double Posterior(size_t i, std::vector<double>& w) const {
    const size_t nq = x_.size();
    w = logw_;
    for (auto [j, u] : obs_[i]) {
      const double* t = (u ? lp_.data() : lq_.data()) + static_cast<size_t>(j) * nq;
      for (size_t k = 0; k < nq; ++k) w[k] += t[k];
    }
    const double top = *std::max_element(w.begin(), w.end());
    double s = 0;
    for (double& v : w) s += (v = std::exp(v - top));
    for (double& v : w) v /= s;
    return top + std::log(s);
  }

  double EStep() {
    Tables();
    std::fill(n_.begin(), n_.end(), 0.0);
    std::fill(r_.begin(), r_.end(), 0.0);
    const size_t nq = x_.size();
    double ll = 0;
    std::vector<double> w;
    for (size_t i = 0; i < obs_.size(); ++i) {
      ll += Posterior(i, w);
      for (auto [j, u] : obs_[i]) {
        double* n = n_.data() + static_cast<size_t>(j) * nq;
        for (size_t k = 0; k < nq; ++k) n[k] += w[k];
        if (u) {
          double* r = r_.data() + static_cast<size_t>(j) * nq;
          for (size_t k = 0; k < nq; ++k) r[k] += w[k];
        }
      }
    }
    return ll;
  }

  // Raises each item's expected complete-data log-likelihood; returns the largest change of a or b.
  double MStep() {
    const size_t nq = x_.size();
    double change = 0;
    auto note = [&](const ItemState& before, const ItemState& after) {
      change = std::max(change, std::abs(after.a - before.a));
      change = std::max(change, std::abs(-after.c / after.a + before.c / before.a));
    };
    // Free (2PL) items: 2-D Newton with step halving in the box.
    for (size_t j = 0; j < items_.size(); ++j) {
      ItemState& it = items_[j];
      if (it.tied) continue;
      const ItemState before = it;
      const double* n = n_.data() + j * nq;
      const double* r = r_.data() + j * nq;
      for (int step = 0; step < 20; ++step) {
        double ga = 0, gc = 0, iaa = 0, iac = 0, icc = 0;
        for (size_t k = 0; k < nq; ++k) {
          if (n[k] <= 0) continue;
          const double p = Logistic(it.a * x_[k] + it.c);
          const double e = r[k] - n[k] * p, v = n[k] * p * (1 - p);
          ga += e * x_[k];
          gc += e;
          iaa += v * x_[k] * x_[k];
          iac += v * x_[k];
          icc += v;
        }
        const double det = iaa * icc - iac * iac;
        if (!(det > 1e-12)) break;
        const double da = (icc * ga - iac * gc) / det, dc = (iaa * gc - iac * ga) / det;
        const double q0 = ItemQ(n, r, x_, it.a, it.c);
        bool moved = false;
        for (double h = 1; h > 1e-6; h /= 2) {
          const double na = std::clamp(it.a + h * da, opt_.a_min, opt_.a_max);
          const double lim = opt_.b_limit * na;
          const double nc = std::clamp(it.c + h * dc, -lim, lim);
          if (ItemQ(n, r, x_, na, nc) >= q0) {
            moved = std::abs(na - it.a) + std::abs(nc - it.c) > 1e-10;
            it.a = na;
            it.c = nc;
            break;
          }
        }
        if (!moved) break;
      }
      note(before, it);
    }
    // Rasch items: intercepts one by one, then the common discrimination (coordinate ascent).
    std::vector<size_t> tied;
    for (size_t j = 0; j < items_.size(); ++j) {
      if (items_[j].tied) tied.push_back(j);
    }
    if (tied.empty()) return change;
    std::vector<ItemState> before;
    for (size_t j : tied) before.push_back(items_[j]);
    for (size_t j : tied) {
      ItemState& it = items_[j];
      const double* n = n_.data() + j * nq;
      const double* r = r_.data() + j * nq;
      for (int step = 0; step < 20; ++step) {
        double g = 0, info = 0;
        for (size_t k = 0; k < nq; ++k) {
          const double p = Logistic(it.a * x_[k] + it.c);
          g += r[k] - n[k] * p;
          info += n[k] * p * (1 - p);
        }
        if (!(info > 1e-12)) break;
        const double q0 = ItemQ(n, r, x_, it.a, it.c), lim = opt_.b_limit * it.a;
        bool moved = false;
        for (double h = 1; h > 1e-6; h /= 2) {
          const double nc = std::clamp(it.c + h * g / info, -lim, lim);
          if (ItemQ(n, r, x_, it.a, nc) >= q0) {
            moved = std::abs(nc - it.c) > 1e-10;
            it.c = nc;
            break;
          }
        }
        if (!moved) break;
      }
    }
    auto tied_q = [&](double a) {
      double q = 0;
      for (size_t j : tied) {
        const double lim = opt_.b_limit * a;
        q += ItemQ(n_.data() + j * nq, r_.data() + j * nq, x_, a, std::clamp(items_[j].c, -lim, lim));
      }
      return q;
    };
    for (int step = 0; step < 20; ++step) {
      const double a = items_[tied[0]].a;
      double g = 0, info = 0;
      for (size_t j : tied) {
        const double* n = n_.data() + j * nq;
        const double* r = r_.data() + j * nq;
        for (size_t k = 0; k < nq; ++k) {
          const double p = Logistic(a * x_[k] + items_[j].c);
          g += (r[k] - n[k] * p) * x_[k];
          info += n[k] * p * (1 - p) * x_[k] * x_[k];
        }
      }
      if (!(info > 1e-12)) break;
      const double q0 = tied_q(a);
      bool moved = false;
      for (double h = 1; h > 1e-6; h /= 2) {
        const double na = std::clamp(a + h * g / info, opt_.a_min, opt_.a_max);
        if (tied_q(na) >= q0) {
          moved = std::abs(na - a) > 1e-10;
          for (size_t j : tied) {
            const double lim = opt_.b_limit * na;
            items_[j].a = na;
            items_[j].c = std::clamp(items_[j].c, -lim, lim);
          }
          break;
        }
      }
      if (!moved) break;
    }
    for (size_t t = 0; t < tied.size(); ++t) note(before[t], items_[tied[t]]);
    return change;
  }

  // Standard errors (cross-product information) and item fit at the final parameters.
  void Finish(CalibrationResult& out) {
    Tables();
    const size_t nq = x_.size(), nitems = items_.size();
    // Parameter indices: own (a, c) for 2PL items; Rasch items share one a.
    std::vector<int> ia(nitems), ic(nitems);
    int np = 0, shared = -1;
    for (size_t j = 0; j < nitems; ++j) {
      if (items_[j].tied) {
        if (shared < 0) shared = np++;
        ia[j] = shared;
      } else {
        ia[j] = np++;
      }
      ic[j] = np++;
    }
    std::vector<double> info(static_cast<size_t>(np) * np, 0.0), score(np, 0.0);
    std::vector<int> touched;
    std::vector<char> mark(np, 0);
    std::vector<std::vector<std::array<double, 3>>> fit(nitems);  // (rest EAP, answer, rest expectation)
    std::vector<double> w, prob(nitems * nq);
    for (size_t j = 0; j < nitems; ++j) {
      for (size_t k = 0; k < nq; ++k) prob[j * nq + k] = std::exp(lp_[j * nq + k]);
    }
    for (size_t i = 0; i < obs_.size(); ++i) {
      Posterior(i, w);
      touched.clear();
      for (auto [j, u] : obs_[i]) {
        double ga = 0, gc = 0, rest = 0, rest_eap = 0, e = 0;
        const double* p = prob.data() + static_cast<size_t>(j) * nq;
        for (size_t k = 0; k < nq; ++k) {
          const double d = w[k] * (u - p[k]);
          ga += d * x_[k];
          gc += d;
          // Posterior without this item's own answer (divide its likelihood out).
          const double wr = w[k] / std::max(u ? p[k] : 1 - p[k], 1e-300);
          rest += wr;
          rest_eap += wr * x_[k];
          e += wr * p[k];
        }
        e /= rest;
        rest_eap /= rest;
        for (auto [idx, g] : {std::pair{ia[j], ga}, std::pair{ic[j], gc}}) {
          if (!mark[idx]) {
            mark[idx] = 1;
            touched.push_back(idx);
          }
          score[idx] += g;
        }
        fit[j].push_back({rest_eap, static_cast<double>(u), e});
      }
      for (int s : touched) {
        for (int t : touched) info[static_cast<size_t>(s) * np + t] += score[s] * score[t];
      }
      for (int s : touched) {
        score[s] = 0;
        mark[s] = 0;
      }
    }
    const bool ok = InvertMatrix(info, np);
    auto cov = [&](int s, int t) { return info[static_cast<size_t>(s) * np + t]; };
    for (size_t j = 0; j < nitems; ++j) {
      ItemCalibration& ic_out = out.items[items_[j].col];
      const double a = items_[j].a, c = items_[j].c;
      ic_out.params = {a, -c / a};
      if (ok && cov(ia[j], ia[j]) >= 0 && cov(ic[j], ic[j]) >= 0) {
        ic_out.se_a = std::sqrt(cov(ia[j], ia[j]));
        const double da = c / (a * a), dc = -1 / a;
        const double vb = da * da * cov(ia[j], ia[j]) + 2 * da * dc * cov(ia[j], ic[j]) + dc * dc * cov(ic[j], ic[j]);
        ic_out.se_b = std::sqrt(std::max(0.0, vb));
      } else {
        ic_out.se_a = ic_out.se_b = std::numeric_limits<double>::infinity();
      }
      // Item fit over EAP-ordered groups.
      auto& rows = fit[j];
      // By rest-EAP only: with few items many respondents tie on it, and ordering ties by the
      // observed answer (as a whole-row sort would) cuts groups through them with the wrong
      // answers on one side and the right ones on the other — every item would "misfit".
      std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x[0] < y[0]; });
      const int groups = std::min<int>(opt_.fit_groups, static_cast<int>(rows.size()) / 10);
      const int params = items_[j].tied ? 1 : 2;
      if (groups - params < 1) continue;
      double chi2 = 0, squared = 0;
      for (int g = 0; g < groups; ++g) {
        const size_t lo = rows.size() * g / groups, hi = rows.size() * (g + 1) / groups;
        double o = 0, e = 0, v = 0;
        for (size_t t = lo; t < hi; ++t) {
          o += rows[t][1];
          e += rows[t][2];
          v += rows[t][2] * (1 - rows[t][2]);
        }
        chi2 += (o - e) * (o - e) / std::max(v, 1e-6);
        squared += (o - e) * (o - e) / static_cast<double>(hi - lo);  // n_g · (share difference)²
      }
      ic_out.fit_chi2 = chi2;
      ic_out.fit_df = groups - params;
      ic_out.fit_p = ChiSquareSurvival(chi2, ic_out.fit_df);
      ic_out.fit_rmsd = std::sqrt(squared / static_cast<double>(rows.size()));
      ic_out.misfit = ic_out.fit_p < opt_.misfit_p && ic_out.fit_rmsd > opt_.misfit_rmsd;
    }
  }

 private:
  const CalibrationOptions& opt_;
  std::vector<ItemState> items_;
  std::vector<std::vector<std::pair<int, int8_t>>> obs_;  // per person: (calibrated item, answer)
  std::vector<double> x_, logw_;
  std::vector<double> n_, r_, lp_, lq_;  // item-major [item * nodes + node]
};

}  // namespace

bool InvertMatrix(std::vector<double>& m, int n) {
  std::vector<double> inv(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) inv[static_cast<size_t>(i) * n + i] = 1;
  auto at = [n](std::vector<double>& v, int r, int c) -> double& { return v[static_cast<size_t>(r) * n + c]; };
  double scale = 0;
  for (int i = 0; i < n; ++i) scale = std::max(scale, std::abs(at(m, i, i)));
  for (int col = 0; col < n; ++col) {
    int piv = col;
    for (int r = col + 1; r < n; ++r) {
      if (std::abs(at(m, r, col)) > std::abs(at(m, piv, col))) piv = r;
    }
    if (!(std::abs(at(m, piv, col)) > 1e-12 * std::max(scale, 1e-300))) return false;
    if (piv != col) {
      for (int c = 0; c < n; ++c) {
        std::swap(at(m, piv, c), at(m, col, c));
        std::swap(at(inv, piv, c), at(inv, col, c));
      }
    }
    const double d = at(m, col, col);
    for (int c = 0; c < n; ++c) {
      at(m, col, c) /= d;
      at(inv, col, c) /= d;
    }
    for (int r = 0; r < n; ++r) {
      if (r == col) continue;
      const double f = at(m, r, col);
      if (f == 0) continue;
      for (int c = 0; c < n; ++c) {
        at(m, r, c) -= f * at(m, col, c);
        at(inv, r, c) -= f * at(inv, col, c);
      }
    }
  }
  m = std::move(inv);
  return true;
}

absl::StatusOr<CalibrationResult> Calibrate(const ResponseMatrix& data, const CalibrationOptions& options,
                                            const CalibrationProgress& progress) {
  if (data.persons < 0 || data.items < 0 ||
      data.cells.size() != static_cast<size_t>(data.persons) * static_cast<size_t>(data.items)) {
    return absl::InvalidArgumentError("Матрица ответов повреждена: размер не совпадает с числом людей и заданий");
  }
  CalibrationResult out;
  out.items.resize(data.items);
  const MinimumData& min = options.minimum;
  std::vector<ItemState> items;
  std::vector<int> slot(data.items, -1);
  for (int j = 0; j < data.items; ++j) {
    ItemCalibration& ic = out.items[j];
    for (int i = 0; i < data.persons; ++i) {
      const int8_t u = data.at(i, j);
      if (u == kNotPresented) continue;
      if (u != 0 && u != 1) {
        return absl::InvalidArgumentError(absl::StrCat("Матрица ответов: недопустимое значение в задании ", j + 1));
      }
      ++ic.responses;
      ic.correct += u;
    }
    const int fewer = std::min(ic.correct, ic.responses - ic.correct);
    if (ic.responses >= min.two_pl_responses && fewer >= min.two_pl_each_outcome) {
      ic.model = ItemModel::kTwoPl;
    } else if (ic.responses >= min.rasch_responses && fewer >= min.rasch_each_outcome) {
      ic.model = ItemModel::kRasch;
      ic.note = absl::StrCat("Мало данных для собственной дискриминативности (", ic.responses, " ответов, из них ",
                             fewer, " в меньшей группе; нужно ", min.two_pl_responses, " и ",
                             min.two_pl_each_outcome, "): модель Раша");
    } else {
      ic.model = ItemModel::kExcluded;
      ic.note = absl::StrCat("Недостаточно данных для калибровки (", ic.responses, " ответов, из них ", fewer,
                             " в меньшей группе; нужно не меньше ", min.rasch_responses, " и ",
                             min.rasch_each_outcome, ")");
      continue;
    }
    const double p = (ic.correct + 0.5) / (ic.responses + 1.0);
    slot[j] = static_cast<int>(items.size());
    items.push_back({j, ic.model == ItemModel::kRasch, 1.0, std::log(p / (1 - p)) * 1.16});
  }
  if (items.size() < 2) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Недостаточно данных для калибровки: заданий с достаточным числом ответов — ", items.size(),
        ", нужно не меньше двух"));
  }
  std::vector<std::vector<std::pair<int, int8_t>>> obs;
  for (int i = 0; i < data.persons; ++i) {
    std::vector<std::pair<int, int8_t>> row;
    for (int j = 0; j < data.items; ++j) {
      const int8_t u = data.at(i, j);
      if (u != kNotPresented && slot[j] >= 0) row.emplace_back(slot[j], u);
    }
    if (!row.empty()) obs.push_back(std::move(row));
  }
  out.persons_used = static_cast<int>(obs.size());
  if (out.persons_used < min.persons) {
    return absl::FailedPreconditionError(absl::StrCat("Недостаточно данных для калибровки: ответили ",
                                                      out.persons_used, " человек, нужно не меньше ", min.persons));
  }
  Em em(options, std::move(items), std::move(obs));
  for (int it = 0; it < options.max_iterations; ++it) {
    const double ll = em.EStep();
    out.log_likelihood.push_back(ll);
    out.iterations = it + 1;
    if (progress) progress(it + 1, ll);
    if (em.MStep() < options.tolerance) {
      out.converged = true;
      out.log_likelihood.push_back(em.EStep());
      break;
    }
  }
  em.Finish(out);
  for (const ItemState& s : em.items()) {
    if (s.tied) out.common_a = s.a;
  }
  return out;
}

}  // namespace nms::diagnostics::irt
