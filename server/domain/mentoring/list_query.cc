#include "server/domain/mentoring/list_query.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/match.h"

namespace nms::mentoring {
namespace {
constexpr absl::string_view kTokenPrefix = "mnt1:";
}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(absl::string_view filter,
                                                    std::initializer_list<absl::string_view> allowed) {
  std::vector<FilterTerm> out;
  if (filter.size() > 2000) return absl::InvalidArgumentError("Поле filter: не длиннее 2000 байт");
  absl::string_view f = absl::StripAsciiWhitespace(filter);
  if (f.empty()) return out;
  for (absl::string_view clause : absl::StrSplit(f, " AND ")) {
    std::vector<absl::string_view> kv = absl::StrSplit(clause, absl::MaxSplits('=', 1));
    if (kv.size() != 2) {
      return absl::InvalidArgumentError("Поле filter: ожидается «поле = значение», условия через AND");
    }
    FilterTerm t{std::string(absl::StripAsciiWhitespace(kv[0])), std::string(absl::StripAsciiWhitespace(kv[1]))};
    if (t.value.size() >= 2 && t.value.front() == '"' && t.value.back() == '"') {
      t.value = t.value.substr(1, t.value.size() - 2);
    }
    bool known = false;
    for (absl::string_view a : allowed) known = known || t.field == a;
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat("Поле filter: неизвестное поле «", absl::CEscape(t.field.substr(0, 64)),
                                                     "»; допустимы: ", absl::StrJoin(allowed, ", ")));
    }
    if (t.value.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("Поле filter: пустое значение для ", t.field));
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::string EncodePageToken(int64_t after_id) {
  if (after_id <= 0) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, after_id));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token) {
  if (token.empty()) return 0;
  std::string raw;
  int64_t id = 0;
  if (token.size() > 64 || !absl::WebSafeBase64Unescape(token, &raw) || !absl::StartsWith(raw, kTokenPrefix) ||
      !absl::SimpleAtoi(absl::string_view(raw).substr(kTokenPrefix.size()), &id) || id <= 0) {
    return absl::InvalidArgumentError("Поле page_token: неверный токен страницы; начните с первой страницы");
  }
  return id;
}

absl::StatusOr<bool> FilterBool(const FilterTerm& term) {
  if (term.value == "true") return true;
  if (term.value == "false") return false;
  return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", term.field, " = true или false"));
}

}  // namespace nms::mentoring
