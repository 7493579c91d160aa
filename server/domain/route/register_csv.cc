#include "server/domain/route/register_csv.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/domain/common/dates.h"
#include "server/domain/directory/person.h"
#include "server/domain/directory/teacher_csv.h"
#include "server/domain/common/csv.h"
#include "server/domain/route/titles.h"

namespace nms::route {
namespace {

constexpr char kDash[] = " \xE2\x80\x94 ";  // " — "

struct KindWord {
  EvidenceKind kind;
  const char* word;
};
constexpr KindWord kKinds[] = {{EvidenceKind::kCertificate, "удостоверение"},
                               {EvidenceKind::kLink, "ссылка"},
                               {EvidenceKind::kFile, "файл"},
                               {EvidenceKind::kOther, "иное"}};

std::string OneLine(absl::string_view s) {
  std::string out = absl::StrReplaceAll(s, {{"\r\n", " "}, {"\n", " "}, {"\r", " "}});
  return std::string(absl::StripAsciiWhitespace(out));
}

// Spreadsheets may turn CRLF into LF and pad cells; compare and store the trimmed LF form.
std::string Normal(absl::string_view s) {
  return std::string(absl::StripAsciiWhitespace(absl::StrReplaceAll(s, {{"\r\n", "\n"}, {"\r", "\n"}})));
}

// Undoes CsvField's formula neutralisation ("'=…" → "=…").
std::string Cell(const std::string& raw) {
  if (raw.size() >= 2 && raw[0] == '\'' && (raw[1] == '=' || raw[1] == '+' || raw[1] == '-' || raw[1] == '@')) {
    return raw.substr(1);
  }
  return raw;
}

std::string Lower(absl::string_view s) {
  // Column names are ASCII except "ФИО"; case folding of ASCII is enough for the header.
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(s));
}

CellError Err(absl::string_view column, absl::string_view message) {
  return CellError{std::string(column), std::string(message)};
}

CellError FromStatus(const absl::Status& st, absl::string_view default_column) {
  std::string msg(st.message());
  std::string column(default_column);
  if (absl::StartsWith(msg, "Поле skip_reason")) column = "skip_reason";
  if (absl::StartsWith(msg, "Поле evidence")) column = "evidence";
  if (absl::StartsWith(msg, "Поле reflective_report")) column = "reflective_report";
  return CellError{column, msg};
}

}  // namespace

const std::vector<std::string>& RegisterColumns() {
  static const auto* kColumns = new std::vector<std::string>{
      "route", "route_status", "person", "ФИО", "organisation", "item", "item_version", "section",
      "title", "form", "hours", "deadline", "experience_topic", "experience_event", "product_title",
      "product_placement", "mentoring_role", "mentee_position", "item_status", "skip_reason", "evidence",
      "reflective_report"};
  return *kColumns;
}

std::string FormatEvidence(const std::vector<Evidence>& evidence) {
  std::vector<std::string> lines;
  for (const auto& e : evidence) {
    std::string line;
    for (const auto& k : kKinds) {
      if (k.kind == e.kind) line = absl::StrCat(k.word, ": ");
    }
    switch (e.kind) {
      case EvidenceKind::kCertificate: absl::StrAppend(&line, OneLine(e.certificate_number)); break;
      case EvidenceKind::kLink: absl::StrAppend(&line, OneLine(e.url)); break;
      case EvidenceKind::kFile: absl::StrAppend(&line, OneLine(e.file_ref)); break;
      case EvidenceKind::kOther: absl::StrAppend(&line, OneLine(e.description)); break;
    }
    if (e.kind != EvidenceKind::kOther && !OneLine(e.description).empty()) {
      absl::StrAppend(&line, kDash, OneLine(e.description));
    }
    lines.push_back(std::move(line));
  }
  return absl::StrJoin(lines, "\n");
}

absl::StatusOr<std::vector<Evidence>> ParseEvidence(absl::string_view cell) {
  std::vector<Evidence> out;
  for (absl::string_view raw : absl::StrSplit(cell, absl::ByAnyChar("\r\n"), absl::SkipWhitespace())) {
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    size_t colon = line.find(": ");
    std::string word = colon == absl::string_view::npos ? "" : std::string(line.substr(0, colon));
    // Spreadsheets capitalise the first letter: compare without it.
    const KindWord* kind = nullptr;
    for (const auto& k : kKinds) {
      absl::string_view w(k.word);
      if (word == w || (word.size() == w.size() && word.size() > 2 && word.substr(2) == w.substr(2))) kind = &k;
    }
    if (kind == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "неизвестный вид подтверждения в строке «", line.substr(0, 80),
          "»: ожидается «удостоверение:», «ссылка:», «файл:» или «иное:»"));
    }
    std::string value(absl::StripAsciiWhitespace(line.substr(colon + 2)));
    Evidence e;
    e.kind = kind->kind;
    if (e.kind == EvidenceKind::kOther) {
      e.description = value;
    } else {
      size_t dash = value.find(kDash);
      std::string main = dash == std::string::npos ? value : value.substr(0, dash);
      if (dash != std::string::npos) e.description = value.substr(dash + std::string(kDash).size());
      if (e.kind == EvidenceKind::kCertificate) e.certificate_number = main;
      if (e.kind == EvidenceKind::kLink) e.url = main;
      if (e.kind == EvidenceKind::kFile) e.file_ref = main;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string RenderRegister(const std::vector<RegisterRow>& rows) {
  const auto CsvField = [](absl::string_view s) { return csv::Text(s); };
  std::string out = "\xEF\xBB\xBF";
  std::vector<std::string> header;
  for (const auto& c : RegisterColumns()) header.push_back(CsvField(c));
  absl::StrAppend(&out, absl::StrJoin(header, ";"), "\r\n");
  for (const auto& r : rows) {
    std::vector<std::string> f = {
        CsvField(r.route),
        CsvField(StatusTitle(r.route_status)),
        CsvField(r.person),
        CsvField(r.full_name),
        CsvField(r.organization),
        CsvField(r.item),
        CsvField(absl::StrCat(r.item_version)),
        CsvField(SectionNumber(r.section)),
        CsvField(r.title),
        CsvField(r.form),
        CsvField(absl::StrCat(r.hours)),
        CsvField(r.deadline ? absl::StrFormat("%02d.%02d.%04d", r.deadline->day(), r.deadline->month(),
                                              static_cast<int>(r.deadline->year()))
                            : std::string()),
        CsvField(r.details.experience_topic),
        CsvField(r.details.experience_event),
        CsvField(r.details.product_title),
        CsvField(r.details.product_placement),
        CsvField(r.details.mentoring_role == MentoringRole::kAsMentor    ? "в качестве наставника"
                 : r.details.mentoring_role == MentoringRole::kWithMentor ? "с наставником"
                                                                          : ""),
        CsvField(r.details.mentee_position),
        CsvField(ItemStatusTitle(r.item_status)),
        CsvField(r.skip_reason),
        CsvField(FormatEvidence(r.evidence)),
        CsvField(r.reflective_report),
    };
    absl::StrAppend(&out, absl::StrJoin(f, ";"), "\r\n");
  }
  return out;
}

absl::StatusOr<std::vector<ImportRow>> ParseRegister(absl::string_view text, size_t max_rows) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  if (!IsValidUtf8(std::string(text))) {
    return absl::InvalidArgumentError("CSV: файл должен быть в кодировке UTF-8");
  }
  absl::string_view header_line = text.substr(0, text.find('\n'));
  size_t semis = std::count(header_line.begin(), header_line.end(), ';');
  size_t commas = std::count(header_line.begin(), header_line.end(), ',');
  auto parsed = directory::ParseCsv(text, semis >= commas ? ';' : ',');
  if (!parsed.ok()) return parsed.status();
  auto& records = *parsed;
  if (records.empty()) return absl::InvalidArgumentError("CSV: файл пуст, нет строки заголовка");
  if (records.size() - 1 > max_rows) {
    return absl::InvalidArgumentError(absl::StrCat("CSV: не более ", max_rows, " строк за один импорт"));
  }
  // Column index of each known name; -1 = absent.
  const auto& names = RegisterColumns();
  std::vector<int> index(names.size(), -1);
  for (size_t i = 0; i < records[0].fields.size(); ++i) {
    std::string name = Lower(records[0].fields[i]);
    for (size_t k = 0; k < names.size(); ++k) {
      if (name != Lower(names[k])) continue;
      if (index[k] >= 0) return absl::InvalidArgumentError(absl::StrCat("CSV: столбец «", names[k], "» повторяется"));
      index[k] = static_cast<int>(i);
    }
  }
  auto col = [&](absl::string_view name) {
    for (size_t k = 0; k < names.size(); ++k) {
      if (names[k] == name) return index[k];
    }
    return -1;
  };
  for (const char* required : {"item", "item_version"}) {
    if (col(required) < 0) {
      return absl::InvalidArgumentError(absl::StrCat("CSV: нет обязательного столбца «", required, "»"));
    }
  }
  std::vector<ImportRow> rows;
  rows.reserve(records.size() - 1);
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& fields = records[r].fields;
    ImportRow row;
    row.row_number = static_cast<int>(r) + 1;
    auto get = [&](absl::string_view name) -> std::optional<std::string> {
      int i = col(name);
      if (i < 0) return std::nullopt;
      return i < static_cast<int>(fields.size()) ? Cell(fields[i]) : std::string();
    };
    row.route = std::string(absl::StripAsciiWhitespace(get("route").value_or("")));
    row.item = std::string(absl::StripAsciiWhitespace(*get("item")));
    std::string version(absl::StripAsciiWhitespace(*get("item_version")));
    if (row.item.empty() && version.empty()) {
      row.informational = true;
      rows.push_back(std::move(row));
      continue;
    }
    if (row.item.empty()) {
      row.error = Err("item", "не указан пункт маршрута (столбец item)");
    } else if (!absl::SimpleAtoi(version, &row.item_version) || row.item_version <= 0) {
      row.error = Err("item_version", "ожидается номер версии пункта из выгрузки");
    }
    if (auto s = get("item_status"); s && !row.error) {
      if (Normal(*s).empty()) {
        row.error = Err("item_status", "статус пункта не указан");
      } else if (auto st = ParseItemStatus(*s)) {
        row.status = *st;
      } else {
        row.error = Err("item_status", absl::StrCat("неизвестный статус «", Normal(*s).substr(0, 60),
                                                    "»; допустимы: запланирован, выполняется, выполнен, пропущен"));
      }
    }
    if (auto s = get("skip_reason")) row.skip_reason = Normal(*s);
    if (auto s = get("evidence"); s && !row.error) {
      auto ev = ParseEvidence(*s);
      if (ev.ok()) {
        row.evidence = *ev;
      } else {
        row.error = Err("evidence", ev.status().message());
      }
    }
    if (auto s = get("reflective_report")) row.reflective_report = Normal(*s);
    rows.push_back(std::move(row));
  }
  return rows;
}

RowPlan PlanRow(const ItemSnapshot& cur, const ImportRow& row) {
  RowPlan p;
  if (row.informational) return p;
  if (row.error) {
    p.error = row.error;
    return p;
  }
  // Status and skip reason.
  const ItemStatus target = row.status.value_or(cur.status);
  const std::string reason = row.skip_reason.value_or(Normal(cur.skip_reason));
  const bool status_diff = target != cur.status;
  const bool reason_diff = reason != Normal(cur.skip_reason);
  if (target == ItemStatus::kSkipped && (status_diff || reason_diff)) {
    p.status_change = true;
  } else if (status_diff) {
    p.status_change = true;
  } else if (reason_diff && !reason.empty()) {
    p.error = Err("skip_reason", "причина пропуска указывается только для пропущенного пункта");
    return p;
  }
  p.status = target;
  p.skip_reason = target == ItemStatus::kSkipped ? reason : "";
  // Evidence: entries of the cell that are not stored yet are added; none may disappear.
  if (row.evidence) {
    std::set<std::string> stored, in_cell;
    for (const auto& e : cur.evidence) stored.insert(FormatEvidence({e}));
    for (const auto& e : *row.evidence) {
      std::string line = FormatEvidence({e});
      if (!stored.count(line) && in_cell.insert(line).second) p.new_evidence.push_back(e);
      in_cell.insert(line);
    }
    for (const auto& line : stored) {
      if (!in_cell.count(line)) {
        p.error = Err("evidence", "подтверждения нельзя удалить через CSV; удалённая строка: " + line.substr(0, 120));
        return p;
      }
    }
  }
  if (row.reflective_report && *row.reflective_report != Normal(cur.reflective_report)) {
    if (row.reflective_report->empty()) {
      p.error = Err("reflective_report", "рефлексивный отчёт нельзя очистить");
      return p;
    }
    p.reflection_change = true;
    p.reflective_report = *row.reflective_report;
  }
  if (!p.Changes()) return p;
  if (row.item_version != cur.version) {
    p.error = Err("item_version", absl::StrCat("пункт изменён после выгрузки (версия в файле ", row.item_version,
                                               ", текущая ", cur.version, "); выгрузите реестр заново"));
    return p;
  }
  if (p.status_change) {
    if (auto st = CheckItemStatusChange(cur.route_status, cur.status, p.status, p.skip_reason); !st.ok()) {
      p.error = FromStatus(st, "item_status");
      return p;
    }
  }
  if (!p.new_evidence.empty()) {
    if (auto st = CheckCarryOut(cur.route_status, "добавлять подтверждения"); !st.ok()) {
      p.error = FromStatus(st, "evidence");
      return p;
    }
    if (cur.evidence.size() + p.new_evidence.size() > static_cast<size_t>(kMaxEvidencePerItem)) {
      p.error = Err("evidence", absl::StrCat("не более ", kMaxEvidencePerItem, " подтверждений у пункта"));
      return p;
    }
    for (const auto& e : p.new_evidence) {
      if (auto st = ValidateEvidence(e); !st.ok()) {
        p.error = FromStatus(st, "evidence");
        return p;
      }
    }
  }
  if (p.reflection_change) {
    absl::Status st = CheckCarryOut(cur.route_status, "сохранять рефлексивный отчёт");
    if (st.ok()) st = ValidateReflection(p.reflective_report);
    if (!st.ok()) {
      p.error = FromStatus(st, "reflective_report");
      return p;
    }
  }
  return p;
}

}  // namespace nms::route
