#pragma once
// SQL for monitoring: per-region indicator definitions, yes/no attestations, the fact records
// this area owns, and the loader of every fact (own tables and other areas' contract tables)
// the indicator engine counts. Tables of other areas that are not there yet count as empty.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "nms/v1/monitoring.pb.h"
#include "server/domain/monitoring/facts.h"
#include "server/domain/monitoring/indicators.h"

namespace nms::db {

struct StoredDefinition {
  monitoring::Definition def;
  int64_t region_id = 0;
  int64_t version = 0;
  int64_t created_unix = 0;
  int64_t updated_unix = 0;
};

struct AttestationRec {
  int64_t definition_id = 0;
  int scope_level = 0;
  int64_t scope_id = 0;
  absl::CivilDay period_end;
  bool value = false;
};

// A territory unit or organisation an indicator is computed for.
struct ScopeRow {
  int64_t id = 0;
  int64_t region_id = 0;
  std::string title;
};

class MonitoringRepository {
 public:
  // --- scopes ---
  // The unit of `level` with `id` (its region and title); nullopt when there is none.
  static std::optional<ScopeRow> FindScope(sql::Connection& c, monitoring::ScopeLevel level, int64_t id);
  // The next level down, by title: region or district -> municipalities, municipality ->
  // educational organisations (ОО, ДОО, СПО, ДПО). Organisations have no children.
  static std::vector<ScopeRow> ChildScopes(sql::Connection& c, monitoring::ScopeLevel level, int64_t id,
                                           int64_t region_id);

  // --- definitions ---
  static absl::StatusOr<StoredDefinition> GetDefinition(sql::Connection& c, int64_t id, bool for_update = false);
  static std::vector<StoredDefinition> ListDefinitions(sql::Connection& c, int64_t region_id, bool enabled_only);
  static std::optional<int64_t> FindDefinitionByCode(sql::Connection& c, int64_t region_id, const std::string& code);
  static int64_t InsertDefinition(sql::Connection& c, int64_t region_id, const monitoring::Definition& d);
  // Writes every mutable column and bumps the version.
  static void UpdateDefinition(sql::Connection& c, int64_t id, const monitoring::Definition& d);
  static void DeleteDefinition(sql::Connection& c, int64_t id);
  // Enables or disables every definition of the region except the listed ids.
  static void SetEnabledExcept(sql::Connection& c, int64_t region_id, bool enabled, const std::vector<int64_t>& ids);

  // --- attestations ---
  static void UpsertAttestation(sql::Connection& c, const AttestationRec& a, const std::string& document,
                                int64_t account_id);
  static std::vector<AttestationRec> ListAttestations(sql::Connection& c, int64_t region_id);

  // --- every fact of a region, for the engine ---
  static absl::Status LoadFacts(sql::Connection& c, int64_t region_id, monitoring::FactInputs* out);

  // --- fact records ---
  // Derived fact (issue 15): a route item for a ФР ДПП programme (section 1.1, an activity with a
  // federal registry id or from the federal registry) that is DONE is the teacher's completion of
  // that programme: one training_completions row with source ROUTE, keyed by the item, chosen from
  // diagnostics when the route was built from a diagnostic result, attestation passed, ending on
  // the done date. Any other status removes it. Called in the transaction that changes the item.
  static void SyncRouteItemCompletion(sql::Connection& c, int64_t item_id,
                                      const std::optional<absl::CivilDay>& done_date);
  static int64_t InsertTrainingCompletion(sql::Connection& c, int64_t region_id, int64_t person_id,
                                          int64_t activity_id, const nms::v1::TrainingCompletion& t);
  static void UpdateTrainingCompletion(sql::Connection& c, int64_t id, const nms::v1::TrainingCompletion& t);
  static absl::StatusOr<nms::v1::TrainingCompletion> GetTrainingCompletion(sql::Connection& c, int64_t id,
                                                                         bool for_update = false);
  // The teacher's ИОМ item for a programme (section 1.1 of a route not cancelled; the newest
  // route first): by the programme's ФР ДПП id when given, else by the item's title. An imported
  // completion is matched to it (issue 15: the system knows the programme was chosen from the
  // diagnostics, nobody ticks it).
  struct ProgrammeItem {
    std::string route_item;  // "routes/{route}/items/{item}"
    int64_t activity_id = 0;
    bool from_diagnosis = false;  // the route was built from a diagnostic result
  };
  static std::optional<ProgrammeItem> FindProgrammeItem(sql::Connection& c, int64_t person_id,
                                                        const std::string& registry_id, const std::string& title);
  // Titles of the further-training programmes the person passed (final attestation), for the
  // tutor rule (route::CheckTutorTrained).
  static std::vector<std::string> PassedProgrammeTitles(sql::Connection& c, int64_t person_id);
  static std::optional<int64_t> FindTrainingCompletionByExternal(sql::Connection& c, int64_t region_id, int source,
                                                                 const std::string& external_id);
  static int64_t InsertManagementMembership(sql::Connection& c, int64_t region_id, int64_t person_id, int64_t org_id,
                                            const nms::v1::ManagementTeamMembership& m);
  static int64_t InsertCommunityMembership(sql::Connection& c, int64_t region_id, int64_t person_id,
                                           const nms::v1::CommunityMembership& m);
  static int64_t InsertExpertActivity(sql::Connection& c, int64_t region_id, int64_t person_id,
                                      const nms::v1::ExpertActivity& e);
  static int64_t InsertInternshipPlatform(sql::Connection& c, int64_t region_id, int64_t org_id,
                                          const nms::v1::InternshipPlatform& p);
  static absl::StatusOr<int64_t> PlatformRegion(sql::Connection& c, int64_t platform_id);
  static int64_t InsertInternshipParticipant(sql::Connection& c, int64_t platform_id, int64_t region_id,
                                             int64_t person_id, int64_t org_id,
                                             const nms::v1::InternshipParticipant& p);
  static int64_t InsertRegionalEvent(sql::Connection& c, int64_t region_id, int64_t organizer_id,
                                     const nms::v1::RegionalEvent& e);
  static absl::StatusOr<int64_t> EventRegion(sql::Connection& c, int64_t event_id);
  static int64_t InsertEventParticipant(sql::Connection& c, int64_t event_id, int64_t person_id,
                                        const nms::v1::RegionalEventParticipant& p);
  static int64_t InsertCnppmStaff(sql::Connection& c, int64_t region_id, int64_t person_id, int64_t org_id,
                                  const nms::v1::CnppmStaffMember& s);
  static int64_t InsertMethodistAssignment(sql::Connection& c, int64_t region_id, int64_t methodist_id,
                                           int64_t teacher_id, int64_t route_id,
                                           const nms::v1::MethodistAssignment& a);

  // Whether a table exists in the current database (other areas' tables may not yet).
  static bool TableExists(sql::Connection& c, const std::string& table);
  static bool ColumnExists(sql::Connection& c, const std::string& table, const std::string& column);
};

}  // namespace nms::db
