#include "server/domain/diagnostics/item_analysis.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/domain/common/csv.h"

namespace nms::diagnostics {
namespace {

bool IsChoice(ItemKind k) { return k == ItemKind::kSingleChoice || k == ItemKind::kMultipleChoice; }

std::optional<double> Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  if (x.size() < 3) return std::nullopt;
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 1e-12 || syy <= 1e-12) return std::nullopt;
  return sxy / std::sqrt(sxx * syy);
}

std::string Percent(double share) { return absl::StrFormat("%.0f %%", 100 * share); }

}  // namespace

std::vector<ItemStats> AnalyseItems(const std::vector<ItemDef>& items, const std::vector<RespondentAnswers>& respondents) {
  // Each respondent's sum and count over the instrument's items, for the rest scores.
  std::vector<std::pair<double, int>> totals(respondents.size(), {0.0, 0});
  for (size_t r = 0; r < respondents.size(); ++r) {
    for (const ItemDef& it : items) {
      auto a = respondents[r].find(it.item_id);
      if (a == respondents[r].end()) continue;
      totals[r].first += a->second.fraction;
      ++totals[r].second;
    }
  }
  std::vector<ItemStats> out;
  for (size_t pos = 0; pos < items.size(); ++pos) {
    const ItemDef& it = items[pos];
    ItemStats s;
    s.item_id = it.item_id;
    s.position = static_cast<int>(pos) + 1;
    std::vector<double> x, rest;
    std::vector<int> who;
    bool all_full = true, all_zero = true;
    for (size_t r = 0; r < respondents.size(); ++r) {
      auto a = respondents[r].find(it.item_id);
      if (a == respondents[r].end()) continue;
      const double f = a->second.fraction;
      x.push_back(f);
      all_full = all_full && f >= 1 - 1e-9;
      all_zero = all_zero && f <= 1e-9;
      const int others = totals[r].second - 1;
      rest.push_back(others > 0 ? (totals[r].first - f) / others : 0.0);
      who.push_back(static_cast<int>(r));
    }
    s.responses = static_cast<int>(x.size());
    if (s.responses == 0) {
      s.flags.push_back("На задание нет ответов");
      out.push_back(std::move(s));
      continue;
    }
    for (double f : x) s.difficulty += f / s.responses;
    s.discrimination = Pearson(x, rest);
    s.everyone_passes = all_full;
    s.everyone_fails = all_zero;
    if (IsChoice(it.kind)) {
      double correct_rest = 0;
      int correct_n = 0;
      for (size_t t = 0; t < x.size(); ++t) {
        if (x[t] >= 1 - 1e-9) correct_rest += rest[t], ++correct_n;
      }
      for (const ItemOption& o : it.options) {
        OptionStats os{o.option_id, o.text, o.correct, 0, 0, std::nullopt};
        double sum = 0;
        for (size_t t = 0; t < who.size(); ++t) {
          const auto& sel = respondents[who[t]].at(it.item_id).selected_option_ids;
          if (std::find(sel.begin(), sel.end(), o.option_id) == sel.end()) continue;
          ++os.chosen;
          sum += rest[t];
        }
        os.share = static_cast<double>(os.chosen) / s.responses;
        if (os.chosen) os.mean_rest = sum / os.chosen;
        if (!o.correct && s.responses >= kMinResponsesForFlags) {
          if (os.chosen == 0) {
            s.flags.push_back(absl::StrCat("Неверный вариант «", o.text, "» не выбрал никто: он не работает"));
          } else if (correct_n > 0 && os.chosen >= 3 && *os.mean_rest > correct_rest / correct_n) {
            s.flags.push_back(absl::StrCat("Неверный вариант «", o.text,
                                           "» выбирают участники сильнее ответивших верно: проверьте ключ"));
          }
        }
        s.options.push_back(std::move(os));
      }
    }
    if (s.everyone_passes) {
      s.flags.push_back("Все выполнили задание полностью: оно ничего не различает");
    } else if (s.everyone_fails) {
      s.flags.push_back("Никто не выполнил задание: проверьте ключ и формулировку");
    } else if (s.responses >= kMinResponsesForFlags) {
      if (s.difficulty >= 0.95) s.flags.push_back(absl::StrCat("Почти все справляются (", Percent(s.difficulty), ")"));
      if (s.difficulty <= 0.05) s.flags.push_back(absl::StrCat("Почти никто не справляется (", Percent(s.difficulty), ")"));
      if (s.discrimination && *s.discrimination < 0) {
        s.flags.push_back("Сильные участники выполняют задание хуже слабых: проверьте ключ");
      } else if (s.discrimination && *s.discrimination < 0.2) {
        s.flags.push_back("Задание слабо различает сильных и слабых участников");
      }
    }
    if (s.responses < kMinResponsesForFlags && !s.everyone_passes && !s.everyone_fails) {
      s.flags.push_back(absl::StrCat("Мало ответов для выводов (нужно не меньше ", kMinResponsesForFlags, ")"));
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string ItemStatsCsv(const std::vector<ItemDef>& items, const std::vector<ItemStats>& stats) {
  csv::Writer w({"№", "Задание", "Ответов", "Выполнение, %", "Дискриминативность", "Варианты: выбрали", "Замечания"});
  for (const ItemStats& s : stats) {
    const ItemDef* def = nullptr;
    for (const ItemDef& it : items) {
      if (it.item_id == s.item_id) def = &it;
    }
    w.Integer(s.position).Text(def ? def->text : s.item_id).Integer(s.responses).Decimal(100 * s.difficulty, 1);
    if (s.discrimination) w.Decimal(*s.discrimination, 2);
    else w.Empty();
    std::vector<std::string> opts;
    for (const OptionStats& o : s.options) {
      opts.push_back(absl::StrCat(o.text, o.correct ? " (верный)" : "", " — ", Percent(o.share)));
    }
    w.Text(absl::StrJoin(opts, "; ")).Text(absl::StrJoin(s.flags, "; "));
    w.EndRow();
  }
  return w.Finish();
}

}  // namespace nms::diagnostics
