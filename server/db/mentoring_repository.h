#pragma once
// SQL for mentoring (schema 0030): settings, mentor profiles, mentee requests and their
// automatic sources, matching inputs, proposals and constraints, pairs with plans, meetings,
// feedback, and school programmes. Every method runs on the caller's connection so the service
// decides the transaction (one IdempotentWrite = one transaction with its audit and outbox).
// Implemented by concept in mentoring_*_repository.cc. A person's place is always read from
// `people` (the directory keeps it current), so a teacher who moves school moves their
// profile, requests and pairs with them.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <cppconn/connection.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "nms/v1/mentoring.pb.h"
#include "server/db/directory_repository.h"
#include "server/domain/access/principal.h"
#include "server/domain/mentoring/auto_requests.h"
#include "server/domain/mentoring/eligibility.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/mentoring/matching.h"
#include "server/domain/mentoring/scope_overlap.h"

namespace nms::db {

// A mentor or mentee: a person, or an organisation (management mentoring).
struct EntityRef {
  bool organization = false;
  int64_t id = 0;
  std::string Name() const;  // "people/{id}" or "organizations/{id}"
  friend bool operator==(const EntityRef&, const EntityRef&) = default;
};

// Where an entity sits now, with its district and display name.
struct EntityPlace {
  access::Placement placement;
  int64_t district_id = 0;
  std::string display_name;
};

class MentoringRepository {
 public:
  // ---------------------------------------------------------------- places
  static absl::StatusOr<EntityPlace> PlaceEntity(sql::Connection& c, const EntityRef& e);
  // The scope (region, district, municipality or organisation) with its ancestors.
  static absl::StatusOr<mentoring::ScopePlace> PlaceScope(sql::Connection& c, const ScopeFilter& scope);

  // ---------------------------------------------------------------- settings
  struct Settings {
    mentoring::EligibilityRule rule;
    // Weeks an active pair may go without a meeting before the inbox lists it.
    int meeting_gap_weeks = 4;
    int64_t version = 1;  // 1 for a region that never saved its settings (defaults)
  };
  static Settings GetSettings(sql::Connection& c, int64_t region_id, bool for_update = false);
  static void SaveSettings(sql::Connection& c, int64_t region_id, const mentoring::EligibilityRule& rule,
                           int meeting_gap_weeks, int64_t new_version);

  // ---------------------------------------------------------------- mentor profiles
  struct ProfileRow {
    nms::v1::MentorProfile profile;  // complete, as returned to clients
    int64_t id = 0;
    int64_t region_id = 0;
    EntityRef mentor;
    access::Placement place;
    int live_pairs = 0;
  };
  static absl::StatusOr<ProfileRow> GetProfile(sql::Connection& c, int64_t id, bool for_update = false);
  static std::optional<int64_t> FindProfile(sql::Connection& c, const EntityRef& mentor);
  // Writes the mutable fields of `p` (nomination, status, subjects, strengths, capacity,
  // availability, pair types, note) and the eligibility.
  static int64_t InsertProfile(sql::Connection& c, int64_t region_id, const EntityRef& mentor,
                               const nms::v1::MentorProfile& p);
  static void UpdateProfile(sql::Connection& c, int64_t id, const nms::v1::MentorProfile& p);
  // Stores a re-evaluated eligibility (an output field: the version stays).
  static void SetEligibility(sql::Connection& c, int64_t id, const nms::v1::MentorEligibility& e);
  static void DeleteProfile(sql::Connection& c, int64_t id);
  // Pairs of a profile: all, or only PROPOSED/ACTIVE.
  static int CountProfilePairs(sql::Connection& c, int64_t profile_id, bool live_only);
  static absl::Status ListProfiles(sql::Connection& c, const ScopeFilter& scope,
                                   const std::vector<FilterTerm>& filter, const PageRequest& page,
                                   std::vector<nms::v1::MentorProfile>* out, int64_t* next_after, int64_t* total);
  // What the eligibility rule looks at, for a person (organisations have no facts).
  static mentoring::MentorFacts LoadMentorFacts(sql::Connection& c, const EntityRef& mentor);

  // ---------------------------------------------------------------- mentee requests
  struct RequestRow {
    nms::v1::MenteeRequest request;
    int64_t id = 0;
    int64_t region_id = 0;
    EntityRef mentee;
    int64_t pair_id = 0;
  };
  static absl::StatusOr<RequestRow> GetRequest(sql::Connection& c, int64_t id, bool for_update = false);
  // Inserts an OPEN request; `auto_key` is set for automatic requests.
  static int64_t InsertRequest(sql::Connection& c, int64_t region_id, const EntityRef& mentee,
                               const nms::v1::MenteeRequest& r, int source, const std::string& auto_key,
                               int64_t account_id);
  // Writes pair_type, subjects, areas, deficit codes, note; bumps the version.
  static void UpdateRequestFields(sql::Connection& c, int64_t id, const nms::v1::MenteeRequest& r);
  // Moves a request to `status` with its pair (0 = none) and reason; bumps the version. The
  // automatic key is released when the request is cancelled or `release_auto_key`.
  static void SetRequestState(sql::Connection& c, int64_t id, int status, int64_t pair_id,
                              const std::string& cancel_reason, bool release_auto_key = false);
  static absl::Status ListRequests(sql::Connection& c, const ScopeFilter& scope,
                                   const std::vector<FilterTerm>& filter, const PageRequest& page,
                                   std::vector<nms::v1::MenteeRequest>* out, int64_t* next_after, int64_t* total);
  // Deficits of the latest FINAL diagnostic result (most severe first) and their areas.
  static std::pair<std::vector<std::string>, std::vector<int>> LatestDeficits(sql::Connection& c, int64_t person_id);
  // An OPEN or PROPOSED request of the mentee for this pair type.
  static std::optional<int64_t> FindPendingRequest(sql::Connection& c, const EntityRef& mentee, int pair_type);
  // Whether the mentee has a PROPOSED or ACTIVE pair.
  static bool HasLivePairAsMentee(sql::Connection& c, const EntityRef& mentee);

  // ---------------------------------------------------------------- automatic requests
  struct AutoCandidate {
    int64_t person_id = 0;
    int64_t region_id = 0;
    std::optional<absl::CivilDay> birth_date, work_start_date;
    bool has_live_pair = false;
    bool has_manual_request = false;
    std::vector<std::string> subjects;
  };
  struct AutoFacts {
    std::vector<AutoCandidate> people;  // possibly young people of the scope (superset of the cohort)
    std::vector<mentoring::ExistingAutoRequest> existing;  // pending automatic requests of the scope
    std::vector<mentoring::AutoRouteItem> route_items;     // section 3 items "with a mentor"
    absl::flat_hash_map<std::string, std::vector<std::string>> route_item_codes;  // deficits an item closes
    absl::flat_hash_map<int64_t, AutoCandidate> route_people;  // people of route items not in `people`
  };
  // People born after `ref - age_limit - 1 years` who started work after `ref - years_limit - 1
  // years` (the cohort rule itself is the domain's), their pending automatic requests, and the
  // route items asking for a mentor when the route tables are there.
  static AutoFacts LoadAutoFacts(sql::Connection& c, const ScopeFilter& scope, absl::CivilDay ref, int age_limit,
                                 int years_limit);
  // Cohort limits of a region (young_teacher_settings when present, else 35 / 3).
  static std::pair<int, int> YoungLimits(sql::Connection& c, int64_t region_id);

  // ---------------------------------------------------------------- matching input
  struct MatchingMentor {
    mentoring::Mentor mentor;  // id = profile id, current_load without released pairs
    mentoring::MentorFacts facts;
    nms::v1::MentorEligibility stored;  // as stored, to write back only changes
    int status = 0;
    bool accepting = true;
    std::optional<absl::CivilDay> available_from, available_until;
  };
  struct KeptPair {
    int64_t pair_id = 0;
    int64_t profile_id = 0;
    int64_t request_id = 0;  // 0 for pairs made without a request
    EntityRef mentee;
    int pair_type = 0;
    std::string explanation;  // serialized PairExplanation, may be empty
  };
  struct MatchingInput {
    std::vector<MatchingMentor> mentors;     // every ACTIVE profile of the region
    std::vector<mentoring::Mentee> mentees;  // id = request id
    absl::flat_hash_map<int64_t, EntityRef> mentee_entity;  // request id -> mentee
    absl::flat_hash_map<int64_t, int64_t> released;  // request id -> its pending pair, released by the run
    std::vector<mentoring::PairRef> forbidden, pins;
    std::vector<KeptPair> kept;
  };
  // Profiles of the region (only ACTIVE ones when active_only) with the facts of the
  // eligibility rule, declared and diagnosed strengths and live loads; `released` lowers the
  // load of profiles whose pending pairs a matching run releases (profile id -> pairs).
  static std::vector<MatchingMentor> LoadRegionMentors(sql::Connection& c, int64_t region_id, bool active_only,
                                                       const absl::flat_hash_map<int64_t, int>& released = {});
  // Open requests of mentees in `scope` (and, with replace_pending, the requests of PROPOSED
  // pairs nobody accepted yet), of `pair_types` (empty = all); the region's active profiles with
  // strengths (declared and diagnosed) and loads; constraints on those mentees; kept pairs.
  static MatchingInput LoadMatchingInput(sql::Connection& c, int64_t region_id, const ScopeFilter& scope,
                                         const std::vector<int>& pair_types, bool replace_pending);

  // ---------------------------------------------------------------- proposals
  struct ProposalRow {
    nms::v1::MatchingProposal proposal;  // header and stats, pairs not loaded
    int64_t id = 0;
    int64_t region_id = 0;
    mentoring::ScopePlace scope;
  };
  struct StoredPair {
    int idx = 0;
    int64_t profile_id = 0;
    int64_t request_id = 0;
    int pair_type = 0;
    int64_t cost = 0;
    bool pinned = false;
    int64_t kept_pair_id = 0;
    int64_t released_pair_id = 0;
    std::string explanation;  // serialized PairExplanation
  };
  struct StoredUnmatched {
    int idx = 0;
    int64_t request_id = 0;
    int reason = 0;
    std::string detail;
  };
  static int64_t InsertProposal(sql::Connection& c, int64_t region_id, const std::string& scope_name,
                                const mentoring::ScopePlace& scope, const nms::v1::MatchingOptions& options,
                                const nms::v1::MatchingStats& stats, int64_t person_id, int64_t account_id);
  static void InsertProposalPairs(sql::Connection& c, int64_t proposal_id, const std::vector<StoredPair>& pairs);
  static void InsertProposalUnmatched(sql::Connection& c, int64_t proposal_id,
                                      const std::vector<StoredUnmatched>& unmatched);
  static absl::StatusOr<ProposalRow> GetProposal(sql::Connection& c, int64_t id, bool for_update = false);
  // Pairs and unmatched mentees with idx in [from, from + count), with names and display names.
  static void LoadProposalPage(sql::Connection& c, int64_t proposal_id, int from, int count,
                               nms::v1::MatchingProposal* out, bool* more);
  static std::vector<StoredPair> LoadProposalPairs(sql::Connection& c, int64_t proposal_id);
  static void SetProposalState(sql::Connection& c, int64_t id, int state);
  // OPEN proposals of the region (ids and scopes), to supersede overlapping ones.
  static std::vector<std::pair<int64_t, mentoring::ScopePlace>> OpenProposals(sql::Connection& c, int64_t region_id);
  static absl::Status ListProposals(sql::Connection& c, const ScopeFilter& scope,
                                    const std::vector<FilterTerm>& filter, const PageRequest& page,
                                    std::vector<nms::v1::MatchingProposal>* out, int64_t* next_after, int64_t* total);

  // ---------------------------------------------------------------- constraints
  struct ConstraintRow {
    nms::v1::MatchingConstraint constraint;
    int64_t id = 0;
    int64_t region_id = 0;
  };
  static absl::StatusOr<ConstraintRow> GetConstraint(sql::Connection& c, int64_t id, bool for_update = false);
  static int64_t InsertConstraint(sql::Connection& c, int64_t region_id, int kind, int64_t profile_id,
                                  const EntityRef& mentee, const std::string& scope, const std::string& reason,
                                  int64_t person_id, int64_t account_id);
  static void DeleteConstraint(sql::Connection& c, int64_t id);
  static absl::Status ListConstraints(sql::Connection& c, const ScopeFilter& scope,
                                      const std::vector<FilterTerm>& filter, const PageRequest& page,
                                      std::vector<nms::v1::MatchingConstraint>* out, int64_t* next_after,
                                      int64_t* total);

  // ---------------------------------------------------------------- pairs
  struct PairRow {
    nms::v1::MentoringPair pair;  // complete, with goals
    int64_t id = 0;
    int64_t region_id = 0;
    int64_t profile_id = 0;
    int64_t request_id = 0;
    int64_t programme_id = 0;
    EntityRef mentor, mentee;
    bool mentor_accepted = false, mentee_accepted = false;
  };
  static absl::StatusOr<PairRow> GetPair(sql::Connection& c, int64_t id, bool for_update = false);
  struct NewPair {
    int64_t region_id = 0;
    int64_t profile_id = 0;
    EntityRef mentor, mentee;
    int64_t request_id = 0;
    int pair_type = 0;
    std::vector<std::string> indicator_codes, subjects;
    std::optional<absl::CivilDay> planned_end_date;
    int64_t programme_id = 0;
    std::string route_item;
    int64_t proposal_id = 0;
    std::string explanation;  // serialized PairExplanation
  };
  // Inserts a PROPOSED pair.
  static int64_t InsertPair(sql::Connection& c, const NewPair& p);
  // Lifecycle columns: status, acceptances (set now when newly true), reason, outcome, dates.
  struct PairLifecycle {
    int status = 0;
    bool mentor_accepted = false, mentee_accepted = false;
    std::string close_reason;
    int outcome = 0;
    std::string outcome_comment;
    std::optional<absl::CivilDay> started, ended;
  };
  static void UpdatePairLifecycle(sql::Connection& c, int64_t id, const PairLifecycle& l);
  // Plan columns of `p` (subjects, indicator codes, planned end, programme) and its goals.
  static void UpdatePairPlan(sql::Connection& c, int64_t id, const nms::v1::MentoringPair& p, int64_t programme_id);
  // Replaces the goals of a pair (ids already assigned), in order.
  static void ReplaceGoals(sql::Connection& c, int64_t id,
                           const google::protobuf::RepeatedPtrField<nms::v1::MentoringGoal>& goals);
  static absl::Status ListPairs(sql::Connection& c, const ScopeFilter& scope,
                                const std::vector<FilterTerm>& filter, const PageRequest& page,
                                std::vector<nms::v1::MentoringPair>* out, int64_t* next_after, int64_t* total);
  // Whether a PROPOSED or ACTIVE pair of this profile and mentee exists.
  static bool LivePairExists(sql::Connection& c, int64_t profile_id, const EntityRef& mentee);

  // ---------------------------------------------------------------- meetings and feedback
  struct MeetingRow {
    nms::v1::MentoringMeeting meeting;
    int64_t id = 0;
    int64_t pair_id = 0;
  };
  static absl::StatusOr<MeetingRow> GetMeeting(sql::Connection& c, int64_t id, bool for_update = false);
  static int64_t InsertMeeting(sql::Connection& c, int64_t pair_id, const nms::v1::MentoringMeeting& m,
                               int64_t account_id);
  static void UpdateMeeting(sql::Connection& c, int64_t id, const nms::v1::MentoringMeeting& m);
  static void DeleteMeeting(sql::Connection& c, int64_t id);
  static absl::Status ListMeetings(sql::Connection& c, int64_t pair_id,
                                   const std::vector<FilterTerm>& filter, const PageRequest& page,
                                   std::vector<nms::v1::MentoringMeeting>* out, int64_t* next_after, int64_t* total);
  static int64_t InsertFeedback(sql::Connection& c, int64_t pair_id, int side, int64_t author_person_id,
                                const nms::v1::MentoringFeedback& f);
  static absl::StatusOr<nms::v1::MentoringFeedback> GetFeedback(sql::Connection& c, int64_t id);
  static absl::Status ListFeedback(sql::Connection& c, int64_t pair_id,
                                   const std::vector<FilterTerm>& filter, const PageRequest& page,
                                   std::vector<nms::v1::MentoringFeedback>* out, int64_t* next_after, int64_t* total);

  // ---------------------------------------------------------------- programmes
  struct ProgrammeRow {
    nms::v1::MentoringProgramme programme;
    int64_t id = 0;
    int64_t region_id = 0;
    int64_t organization_id = 0;
  };
  static absl::StatusOr<ProgrammeRow> GetProgramme(sql::Connection& c, int64_t id, bool for_update = false);
  // ACTIVE or SUSPENDED programme of the organisation other than `except_id`.
  static std::optional<int64_t> FindLiveProgramme(sql::Connection& c, int64_t organization_id, int64_t except_id);
  static int64_t InsertProgramme(sql::Connection& c, int64_t region_id, int64_t organization_id,
                                 int64_t coordinator_id, const nms::v1::MentoringProgramme& p);
  static void UpdateProgramme(sql::Connection& c, int64_t id, int64_t coordinator_id,
                              const nms::v1::MentoringProgramme& p);
  static void SetProgrammeStatus(sql::Connection& c, int64_t id, int status);
  static void DeleteProgramme(sql::Connection& c, int64_t id);
  static int CountProgrammePairs(sql::Connection& c, int64_t id);
  static absl::Status ListProgrammes(sql::Connection& c, const ScopeFilter& scope,
                                     const std::vector<FilterTerm>& filter, const PageRequest& page,
                                     std::vector<nms::v1::MentoringProgramme>* out, int64_t* next_after,
                                     int64_t* total);
};

}  // namespace nms::db
