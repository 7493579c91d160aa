#pragma once
// Parsing of the teachers CSV that schools and municipalities upload (often exported from
// Excel or the regional register): UTF-8 with or without BOM, ';' or ',' separators,
// RFC 4180 quoting, Russian or English column names, Russian date and category spellings.

#include "absl/strings/string_view.h"
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/directory/person.h"

namespace nms::directory {

struct CsvTeacherRow {
  int line = 0;  // 1-based line of the file; the header is line 1
  PersonRecord person;
  std::vector<std::string> errors;  // empty when the row is importable
};

// Splits CSV text into records of fields. Quoted fields may contain separators, quotes ("")
// and newlines. Returns the line number each record starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text, char separator);

// Parses and validates every row. A file-level problem (not UTF-8, no header, missing
// required columns, too many rows) is an error; row problems are reported per row. Rows that
// repeat an external id seen earlier in the file are rejected.
absl::StatusOr<std::vector<CsvTeacherRow>> ParseTeacherCsv(absl::string_view text,
                                                           absl::CivilDay today,
                                                           size_t max_rows = 20000);

}  // namespace nms::directory
