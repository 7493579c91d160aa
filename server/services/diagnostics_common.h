#pragma once
// Pieces the DiagnosticsService files share: input checks, who may read region-level
// resources and campaigns, list paging, the session message, and ending a session (scoring
// it into a stored result) — the one path used by submit, time-out and campaign close.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "nms/v1/diagnostics.pb.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/pool.h"
#include "server/domain/access/policy.h"
#include "server/domain/diagnostics/instrument.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/text.h"
#include "server/domain/diagnostics/scoring.h"
#include "server/domain/diagnostics/session_rules.h"

namespace nms::services::diag {

// The region (id, or Placement{region}) of a loaded region-owned resource named `region_name`,
// or the error that loading it produced.
absl::StatusOr<int64_t> RegionOfLoaded(const absl::Status& loaded, const std::string& region_name);
absl::StatusOr<access::Placement> PlaceInRegion(const absl::Status& loaded, const std::string& region_name);

// Regions the caller works in through a role that reads diagnostics.
std::vector<int64_t> RegionsOf(const access::Principal& p);

// Frameworks and instruments are the region's shared vocabulary: anyone working in the region
// reads them. Others, and missing resources, get the answer CheckAccess gives.
absl::Status CheckRegionReader(const access::Principal& p, const absl::StatusOr<int64_t>& region);

// A campaign is read by regional roles of its region, by the municipal methodist who owns it
// or has participants in it, by school admins with participants in their school, and by its
// participants themselves.
absl::Status CheckCampaignReader(sql::Connection& c, const access::Principal& p,
                                 const absl::StatusOr<db::CampaignRecord>& campaign);
// The window and time limit of a campaign, as the session rules take them.
diagnostics::Window CampaignWindow(const nms::v1::Campaign& k);

// Where a campaign sits for kManageCampaign: its region and owning municipality.
access::Placement CampaignPlacement(const db::CampaignRecord& r);

// The people whose diagnostics the caller may read: their own person for a teacher, else the
// widest scope of their grants.
absl::StatusOr<db::ScopeFilter> PeopleInReach(sql::Connection& c, const access::Principal& p);

// A list request's filter and paging (see Paging), checked once.
absl::StatusOr<db::ListQuery> ParseListArgs(const google::protobuf::Message& request, const std::string& filter);

// Moves a page of items into the response and sets its paging fields.
template <typename Item, typename Response>
void FillPage(std::vector<Item>&& items, google::protobuf::RepeatedPtrField<Item>* out, const db::ListPage& page,
              Response* resp) {
  for (auto& i : items) *out->Add() = std::move(i);
  resp->set_next_page_token(page.next_page_token);
  resp->set_total_size(page.total_size);
}

// Today in the region's presentation time zone.
absl::CivilDay RegionToday(sql::Connection& c, int64_t region_id);

// Instruments and frameworks as the scoring needs them, loaded once per call.
class ScoringCache {
 public:
  explicit ScoringCache(sql::Connection& c) : c_(c) {}
  absl::StatusOr<const diagnostics::InstrumentDef*> Instrument(int64_t id);
  absl::StatusOr<const diagnostics::Framework*> Framework(int64_t id);
  // Items of an instrument in order, and the number answered online.
  absl::StatusOr<std::vector<diagnostics::ItemDef>> Items(int64_t instrument_id);
  absl::StatusOr<int> OnlineItemCount(int64_t instrument_id);

 private:
  sql::Connection& c_;
  std::map<int64_t, std::unique_ptr<diagnostics::InstrumentDef>> instruments_;
  std::map<int64_t, std::unique_ptr<diagnostics::Framework>> frameworks_;
};

// The session as the API shows it (answers included when given).
nms::v1::Session SessionToProto(const db::SessionRecord& s, const std::map<std::string, nms::v1::ItemAnswer>* answers,
                                int item_count, absl::Time now);

// Scores a session from its saved answers and expert scores into `result` (profile, status
// PRELIMINARY while expert items are unscored).
absl::Status ScoreSessionInto(sql::Connection& c, ScoringCache& cache, const db::SessionRecord& s, int64_t framework_id,
                              nms::v1::DiagnosticResult* result);

// Ends an in-progress session in `end` (SUBMITTED or TIMED_OUT): scores it, stores the result,
// moves the session and the participant on, audits, and feeds the change feed when FINAL.
absl::StatusOr<nms::v1::DiagnosticResult> EndSession(sql::Connection& c, ScoringCache& cache, int64_t account_id,
                                                      const db::SessionRecord& s, diagnostics::SessionState end,
                                                      absl::Time now);

// In its own transaction, times out the session if it is still in progress past its deadline.
absl::Status FinalizeIfExpired(db::ConnectionPool& pool, int64_t account_id, int64_t session_id);

// Times out up to `limit` sessions still in progress past their deadline (oldest first), each in
// its own transaction; returns how many were found.
absl::StatusOr<int> SweepExpiredSessions(db::ConnectionPool& pool, int limit);

// A FINAL result for the federal change feed (entity "diagnostic_result"): CREATE the first time
// the result is final, UPDATE when it already was (`was_final`).
void ResultOutbox(sql::Connection& c, int64_t region_id, const nms::v1::DiagnosticResult& r, bool was_final);

}  // namespace nms::services::diag
