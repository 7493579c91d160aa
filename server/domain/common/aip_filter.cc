#include "server/domain/common/aip_filter.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nms {
namespace {

absl::Status Bad(absl::string_view what) { return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", what)); }

bool FieldChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view f, const std::vector<std::string>& allowed) {
  std::vector<FilterTerm> out;
  if (f.size() > 2000) return Bad("не длиннее 2000 символов");
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
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
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
    if (op.empty()) return Bad(absl::StrCat("после «", field, "» ожидается =, !=, <, <=, >, >= или :"));
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

}  // namespace nms
