#pragma once
// Campaign lifecycle rules (pure): DRAFT → LAUNCHED → CLOSED, or CANCELLED before it opens;
// what may change in each state; the window's sanity; and which municipality "owns" a
// campaign, which decides whether a municipal methodist may manage it.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/access/principal.h"
#include "server/domain/diagnostics/session_rules.h"

namespace nms::diagnostics {

// Longest time limit of one session: a working day. Teachers complain of 4-hour sessions
// (docs/domain.md §9); regions may still choose long ones, but not unbounded.
inline constexpr int kMaxTimeLimitSeconds = 8 * 3600;
inline constexpr int kMaxAttempts = 20;

// INVALID_ARGUMENT naming the field: close after open, time limit 0..kMaxTimeLimitSeconds,
// max_attempts 0..kMaxAttempts.
absl::Status ValidateWindow(const Window& w, int max_attempts);

// Fields (update_mask paths) a campaign accepts in `state`: everything while DRAFT; after launch
// only title, purpose, voluntary, close_time (not into the past), allow_retake, max_attempts;
// nothing once closed or cancelled. FAILED_PRECONDITION otherwise.
absl::Status CheckUpdatable(CampaignState state, const std::vector<std::string>& paths,
                            const Window& after, absl::Time now);

// Only a DRAFT campaign is launched or deleted.
absl::Status CheckLaunch(CampaignState state);
absl::Status CheckDeletable(CampaignState state);

// What CloseCampaign does: a draft, or a launched campaign before its open time, is CANCELLED;
// a launched one is CLOSED; a finished one cannot be closed again (FAILED_PRECONDITION).
absl::StatusOr<CampaignState> CloseOutcome(CampaignState state, const Window& w, absl::Time now);

// The municipality all of a population's scopes lie in, or 0 when they span more (or any scope
// is regional): a municipal campaign may be run by that municipality's methodist.
int64_t OwnerMunicipality(const std::vector<access::Placement>& scopes);

}  // namespace nms::diagnostics
