#pragma once
// The inbox's SQL: one count and one searched, sorted, paged list per entry kind over the
// caller's scope. YOUNG_UNSUPPORTED is not here: the cohort is computed (services/young_cohort).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/time/civil_time.h"
#include "nms/v1/inbox.pb.h"
#include "server/db/directory_repository.h"
#include "server/domain/inbox/inbox.h"

namespace nms::db {

class InboxRepository {
 public:
  // What a kind's query depends on besides the scope.
  struct Context {
    ScopeFilter scope;
    absl::CivilDay today;
    std::vector<int> enrolment_states;  // ENROLMENT: states waiting on the caller's role
    absl::CivilDay meeting_cutoff;      // PAIR_WITHOUT_MEETING: last meeting before this
  };

  static int64_t Count(sql::Connection& c, inbox::Kind kind, const Context& ctx);

  // One page of `q`; `total` gets the count matching the search.
  static std::vector<v1::InboxEntry> List(sql::Connection& c, const inbox::Query& q, const Context& ctx,
                                          int64_t* total);

  // A campaign's title, close date and region; NOT_FOUND when missing.
  struct Campaign {
    int64_t id = 0;
    int64_t region_id = 0;
    std::string title;
    int state = 0;
    std::optional<absl::CivilDay> close_day;
  };
  static std::optional<Campaign> GetCampaign(sql::Connection& c, int64_t id);
  // The participant status (nms.v1.ParticipantStatus) of a person in a campaign; 0 when not one.
  static int ParticipantStatus(sql::Connection& c, int64_t campaign_id, int64_t person_id);

  // The region's pair meeting gap (MentoringSettings.meeting_gap_weeks).
  static int MeetingGapWeeks(sql::Connection& c, int64_t region_id);
};

}  // namespace nms::db
