#include "server/domain/federal/change_feed.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace nms::federal {

namespace {
struct EntityName {
  int value;
  const char* name;
};
constexpr EntityName kEntities[] = {
    {1, "teacher"},        {2, "diagnostic_result"}, {3, "route"},        {4, "route_item"},
    {5, "training_completion"}, {6, "mentoring_pair"}, {7, "organization"},
};
}  // namespace

std::string EncodeCursor(int64_t seq) { return absl::StrCat("c1.", absl::WebSafeBase64Escape(absl::StrCat(seq))); }

absl::StatusOr<int64_t> DecodeCursor(absl::string_view cursor) {
  if (cursor.empty()) return 0;
  std::string raw;
  int64_t seq = 0;
  if (!absl::StartsWith(cursor, "c1.") || !absl::WebSafeBase64Unescape(cursor.substr(3), &raw) ||
      !absl::SimpleAtoi(raw, &seq) || seq < 0) {
    return absl::InvalidArgumentError("Поле after_cursor: неизвестный курсор");
  }
  return seq;
}

int EntityTypeValue(absl::string_view entity_type) {
  for (const auto& e : kEntities) {
    if (entity_type == e.name) return e.value;
  }
  return 0;
}

const char* EntityTypeName(int value) {
  for (const auto& e : kEntities) {
    if (value == e.value) return e.name;
  }
  return "";
}

SafeWindow SafePrefix(int64_t after, const std::vector<SeenRow>& rows, int64_t gap_timeout_micros) {
  SafeWindow w;
  w.cursor = after;
  for (const auto& r : rows) {
    if (r.seq <= w.cursor) continue;  // defensive: not expected
    if (r.seq != w.cursor + 1 && r.age_micros < gap_timeout_micros) {
      w.blocked_by_gap = true;
      break;  // a seq before this row may still commit
    }
    w.cursor = r.seq;
    ++w.count;
  }
  return w;
}

}  // namespace nms::federal
