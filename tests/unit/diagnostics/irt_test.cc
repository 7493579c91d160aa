// Item response model of adaptive diagnostics on simulated data with fixed seeds: recovery of
// known 2PL parameters by EM, a never-decreasing marginal log-likelihood, the minimum-data rule
// (Rasch fallback, excluded items), item fit, EAP accuracy on long tests, reproducible adaptive
// sessions, the stop rule, content balancing, randomesque exposure control and the mapping of θ
// to the fixed form's levels, and the prior one area's answers give another (collateral).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "server/domain/diagnostics/irt/ability_levels.h"
#include "server/domain/diagnostics/irt/adaptive.h"
#include "server/domain/diagnostics/irt/calibration.h"
#include "server/domain/diagnostics/irt/collateral.h"
#include "server/domain/diagnostics/irt/model.h"

namespace nms::diagnostics::irt {
namespace {

double Correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

struct Sim {
  std::vector<ItemParams> items;
  std::vector<double> theta;
  ResponseMatrix data;
};

std::vector<ItemParams> Bank(int items, std::mt19937_64& rng, double a_lo = 0.7, double a_hi = 2.0) {
  std::uniform_real_distribution<double> ua(a_lo, a_hi), ub(-2.0, 2.0);
  std::vector<ItemParams> out;
  for (int j = 0; j < items; ++j) out.push_back({ua(rng), ub(rng)});
  return out;
}

bool Answer(const ItemParams& p, double theta, std::mt19937_64& rng) {
  return std::uniform_real_distribution<double>(0, 1)(rng) < Probability(p, theta);
}

Sim Simulate(int persons, std::vector<ItemParams> items, std::mt19937_64& rng) {
  Sim s;
  s.items = std::move(items);
  s.data = ResponseMatrix::Empty(persons, static_cast<int>(s.items.size()));
  std::normal_distribution<double> norm(0, 1);
  for (int i = 0; i < persons; ++i) {
    s.theta.push_back(norm(rng));
    for (size_t j = 0; j < s.items.size(); ++j) s.data.at(i, static_cast<int>(j)) = Answer(s.items[j], s.theta[i], rng);
  }
  return s;
}

TEST(IrtCalibrationTest, RecoversKnownTwoPlParameters) {
  std::mt19937_64 rng(20261207);
  Sim sim = Simulate(2000, Bank(20, rng), rng);
  auto res = Calibrate(sim.data);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_TRUE(res->converged);
  std::vector<double> ta, tb, ea, eb;
  int b_covered = 0, a_covered = 0;
  for (size_t j = 0; j < sim.items.size(); ++j) {
    const ItemCalibration& c = res->items[j];
    ASSERT_EQ(c.model, ItemModel::kTwoPl) << j;
    ta.push_back(sim.items[j].a);
    tb.push_back(sim.items[j].b);
    ea.push_back(c.params.a);
    eb.push_back(c.params.b);
    EXPECT_GT(c.se_a, 0.02) << j;
    EXPECT_LT(c.se_a, 0.4) << j;
    EXPECT_GT(c.se_b, 0.01) << j;
    EXPECT_LT(c.se_b, 0.4) << j;
    b_covered += std::abs(c.params.b - sim.items[j].b) <= 2 * c.se_b;
    a_covered += std::abs(c.params.a - sim.items[j].a) <= 2 * c.se_a;
  }
  EXPECT_GT(Correlation(ta, ea), 0.9);
  EXPECT_GT(Correlation(tb, eb), 0.98);
  // Standard errors are honest: about 95 % of the true values lie within two of them.
  EXPECT_GE(b_covered, 16);
  EXPECT_GE(a_covered, 16);
}

TEST(IrtCalibrationTest, RecoversParametersWithMissingAnswers) {
  // Answers from adaptive sessions: each person saw only half the items.
  std::mt19937_64 rng(7);
  Sim sim = Simulate(3000, Bank(16, rng), rng);
  for (int i = 0; i < sim.data.persons; ++i) {
    for (int j = 0; j < sim.data.items; ++j) {
      if ((i + j) % 2) sim.data.at(i, j) = kNotPresented;
    }
  }
  auto res = Calibrate(sim.data);
  ASSERT_TRUE(res.ok()) << res.status();
  std::vector<double> tb, eb;
  for (size_t j = 0; j < sim.items.size(); ++j) {
    tb.push_back(sim.items[j].b);
    eb.push_back(res->items[j].params.b);
    EXPECT_EQ(res->items[j].responses, 1500);
  }
  EXPECT_GT(Correlation(tb, eb), 0.97);
}

TEST(IrtCalibrationTest, MarginalLogLikelihoodNeverDecreases) {
  std::mt19937_64 rng(11);
  Sim sim = Simulate(800, Bank(12, rng, 0.5, 2.5), rng);
  std::vector<double> progress;
  auto res = Calibrate(sim.data, {}, [&](int, double ll) { progress.push_back(ll); });
  ASSERT_TRUE(res.ok()) << res.status();
  ASSERT_GE(res->log_likelihood.size(), 5u);
  for (size_t t = 1; t < res->log_likelihood.size(); ++t) {
    EXPECT_GE(res->log_likelihood[t], res->log_likelihood[t - 1] - 1e-9 * std::abs(res->log_likelihood[t - 1]))
        << "iteration " << t;
  }
  // The first iteration starts from crude values; EM must have improved on them substantially.
  EXPECT_GT(res->log_likelihood.back() - res->log_likelihood.front(), 1.0);
  EXPECT_EQ(progress.size(), static_cast<size_t>(res->iterations));
  EXPECT_TRUE(res->converged);
}

TEST(IrtCalibrationTest, ThinDataFallsBackToRaschAndExcludesItems) {
  std::mt19937_64 rng(3);
  // 150 people: below the 2PL minimum of 200 answers per item, above Rasch's 30.
  std::vector<ItemParams> bank;
  for (int j = 0; j < 15; ++j) bank.push_back({1.3, -1.5 + 0.2 * j});
  Sim sim = Simulate(150, bank, rng);
  // Item 13: only 20 people saw it. Item 14: everyone answered it correctly.
  for (int i = 20; i < sim.data.persons; ++i) sim.data.at(i, 13) = kNotPresented;
  for (int i = 0; i < sim.data.persons; ++i) sim.data.at(i, 14) = 1;
  auto res = Calibrate(sim.data);
  ASSERT_TRUE(res.ok()) << res.status();
  for (int j = 0; j < 13; ++j) {
    EXPECT_EQ(res->items[j].model, ItemModel::kRasch) << j;
    EXPECT_NE(res->items[j].note.find("модель Раша"), std::string::npos);
    EXPECT_DOUBLE_EQ(res->items[j].params.a, res->common_a);
  }
  EXPECT_EQ(res->items[13].model, ItemModel::kExcluded);
  EXPECT_EQ(res->items[14].model, ItemModel::kExcluded);
  EXPECT_NE(res->items[14].note.find("Недостаточно данных"), std::string::npos);
  EXPECT_NEAR(res->common_a, 1.3, 0.35);
  std::vector<double> tb, eb;
  for (int j = 0; j < 13; ++j) tb.push_back(bank[j].b), eb.push_back(res->items[j].params.b);
  EXPECT_GT(Correlation(tb, eb), 0.95);

  // With enough people the same items get their own discriminations.
  Sim big = Simulate(1000, bank, rng);
  auto res2 = Calibrate(big.data);
  ASSERT_TRUE(res2.ok());
  for (int j = 0; j < 15; ++j) EXPECT_EQ(res2->items[j].model, ItemModel::kTwoPl) << j;
}

// Marginal log-likelihood written out independently of the EM: Σ_i log Σ_q w_q Π_j P_j(x_q)^u (1-P)^(1-u)
// on the calibration's own 41-node quadrature.
double MarginalLogLikelihood(const ResponseMatrix& m, const std::vector<ItemParams>& items) {
  const Quadrature q = NormalQuadrature(41, 5.0);
  double ll = 0;
  for (int i = 0; i < m.persons; ++i) {
    double s = 0;
    for (size_t k = 0; k < q.nodes.size(); ++k) {
      double l = q.weights[k];
      for (int j = 0; j < m.items; ++j) {
        if (m.at(i, j) == kNotPresented) continue;
        const double p = Probability(items[j], q.nodes[k]);
        l *= m.at(i, j) ? p : 1 - p;
      }
      s += l;
    }
    ll += std::log(s);
  }
  return ll;
}

TEST(IrtCalibrationTest, ConvergesToAMaximumOfTheMarginalLikelihood) {
  // Brute-force check of the optimum: no single parameter moved either way does better.
  std::mt19937_64 rng(29);
  Sim sim = Simulate(400, Bank(6, rng), rng);
  CalibrationOptions opt;
  opt.tolerance = 1e-6;
  opt.max_iterations = 5000;
  auto res = Calibrate(sim.data, opt);
  ASSERT_TRUE(res.ok()) << res.status();
  ASSERT_TRUE(res->converged);
  std::vector<ItemParams> est;
  for (const auto& c : res->items) est.push_back(c.params);
  const double best = MarginalLogLikelihood(sim.data, est);
  EXPECT_NEAR(best, res->log_likelihood.back(), 1e-6 * std::abs(best));
  for (size_t j = 0; j < est.size(); ++j) {
    for (double step : {-0.03, 0.03}) {
      for (int which = 0; which < 2; ++which) {
        std::vector<ItemParams> moved = est;
        (which ? moved[j].b : moved[j].a) += step;
        EXPECT_LT(MarginalLogLikelihood(sim.data, moved), best + 1e-6) << "item " << j << (which ? " b" : " a") << step;
      }
    }
  }
}

TEST(IrtAbilityTest, EapMatchesFineNumericalIntegration) {
  std::mt19937_64 rng(37);
  const std::vector<ItemParams> bank = Bank(12, rng);
  const Quadrature prior = NormalQuadrature(61, 5.0, 0.3, 0.8);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<Response> answers;
    for (int j = 0; j < 12; ++j) {
      if (rng() % 3) answers.push_back({j, rng() % 2 == 0});
    }
    // Trapezoid over 8001 points on ±8 of N(0.3, 0.8²).
    double s = 0, m1 = 0, m2 = 0;
    for (int k = 0; k <= 8000; ++k) {
      const double th = 0.3 + 0.8 * (-8.0 + 16.0 * k / 8000);
      double l = std::exp(-0.5 * std::pow((th - 0.3) / 0.8, 2)) * (k == 0 || k == 8000 ? 0.5 : 1.0);
      for (const Response& r : answers) l *= r.correct ? Probability(bank[r.item], th) : 1 - Probability(bank[r.item], th);
      s += l, m1 += l * th, m2 += l * th * th;
    }
    const double mean = m1 / s, sd = std::sqrt(m2 / s - mean * mean);
    const AbilityEstimate e = Eap(bank, answers, prior);
    EXPECT_NEAR(e.theta, mean, 5e-3) << trial;
    EXPECT_NEAR(e.sd, sd, 5e-3) << trial;
  }
}

TEST(IrtCalibrationTest, RefusesWhenTooLittleData) {
  std::mt19937_64 rng(5);
  Sim sim = Simulate(20, Bank(10, rng), rng);
  auto res = Calibrate(sim.data);
  EXPECT_EQ(res.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(res.status().message().find("Недостаточно данных"), std::string::npos);

  ResponseMatrix broken{3, 2, std::vector<int8_t>(5, 0)};
  EXPECT_EQ(Calibrate(broken).status().code(), absl::StatusCode::kInvalidArgument);
  ResponseMatrix bad_value = ResponseMatrix::Empty(2, 2);
  bad_value.at(0, 0) = 3;
  EXPECT_EQ(Calibrate(bad_value).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(IrtCalibrationTest, ItemFitFlagsAnItemThatIsNotLogistic) {
  std::mt19937_64 rng(17);
  Sim sim = Simulate(2000, Bank(15, rng), rng);
  // Item 15 is U-shaped in θ (e.g. a trick question the strongest and weakest both get right).
  std::uniform_real_distribution<double> u(0, 1);
  ResponseMatrix m = ResponseMatrix::Empty(sim.data.persons, 16);
  for (int i = 0; i < m.persons; ++i) {
    for (int j = 0; j < 15; ++j) m.at(i, j) = sim.data.at(i, j);
    const double th = sim.theta[i];
    m.at(i, 15) = u(rng) < (std::abs(th) > 1 ? 0.9 : 0.2);
  }
  auto res = Calibrate(m);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_TRUE(res->items[15].misfit) << res->items[15].fit_chi2;
  EXPECT_GT(res->items[15].fit_rmsd, 0.1);
  EXPECT_LT(res->items[15].fit_p, 1e-6);
  int flagged = 0;
  for (int j = 0; j < 15; ++j) {
    flagged += res->items[j].misfit;
    EXPECT_GT(res->items[j].fit_df, 0);
  }
  EXPECT_LE(flagged, 1);
}

TEST(IrtCalibrationTest, ASmallDeviationInALargeSampleIsNotAMisfit) {
  std::mt19937_64 rng(23);
  Sim sim = Simulate(8000, Bank(15, rng), rng);
  // Item 15 is logistic but four points easier than its curve for the middle third: with 8 000
  // answers the test rejects it, yet it measures as well as any other item.
  std::uniform_real_distribution<double> u(0, 1);
  ResponseMatrix m = ResponseMatrix::Empty(sim.data.persons, 16);
  for (int i = 0; i < m.persons; ++i) {
    for (int j = 0; j < 15; ++j) m.at(i, j) = sim.data.at(i, j);
    const double th = sim.theta[i];
    const double p = 1 / (1 + std::exp(-1.2 * th)) + (std::abs(th) < 0.5 ? 0.04 : 0);
    m.at(i, 15) = u(rng) < p;
  }
  auto res = Calibrate(m);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_LT(res->items[15].fit_rmsd, 0.1);
  EXPECT_FALSE(res->items[15].misfit) << "p " << res->items[15].fit_p << ", RMSD " << res->items[15].fit_rmsd;
}

TEST(IrtAbilityTest, EapIsCloseToTheTruthOnLongTests) {
  std::mt19937_64 rng(23);
  const std::vector<ItemParams> bank = Bank(100, rng);
  const Quadrature prior = NormalQuadrature(61, 5.0);
  std::normal_distribution<double> norm(0, 1);
  std::vector<double> truth, est;
  double sq = 0;
  for (int p = 0; p < 300; ++p) {
    const double th = norm(rng);
    std::vector<Response> answers;
    for (int j = 0; j < 100; ++j) answers.push_back({j, Answer(bank[j], th, rng)});
    const AbilityEstimate e = Eap(bank, answers, prior);
    EXPECT_LT(e.sd, std::abs(th) < 1.5 ? 0.3 : 0.5) << th;  // the bank's difficulties lie in ±2
    truth.push_back(th);
    est.push_back(e.theta);
    sq += (e.theta - th) * (e.theta - th);
  }
  EXPECT_LT(std::sqrt(sq / 300), 0.25);
  EXPECT_GT(Correlation(truth, est), 0.96);

  const AbilityEstimate none = Eap(bank, {}, prior);
  EXPECT_NEAR(none.theta, 0, 1e-9);
  EXPECT_NEAR(none.sd, 1, 0.01);
}

std::vector<BankItem> AdaptiveBank(int per_indicator, int indicators, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<BankItem> bank;
  for (int k = 0; k < indicators; ++k) {
    for (const ItemParams& p : Bank(per_indicator, rng, 1.0, 2.2)) {
      bank.push_back({"i" + std::to_string(bank.size()), "A1." + std::to_string(k + 1), p});
    }
  }
  return bank;
}

// Runs one session to its end, answering by the model at `theta` with draws from `answer_seed`.
std::vector<Response> RunSession(const std::vector<BankItem>& bank, const AdaptiveConfig& cfg, double theta,
                                 uint64_t seed, uint64_t answer_seed, AdaptiveStep* last = nullptr) {
  std::vector<Response> answers;
  for (;;) {
    auto step = NextStep(bank, cfg, answers, seed);
    EXPECT_TRUE(step.ok()) << step.status();
    if (!step.ok()) return answers;
    if (step->stop != StopReason::kContinue) {
      if (last) *last = *step;
      return answers;
    }
    const int j = step->next_item;
    answers.push_back({j, UniformFor(answer_seed, answers.size()) < Probability(bank[j].params, theta)});
  }
}

std::vector<int> Items(const std::vector<Response>& answers) {
  std::vector<int> out;
  for (const Response& r : answers) out.push_back(r.item);
  return out;
}

TEST(IrtAdaptiveTest, SessionsAreReproducibleAndResumable) {
  const auto bank = AdaptiveBank(10, 4, 1);
  AdaptiveConfig cfg;
  const auto a = RunSession(bank, cfg, 0.4, 42, 99);
  const auto b = RunSession(bank, cfg, 0.4, 42, 99);
  EXPECT_EQ(Items(a), Items(b));
  // Resume on another device: replaying any prefix yields the item the session showed next.
  for (size_t cut = 0; cut < a.size(); ++cut) {
    std::vector<Response> prefix(a.begin(), a.begin() + cut);
    auto step = NextStep(bank, cfg, prefix, 42);
    ASSERT_TRUE(step.ok());
    EXPECT_EQ(step->next_item, a[cut].item) << cut;
  }
  // Another session seed draws other items.
  int differs = 0;
  for (uint64_t s = 100; s < 110; ++s) differs += Items(RunSession(bank, cfg, 0.4, s, 99)) != Items(a);
  EXPECT_GE(differs, 5);
}

TEST(IrtAdaptiveTest, StopsAtTargetErrorOrMaximum) {
  const auto bank = AdaptiveBank(20, 3, 2);
  AdaptiveConfig cfg;
  cfg.target_se = 0.45;
  cfg.max_items = 40;
  AdaptiveStep last;
  auto answers = RunSession(bank, cfg, 0.0, 5, 6, &last);
  EXPECT_EQ(last.stop, StopReason::kTargetSe);
  EXPECT_LE(last.estimate.sd, 0.45);
  EXPECT_LT(answers.size(), 15u);
  EXPECT_GE(answers.size(), static_cast<size_t>(cfg.min_items));

  cfg.target_se = 0.05;  // unreachable
  cfg.max_items = 7;
  answers = RunSession(bank, cfg, 0.0, 5, 6, &last);
  EXPECT_EQ(last.stop, StopReason::kMaxItems);
  EXPECT_EQ(answers.size(), 7u);

  cfg.max_items = 100;
  answers = RunSession(bank, cfg, 0.0, 5, 6, &last);
  EXPECT_EQ(last.stop, StopReason::kBankExhausted);
  EXPECT_EQ(answers.size(), bank.size());

  // A decided level ends the session early: far above the top cut after a few right answers.
  cfg.level_confidence = 0.9;
  cfg.cuts = {-1.0, 0.0, 1.0};
  answers = RunSession(bank, cfg, 3.5, 5, 6, &last);
  EXPECT_EQ(last.stop, StopReason::kLevelDecided);
  EXPECT_GE(BandProbability(last.estimate.theta, last.estimate.sd, cfg.cuts), 0.9);
}

TEST(IrtAdaptiveTest, BalancesIndicatorsByTheirShareOfTheBank) {
  auto bank = AdaptiveBank(10, 3, 3);
  AdaptiveConfig cfg;
  cfg.max_items = 12;
  cfg.target_se = 0.01;
  const auto answers = RunSession(bank, cfg, 1.0, 8, 9);
  ASSERT_EQ(answers.size(), 12u);
  std::map<std::string, int> per;
  for (const Response& r : answers) ++per[bank[r.item].indicator];
  EXPECT_EQ(per, (std::map<std::string, int>{{"A1.1", 4}, {"A1.2", 4}, {"A1.3", 4}}));

  // Without balancing, the most informative indicator takes over: make A1.3's items far sharper.
  for (auto& b : bank) {
    if (b.indicator == "A1.3") b.params = {3.5, 1.0 + 0.01 * (&b - bank.data())};
  }
  cfg.content_balancing = false;
  per.clear();
  for (const Response& r : RunSession(bank, cfg, 1.0, 8, 9)) ++per[bank[r.item].indicator];
  EXPECT_GE(per["A1.3"], 8);
}

TEST(IrtAdaptiveTest, RandomesqueLimitsExposure) {
  const auto bank = AdaptiveBank(30, 1, 4);
  AdaptiveConfig cfg;
  cfg.max_items = 5;
  cfg.target_se = 0.01;
  struct Exposure {
    double first = 0;   // largest share of sessions that began with the same item
    double any = 0;     // largest share of sessions that showed the same item
    size_t items = 0;   // distinct items shown
  };
  auto exposure = [&](int k) {
    cfg.randomesque = k;
    std::map<int, int> shown, first;
    const int sessions = 600;
    for (int s = 0; s < sessions; ++s) {
      const auto answers = RunSession(bank, cfg, 0.0, 1000 + s, 5000 + s);
      ++first[answers.at(0).item];
      for (const Response& r : answers) ++shown[r.item];
    }
    Exposure e;
    for (auto [item, n] : first) e.first = std::max(e.first, static_cast<double>(n) / sessions);
    for (auto [item, n] : shown) e.any = std::max(e.any, static_cast<double>(n) / sessions);
    e.items = shown.size();
    return e;
  };
  const Exposure one = exposure(1), five = exposure(5);
  EXPECT_DOUBLE_EQ(one.first, 1.0);  // everyone at θ = 0 starts with the same best item
  EXPECT_LE(five.first, 0.28);       // 1/5 expected
  EXPECT_LT(five.any, 0.8);
  EXPECT_LT(five.any, one.any);
  EXPECT_GT(five.items, one.items + 5);
}

TEST(IrtAdaptiveTest, RejectsAnswersOutsideTheBankOrRepeated) {
  const auto bank = AdaptiveBank(5, 1, 5);
  AdaptiveConfig cfg;
  EXPECT_EQ(NextStep(bank, cfg, {{7, true}}, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NextStep(bank, cfg, {{1, true}, {1, false}}, 1).status().code(), absl::StatusCode::kInvalidArgument);
  cfg.max_items = 0;
  EXPECT_EQ(NextStep(bank, cfg, {}, 1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(IrtAdaptiveTest, ClassificationSelectsAtTheNearestCut) {
  std::vector<BankItem> bank;
  for (int j = 0; j < 9; ++j) bank.push_back({"i" + std::to_string(j), "A1.1", {2.0, -2.0 + 0.5 * j}});
  AdaptiveConfig cfg;
  cfg.randomesque = 1;
  cfg.cuts = {-1.5, 1.0, 3.0};
  auto step = NextStep(bank, cfg, {}, 1);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->next_item, 4);  // b = 0: most informative at the EAP 0
  cfg.select_at_nearest_cut = true;
  step = NextStep(bank, cfg, {}, 1);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->next_item, 6);  // b = 1: the cut nearest to 0
}

TEST(IrtCollateralTest, OtherAreasMoveAndNarrowThePrior) {
  // The Gaussian evidence of an EAP reproduces it when combined with the N(0, 1) prior again.
  const AbilityEstimate e{0.8, 0.4};
  const GaussianEvidence g = EvidenceFromEap(e);
  EXPECT_NEAR(g.precision, 1 / 0.16 - 1, 1e-12);
  EXPECT_NEAR(g.precision * g.mean / (1 + g.precision), 0.8, 1e-12);
  EXPECT_NEAR(1 / std::sqrt(1 + g.precision), 0.4, 1e-12);
  EXPECT_EQ(EvidenceFromEap({0, 1}).precision, 0);

  const std::vector<double> r = {1, 0.6, 0.6, 1};
  // Area 0 known exactly at 1.0: area 1 ~ N(0.6, 0.8²).
  AbilityEstimate p = ConditionalPrior(r, {{1.0, 1e9}, {}}, 1);
  EXPECT_NEAR(p.theta, 0.6, 1e-6);
  EXPECT_NEAR(p.sd, 0.8, 1e-6);
  // The target's own evidence is ignored; nothing known = the standard prior.
  p = ConditionalPrior(r, {{}, {2.0, 50}}, 1);
  EXPECT_NEAR(p.theta, 0, 1e-12);
  EXPECT_NEAR(p.sd, 1, 1e-12);
  // Uncorrelated areas tell nothing; a malformed matrix falls back to N(0, 1).
  p = ConditionalPrior({1, 0, 0, 1}, {{1.0, 1e9}, {}}, 1);
  EXPECT_NEAR(p.theta, 0, 1e-9);
  EXPECT_NEAR(p.sd, 1, 1e-9);
  p = ConditionalPrior({1, 0.6}, {{1.0, 4}, {}}, 1);
  EXPECT_EQ(p.theta, 0);
  EXPECT_EQ(p.sd, 1);
}

TEST(IrtCollateralTest, EstimatesAreaCorrelationsFromEaps) {
  std::mt19937_64 rng(31);
  const std::vector<ItemParams> bank0 = Bank(20, rng), bank1 = Bank(20, rng);
  const Quadrature prior = NormalQuadrature(61, 5.0);
  std::normal_distribution<double> n(0, 1);
  const int persons = 2000;
  std::vector<double> eap;
  for (int i = 0; i < persons; ++i) {
    const double g = n(rng);
    const double t0 = std::sqrt(0.6) * g + std::sqrt(0.4) * n(rng), t1 = std::sqrt(0.6) * g + std::sqrt(0.4) * n(rng);
    for (const auto& [bank, th] : {std::pair{&bank0, t0}, std::pair{&bank1, t1}}) {
      std::vector<Response> answers;
      for (int j = 0; j < 20; ++j) answers.push_back({j, Answer((*bank)[j], th, rng)});
      eap.push_back(Eap(*bank, answers, prior).theta);
    }
  }
  const std::vector<double> r = AreaCorrelations(eap, persons, 2);
  EXPECT_NEAR(r[1], 0.6, 0.06);  // the raw EAP correlation is attenuated well below that
  EXPECT_EQ(r[1], r[2]);
  EXPECT_EQ(r[0], 1);
  EXPECT_EQ(AreaCorrelations(eap, 2, 2), (std::vector<double>{1, 0, 0, 1}));
}

TEST(IrtLevelsTest, ThetaCutsReproduceTheFixedFormBands) {
  AreaBlueprint area{1, {{"A1.1", {{{1.0, -1.0}, 1.0}, {{1.5, 0.0}, 2.0}}}, {"A1.2", {{{0.8, 0.5}, 1.0}}}}};
  const Thresholds t{50, 70, 85};
  const ThetaCuts cuts = AreaCuts(area, t);
  EXPECT_LT(cuts.basic, cuts.advanced);
  EXPECT_LT(cuts.advanced, cuts.high);
  EXPECT_NEAR(ExpectedAreaPercent(area, cuts.advanced), 70, 1e-6);
  for (double th = -4; th <= 4; th += 0.05) {
    EXPECT_EQ(LevelForTheta(th, cuts), Band(ExpectedAreaPercent(area, th), t)) << th;
  }
  // A threshold the items cannot reach at any sensible θ.
  EXPECT_TRUE(std::isinf(AreaCuts(area, {0, 50, 100}).basic));
  EXPECT_TRUE(std::isinf(AreaCuts(area, {0, 50, 100}).high));

  Framework f;
  f.areas = {{1, "методическая", t}};
  f.indicators = {{"A1.1", 1, "Планирование", std::nullopt}, {"A1.2", 1, "Оценивание", 60.0}};
  f.overall = t;
  const double th = cuts.basic + 0.01;
  Profile p = ProfileFromAbilities(f, {area}, {{1, th}});
  ASSERT_EQ(p.areas.size(), 1u);
  EXPECT_EQ(p.areas[0].level, Level::kBasic);
  EXPECT_NEAR(p.areas[0].score, ExpectedAreaPercent(area, th), 1e-9);
  // Deficits as the fixed form sees them: A1.2 has its own higher threshold.
  const bool a12_deficit = ExpectedIndicatorPercent(area.indicators[1], th) < 60;
  EXPECT_EQ(std::any_of(p.deficits.begin(), p.deficits.end(), [](const DeficitEntry& d) { return d.code == "A1.2"; }),
            a12_deficit);
  EXPECT_TRUE(ProfileFromAbilities(f, {area}, {}).areas.empty());
}

TEST(IrtModelTest, DichotomisesAtThePassFractionAndInverts) {
  EXPECT_TRUE(Dichotomise(1.0));
  EXPECT_FALSE(Dichotomise(0.99));
  EXPECT_TRUE(Dichotomise(0.5, 0.5));
  EXPECT_FALSE(Dichotomise(0.4, 0.5));
  std::vector<double> m = {4, 2, 0, 2, 5, 1, 0, 1, 3};
  const std::vector<double> orig = m;
  ASSERT_TRUE(InvertMatrix(m, 3));
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      double s = 0;
      for (int k = 0; k < 3; ++k) s += orig[i * 3 + k] * m[k * 3 + j];
      EXPECT_NEAR(s, i == j ? 1 : 0, 1e-12);
    }
  }
  std::vector<double> singular = {1, 2, 2, 4};
  EXPECT_FALSE(InvertMatrix(singular, 2));
  EXPECT_NEAR(ChiSquareSurvival(18.31, 10), 0.05, 0.005);
  EXPECT_NEAR(ChiSquareSurvival(6.63, 1), 0.01, 0.004);
}

}  // namespace
}  // namespace nms::diagnostics::irt
