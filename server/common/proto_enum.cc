#include "server/common/proto_enum.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nms {

std::string EnumPrefix(const google::protobuf::EnumDescriptor* e) {
  if (e->value_count() == 0) return "";
  // The longest prefix up to an underscore that every value shares.
  std::string prefix = e->value(0)->name();
  for (int i = 1; i < e->value_count(); ++i) {
    const std::string& name = e->value(i)->name();
    size_t n = 0;
    while (n < prefix.size() && n < name.size() && prefix[n] == name[n]) ++n;
    prefix.resize(n);
  }
  size_t cut = prefix.rfind('_');
  return cut == std::string::npos ? "" : prefix.substr(0, cut + 1);
}

absl::StatusOr<int> FilterEnum(const FilterTerm& t, const google::protobuf::EnumDescriptor* e) {
  std::vector<EnumValueName> values;
  for (int i = 0; i < e->value_count(); ++i) values.push_back({e->value(i)->name(), e->value(i)->number()});
  return FilterEnum(t, EnumPrefix(e), values);
}

absl::Status CheckEnum(int value, const google::protobuf::EnumDescriptor* e, absl::string_view field, EnumUse use) {
  if (value == 0 && use == EnumUse::kRequired) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  if (e->FindValueByNumber(value) != nullptr) return absl::OkStatus();
  std::string prefix = EnumPrefix(e);
  std::vector<std::string> known;
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() == 0) continue;
    known.push_back(absl::StrCat(e->value(i)->number(), " (", e->value(i)->name().substr(prefix.size()), ")"));
  }
  return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": неизвестное значение ", value,
                                                 "; допустимы: ", absl::StrJoin(known, ", ")));
}

}  // namespace nms
