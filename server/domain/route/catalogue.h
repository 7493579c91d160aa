#pragma once
// Rules of the activity catalogue (issue 4 §1): what a valid entry is, and how a programme of
// the federal registry (ФР ДПП) becomes a catalogue entry.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "server/domain/route/generation.h"

namespace nms::route {

struct ActivityInput {
  int kind = 0;        // nms.v1.ActivityKind
  int event_kind = 0;  // nms.v1.ActivityEventKind
  int format = 0;      // nms.v1.ActivityFormat
  int learning_form = 0;
  std::string title, description, provider_title, federal_registry_id, url;
  int hours = 0;
  std::vector<std::string> indicator_codes, positions, subjects;
  std::vector<int> areas;
  std::optional<absl::CivilDay> start_date, end_date;
};

// INVALID_ARGUMENT naming the first bad field ("activity.title"). Every entry must name the
// indicators or areas it addresses: that is what generation matches deficits against.
absl::Status ValidateActivity(const ActivityInput& a);

// A programme of at least 250 hours is professional retraining (переподготовка), shorter ones
// are further training (повышение квалификации): the threshold of the federal rules.
ActivityKind FederalProgrammeKind(int hours);

// "очно", "дистанционно", "очно-заочно" for the item's form text.
const char* FormatTitle(int format);

}  // namespace nms::route
