#include "server/domain/common/aip_filter.h"
#include "server/domain/common/text.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"

namespace nms {
namespace {

absl::Status Bad(absl::string_view what) { return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", what)); }

bool FieldChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view f, const std::vector<std::string>& allowed) {
  std::vector<FilterTerm> out;
  if (f.size() > kMaxFilterBytes) return Bad(absl::StrCat("не длиннее ", kMaxFilterBytes, " байт"));
  size_t i = 0;
  auto skip = [&] {
    while (i < f.size() && absl::ascii_isspace(static_cast<unsigned char>(f[i]))) ++i;
  };
  skip();
  if (i == f.size()) return out;
  while (true) {
    skip();
    size_t start = i;
    while (i < f.size() && FieldChar(f[i])) ++i;
    std::string field(f.substr(start, i - start));
    if (field.empty()) return Bad("ожидается имя поля");
    std::string upper = absl::AsciiStrToUpper(field);
    if (upper == "OR" || upper == "NOT") return Bad("поддерживаются только условия, соединённые AND");
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
      return Bad(absl::StrCat("неизвестное поле «", field.substr(0, 64), "»; допустимы: ", absl::StrJoin(allowed, ", ")));
    }
    skip();
    std::string op;
    for (const char* candidate : {"!=", "<=", ">=", "=", "<", ">", ":"}) {
      absl::string_view c(candidate);
      if (f.substr(i, c.size()) == c) {
        op = std::string(c);
        i += c.size();
        break;
      }
    }
    if (op.empty()) return Bad(absl::StrCat("после «", ShortenUtf8(field, 64), "» ожидается =, !=, <, <=, >, >= или :"));
    skip();
    std::string value;
    if (i < f.size() && f[i] == '"') {
      ++i;
      bool closed = false;
      while (i < f.size()) {
        char c = f[i++];
        if (c == '\\' && i < f.size()) {
          value += f[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return Bad("незакрытая кавычка");
    } else {
      size_t vs = i;
      while (i < f.size() && !absl::ascii_isspace(static_cast<unsigned char>(f[i])) && f[i] != '(' && f[i] != ')') ++i;
      value = std::string(f.substr(vs, i - vs));
      if (value.empty()) return Bad(absl::StrCat("для «", field, "» не указано значение"));
    }
    out.push_back({field, op, value});
    skip();
    if (i == f.size()) break;
    size_t ws = i;
    while (i < f.size() && absl::ascii_isalpha(static_cast<unsigned char>(f[i]))) ++i;
    std::string joiner = absl::AsciiStrToUpper(f.substr(ws, i - ws));
    if (joiner != "AND") {
      return Bad(joiner == "OR" ? "поддерживаются только условия, соединённые AND"
                                : absl::StrCat("неожиданный текст в позиции ", ws + 1));
    }
  }
  return out;
}

absl::Status FilterOps(const FilterTerm& t, std::initializer_list<absl::string_view> ops) {
  for (absl::string_view op : ops) {
    if (t.op == op) return absl::OkStatus();
  }
  return Bad(absl::StrCat("для «", t.field, "» допустимы только ", absl::StrJoin(ops, ", ")));
}

absl::StatusOr<bool> FilterBool(const FilterTerm& t) {
  if (t.op != "=" && t.op != ":" && t.op != "!=") return Bad(absl::StrCat("для «", t.field, "» допустимы только = и !="));
  if (t.value != "true" && t.value != "false") return Bad(absl::StrCat(t.field, " — true или false"));
  return (t.value == "true") != (t.op == "!=");
}

absl::StatusOr<int64_t> FilterNumber(const FilterTerm& t) {
  int64_t n = 0;
  if (!absl::SimpleAtoi(t.value, &n)) return Bad(absl::StrCat(t.field, " — целое число"));
  return n;
}

absl::StatusOr<absl::CivilDay> FilterDay(const FilterTerm& t) {
  auto day = ParseDay(t.value, "filter");
  if (!day.ok()) return Bad(absl::StrCat(t.field, " — дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"));
  return *day;
}

absl::StatusOr<int64_t> FilterName(const FilterTerm& t, absl::string_view collection) {
  return ParseResourceName(t.value, collection, absl::StrCat("filter (", t.field, ")"));
}

absl::Status FilterWords(const FilterTerm& t, std::vector<std::string>* words) {
  if (absl::Status s = FilterOps(t, {":"}); !s.ok()) return s;
  if (absl::Status s = OptionalText(t.value, absl::StrCat("filter.", t.field), 200); !s.ok()) return s;
  for (absl::string_view w : absl::StrSplit(t.value, ' ', absl::SkipWhitespace())) words->emplace_back(w);
  if (words->size() > 10) return absl::InvalidArgumentError("Поле filter: не больше 10 слов поиска");
  return absl::OkStatus();
}

absl::StatusOr<int> FilterEnum(const FilterTerm& t, absl::string_view prefix, const std::vector<EnumValueName>& values) {
  int n = 0;
  std::vector<std::string> shown;
  for (const auto& v : values) {
    if (v.number == 0) continue;
    absl::string_view name = v.name;
    absl::string_view short_name = absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
    if (absl::EqualsIgnoreCase(t.value, name) || absl::EqualsIgnoreCase(t.value, short_name)) return v.number;
    if (absl::SimpleAtoi(t.value, &n) && n == v.number && t.value.find_first_not_of("0123456789") == std::string::npos) {
      return v.number;
    }
    shown.emplace_back(short_name);
  }
  return Bad(absl::StrCat(t.field, ": неизвестное значение «", t.value.substr(0, 64), "»; допустимы: ",
                          absl::StrJoin(shown, ", "), " (с префиксом ", prefix, " или без, либо номер)"));
}

absl::StatusOr<int> FilterEnum(const FilterTerm& t, absl::string_view prefix,
                               std::initializer_list<absl::string_view> names) {
  std::vector<EnumValueName> values;
  int number = 0;
  for (absl::string_view name : names) values.push_back({absl::StrCat(prefix, name), ++number});
  return FilterEnum(t, prefix, values);
}

}  // namespace nms
