#include "server/domain/common/names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace nms {
namespace {

// A digit string that is not the canonical spelling of a positive id ("007", "0").
bool NonCanonicalDigits(absl::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == absl::string_view::npos && text[0] == '0';
}

absl::Status Expected(absl::string_view field, absl::string_view pattern, absl::string_view name) {
  return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ожидается \"",
                                                 absl::StrReplaceAll(pattern, {{"{}", "{номер}"}}), "\", получено \"",
                                                 name.substr(0, 80), "\""));
}

absl::Status NotCanonical(absl::string_view field, absl::string_view name) {
  return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": номер в имени \"", name.substr(0, 80),
                                                 "\" пишется без знака и ведущих нулей"));
}

}  // namespace

std::string ResourceName(absl::string_view collection, int64_t id) {
  return absl::StrCat(collection, "/", id);
}

int64_t CanonicalId(absl::string_view text) {
  int64_t id = 0;
  if (text.empty() || text.size() > 19 || text[0] == '0' ||
      text.find_first_not_of("0123456789") != absl::string_view::npos || !absl::SimpleAtoi(text, &id) || id <= 0) {
    return 0;
  }
  return id;
}

absl::StatusOr<std::vector<int64_t>> ParseNamePattern(absl::string_view name, absl::string_view pattern,
                                                      absl::string_view field) {
  if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  if (parts.size() != want.size()) return Expected(field, pattern, name);
  std::vector<int64_t> ids;
  bool non_canonical = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (want[i] != "{}") {
      if (parts[i] != want[i]) return Expected(field, pattern, name);
      continue;
    }
    int64_t id = CanonicalId(parts[i]);
    if (id == 0) {
      // "people/007" is refused as a spelling, "people/0" or "people/x" as no id at all.
      int64_t any = 0;
      if (NonCanonicalDigits(parts[i]) && absl::SimpleAtoi(parts[i], &any) && any > 0) {
        non_canonical = true;
      } else {
        return Expected(field, pattern, name);
      }
    }
    ids.push_back(id);
  }
  if (non_canonical) return NotCanonical(field, name);
  return ids;
}

absl::StatusOr<AnyName> ParseAnyName(absl::string_view name, absl::string_view field) {
  auto slash = name.find('/');
  if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  if (slash == absl::string_view::npos || slash == 0) return Expected(field, "коллекция/{}", name);
  absl::string_view collection = name.substr(0, slash);
  for (char ch : collection) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(ch))) return Expected(field, "коллекция/{}", name);
  }
  auto ids = ParseNamePattern(name, absl::StrCat(collection, "/{}"), field);
  if (!ids.ok()) return ids.status();
  return AnyName{std::string(collection), ids->front()};
}

absl::StatusOr<int64_t> ParseResourceName(absl::string_view name, absl::string_view collection,
                                          absl::string_view field) {
  auto ids = ParseNamePattern(name, absl::StrCat(collection, "/{}"), field);
  if (!ids.ok()) return ids.status();
  return ids->front();
}

absl::StatusOr<int64_t> ParseOptionalResourceName(absl::string_view name,
                                                  absl::string_view collection,
                                                  absl::string_view field) {
  if (name.empty()) return 0;
  return ParseResourceName(name, collection, field);
}

}  // namespace nms
