#pragma once
// Works a teacher hands in for the externally scored items of a diagnostic session (issue 13 §6):
// what may be handed in (a written answer, a file of an allowed type and size, an http(s) link),
// when, and when the session's result stops being preliminary. Pure: no SQL, no gRPC; clocks are
// passed in.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/domain/diagnostics/session_rules.h"

namespace nms::diagnostics {

// Values equal nms.v1.ExpertWorkKind.
enum class WorkKind : int { kUnspecified = 0, kText = 1, kFile = 2, kLink = 3 };

// Limits, also stated in the proto and the Russian messages.
constexpr int64_t kMaxWorkFileBytes = 5 * 1024 * 1024;
constexpr size_t kMaxWorkTextChars = 20000;
constexpr size_t kMaxWorkLinkChars = 2000;
constexpr size_t kMaxWorkFileNameChars = 255;

struct WorkInput {
  WorkKind kind = WorkKind::kUnspecified;
  std::string text;
  std::string file_name;
  std::string content_type;
  int64_t file_size = 0;
  std::string link_url;
};

// INVALID_ARGUMENT (Russian, naming the field under `prefix`, e.g. "work.") when the work is not
// one complete thing of its kind: blank or over-long text, a file that is empty, over 5 MB, of a
// type outside the allow-list or whose name's extension contradicts its type, a link that is not
// http(s) with a host, or fields of another kind set.
absl::Status ValidateWork(const WorkInput& work, absl::string_view prefix);

// Whether `content_type` is on the allow-list and `file_name` ends with one of its extensions.
bool AllowedFile(absl::string_view content_type, absl::string_view file_name);

// The allowed types as a person reads them: "PDF, DOC, DOCX, ODT, RTF, TXT, JPG, PNG".
std::string AllowedFileTypesText();

// When a work may be handed in: while the session is in progress and before its deadline; after
// it ended, while the campaign is launched and its window open and no expert has scored the item
// yet (a lesson video may be recorded after the test). FAILED_PRECONDITION otherwise.
absl::Status CheckCanHandIn(SessionState session, const std::optional<absl::Time>& deadline,
                            CampaignState campaign, const std::optional<absl::Time>& campaign_close, bool item_scored,
                            absl::Time now);

}  // namespace nms::diagnostics
