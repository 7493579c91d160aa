#include "server/domain/monitoring/report.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "server/domain/common/csv.h"

namespace nms::monitoring {

namespace {
std::string Day(absl::CivilDay d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", d.day(), d.month(), static_cast<int>(d.year()));
  return buf;
}
std::string PeriodText(const DateRange& r) {
  if (r.start.year() <= 1900) return absl::StrCat("по ", Day(r.end));
  return absl::StrCat(Day(r.start), "–", Day(r.end));
}
}  // namespace

std::string CsvField(const std::string& s) { return csv::Text(s); }

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string RenderCsv(const std::vector<ScopeRows>& scopes) {
  csv::Writer w({"Территория / организация", "Код", "Показатель", "Числитель", "Знаменатель", "Значение",
                 "Цель", "Условие", "Статус", "Период"});
  for (const auto& s : scopes) {
    for (const auto& r : s.rows) {
      w.Text(s.title).Text(r.code).Text(r.title).Integer(r.eval.numerator).Integer(r.eval.denominator);
      // A not-applicable indicator has no value (an empty cell, never 0).
      if (r.eval.status == Status::kNotApplicable) {
        w.Text("не применяется");
      } else {
        w.Decimal(r.eval.value);
      }
      w.Decimal(r.def.target_value).Text(ComparisonSign(r.def.comparison)).Text(StatusTitle(r.eval.status))
          .Text(PeriodText(r.period));
      w.EndRow();
    }
  }
  return w.Finish();
}

std::string RenderHtml(const std::string& heading, absl::CivilDay ref, const std::vector<ScopeRows>& scopes) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\"><title>", HtmlEscape(heading),
      "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:2em}"
      "th,td{border:1px solid #888;padding:4px 6px;font-size:11pt}th{background:#eee}.ok{color:#060}.no{color:#a00}"
      ".na{color:#666}@media print{body{margin:0}}</style></head><body>\n<h1>", HtmlEscape(heading),
      "</h1>\n<p>Показатели эффективности РС НМС на ", Day(ref), "</p>\n");
  for (const auto& s : scopes) {
    absl::StrAppend(&out, "<h2>", HtmlEscape(s.title), "</h2>\n<table><tr><th>Код</th><th>Показатель</th>"
                          "<th>Числитель</th><th>Знаменатель</th><th>Значение</th><th>Цель</th><th>Статус</th>"
                          "<th>Период</th></tr>\n");
    for (const auto& r : s.rows) {
      const char* cls = r.eval.status == Status::kReached ? "ok" : r.eval.status == Status::kNotReached ? "no" : "na";
      std::string value = r.eval.status == Status::kNotApplicable ? HtmlEscape(r.eval.note)
                                                                  : FormatValue(r.eval.value, r.def.value_kind);
      absl::StrAppend(&out, "<tr><td>", HtmlEscape(r.code), "</td><td>", HtmlEscape(r.title), "</td><td>",
                      r.eval.numerator, "</td><td>", r.eval.denominator, "</td><td>", value, "</td><td>",
                      ComparisonSign(r.def.comparison), " ", FormatValue(r.def.target_value, r.def.value_kind),
                      "</td><td class=\"", cls, "\">", StatusTitle(r.eval.status), "</td><td>",
                      PeriodText(r.period), "</td></tr>\n");
    }
    out += "</table>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace nms::monitoring
