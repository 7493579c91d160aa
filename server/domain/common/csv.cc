#include "server/domain/common/csv.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace nms::csv {

std::string Text(absl::string_view s) {
  std::string out = "\"";
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) out += '\'';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string Decimal(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  for (char& ch : s) {
    if (ch == '.') ch = ',';
  }
  return s;
}

Writer::Writer(const std::vector<std::string>& header) : out_("\xEF\xBB\xBF") {
  for (const auto& h : header) Text(h);
  EndRow();
}

void Writer::Sep() {
  if (row_open_) out_ += ';';
  row_open_ = true;
}

Writer& Writer::Text(absl::string_view s) {
  Sep();
  out_ += csv::Text(s);
  return *this;
}

Writer& Writer::Decimal(double v, int decimals) {
  Sep();
  out_ += csv::Decimal(v, decimals);
  return *this;
}

Writer& Writer::Integer(int64_t v) {
  Sep();
  absl::StrAppend(&out_, v);
  return *this;
}

Writer& Writer::Empty() {
  Sep();
  return *this;
}

void Writer::EndRow() {
  out_ += "\r\n";
  row_open_ = false;
}

std::string Writer::Finish() {
  if (row_open_) EndRow();
  return std::move(out_);
}

}  // namespace nms::csv
