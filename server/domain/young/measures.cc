#include "server/domain/young/measures.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/common/aip_filter.h"

namespace nms::young {
namespace {

constexpr absl::string_view kCollection = "supportMeasures/";
constexpr absl::string_view kPairPrefix = "mentoring-pair-";
constexpr absl::string_view kRoutePrefix = "route-";

bool PositiveId(absl::string_view text, int64_t* id) {
  *id = CanonicalId(text);
  return *id > 0;
}

absl::Status BadFilter(absl::string_view why) { return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", why)); }

}  // namespace

std::string MeasureName(const MeasureRef& ref) {
  switch (ref.source) {
    case MeasureSource::kMentoringPair: return absl::StrCat(kCollection, kPairPrefix, ref.id);
    case MeasureSource::kRoute: return absl::StrCat(kCollection, kRoutePrefix, ref.id);
    default: return absl::StrCat(kCollection, ref.id);
  }
}

absl::StatusOr<MeasureRef> ParseMeasureName(absl::string_view name, absl::string_view field) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "Поле ", field, ": ожидается supportMeasures/{id}, supportMeasures/mentoring-pair-{id} или supportMeasures/route-{id}"));
  };
  if (!absl::ConsumePrefix(&name, kCollection)) return bad();
  MeasureRef ref;
  if (absl::ConsumePrefix(&name, kPairPrefix)) {
    ref.source = MeasureSource::kMentoringPair;
  } else if (absl::ConsumePrefix(&name, kRoutePrefix)) {
    ref.source = MeasureSource::kRoute;
  }
  if (!PositiveId(name, &ref.id)) return bad();
  return ref;
}

absl::StatusOr<std::vector<MeasureCondition>> ParseMeasureFilter(absl::string_view text) {
  auto clauses = ParseFilter(text, {"person", "organization", "kind", "status", "start_date", "derived"});
  if (!clauses.ok()) return clauses.status();
  std::vector<MeasureCondition> out;
  using F = MeasureCondition::Field;
  for (const auto& c : *clauses) {
    MeasureCondition m;
    m.op = c.op == ":" ? "=" : c.op;
    bool ordered = m.op != "=" && m.op != "!=";
    if (ordered && c.field != "start_date") return BadFilter(absl::StrCat(c.field, ": только = или !="));
    if (c.field == "person" || c.field == "organization") {
      m.field = c.field == "person" ? F::kPerson : F::kOrganization;
      auto id = FilterName(c, c.field == "person" ? "people" : "organizations");
      if (!id.ok()) return id.status();
      m.number = *id;
    } else if (c.field == "kind") {
      m.field = F::kKind;
      auto kind = FilterEnum(c, "SUPPORT_MEASURE_KIND_",
                             {"MENTOR", "ROUTE", "EVENT", "CLUB", "COMPETITION", "METHODOLOGICAL_VISIT", "OTHER"});
      if (!kind.ok()) return kind.status();
      m.number = *kind;
    } else if (c.field == "status") {
      m.field = F::kStatus;
      auto status = FilterEnum(c, "SUPPORT_MEASURE_STATUS_", {"PLANNED", "ACTIVE", "COMPLETED", "CANCELLED"});
      if (!status.ok()) return status.status();
      m.number = *status;
    } else if (c.field == "start_date") {
      m.field = F::kStartDate;
      auto day = FilterDay(c);
      if (!day.ok()) return day.status();
      m.day = *day;
    } else {
      m.field = F::kDerived;
      auto value = FilterBool(c);
      if (!value.ok()) return value.status();
      m.op = "=";
      m.number = *value ? 1 : 0;
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> MeasureCursorKey(const MeasureCursor& c) {
  return {FormatDay(c.start), absl::StrCat(static_cast<int>(c.ref.source)), absl::StrCat(c.ref.id)};
}

absl::StatusOr<MeasureCursor> MeasureCursorFromKey(const std::vector<std::string>& parts) {
  auto bad = absl::InvalidArgumentError("Поле page_token: токен страницы повреждён");
  int source = 0;
  MeasureCursor c;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &source) || source < 0 || source > 2 ||
      !PositiveId(parts[2], &c.ref.id)) {
    return bad;
  }
  auto day = ParseDay(parts[0], "page_token");
  if (!day.ok()) return bad;
  c.start = *day;
  c.ref.source = static_cast<MeasureSource>(source);
  return c;
}

}  // namespace nms::young
