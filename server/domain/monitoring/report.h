#pragma once
// CSV and printable HTML renderings of computed indicators (Russian, escaped). Pure.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/domain/monitoring/indicators.h"

namespace nms::monitoring {

struct ValueRow {
  std::string code;
  std::string title;
  Definition def;  // value_kind, target, comparison
  Evaluation eval;
  DateRange period;
};

struct ScopeRows {
  std::string scope;  // resource name
  std::string title;
  std::vector<ValueRow> rows;
};

// For Excel (common/csv.h): Территория / организация, Код, Показатель, Числитель, Знаменатель,
// Значение ("не применяется" when so), Цель, Условие, Статус, Период.
std::string RenderCsv(const std::vector<ScopeRows>& scopes);
std::string RenderHtml(const std::string& heading, absl::CivilDay ref, const std::vector<ScopeRows>& scopes);

// A quoted CSV text cell (csv::Text; kept for existing callers).
std::string CsvField(const std::string& s);
std::string HtmlEscape(const std::string& s);

}  // namespace nms::monitoring
