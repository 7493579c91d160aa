#pragma once
// The one writer of the CSV files the server hands out, made for Excel as Russian users open it
// by double-click: UTF-8 with a BOM (else Cyrillic turns to mojibake), `;` between cells (the
// list separator of the Russian locale), CRLF, text cells quoted with formulas neutralised,
// numbers with a decimal comma. Headers are Russian and cells carry names, not ids.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace nms::csv {

// A quoted text cell: quotes doubled; a leading = + - @ gets a ' so a spreadsheet never runs it.
std::string Text(absl::string_view s);

// A number as Russian Excel reads it: at most `decimals` digits after a comma, trailing zeros
// dropped ("61,3", "40", "-0,5").
std::string Decimal(double v, int decimals = 2);

// Builds a file: the header on construction, then cells row by row.
class Writer {
 public:
  explicit Writer(const std::vector<std::string>& header);
  Writer& Text(absl::string_view s);
  Writer& Decimal(double v, int decimals = 2);
  Writer& Integer(int64_t v);
  Writer& Empty();
  // Ends the current row (CRLF).
  void EndRow();
  // The file; an unfinished row is ended first.
  std::string Finish();

 private:
  void Sep();
  std::string out_;
  bool row_open_ = false;
};

}  // namespace nms::csv
