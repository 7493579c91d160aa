#include "server/domain/diagnostics/list_filter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace nms::diagnostics {

namespace {

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("Поле filter: ", what, "; ожидается «поле = значение» через AND, например state = PUBLISHED"));
}

}  // namespace

absl::StatusOr<std::vector<FilterClause>> ParseFilter(absl::string_view filter) {
  if (filter.size() > kMaxFilterBytes) return Bad("фильтр слишком длинный");
  std::vector<FilterClause> out;
  size_t i = 0;
  auto skip = [&] {
    while (i < filter.size() && absl::ascii_isspace(static_cast<unsigned char>(filter[i]))) ++i;
  };
  skip();
  while (i < filter.size()) {
    FilterClause c;
    size_t start = i;
    while (i < filter.size() && (absl::ascii_isalnum(static_cast<unsigned char>(filter[i])) || filter[i] == '_' ||
                                 filter[i] == '.')) {
      ++i;
    }
    if (i == start) return Bad("ожидалось имя поля");
    c.field = std::string(filter.substr(start, i - start));
    skip();
    absl::string_view rest = filter.substr(i);
    if (absl::StartsWith(rest, "!=")) c.op = FilterOp::kNe, i += 2;
    else if (absl::StartsWith(rest, "<=")) c.op = FilterOp::kLe, i += 2;
    else if (absl::StartsWith(rest, ">=")) c.op = FilterOp::kGe, i += 2;
    else if (absl::StartsWith(rest, "<")) c.op = FilterOp::kLt, i += 1;
    else if (absl::StartsWith(rest, ">")) c.op = FilterOp::kGt, i += 1;
    else if (absl::StartsWith(rest, "=") || absl::StartsWith(rest, ":")) c.op = FilterOp::kEq, i += 1;
    else return Bad(absl::StrCat("после «", c.field.substr(0, 64), "» ожидался оператор сравнения"));
    skip();
    if (i < filter.size() && filter[i] == '"') {
      ++i;
      bool closed = false;
      while (i < filter.size()) {
        char ch = filter[i++];
        if (ch == '\\' && i < filter.size()) {
          c.value += filter[i++];
        } else if (ch == '"') {
          closed = true;
          break;
        } else {
          c.value += ch;
        }
      }
      if (!closed) return Bad("не закрыта кавычка");
    } else {
      size_t v = i;
      while (i < filter.size() && !absl::ascii_isspace(static_cast<unsigned char>(filter[i]))) ++i;
      if (i == v) return Bad(absl::StrCat("для «", c.field.substr(0, 64), "» не задано значение"));
      c.value = std::string(filter.substr(v, i - v));
    }
    out.push_back(std::move(c));
    skip();
    if (i >= filter.size()) break;
    if (filter.substr(i, 3) != "AND" || (i + 3 < filter.size() && !absl::ascii_isspace(static_cast<unsigned char>(filter[i + 3])))) {
      return Bad("условия соединяются словом AND");
    }
    i += 3;
    skip();
    if (i >= filter.size()) return Bad("после AND нет условия");
  }
  return out;
}

const char* SqlOperator(FilterOp op) {
  switch (op) {
    case FilterOp::kEq: return "=";
    case FilterOp::kNe: return "<>";
    case FilterOp::kLt: return "<";
    case FilterOp::kLe: return "<=";
    case FilterOp::kGt: return ">";
    case FilterOp::kGe: return ">=";
  }
  return "=";
}

}  // namespace nms::diagnostics
