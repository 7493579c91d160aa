#include "server/domain/diagnostics/irt/instrument_calibration.h"

#include <algorithm>

#include "server/domain/diagnostics/irt/collateral.h"

namespace nms::diagnostics::irt {
namespace {

const AreaCalibration* FindArea(const InstrumentCalibration& c, int area) {
  for (const auto& a : c.areas) {
    if (a.area == area) return &a;
  }
  return nullptr;
}

std::vector<ItemParams> Params(const std::vector<BankItem>& bank) {
  std::vector<ItemParams> p;
  for (const auto& b : bank) p.push_back(b.params);
  return p;
}

}  // namespace

InstrumentCalibration CalibrateInstrument(const Framework& framework, const std::vector<ItemDef>& items,
                                          const std::vector<std::map<std::string, double>>& sessions,
                                          const CalibrationOptions& options, const InstrumentProgress& progress) {
  InstrumentCalibration out;
  std::vector<AreaData> data = BuildAreaMatrices(framework, items, sessions);
  for (size_t k = 0; k < data.size(); ++k) {
    const Thresholds* thresholds = nullptr;
    AreaCalibration ac;
    ac.area = data[k].area;
    ac.item_ids = data[k].item_ids;
    for (const AreaDef& a : framework.areas) {
      if (a.area == ac.area) thresholds = &a.thresholds;
    }
    auto res = Calibrate(data[k].matrix, options, [&](int iteration, double) {
      if (progress) progress((k + std::min(1.0, iteration / 50.0) * 0.95) / (data.size() + 1.0));
    });
    if (res.ok()) {
      ac.result = *std::move(res);
      ac.bank = AreaBank(data[k], ac.result, items);
      ac.blueprint = AreaBlueprintFor(framework, data[k], ac.result, items);
      if (thresholds) ac.cuts = AreaCuts(ac.blueprint, *thresholds);
    } else {
      ac.status = res.status();
    }
    out.areas.push_back(std::move(ac));
    if (progress) progress((k + 1.0) / (data.size() + 1.0));
  }
  // Correlations from sessions with answers in every calibrated area (EAPs under N(0, 1)).
  const Quadrature standard = NormalQuadrature(61, 5.0);
  std::vector<size_t> usable;
  for (size_t k = 0; k < out.areas.size(); ++k) {
    if (out.areas[k].status.ok()) usable.push_back(k);
  }
  for (size_t k : usable) out.correlated_areas.push_back(out.areas[k].area);
  std::vector<double> eap;
  int persons = 0;
  for (size_t s = 0; s < sessions.size(); ++s) {
    std::vector<double> row;
    for (size_t k : usable) {
      const AreaCalibration& ac = out.areas[k];
      std::vector<ItemParams> params;
      std::vector<Response> answers;
      for (size_t j = 0; j < ac.item_ids.size(); ++j) {
        const ItemCalibration& ic = ac.result.items[j];
        if (ic.model == ItemModel::kExcluded) continue;
        const int8_t u = data[k].matrix.at(static_cast<int>(s), static_cast<int>(j));
        if (u != kNotPresented) answers.push_back({static_cast<int>(params.size()), u == 1});
        params.push_back(ic.params);
      }
      if (answers.empty()) break;
      row.push_back(Eap(params, answers, standard).theta);
    }
    if (row.size() != usable.size()) continue;
    eap.insert(eap.end(), row.begin(), row.end());
    ++persons;
  }
  out.correlation = AreaCorrelations(eap, persons, static_cast<int>(usable.size()));
  if (progress) progress(1.0);
  return out;
}

AdaptiveResult ScoreAdaptive(const Framework& framework, const InstrumentCalibration& calibration,
                             const AdaptiveAnswers& answers, bool collateral) {
  AdaptiveResult out;
  const Quadrature standard = NormalQuadrature(61, 5.0);
  const int n = static_cast<int>(calibration.correlated_areas.size());
  std::vector<GaussianEvidence> evidence(n);
  for (int k = 0; k < n; ++k) {
    const AreaCalibration* ac = FindArea(calibration, calibration.correlated_areas[k]);
    auto it = answers.find(calibration.correlated_areas[k]);
    if (ac && it != answers.end() && !it->second.empty()) {
      evidence[k] = EvidenceFromEap(Eap(Params(ac->bank), it->second, standard));
    }
  }
  std::vector<AreaBlueprint> blueprints;
  std::map<int, double> theta;
  for (const AreaCalibration& ac : calibration.areas) {
    if (!ac.status.ok()) continue;
    blueprints.push_back(ac.blueprint);
    auto it = answers.find(ac.area);
    if (it == answers.end() || it->second.empty()) continue;
    Quadrature prior = standard;
    if (collateral) {
      for (int k = 0; k < n; ++k) {
        if (calibration.correlated_areas[k] != ac.area) continue;
        const AbilityEstimate p = ConditionalPrior(calibration.correlation, evidence, k);
        prior = NormalQuadrature(61, 5.0, p.theta, p.sd);
      }
    }
    const AbilityEstimate e = Eap(Params(ac.bank), it->second, prior);
    out.ability[ac.area] = e;
    theta[ac.area] = e.theta;
  }
  out.profile = ProfileFromAbilities(framework, blueprints, theta);
  return out;
}

}  // namespace nms::diagnostics::irt
