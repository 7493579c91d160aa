#include "server/domain/monitoring/report.h"

#include <cstdio>

#include "absl/strings/str_cat.h"

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
std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}
}  // namespace

std::string CsvField(const std::string& s) {
  // Quote always; double the quotes; neutralise spreadsheet formulas.
  std::string out = "\"";
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) out += '\'';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

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
  std::string out = "scope,title,code,indicator,numerator,denominator,value,target,comparison,status,period\r\n";
  for (const auto& s : scopes) {
    for (const auto& r : s.rows) {
      absl::StrAppend(&out, CsvField(s.scope), ",", CsvField(s.title), ",", CsvField(r.code), ",", CsvField(r.title),
                      ",", r.eval.numerator, ",", r.eval.denominator, ",",
                      r.eval.status == Status::kNotApplicable ? "" : Number(r.eval.value), ",",
                      Number(r.def.target_value), ",", CsvField(ComparisonSign(r.def.comparison)), ",",
                      CsvField(StatusTitle(r.eval.status)), ",", CsvField(PeriodText(r.period)), "\r\n");
    }
  }
  return out;
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
