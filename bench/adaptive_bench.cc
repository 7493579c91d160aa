// Adaptive vs fixed-form diagnostics on a simulated region (issue 18). The instrument is like the
// region's: 5 competency areas × 30 choice items, 6 indicators of 5 items per area, bands at
// 50/70/85 %. A calibration sample answers the form (or, with --bank_per_indicator above 5, one
// of several versions drawn from a larger bank); the domain's EM calibrates each area's items from
// those answers alone. New teachers (θ ~ N(0, 1) per area, areas correlated 0.6) then answer both
// ways from one answer pattern: the fixed form (all its items, the existing weighted-mean scoring)
// and adaptive sessions on the calibrated bank:
//   A  per area: EAP, max information, indicator balancing, randomesque 3, stop at SE 0.3 / 15 items;
//   B  A with each area's prior conditioned on the teacher's other areas (collateral information);
//   C  B with variable length: up to 18 items, stopping once the level is 85 % certain.
// All are compared with the true profile (the levels and deficits the true θ gives through the same
// scoring): items per teacher, agreement of each area's level, recall/precision of deficits.
// Goal: agreement ≥ the fixed form's with at most half the items. No database needed.
//
//   build/adaptive_bench [--teachers=3000] [--calibration=3000] [--bank_per_indicator=5]
//                        [--max_items=15] [--target_se=0.3] [--randomesque=3] [--seed=7]
//                        [--var_max_items=18] [--level_confidence=0.85] [--select_at_cut]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "server/domain/diagnostics/irt/ability_levels.h"
#include "server/domain/diagnostics/irt/adaptive.h"
#include "server/domain/diagnostics/irt/calibration.h"
#include "server/domain/diagnostics/irt/collateral.h"
#include "server/domain/diagnostics/scoring.h"

ABSL_FLAG(int, teachers, 3000, "simulated teachers compared (fixed vs adaptive)");
ABSL_FLAG(int, calibration, 3000, "teachers in the calibration sample (full form)");
ABSL_FLAG(int, areas, 5, "competency areas");
ABSL_FLAG(int, indicators, 6, "indicators per area");
ABSL_FLAG(int, items_per_indicator, 5, "items per indicator in the fixed form");
ABSL_FLAG(int, bank_per_indicator, 5, "calibrated bank items per indicator (≥ the form's; more = items of other instrument versions)");
ABSL_FLAG(int, max_items, 15, "adaptive: max items per area");
ABSL_FLAG(int, min_items, 3, "adaptive: min items per area");
ABSL_FLAG(double, target_se, 0.3, "adaptive: stop at this posterior SD");
ABSL_FLAG(int, randomesque, 3, "adaptive: draw among this many most informative items");
ABSL_FLAG(double, level_confidence, 0.85, "variant C: also stop when the level is this certain");
ABSL_FLAG(int, var_max_items, 18, "variant C: max items per area");
ABSL_FLAG(bool, select_at_cut, false, "variant C: information at the nearest level cut");
ABSL_FLAG(int, seed, 7, "random seed");

namespace {

using namespace nms::diagnostics;       // NOLINT
using namespace nms::diagnostics::irt;  // NOLINT

struct Area {
  int area = 0;
  std::vector<std::string> indicator;  // per bank item
  std::vector<char> in_form;           // the item is on the fixed form
  std::vector<ItemParams> truth, estimate;
  AreaBlueprint true_blueprint, est_blueprint;
  std::vector<BankItem> bank;
  ThetaCuts est_cuts;
};

// The fixed form's scoring (its items only) with the given item parameters.
AreaBlueprint Blueprint(int area, const std::vector<std::string>& indicator, const std::vector<char>& in_form,
                        const std::vector<ItemParams>& p) {
  AreaBlueprint b{area, {}};
  for (size_t j = 0; j < p.size(); ++j) {
    if (!in_form[j]) continue;
    if (b.indicators.empty() || b.indicators.back().code != indicator[j]) b.indicators.push_back({indicator[j], {}});
    b.indicators.back().items.push_back({p[j], 1.0});
  }
  return b;
}

double Corr(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0, n = static_cast<double>(x.size());
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx), syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Correlated area abilities: common factor with loading √0.6.
std::vector<double> Abilities(int areas, std::mt19937_64& rng) {
  std::normal_distribution<double> n(0, 1);
  const double g = n(rng);
  std::vector<double> t(areas);
  for (double& v : t) v = std::sqrt(0.6) * g + std::sqrt(0.4) * n(rng);
  return t;
}

struct Tally {
  long items = 0;
  int max_items = 0;
  long area_agree = 0, areas = 0;
  long deficits_true = 0, deficits_found = 0, deficits_flagged = 0;  // indicator deficits
  long area_deficit_true = 0, area_deficit_found = 0;                // areas below basic
  void Compare(const Profile& truth, const Profile& got) {
    std::map<int, Level> lv;
    for (const auto& a : got.areas) lv[a.area] = a.level;
    for (const auto& a : truth.areas) {
      ++areas;
      area_agree += lv[a.area] == a.level;
      if (a.level == Level::kInsufficient) {
        ++area_deficit_true;
        area_deficit_found += lv[a.area] == Level::kInsufficient;
      }
    }
    std::map<std::string, bool> def;
    for (const auto& d : got.deficits) def[d.code] = true;
    deficits_flagged += static_cast<long>(got.deficits.size());
    for (const auto& d : truth.deficits) {
      ++deficits_true;
      deficits_found += def.count(d.code);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int n_areas = absl::GetFlag(FLAGS_areas), n_ind = absl::GetFlag(FLAGS_indicators),
            per_ind = absl::GetFlag(FLAGS_items_per_indicator),
            bank_per_ind = std::max(per_ind, absl::GetFlag(FLAGS_bank_per_indicator)), teachers = absl::GetFlag(FLAGS_teachers),
            calib_n = absl::GetFlag(FLAGS_calibration);
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  const Thresholds bands{50, 70, 85};
  Framework f;
  f.overall = bands;
  std::vector<Area> areas(n_areas);
  std::lognormal_distribution<double> la(std::log(1.2), 0.3);
  std::normal_distribution<double> nb(-0.3, 1.0);
  for (int a = 0; a < n_areas; ++a) {
    Area& ar = areas[a];
    ar.area = a + 1;
    f.areas.push_back({ar.area, AreaName(ar.area), bands});
    for (int k = 0; k < n_ind; ++k) {
      const std::string code = absl::StrCat("A", ar.area, ".", k + 1);
      f.indicators.push_back({code, ar.area, code, std::nullopt});
      for (int j = 0; j < bank_per_ind; ++j) {
        ar.indicator.push_back(code);
        ar.in_form.push_back(j < per_ind);
        ar.truth.push_back({std::clamp(la(rng), 0.5, 2.5), std::clamp(nb(rng), -2.5, 2.5)});
      }
    }
    ar.true_blueprint = Blueprint(ar.area, ar.indicator, ar.in_form, ar.truth);
  }
  const int items_per_area = n_ind * bank_per_ind, form_items = n_ind * per_ind;
  std::uniform_real_distribution<double> uni(0, 1);
  auto answer_all = [&](const std::vector<double>& theta) {
    std::vector<std::vector<bool>> u(n_areas, std::vector<bool>(items_per_area));
    for (int a = 0; a < n_areas; ++a) {
      for (int j = 0; j < items_per_area; ++j) u[a][j] = uni(rng) < Probability(areas[a].truth[j], theta[a]);
    }
    return u;
  };

  // 1. Calibration from a sample that took the fixed form.
  // With a bank larger than the form, each person took one of several versions: per indicator a
  // random `per_ind` of its bank items (the rest not presented).
  std::vector<ResponseMatrix> data(n_areas, ResponseMatrix::Empty(calib_n, items_per_area));
  std::vector<int> order(bank_per_ind);
  for (int i = 0; i < calib_n; ++i) {
    const auto u = answer_all(Abilities(n_areas, rng));
    for (int a = 0; a < n_areas; ++a) {
      for (int k = 0; k < n_ind; ++k) {
        for (int t = 0; t < bank_per_ind; ++t) order[t] = t;
        std::shuffle(order.begin(), order.end(), rng);
        for (int t = 0; t < per_ind; ++t) {
          const int j = k * bank_per_ind + order[t];
          data[a].at(i, j) = u[a][j];
        }
      }
    }
  }
  std::printf("Calibration: %d teachers × %d areas; bank %d items/area, fixed form %d items/area (%d indicators); "
              "2PL, Bock–Aitkin EM, 41 nodes\n", calib_n, n_areas, items_per_area, form_items, n_ind);
  std::printf("  area  iterations  time,s  corr(a)  corr(b)  mean|Δb|  mean SE(b)  misfit(p<.01)\n");
  for (Area& ar : areas) {
    const absl::Time t0 = absl::Now();
    auto res = Calibrate(data[ar.area - 1]);
    if (!res.ok()) {
      std::fprintf(stderr, "calibration failed: %s\n", std::string(res.status().message()).c_str());
      return 1;
    }
    const double secs = absl::ToDoubleSeconds(absl::Now() - t0);
    std::vector<double> ta, tb, ea, eb;
    double db = 0, seb = 0;
    int misfit = 0;
    for (int j = 0; j < items_per_area; ++j) {
      const ItemCalibration& c = res->items[j];
      ar.estimate.push_back(c.params);
      ar.bank.push_back({absl::StrCat("q", ar.area, "_", j), ar.indicator[j], c.params});
      ta.push_back(ar.truth[j].a), tb.push_back(ar.truth[j].b), ea.push_back(c.params.a), eb.push_back(c.params.b);
      db += std::abs(c.params.b - ar.truth[j].b) / items_per_area;
      seb += c.se_b / items_per_area;
      misfit += c.misfit;
    }
    ar.est_blueprint = Blueprint(ar.area, ar.indicator, ar.in_form, ar.estimate);
    ar.est_cuts = AreaCuts(ar.est_blueprint, bands);
    std::printf("  %4d  %10d  %6.2f  %7.3f  %7.3f  %8.3f  %10.3f  %d\n", ar.area, res->iterations, secs,
                Corr(ta, ea), Corr(tb, eb), db, seb, misfit);
  }

  // Correlations of the areas from the calibration sample's EAPs (for the collateral prior).
  const Quadrature standard = NormalQuadrature(61, 5.0);
  std::vector<double> eaps(static_cast<size_t>(calib_n) * n_areas);
  for (int i = 0; i < calib_n; ++i) {
    for (int a = 0; a < n_areas; ++a) {
      std::vector<Response> r;
      for (int j = 0; j < items_per_area; ++j) {
        if (data[a].at(i, j) != kNotPresented) r.push_back({j, data[a].at(i, j) == 1});
      }
      eaps[static_cast<size_t>(i) * n_areas + a] = Eap(areas[a].estimate, r, standard).theta;
    }
  }
  const std::vector<double> corr = AreaCorrelations(eaps, calib_n, n_areas);
  double mean_r = 0;
  for (int a = 0; a < n_areas; ++a) {
    for (int b = 0; b < n_areas; ++b) mean_r += a == b ? 0 : corr[a * n_areas + b] / (n_areas * (n_areas - 1));
  }
  std::printf("  correlation of areas' abilities estimated from the same sample: mean %.3f (simulated 0.600)\n", mean_r);

  // 2. Fixed form vs adaptive variants on new teachers, all from the same answer pattern.
  struct Mode {
    std::string name;
    AdaptiveConfig cfg;
    bool collateral = false;
    Tally tally;
    std::vector<std::vector<int>> exposure;
    std::map<StopReason, long> stops;
    double secs = 0;
  };
  AdaptiveConfig base;
  base.max_items = absl::GetFlag(FLAGS_max_items);
  base.min_items = absl::GetFlag(FLAGS_min_items);
  base.target_se = absl::GetFlag(FLAGS_target_se);
  base.randomesque = absl::GetFlag(FLAGS_randomesque);
  std::vector<Mode> modes;
  modes.push_back({"A: per area", base});
  modes.push_back({"B: A + other areas", base, true});
  AdaptiveConfig var = base;
  var.max_items = absl::GetFlag(FLAGS_var_max_items);
  var.level_confidence = absl::GetFlag(FLAGS_level_confidence);
  var.select_at_nearest_cut = absl::GetFlag(FLAGS_select_at_cut);
  modes.push_back({"C: B + level stop", var, true});
  for (Mode& m : modes) m.exposure.assign(n_areas, std::vector<int>(items_per_area, 0));
  std::vector<AreaBlueprint> true_bp, est_bp;
  for (const Area& ar : areas) true_bp.push_back(ar.true_blueprint), est_bp.push_back(ar.est_blueprint);
  Tally fixed;
  const absl::Time t0 = absl::Now();
  for (int i = 0; i < teachers; ++i) {
    const std::vector<double> theta = Abilities(n_areas, rng);
    const auto u = answer_all(theta);
    std::map<int, double> true_theta;
    std::vector<ScoredItem> scored;
    for (int a = 0; a < n_areas; ++a) {
      true_theta[areas[a].area] = theta[a];
      for (int j = 0; j < items_per_area; ++j) {
        if (!areas[a].in_form[j]) continue;
        scored.push_back({areas[a].bank[j].item_id, u[a][j] ? 1.0 : 0.0, {{areas[a].indicator[j], 1.0}}});
      }
    }
    const Profile truth = irt::ProfileFromAbilities(f, true_bp, true_theta);
    fixed.Compare(truth, ScoreItems(f, scored));
    fixed.items += n_areas * form_items;
    fixed.max_items = n_areas * form_items;
    for (Mode& m : modes) {
      const absl::Time c0 = absl::Now();
      std::vector<std::vector<Response>> answers(n_areas);
      std::vector<GaussianEvidence> evidence(n_areas);
      int n_items = 0;
      std::map<int, double> est_theta;
      for (int a = 0; a < n_areas; ++a) {
        AdaptiveConfig cfg = m.cfg;
        cfg.cuts = areas[a].est_cuts.AsVector();
        if (m.collateral) {
          const AbilityEstimate p = ConditionalPrior(corr, evidence, a);
          cfg.prior = NormalQuadrature(61, 5.0, p.theta, p.sd);
        }
        for (;;) {
          auto step = NextStep(areas[a].bank, cfg, answers[a], static_cast<uint64_t>(i) * 131 + a);
          if (!step.ok()) {
            std::fprintf(stderr, "adaptive step failed: %s\n", std::string(step.status().message()).c_str());
            return 1;
          }
          if (step->stop != StopReason::kContinue) {
            est_theta[areas[a].area] = step->estimate.theta;
            ++m.stops[step->stop];
            break;
          }
          answers[a].push_back({step->next_item, u[a][step->next_item]});
          ++m.exposure[a][step->next_item];
        }
        n_items += static_cast<int>(answers[a].size());
        evidence[a] = EvidenceFromEap(Eap(areas[a].estimate, answers[a], standard));
      }
      if (m.collateral) {  // final estimates: every area with the evidence of all the others
        for (int a = 0; a < n_areas; ++a) {
          const AbilityEstimate p = ConditionalPrior(corr, evidence, a);
          est_theta[areas[a].area] = Eap(areas[a].estimate, answers[a], NormalQuadrature(61, 5.0, p.theta, p.sd)).theta;
        }
      }
      m.secs += absl::ToDoubleSeconds(absl::Now() - c0);
      m.tally.Compare(truth, irt::ProfileFromAbilities(f, est_bp, est_theta));
      m.tally.items += n_items;
      m.tally.max_items = std::max(m.tally.max_items, n_items);
    }
  }
  const double total_secs = absl::ToDoubleSeconds(absl::Now() - t0);

  auto pct = [](long a, long b) { return b ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0; };
  std::printf("\n%d teachers, θ ~ N(0, 1) per area, areas correlated 0.6, same answers for every column (run %.1f s)\n",
              teachers, total_secs);
  std::printf("  A: max information at the EAP, %d items/area at most, stop at SE %.2f, randomesque %d, indicator balancing\n",
              base.max_items, base.target_se, base.randomesque);
  std::printf("  B: A with each area's prior conditioned on the teacher's other areas (correlations from calibration)\n");
  std::printf("  C: B, up to %d items/area, also stopping once the level is %.0f %% certain%s\n", var.max_items,
              100 * var.level_confidence, var.select_at_nearest_cut ? ", information at the nearest level cut" : "");
  std::printf("  %-42s %11s", "", "fixed form");
  for (const Mode& m : modes) std::printf(" %20s", m.name.c_str());
  std::printf("\n");
  auto row = [&](const char* label, auto fixed_value, auto value_of, const char* fmt) {
    std::printf("  %-42s ", label);
    std::printf(fmt, fixed_value);
    for (const Mode& m : modes) {
      std::printf("         ");
      std::printf(fmt, value_of(m));
    }
    std::printf("\n");
  };
  row("items per teacher (mean)", static_cast<double>(fixed.items) / teachers,
      [&](const Mode& m) { return static_cast<double>(m.tally.items) / teachers; }, "%11.1f ");
  row("items per teacher (max)", static_cast<double>(fixed.max_items),
      [&](const Mode& m) { return static_cast<double>(m.tally.max_items); }, "%11.0f ");
  row("area level = true level, %", pct(fixed.area_agree, fixed.areas),
      [&](const Mode& m) { return pct(m.tally.area_agree, m.tally.areas); }, "%11.1f ");
  row("areas below basic found (recall), %", pct(fixed.area_deficit_found, fixed.area_deficit_true),
      [&](const Mode& m) { return pct(m.tally.area_deficit_found, m.tally.area_deficit_true); }, "%11.1f ");
  row("indicator deficits found (recall), %", pct(fixed.deficits_found, fixed.deficits_true),
      [&](const Mode& m) { return pct(m.tally.deficits_found, m.tally.deficits_true); }, "%11.1f ");
  row("flagged deficits that are true (precision), %", pct(fixed.deficits_found, fixed.deficits_flagged),
      [&](const Mode& m) { return pct(m.tally.deficits_found, m.tally.deficits_flagged); }, "%11.1f ");
  row("largest item exposure rate, %", 100.0, [&](const Mode& m) {
    double top = 0;
    for (const auto& e : m.exposure) {
      for (int n : e) top = std::max(top, 100.0 * n / teachers);
    }
    return top;
  }, "%11.1f ");
  row("time per teacher, ms", 0.0, [&](const Mode& m) { return 1e3 * m.secs / teachers; }, "%11.2f ");
  for (const Mode& m : modes) {
    auto get = [&](StopReason r) { return m.stops.count(r) ? m.stops.at(r) : 0L; };
    std::printf("  %s stops: target SE %ld, max items %ld, level decided %ld, bank exhausted %ld\n", m.name.c_str(),
                get(StopReason::kTargetSe), get(StopReason::kMaxItems), get(StopReason::kLevelDecided),
                get(StopReason::kBankExhausted));
  }
  for (const Mode& m : modes) {
    const double ratio = static_cast<double>(m.tally.items) / static_cast<double>(fixed.items);
    const bool agree_ok = m.tally.area_agree * fixed.areas >= fixed.area_agree * m.tally.areas;
    std::printf("GOAL %-20s agreement %.1f%% vs fixed %.1f%%: %s; items %.2f of fixed (≤ 0.50): %s\n", m.name.c_str(),
                pct(m.tally.area_agree, m.tally.areas), pct(fixed.area_agree, fixed.areas), agree_ok ? "met" : "NOT met",
                ratio, ratio <= 0.5 ? "met" : "NOT met");
  }
  return 0;
}
