#pragma once
// SQL of routes (ИОМ): reading a route as the API shows it (header, items with evidence,
// deficits of its diagnosis with their coverage, derived progress, signatures), lists by scope,
// lifecycle writes with the status history, per-region settings, and the accompanying
// methodist with their load. Items are in route_item_repository.h; generation inputs and the
// generated routes' bulk writes in route_generation_store.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/route.pb.h"
#include "server/db/directory_repository.h"
#include "server/domain/access/principal.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/route/generation.h"
#include "server/domain/route/lifecycle.h"

namespace nms::db {

// What access and lifecycle decisions need about a route.
struct RouteHead {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t region_id = 0;
  int64_t result_id = 0;
  int64_t methodist_id = 0;
  access::Placement place;  // the teacher's current placement
  route::RouteState state;
  int64_t version = 0;
  std::string full_name;  // of the teacher, as in the header
  int revision = 1;
  std::optional<absl::CivilDay> diagnosis_date;  // of the result the route follows
};

// Who acted, for the history.
struct RouteActor {
  int64_t account_id = 0;
  int64_t person_id = 0;
  access::Role role = access::Role::kTeacher;
  std::string full_name;
};

// What is printed under a signature: the signer's position and organisation.
struct SignerPosition {
  std::string position;
  std::string organization;  // short name
};

class RouteRepository {
 public:
  static absl::StatusOr<RouteHead> GetHead(sql::Connection& c, int64_t id, bool for_update = false);
  // The open (draft … in progress) route of a teacher, if any.
  static std::optional<RouteHead> OpenRouteOf(sql::Connection& c, int64_t person_id, bool for_update = false);
  // A route of the teacher after `route_id` that is not cancelled (it continues that one), if any.
  static std::optional<int64_t> LaterRouteOf(sql::Connection& c, int64_t person_id, int64_t route_id);
  static absl::StatusOr<nms::v1::Route> Get(sql::Connection& c, int64_t id);
  // Reads many routes in a few queries, in the order of `ids` (missing ones are left out).
  static std::vector<nms::v1::Route> GetMany(sql::Connection& c, const std::vector<int64_t>& ids);

  // Routes in `scope` (or accompanied by `methodist_scope` when non-zero) matching `terms`.
  static absl::Status List(sql::Connection& c, const ScopeFilter& scope, int64_t methodist_scope,
                           const std::vector<FilterTerm>& terms, const PageRequest& page,
                           std::vector<nms::v1::Route>* out, std::string* next_page_token, int64_t* total_size);
  // Ids of the routes in scope matching `terms` (status, campaign, methodist), by id; at most `limit`.
  static absl::StatusOr<std::vector<int64_t>> ListIds(sql::Connection& c, const ScopeFilter& scope,
                                                      const std::vector<FilterTerm>& terms, int64_t limit);

  // ---- edits (each bumps the route version)
  static void UpdateContent(sql::Connection& c, int64_t id, const std::string& goal, const std::string& notes,
                            const std::optional<absl::CivilDay>& start, const std::optional<absl::CivilDay>& end);
  static void Touch(sql::Connection& c, int64_t id);
  static void SetStatus(sql::Connection& c, int64_t id, route::Status from, route::Status to,
                        const std::string& revision_comment);
  static void AddSignature(sql::Connection& c, int64_t id, route::SignatureKind kind, const RouteActor& signer,
                           const std::string& position_title);
  static void ClearSignatures(sql::Connection& c, int64_t id);
  static void AddHistory(sql::Connection& c, int64_t id, route::Transition t, int from, route::Status to,
                         const RouteActor& actor, const std::string& comment);
  static absl::Status ListHistory(sql::Connection& c, int64_t id, const PageRequest& page,
                                  nms::v1::ListRouteStatusChangesResponse* out);
  // The day the route started (first START in its history); nullopt if never started.
  static std::optional<absl::CivilDay> StartedOn(sql::Connection& c, int64_t id);

  // ---- settings ("regions/{id}/routeSettings"); a region without a row has the defaults
  static nms::v1::RouteSettings GetSettings(sql::Connection& c, int64_t region_id, bool for_update = false);
  static void SaveSettings(sql::Connection& c, int64_t region_id, const nms::v1::RouteSettings& s);
  // Gives the region its settings row (the defaults) when it has none, so that a read FOR UPDATE
  // locks something.
  static void EnsureSettingsRow(sql::Connection& c, int64_t region_id);
  static route::LifecycleSettings Lifecycle(const nms::v1::RouteSettings& s);
  static const char* DefaultGoal();

  // ---- accompaniment
  // Sets (0 = removes) the accompanying methodist and keeps methodist_assignments in step:
  // the previous assignment of the route ends today, a new one starts today.
  static void SetMethodist(sql::Connection& c, const RouteHead& route, int64_t methodist, int role,
                           absl::CivilDay today);
  static absl::StatusOr<nms::v1::MethodistLoad> Load(sql::Connection& c, int64_t methodist);
  // Methodists who accompany teachers of `scope` (routes or direct assignments), with loads.
  static std::vector<nms::v1::MethodistLoad> Loads(sql::Connection& c, const ScopeFilter& scope);

  // ---- diagnostics (0010 tables, read only)
  struct AreaResult {
    int area = 0;
    double score = 0;
    int level = 0;
  };
  struct ResultSummary {
    int64_t id = 0, person_id = 0, campaign_id = 0;
    int status = 0, overall_level = 0;
    std::optional<absl::CivilDay> diagnosis_date;
  };
  static std::optional<ResultSummary> GetResult(sql::Connection& c, int64_t result_id);
  // The first FINAL result of the teacher dated on or after `from`, other than `exclude`.
  static std::optional<ResultSummary> FirstFinalResultFrom(sql::Connection& c, int64_t person_id,
                                                           absl::CivilDay from, int64_t exclude);
  static std::vector<AreaResult> ResultAreas(sql::Connection& c, int64_t result_id);
  // The account's highest role grant (nullopt without grants) and its person's full name, for
  // the history of work an account started earlier (a background operation).
  struct AccountActor {
    std::optional<access::Role> role;
    std::string full_name;
  };
  static std::optional<AccountActor> ActorOfAccount(sql::Connection& c, int64_t account_id);
  // The person's position and organisation; empty when unknown.
  static SignerPosition PositionOf(sql::Connection& c, int64_t person_id);
  // The person's methodist grant, regional before municipal; nullopt when they hold neither.
  static std::optional<access::Role> MethodistGrantRole(sql::Connection& c, int64_t person_id);
  static std::vector<std::string> ResultDeficitCodes(sql::Connection& c, int64_t result_id);
  // Deficits with indicator titles, most severe first, for many results at once.
  static std::map<int64_t, std::vector<route::Deficit>> Deficits(sql::Connection& c,
                                                                 const std::vector<int64_t>& result_ids);
};

// Microseconds since the epoch of a TIMESTAMP column, for SELECT lists.
std::string MicrosOf(const std::string& column, const std::string& alias);

}  // namespace nms::db
