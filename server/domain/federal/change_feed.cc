#include "server/domain/federal/change_feed.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace nms::federal {

namespace {
// What the federal portal needs of each kind (see federal_exchange.proto, ChangeEntityType).
struct KindFields {
  const char* entity_type;
  std::vector<std::string> fields;
};
const std::vector<KindFields>& Kinds() {
  static const auto* kinds = new std::vector<KindFields>{
      // Identity for enrolment lists and matching the operator's completions (ФИО, regional
      // register id, workplace, position, subjects); no birth date, e-mail, phone or career data.
      {"teacher",
       {"name", "external_id", "last_name", "first_name", "middle_name", "organization", "position", "subjects"}},
      // Register card of the organisation.
      {"organization", {"name", "type", "display_name", "short_name", "municipality", "external_id"}},
      // Level by area at a date: what the regional passport and the ИОМ register report; no
      // per-indicator detail, answers or deficits.
      {"diagnostic_result",
       {"name", "person", "source", "diagnosis_date", "status", "overall_score_percent", "overall_level",
        "area_scores"}},
      // The ИОМ register (обобщённая выгрузка): status, dates and what the items are; no header
      // (ФИО is in the teacher record), goal, notes, signatures, comments or methodist.
      {"route",
       {"name", "person", "diagnostic_result", "status", "planned_start_date", "planned_end_date", "items",
        "items.name", "items.section", "items.activity", "items.title", "items.hours", "items.deadline",
        "items.status", "items.done_date"}},
      {"route_item", {"name", "section", "activity", "title", "hours", "deadline", "status", "done_date"}},
      // ДПП completions for indicators 5–7 and reconciliation with the operator's own records; no
      // certificate number.
      {"training_completion",
       {"name", "person", "programme_title", "hours", "federal_registry", "federal_registry_id",
        "chosen_from_diagnostics", "federal_operator", "start_date", "end_date", "attestation_passed", "source",
        "external_id"}},
      // Who mentors whom and how it went; no names, reasons, comments, goals or explanations.
      {"mentoring_pair",
       {"name", "mentor", "mentee", "pair_type", "status", "start_date", "planned_end_date", "end_date", "outcome"}},
  };
  return *kinds;
}

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

std::string ExternalId(int64_t region_id, absl::string_view entity_type, absl::string_view resource) {
  size_t end = resource.size();
  while (end > 0 && !absl::ascii_isdigit(resource[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && absl::ascii_isdigit(resource[begin - 1])) --begin;
  if (begin == end) return "";
  return absl::StrCat("nms:", region_id, ":", entity_type, ":", resource.substr(begin, end - begin));
}

const std::vector<std::string>& PayloadFields(absl::string_view entity_type) {
  static const auto* none = new std::vector<std::string>();
  for (const auto& k : Kinds()) {
    if (entity_type == k.entity_type) return k.fields;
  }
  return *none;
}

size_t RecordsThatFit(const std::vector<size_t>& record_bytes, size_t budget, size_t overhead, size_t per_record) {
  size_t used = overhead, n = 0;
  for (size_t bytes : record_bytes) {
    if (used + bytes + per_record > budget) break;
    used += bytes + per_record;
    ++n;
  }
  return n;
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
