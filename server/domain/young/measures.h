#pragma once
// Names and list conditions of support measures, recorded and derived. Derived measures are
// named after their source ("supportMeasures/mentoring-pair-7", "supportMeasures/route-3"), so
// the same pair or route always shows under the same name without a stored row.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/domain/common/page_token.h"

namespace nms::young {

enum class MeasureSource : int { kRecorded = 0, kMentoringPair = 1, kRoute = 2 };

struct MeasureRef {
  MeasureSource source = MeasureSource::kRecorded;
  int64_t id = 0;

  bool operator==(const MeasureRef&) const = default;
};

std::string MeasureName(const MeasureRef& ref);
// INVALID_ARGUMENT naming `field` when `name` is not a support measure's name.
absl::StatusOr<MeasureRef> ParseMeasureName(absl::string_view name, absl::string_view field);

// One condition of ListSupportMeasures' filter, values already checked.
struct MeasureCondition {
  enum class Field { kPerson, kOrganization, kKind, kStatus, kStartDate, kDerived };
  Field field = Field::kPerson;
  std::string op;       // "=", "!=", and for start_date also "<", "<=", ">", ">="
  int64_t number = 0;   // person/organisation id, kind, status, derived (0/1)
  absl::CivilDay day;   // start_date
};

// Parses the filter of ListSupportMeasures: person, organization, kind, status, start_date,
// derived (see the proto).
absl::StatusOr<std::vector<MeasureCondition>> ParseMeasureFilter(absl::string_view text);

// Keyset position in the measure list (newest start first, then source, then id).
struct MeasureCursor {
  absl::CivilDay start;
  MeasureRef ref;
};
// The cursor as the key of a page token (server/domain/common/page_token.h), of shape
// kMeasureCursorShape: start date, source, id.
std::vector<std::string> MeasureCursorKey(const MeasureCursor& c);
absl::StatusOr<MeasureCursor> MeasureCursorFromKey(const std::vector<std::string>& key);
inline constexpr std::initializer_list<KeyPart> kMeasureCursorShape = {KeyPart::kText, KeyPart::kNumber,
                                                                      KeyPart::kNumber};

}  // namespace nms::young
