#pragma once
// The database side of route generation, shared by GenerateRoute, the bulk operation and the
// benchmark: teachers' header data and their FINAL diagnoses read for many teachers at once,
// and the generated drafts written with multi-row inserts (routes, items, history).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/db/route_repository.h"
#include "server/domain/route/generation.h"

namespace nms::db {

struct TeacherCard {
  int64_t person_id = 0, region_id = 0, municipality_id = 0, organization_id = 0;
  std::string full_name, municipality_title, organization_title, position;
  std::vector<std::string> subjects;
};

struct DiagnosisInput {
  int64_t result_id = 0, person_id = 0, campaign_id = 0;
  std::optional<absl::CivilDay> date;
  int overall_level = 0;
  std::vector<route::Deficit> deficits;  // most severe first
};

struct NewRoute {
  TeacherCard teacher;
  DiagnosisInput diagnosis;
  route::GeneratedRoute plan;
  std::string goal;
  int64_t replace_route_id = 0;  // regenerate this DRAFT in place instead of creating a route
};

class RouteGenerationStore {
 public:
  static std::map<int64_t, TeacherCard> Teachers(sql::Connection& c, const std::vector<int64_t>& person_ids);
  // The latest FINAL result of each teacher (within `campaign_id` when non-zero).
  static std::map<int64_t, DiagnosisInput> LatestDiagnoses(sql::Connection& c, const std::vector<int64_t>& person_ids,
                                                           int64_t campaign_id);
  static std::optional<DiagnosisInput> Diagnosis(sql::Connection& c, int64_t result_id);
  struct OpenRoute {
    int64_t id = 0;
    route::Status status = route::Status::kDraft;
    // A draft never revised may be generated anew; a revised one holds items already carried
    // out (ReviseRoute is the way to change it).
    bool replaceable = false;
  };
  // Teachers among `person_ids` with an open route. Locks the rows.
  static std::map<int64_t, OpenRoute> OpenRoutes(sql::Connection& c, const std::vector<int64_t>& person_ids);
  // Participants of a campaign after `after_person` (by person id), narrowed to `scope` when set.
  static std::vector<int64_t> Participants(sql::Connection& c, int64_t campaign_id, const ScopeFilter* scope,
                                           int64_t after_person, int limit);
  static int64_t CountParticipants(sql::Connection& c, int64_t campaign_id, const ScopeFilter* scope);
  // The campaign's region; nullopt when there is no such campaign.
  static std::optional<int64_t> CampaignRegion(sql::Connection& c, int64_t campaign_id);
  // The campaign's title, which the history names it by; empty when unknown.
  static std::string CampaignTitle(sql::Connection& c, int64_t campaign_id);
  // Writes the drafts with their items and CREATE history rows; returns the route ids in
  // order. ABORTED when another writer gave one of the teachers an open route meanwhile (the
  // transaction is then retried and sees it).
  static absl::StatusOr<std::vector<int64_t>> Write(sql::Connection& c, const std::vector<NewRoute>& routes,
                                                    const RouteActor& actor, int64_t operation_id,
                                                    const std::string& comment);
};

}  // namespace nms::db
