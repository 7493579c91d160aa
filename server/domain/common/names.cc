#include "server/domain/common/names.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace nms {

std::string ResourceName(absl::string_view collection, int64_t id) {
  return absl::StrCat(collection, "/", id);
}

absl::StatusOr<AnyName> ParseAnyName(absl::string_view name, absl::string_view field) {
  auto slash = name.find('/');
  int64_t id = 0;
  if (slash == absl::string_view::npos || slash == 0 ||
      !absl::SimpleAtoi(name.substr(slash + 1), &id) || id <= 0 ||
      name.substr(slash + 1).find_first_not_of("0123456789") != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Поле ", field, ": ожидается имя ресурса вида \"коллекция/номер\", получено \"",
        name.substr(0, 80), "\""));
  }
  return AnyName{std::string(name.substr(0, slash)), id};
}

absl::StatusOr<int64_t> ParseResourceName(absl::string_view name, absl::string_view collection,
                                          absl::string_view field) {
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  }
  auto parsed = ParseAnyName(name, field);
  if (!parsed.ok() || parsed->collection != collection) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ожидается \"", collection,
                                                   "/{номер}\", получено \"",
                                                   name.substr(0, 80), "\""));
  }
  return parsed->id;
}

absl::StatusOr<int64_t> ParseOptionalResourceName(absl::string_view name,
                                                  absl::string_view collection,
                                                  absl::string_view field) {
  if (name.empty()) return 0;
  return ParseResourceName(name, collection, field);
}

}  // namespace nms
