#pragma once
// The register of ИОМ as CSV (replaces the shared Google Sheet the Moscow Oblast regulation prescribes): one row per route
// item. It round-trips: an exported file edited in a spreadsheet and imported back updates the
// items' statuses, skip reasons, evidence and reflective reports, keyed by item name and
// version; every other column is informational. Pure: rendering, parsing, and the plan of what
// one imported row changes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/domain/route/generation.h"
#include "server/domain/route/items.h"
#include "server/domain/route/lifecycle.h"

namespace nms::route {

// Column names of the header row, in order.
const std::vector<std::string>& RegisterColumns();

struct RegisterRow {
  std::string route;  // "routes/7"
  Status route_status = Status::kDraft;
  std::string person;  // "people/12"
  std::string full_name;
  std::string organization;  // title
  std::string item;          // "routes/7/items/31"
  int64_t item_version = 0;
  Section section = Section::kEvents;
  std::string title;
  std::string form;
  int hours = 0;
  std::optional<absl::CivilDay> deadline;
  ItemStatus item_status = ItemStatus::kPlanned;
  std::string skip_reason;
  std::vector<Evidence> evidence;
  std::string reflective_report;
  TemplateDetails details;  // informational columns between deadline and item_status
};

// UTF-8 with a BOM (spreadsheets then read Cyrillic right), ';'-separated, CRLF, every field
// quoted, formula-like text neutralised with a leading apostrophe.
std::string RenderRegister(const std::vector<RegisterRow>& rows);

// One evidence entry per line: "удостоверение: 123 — описание", "ссылка: https://…",
// "файл: ref", "иное: описание". Parse(Format(x)) == x.
std::string FormatEvidence(const std::vector<Evidence>& evidence);
absl::StatusOr<std::vector<Evidence>> ParseEvidence(absl::string_view cell);

struct CellError {
  std::string column;
  std::string message;
};

// A data row of an imported register. The editable columns are optional in the file; a
// column that is absent leaves its field alone.
struct ImportRow {
  int row_number = 0;  // header = 1
  std::string route;
  std::string item;
  int64_t item_version = 0;
  std::optional<ItemStatus> status;
  std::optional<std::string> skip_reason;
  std::optional<std::vector<Evidence>> evidence;
  std::optional<std::string> reflective_report;
  std::optional<CellError> error;  // the row cannot be used
  // A route without items is exported as one row with empty item columns: it informs, and
  // importing it changes nothing.
  bool informational = false;
};

// File-level problems (not UTF-8, no header, no item/item_version column, too many rows) are
// errors; row problems are in ImportRow::error. ';' or ',' separated, BOM optional.
absl::StatusOr<std::vector<ImportRow>> ParseRegister(absl::string_view text, size_t max_rows = 100000);

// The stored state of an item the row refers to.
struct ItemSnapshot {
  Status route_status = Status::kDraft;
  ItemStatus status = ItemStatus::kPlanned;
  std::string skip_reason;
  std::vector<Evidence> evidence;
  std::string reflective_report;
  int64_t version = 0;
};

// What applying the row changes. `error` set = reject the row, change nothing.
struct RowPlan {
  bool status_change = false;
  ItemStatus status = ItemStatus::kPlanned;
  std::string skip_reason;
  std::vector<Evidence> new_evidence;
  bool reflection_change = false;
  std::string reflective_report;
  std::optional<CellError> error;
  bool Changes() const { return status_change || !new_evidence.empty() || reflection_change; }
};
RowPlan PlanRow(const ItemSnapshot& current, const ImportRow& row);

}  // namespace nms::route
