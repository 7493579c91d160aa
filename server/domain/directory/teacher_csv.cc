#include "server/domain/directory/teacher_csv.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/domain/common/dates.h"

namespace nms::directory {
namespace {

enum class Column {
  kExternalId, kLastName, kFirstName, kMiddleName, kBirthDate, kEmail, kPhone, kPosition,
  kSubjects, kWorkStart, kCategory, kEducation, kManagement,
};

const absl::flat_hash_map<std::string, Column>& Aliases() {
  static const auto* m = new absl::flat_hash_map<std::string, Column>{
      {"external_id", Column::kExternalId}, {"внешний_id", Column::kExternalId},
      {"id", Column::kExternalId}, {"last_name", Column::kLastName},
      {"фамилия", Column::kLastName}, {"first_name", Column::kFirstName},
      {"имя", Column::kFirstName}, {"middle_name", Column::kMiddleName},
      {"отчество", Column::kMiddleName}, {"birth_date", Column::kBirthDate},
      {"дата_рождения", Column::kBirthDate}, {"email", Column::kEmail},
      {"e-mail", Column::kEmail}, {"почта", Column::kEmail}, {"phone", Column::kPhone},
      {"телефон", Column::kPhone}, {"position", Column::kPosition},
      {"должность", Column::kPosition}, {"subjects", Column::kSubjects},
      {"предметы", Column::kSubjects}, {"work_start_date", Column::kWorkStart},
      {"дата_начала_работы", Column::kWorkStart},
      {"qualification_category", Column::kCategory}, {"категория", Column::kCategory},
      {"education", Column::kEducation}, {"образование", Column::kEducation},
      {"management_role", Column::kManagement}, {"руководство", Column::kManagement},
  };
  return *m;
}

// Lower-cases ASCII and Cyrillic А-Я so "Фамилия" matches "фамилия".
std::string Fold(absl::string_view s) {
  std::string out;
  absl::string_view t = absl::StripAsciiWhitespace(s);
  for (size_t i = 0; i < t.size(); ++i) {
    unsigned char c = t[i];
    if (c == 0xD0 && i + 1 < t.size()) {
      unsigned char n = t[i + 1];
      if (n >= 0x90 && n <= 0x9F) { out += '\xD0'; out += static_cast<char>(n + 0x20); ++i; continue; }
      if (n >= 0xA0 && n <= 0xAF) { out += '\xD1'; out += static_cast<char>(n - 0x20); ++i; continue; }
      if (n == 0x81) { out += "\xD0\xB5"; ++i; continue; }  // Ё -> е
    }
    if (c == 0xD1 && i + 1 < t.size() && static_cast<unsigned char>(t[i + 1]) == 0x91) {
      out += "\xD0\xB5";  // ё -> е
      ++i;
      continue;
    }
    out += c == ' ' ? '_' : static_cast<char>(absl::ascii_tolower(c));
  }
  return out;
}

int ParseCategory(const std::string& v, bool& ok) {
  ok = true;
  std::string f = Fold(v);
  if (f.empty()) return 0;
  if (f == "нет" || f == "без_категории" || f == "none") return 1;
  if (f == "сзд" || f == "соответствие" || f == "соответствие_занимаемой_должности") return 2;
  if (f == "первая" || f == "1" || f == "first") return 3;
  if (f == "высшая" || f == "highest") return 4;
  ok = false;
  return 0;
}

int ParseEducation(const std::string& v, bool& ok) {
  ok = true;
  std::string f = Fold(v);
  if (f.empty()) return 0;
  if (f == "спо") return 1;
  if (f == "спо_педагогическое") return 2;
  if (f == "высшее") return 3;
  if (f == "высшее_педагогическое") return 4;
  ok = false;
  return 0;
}

int ParseManagement(const std::string& v, bool& ok) {
  ok = true;
  std::string f = Fold(v);
  if (f.empty() || f == "нет") return 0;
  if (f == "руководитель" || f == "директор" || f == "head") return 1;
  if (f == "заместитель" || f == "заместитель_руководителя" || f == "deputy") return 2;
  ok = false;
  return 0;
}

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text, char sep) {
  std::vector<CsvRecord> records;
  CsvRecord current;
  std::string field;
  bool in_quotes = false, field_started = false, any = false;
  int line = 1;
  current.line = 1;
  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    bool blank = current.fields.size() == 1 && current.fields[0].empty();
    if (!blank) records.push_back(std::move(current));
    current = CsvRecord{};
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    any = true;
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
    } else if (c == sep) {
      end_field();
    } else if (c == '\r') {
      // CRLF: the \n ends the record.
    } else if (c == '\n') {
      end_record();
      ++line;
      current.line = line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat("CSV: незакрытая кавычка в записи, начатой в строке ", current.line));
  }
  if (any && (!field.empty() || !current.fields.empty())) end_record();
  return records;
}

absl::StatusOr<std::vector<CsvTeacherRow>> ParseTeacherCsv(absl::string_view text,
                                                           absl::CivilDay today,
                                                           size_t max_rows) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  if (!IsValidUtf8(std::string(text))) {
    return absl::InvalidArgumentError("CSV: файл должен быть в кодировке UTF-8");
  }
  absl::string_view header_line = text.substr(0, text.find('\n'));
  size_t semis = std::count(header_line.begin(), header_line.end(), ';');
  size_t commas = std::count(header_line.begin(), header_line.end(), ',');
  char sep = semis >= commas ? ';' : ',';
  auto parsed = ParseCsv(text, sep);
  if (!parsed.ok()) return parsed.status();
  std::vector<CsvRecord>& records = *parsed;
  if (records.empty()) return absl::InvalidArgumentError("CSV: файл пуст, нет строки заголовка");
  if (records.size() - 1 > max_rows) {
    return absl::InvalidArgumentError(
        absl::StrCat("CSV: не более ", max_rows, " строк за один импорт"));
  }
  std::vector<int> column_of_field;
  absl::flat_hash_set<int> present;
  for (const auto& name : records[0].fields) {
    auto it = Aliases().find(Fold(name));
    int col = it == Aliases().end() ? -1 : static_cast<int>(it->second);
    if (col >= 0 && present.contains(col)) {
      return absl::InvalidArgumentError(absl::StrCat("CSV: столбец \"", name, "\" повторяется"));
    }
    if (col >= 0) present.insert(col);
    column_of_field.push_back(col);
  }
  for (auto [col, title] : {std::pair{Column::kExternalId, "external_id (внешний_id)"},
                            std::pair{Column::kLastName, "last_name (фамилия)"},
                            std::pair{Column::kFirstName, "first_name (имя)"},
                            std::pair{Column::kBirthDate, "birth_date (дата_рождения)"},
                            std::pair{Column::kPosition, "position (должность)"}}) {
    if (!present.contains(static_cast<int>(col))) {
      return absl::InvalidArgumentError(
          absl::StrCat("CSV: нет обязательного столбца ", title));
    }
  }

  std::vector<CsvTeacherRow> rows;
  absl::flat_hash_map<std::string, int> first_line_of_id;
  for (size_t r = 1; r < records.size(); ++r) {
    CsvTeacherRow row;
    row.line = records[r].line;
    const auto& fields = records[r].fields;
    if (fields.size() != column_of_field.size()) {
      row.errors.push_back(absl::StrCat("ожидается ", column_of_field.size(),
                                        " столбцов, в строке ", fields.size()));
    }
    PersonRecord& p = row.person;
    for (size_t f = 0; f < fields.size() && f < column_of_field.size(); ++f) {
      const std::string& v = fields[f];
      absl::string_view stripped = absl::StripAsciiWhitespace(v);
      bool ok = true;
      switch (static_cast<Column>(column_of_field[f])) {
        case Column::kExternalId: p.external_id = std::string(stripped); break;
        case Column::kLastName: p.last_name = v; break;
        case Column::kFirstName: p.first_name = v; break;
        case Column::kMiddleName: p.middle_name = v; break;
        case Column::kEmail: p.email = v; break;
        case Column::kPhone: p.phone = v; break;
        case Column::kPosition: p.position = v; break;
        case Column::kSubjects:
          for (auto s : absl::StrSplit(v, '|', absl::SkipWhitespace())) p.subjects.emplace_back(s);
          break;
        case Column::kBirthDate:
        case Column::kWorkStart: {
          bool birth = static_cast<Column>(column_of_field[f]) == Column::kBirthDate;
          if (stripped.empty()) break;
          auto day = ParseDay(stripped, birth ? "birth_date (дата_рождения)"
                                              : "work_start_date (дата_начала_работы)");
          if (!day.ok()) {
            row.errors.emplace_back(day.status().message());
          } else if (birth) {
            p.birth_date = *day;
          } else {
            p.work_start_date = *day;
          }
          break;
        }
        case Column::kCategory:
          p.qualification_category = ParseCategory(v, ok);
          if (!ok) row.errors.push_back("Поле категория: ожидается нет / сзд / первая / высшая");
          break;
        case Column::kEducation:
          p.education = ParseEducation(v, ok);
          if (!ok) {
            row.errors.push_back(
                "Поле образование: ожидается СПО / СПО педагогическое / высшее / высшее педагогическое");
          }
          break;
        case Column::kManagement:
          p.management_role = ParseManagement(v, ok);
          if (!ok) row.errors.push_back("Поле руководство: ожидается руководитель / заместитель");
          break;
      }
    }
    NormalizePerson(p);
    if (p.external_id.empty()) row.errors.push_back("Поле external_id (внешний_id) обязательно");
    bool had_date_error = !row.errors.empty();
    for (auto& e : ValidatePerson(p, today)) {
      // A date that failed to parse is already reported; don't also say it is missing.
      if (had_date_error && absl::StrContains(e, "обязательно") && absl::StrContains(e, "birth_date")) continue;
      row.errors.push_back(std::move(e));
    }
    if (!p.external_id.empty()) {
      auto [it, inserted] = first_line_of_id.emplace(p.external_id, row.line);
      if (!inserted) {
        row.errors.push_back(absl::StrCat("external_id \"", p.external_id,
                                          "\" уже встречается в строке ", it->second));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace nms::directory
