#include "server/domain/young/filter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nms::young {
namespace {

absl::Status Bad(absl::string_view why) { return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", why)); }

bool IsFieldChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

class Parser {
 public:
  explicit Parser(absl::string_view text) : s_(text) {}

  absl::StatusOr<std::vector<FilterClause>> Run(std::initializer_list<absl::string_view> allowed) {
    std::vector<FilterClause> out;
    SkipSpace();
    if (pos_ == s_.size()) return out;
    while (true) {
      FilterClause c;
      size_t begin = pos_;
      while (pos_ < s_.size() && IsFieldChar(s_[pos_])) ++pos_;
      c.field = std::string(s_.substr(begin, pos_ - begin));
      if (c.field.empty()) return Bad("ожидается имя поля");
      bool known = false;
      for (auto a : allowed) known = known || a == c.field;
      if (!known) {
        return Bad(absl::StrCat("неизвестное поле «", c.field.substr(0, 64), "»; допустимы: ", absl::StrJoin(allowed, ", ")));
      }
      SkipSpace();
      if (!ReadOp(&c.op)) return Bad(absl::StrCat("после «", c.field, "» ожидается =, !=, <, <=, >, >= или :"));
      SkipSpace();
      auto value = ReadValue();
      if (!value.ok()) return value.status();
      c.value = *std::move(value);
      out.push_back(std::move(c));
      SkipSpace();
      if (pos_ == s_.size()) return out;
      if (!absl::StartsWith(s_.substr(pos_), "AND") || pos_ + 3 >= s_.size() || s_[pos_ + 3] != ' ') {
        return Bad("условия соединяются словом AND");
      }
      pos_ += 3;
      SkipSpace();
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < s_.size() && absl::ascii_isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }

  bool ReadOp(std::string* op) {
    for (absl::string_view candidate : {"<=", ">=", "!=", "=", "<", ">", ":"}) {
      if (absl::StartsWith(s_.substr(pos_), candidate)) {
        *op = std::string(candidate);
        pos_ += candidate.size();
        return true;
      }
    }
    return false;
  }

  absl::StatusOr<std::string> ReadValue() {
    std::string out;
    if (pos_ < s_.size() && s_[pos_] == '"') {
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        out += s_[pos_++];
      }
      if (pos_ == s_.size()) return Bad("не закрыта кавычка");
      ++pos_;
      return out;
    }
    size_t begin = pos_;
    while (pos_ < s_.size() && !absl::ascii_isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    out = std::string(s_.substr(begin, pos_ - begin));
    if (out.empty()) return Bad("ожидается значение");
    return out;
  }

  absl::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<FilterClause>> ParseFilter(absl::string_view text,
                                                      std::initializer_list<absl::string_view> allowed) {
  if (text.size() > kMaxFilterBytes) return Bad(absl::StrCat("не длиннее ", kMaxFilterBytes, " байт"));
  return Parser(text).Run(allowed);
}

absl::StatusOr<bool> FilterBool(const FilterClause& c) {
  if (c.op != "=" && c.op != "!=") return Bad(absl::StrCat(c.field, ": только = или !="));
  bool value;
  if (c.value == "true") {
    value = true;
  } else if (c.value == "false") {
    value = false;
  } else {
    return Bad(absl::StrCat(c.field, ": true или false"));
  }
  return c.op == "=" ? value : !value;
}

absl::StatusOr<int> FilterEnum(const FilterClause& c, absl::string_view proto_prefix,
                               std::initializer_list<absl::string_view> names) {
  int n = 0;
  if (absl::SimpleAtoi(c.value, &n) && n >= 1 && n <= static_cast<int>(names.size())) return n;
  absl::string_view v = c.value;
  if (absl::StartsWith(v, proto_prefix)) v.remove_prefix(proto_prefix.size());
  int i = 1;
  for (auto name : names) {
    if (absl::EqualsIgnoreCase(v, name)) return i;
    ++i;
  }
  return Bad(absl::StrCat(c.field, ": неизвестное значение «", c.value.substr(0, 64), "»; допустимы: ",
                          absl::StrJoin(names, ", ")));
}

}  // namespace nms::young
