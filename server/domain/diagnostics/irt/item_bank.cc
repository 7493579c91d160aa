#include "server/domain/diagnostics/irt/item_bank.h"

#include <algorithm>
#include <cmath>

namespace nms::diagnostics::irt {
namespace {

const IndicatorDef* FindIndicator(const Framework& f, const std::string& code) {
  for (const auto& d : f.indicators) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

const ItemDef* FindItem(const std::vector<ItemDef>& items, const std::string& id) {
  for (const auto& it : items) {
    if (it.item_id == id) return &it;
  }
  return nullptr;
}

}  // namespace

int ItemArea(const Framework& f, const ItemDef& item) {
  std::map<int, double> by_area;
  for (const auto& [code, w] : item.weights) {
    if (const IndicatorDef* d = FindIndicator(f, code); d && w > 0) by_area[d->area] += w;
  }
  int best = 0;
  double top = 0;
  for (const AreaDef& a : f.areas) {  // framework order breaks ties
    auto it = by_area.find(a.area);
    if (it != by_area.end() && it->second > top) top = it->second, best = a.area;
  }
  return best;
}

std::string PrimaryIndicator(const ItemDef& item) {
  std::string code;
  double top = 0;
  for (const auto& [c, w] : item.weights) {
    if (w > top) top = w, code = c;
  }
  return code;
}

bool Calibratable(const ItemDef& item) {
  return item.kind == ItemKind::kSingleChoice || item.kind == ItemKind::kMultipleChoice ||
         item.kind == ItemKind::kShortAnswer || item.kind == ItemKind::kExternalScore;
}

double PassFraction(const Framework& f, const ItemDef& item) {
  if (item.kind != ItemKind::kExternalScore) return kDefaultPassFraction;
  const int area = ItemArea(f, item);
  for (const AreaDef& a : f.areas) {
    if (a.area == area) return a.thresholds.basic / 100.0;
  }
  return f.overall.basic / 100.0;
}

std::vector<AreaData> BuildAreaMatrices(const Framework& f, const std::vector<ItemDef>& items,
                                        const std::vector<std::map<std::string, double>>& sessions) {
  std::vector<AreaData> out;
  for (const AreaDef& a : f.areas) {
    AreaData d;
    d.area = a.area;
    std::vector<double> pass;
    for (const ItemDef& it : items) {
      if (Calibratable(it) && ItemArea(f, it) == a.area) {
        d.item_ids.push_back(it.item_id);
        pass.push_back(PassFraction(f, it));
      }
    }
    if (d.item_ids.empty()) continue;
    d.matrix = ResponseMatrix::Empty(static_cast<int>(sessions.size()), static_cast<int>(d.item_ids.size()));
    for (size_t s = 0; s < sessions.size(); ++s) {
      for (size_t j = 0; j < d.item_ids.size(); ++j) {
        auto it = sessions[s].find(d.item_ids[j]);
        if (it == sessions[s].end()) continue;
        d.matrix.at(static_cast<int>(s), static_cast<int>(j)) = Dichotomise(it->second, pass[j]) ? 1 : 0;
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<BankItem> AreaBank(const AreaData& data, const CalibrationResult& c, const std::vector<ItemDef>& items,
                               bool keep_misfits) {
  std::vector<BankItem> bank;
  for (size_t j = 0; j < data.item_ids.size() && j < c.items.size(); ++j) {
    const ItemCalibration& ic = c.items[j];
    if (ic.model == ItemModel::kExcluded || (ic.misfit && !keep_misfits)) continue;
    const ItemDef* def = FindItem(items, data.item_ids[j]);
    bank.push_back({data.item_ids[j], def ? PrimaryIndicator(*def) : "", ic.params});
  }
  return bank;
}

AreaBlueprint AreaBlueprintFor(const Framework& f, const AreaData& data, const CalibrationResult& c,
                               const std::vector<ItemDef>& items) {
  AreaBlueprint bp{data.area, {}};
  for (const IndicatorDef& ind : f.indicators) {
    if (ind.area != data.area) continue;
    IndicatorBlueprint ib{ind.code, {}};
    for (size_t j = 0; j < data.item_ids.size() && j < c.items.size(); ++j) {
      const ItemDef* def = FindItem(items, data.item_ids[j]);
      if (!def) continue;
      for (const auto& [code, w] : def->weights) {
        if (code != ind.code || !(w > 0)) continue;
        const ItemCalibration& ic = c.items[j];
        ItemParams p = ic.params;
        if (ic.model == ItemModel::kExcluded) {
          if (ic.responses == 0) continue;
          // Flat curve: a tiny slope with P(θ) ≈ the observed proportion everywhere that matters.
          const double prop = std::clamp(static_cast<double>(ic.correct) / ic.responses, 0.001, 0.999);
          p = {1e-3, -std::log(prop / (1 - prop)) / 1e-3};
        }
        ib.items.push_back({p, w});
      }
    }
    if (!ib.items.empty()) bp.indicators.push_back(std::move(ib));
  }
  return bp;
}

}  // namespace nms::diagnostics::irt
