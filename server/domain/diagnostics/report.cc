#include "server/domain/diagnostics/report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/common/csv.h"

namespace nms::diagnostics {

namespace {

constexpr Level kLevels[] = {Level::kInsufficient, Level::kBasic, Level::kAdvanced, Level::kHigh};

int LevelIndex(Level l) {
  int v = static_cast<int>(l);
  return v >= 1 && v <= 4 ? v - 1 : -1;
}

std::vector<LevelShare> Shares(const int64_t (&counts)[4], int64_t diagnosed) {
  std::vector<LevelShare> out;
  for (int i = 0; i < 4; ++i) out.push_back({kLevels[i], counts[i], Percent(counts[i], diagnosed)});
  return out;
}

int Order(const std::vector<int>& area_order, int area) {
  auto it = std::find(area_order.begin(), area_order.end(), area);
  return it == area_order.end() ? static_cast<int>(area_order.size()) + area : static_cast<int>(it - area_order.begin());
}

}  // namespace

double Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  return std::round(10000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 100.0;
}

AggregateSummary Summarize(const std::vector<ReportRow>& rows, int64_t population, const std::vector<int>& area_order,
                           int top_n) {
  AggregateSummary out;
  int64_t overall[4] = {0, 0, 0, 0};
  struct AreaAcc {
    int64_t counts[4] = {0, 0, 0, 0};
    double sum = 0;
    int64_t n = 0;
  };
  std::map<int, AreaAcc> areas;
  std::map<std::pair<std::string, int>, int64_t> deficits;
  std::set<int64_t> seen;
  for (const auto& r : rows) {
    if (!seen.insert(r.person_id).second) continue;
    if (int i = LevelIndex(r.overall_level); i >= 0) ++overall[i];
    for (const auto& a : r.areas) {
      auto& acc = areas[a.area];
      if (int i = LevelIndex(a.level); i >= 0) ++acc.counts[i];
      acc.sum += a.score;
      ++acc.n;
    }
    std::set<std::string> codes;  // one count per person and indicator
    for (const auto& d : r.deficits) {
      if (codes.insert(d.first).second) ++deficits[d];
    }
  }
  out.population = population;
  out.diagnosed = static_cast<int64_t>(seen.size());
  out.diagnosed_share_percent = Percent(out.diagnosed, population);
  out.overall = Shares(overall, out.diagnosed);
  std::vector<int> order;
  for (int a : area_order) {
    if (std::find(order.begin(), order.end(), a) == order.end()) order.push_back(a);
  }
  for (const auto& [a, acc] : areas) {
    if (std::find(order.begin(), order.end(), a) == order.end()) order.push_back(a);
  }
  for (int a : order) {
    AreaDistribution d;
    d.area = a;
    auto it = areas.find(a);
    AreaAcc acc = it == areas.end() ? AreaAcc{} : it->second;
    d.levels = Shares(acc.counts, out.diagnosed);
    d.assessed = acc.n;
    d.mean_score = acc.n > 0 ? std::round(100.0 * acc.sum / static_cast<double>(acc.n)) / 100.0 : 0;
    out.areas.push_back(std::move(d));
  }
  for (const auto& [key, count] : deficits) {
    out.top_deficits.push_back({key.first, key.second, count, Percent(count, out.diagnosed)});
  }
  std::sort(out.top_deficits.begin(), out.top_deficits.end(), [&](const DeficitCount& a, const DeficitCount& b) {
    if (a.count != b.count) return a.count > b.count;
    int oa = Order(area_order, a.area), ob = Order(area_order, b.area);
    if (oa != ob) return oa < ob;
    return a.code < b.code;
  });
  if (top_n >= 0 && out.top_deficits.size() > static_cast<size_t>(top_n)) out.top_deficits.resize(top_n);
  return out;
}

ProfileComparison Compare(const ProfileView& previous, const ProfileView& current) {
  ProfileComparison out;
  for (const auto& cur : current.areas) {
    for (const auto& prev : previous.areas) {
      if (prev.area != cur.area) continue;
      out.areas.push_back({cur.area, prev.score, cur.score, std::round(100.0 * (cur.score - prev.score)) / 100.0,
                           prev.level, cur.level});
    }
  }
  std::set<std::string> now(current.deficit_codes.begin(), current.deficit_codes.end());
  std::set<std::string> before(previous.deficit_codes.begin(), previous.deficit_codes.end());
  for (const auto& code : previous.deficit_codes) {
    if (!now.count(code) && current.assessed_codes.count(code)) out.closed.push_back(code);
  }
  for (const auto& code : current.deficit_codes) {
    if (!before.count(code)) out.opened.push_back(code);
  }
  return out;
}

std::string RenderResultsCsv(const std::vector<int>& areas, const std::vector<CsvResultRow>& rows) {
  std::vector<std::string> header = {"ФИО", "Организация", "Должность", "Дата диагностики", "Общий балл, %",
                                     "Общий уровень"};
  for (int a : areas) {
    header.push_back(absl::StrCat(AreaName(a), ": балл, %"));
    header.push_back(absl::StrCat(AreaName(a), ": уровень"));
  }
  for (const char* h : {"Дефициты", "Кампания", "Источник"}) header.emplace_back(h);
  csv::Writer w(header);
  for (const auto& r : rows) {
    w.Text(r.full_name).Text(r.organization).Text(r.position).Text(r.diagnosis_date).Decimal(r.overall_score, 1)
        .Text(LevelName(r.overall_level));
    for (int a : areas) {
      auto it = r.areas.find(a);
      if (it == r.areas.end()) {
        w.Empty().Empty();
      } else {
        w.Decimal(it->second.score, 1).Text(LevelName(it->second.level));
      }
    }
    w.Text(absl::StrJoin(r.deficit_codes, "; ")).Text(r.campaign).Text(r.source);
    w.EndRow();
  }
  return w.Finish();
}

}  // namespace nms::diagnostics
