#pragma once
// SQL of diagnostics: frameworks and instruments (diagnostics_repository.cc), campaigns,
// populations and participants (diagnostics_campaign_repository.cc), sessions, answers and
// results (diagnostics_session_repository.cc), reports and item problem reports
// (diagnostics_report_repository.cc). Every method runs on the caller's connection so the
// service decides the transaction; rows travel as nms.v1 messages or the small records below.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nms/v1/diagnostics.pb.h"
#include "server/db/diagnostics_sql.h"
#include "server/db/directory_repository.h"
#include "server/domain/common/aip_filter.h"

namespace nms::db {

struct ListPage {
  std::string next_page_token;
  int64_t total_size = 0;
};

// A list's parsed filter (AIP-160 subset) and keyset page.
struct ListQuery {
  std::vector<FilterTerm> filter;
  PageRequest paging;  // key: the id
};

// Whose campaigns a caller sees: the whole region (scope kind kRegion), or, inside it, those
// owned by or with participants in a municipality, with participants in an organisation, or
// with the person as a participant.
struct CampaignReader {
  int64_t region_id = 0;
  ScopeFilter scope;
};

// Item problem reports a caller sees: those of the regions (instrument authors), else their own.
struct ProblemReader {
  std::vector<int64_t> regions;
  int64_t reporter_person_id = 0;
};

struct CampaignRecord {
  nms::v1::Campaign campaign;  // as the API shows it, counts included
  int64_t id = 0;
  int64_t region_id = 0;
  int64_t owner_municipality_id = 0;
  int64_t instrument_id = 0;
  int64_t framework_id = 0;
  int state = 0;
  std::string strata_json;
};

struct ParticipantRecord {
  int64_t campaign_id = 0;
  int64_t person_id = 0;
  int64_t organization_id = 0;
  int64_t municipality_id = 0;
  int organization_type = 0;
  int status = 1;
  int attempts = 0;
  int retakes_granted = 0;
  int64_t last_session_id = 0;
  int64_t last_result_id = 0;
};

struct SessionRecord {
  int64_t id = 0;
  int64_t campaign_id = 0;
  int64_t person_id = 0;
  int64_t instrument_id = 0;
  int attempt = 0;
  int state = 0;
  std::string current_item_id;
  int answered_count = 0;
  absl::Time started;
  std::optional<absl::Time> deadline;
  std::optional<absl::Time> submitted;
  int64_t result_id = 0;
  int64_t version = 0;
  absl::Time updated;
};

// Where a result sits and what it was produced from (columns beside the profile).
struct ResultKeys {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t region_id = 0;
  int64_t municipality_id = 0;
  int64_t organization_id = 0;
  int64_t campaign_id = 0;
  int64_t session_id = 0;
  int64_t instrument_id = 0;
  int64_t framework_id = 0;
  std::string content_hash;
};

// A person in a campaign's sampling frame.
struct FrameRow {
  int64_t person_id = 0;
  int64_t organization_id = 0;
  int64_t municipality_id = 0;
  int organization_type = 0;
};

// A population query: people of the region in any of `scopes` (or everyone in the region
// when empty and `people` is empty too), filtered by positions/subjects, plus `people`.
struct PopulationQuery {
  int64_t region_id = 0;
  std::vector<ScopeFilter> scopes;
  std::vector<std::string> positions;
  std::vector<std::string> subjects;
  std::vector<int64_t> people;
};

// One FINAL result counted by a report, with where its person works now.
struct ReportResult {
  int64_t result_id = 0;
  int64_t person_id = 0;
  int64_t municipality_id = 0;
  int64_t organization_id = 0;
  int64_t framework_id = 0;
  int overall_level = 0;
  double overall_score = 0;
  std::vector<nms::v1::AreaScore> areas;
  std::vector<std::pair<std::string, int>> deficits;  // code, area
};

// One exported row.
struct ExportRow {
  nms::v1::DiagnosticResult result;
  std::string full_name;
  std::string organization;
  std::string position;
};

class DiagnosticsRepository {
 public:
  // --- frameworks (diagnostics_repository.cc) ---
  static absl::StatusOr<nms::v1::CompetencyFramework> GetFramework(sql::Connection& c, int64_t id,
                                                                   bool for_update = false);
  // Filter fields: region, state.
  static absl::StatusOr<std::vector<nms::v1::CompetencyFramework>> ListFrameworks(
      sql::Connection& c, const std::vector<int64_t>& regions, const ListQuery& q, ListPage* page);
  // Next revision of the region; the region row is locked so concurrent creates serialise.
  static int64_t InsertFramework(sql::Connection& c, int64_t region_id, int64_t based_on_id,
                                 const nms::v1::CompetencyFramework& f);
  // Title, overall thresholds, areas and indicators; bumps the version.
  static void UpdateFramework(sql::Connection& c, int64_t id, const nms::v1::CompetencyFramework& f);
  // Publishes `id` and retires the region's previously published version.
  static void PublishFramework(sql::Connection& c, int64_t id, int64_t region_id);
  // NOT_FOUND when the region has no published framework.
  static absl::StatusOr<int64_t> PublishedFrameworkId(sql::Connection& c, int64_t region_id);

  // --- instruments (diagnostics_repository.cc) ---
  // With blocks, items and the answer key.
  static absl::StatusOr<nms::v1::Instrument> GetInstrument(sql::Connection& c, int64_t id, bool for_update = false);
  // Without blocks (GetInstrument reads the content). Filter fields: region, framework, state,
  // position, subject (one of the instrument's).
  static absl::StatusOr<std::vector<nms::v1::Instrument>> ListInstruments(
      sql::Connection& c, const std::vector<int64_t>& regions, const ListQuery& q, ListPage* page);
  static int64_t InsertInstrument(sql::Connection& c, int64_t region_id, int64_t framework_id,
                                  const nms::v1::Instrument& i);
  // Header fields and content; bumps the version.
  static void UpdateInstrument(sql::Connection& c, int64_t id, int64_t framework_id, const nms::v1::Instrument& i);
  static void SetInstrumentState(sql::Connection& c, int64_t id, int state);
  static void DeleteInstrument(sql::Connection& c, int64_t id);

  // --- campaigns and participants (diagnostics_campaign_repository.cc) ---
  static absl::StatusOr<CampaignRecord> GetCampaign(sql::Connection& c, int64_t id, bool for_update = false);
  // Newest first. Filter fields: region, state, instrument, wave_kind.
  static absl::StatusOr<std::vector<nms::v1::Campaign>> ListCampaigns(sql::Connection& c, const CampaignReader& reader,
                                                                      const ListQuery& q, ListPage* page);
  static int64_t InsertCampaign(sql::Connection& c, const CampaignRecord& r);
  // Every editable column from r.campaign; bumps the version.
  static void UpdateCampaign(sql::Connection& c, const CampaignRecord& r);
  // State change with its time stamp (launched_at / closed_at); bumps the version.
  static void SetCampaignState(sql::Connection& c, int64_t id, int state, const std::string& strata_json);
  static void DeleteCampaign(sql::Connection& c, int64_t id);
  // Whether the campaign has participants inside `scope`.
  static bool HasParticipantsIn(sql::Connection& c, int64_t campaign_id, const ScopeFilter& scope);

  // People of a population with their organisation and its type (ascending person id).
  static std::vector<FrameRow> LoadPopulation(sql::Connection& c, const PopulationQuery& q);
  static void InsertParticipants(sql::Connection& c, int64_t campaign_id, const std::vector<FrameRow>& rows);
  static absl::StatusOr<ParticipantRecord> GetParticipant(sql::Connection& c, int64_t campaign_id, int64_t person_id,
                                                          bool for_update = false);
  static void UpdateParticipant(sql::Connection& c, const ParticipantRecord& p);
  // Participants placed inside `people`, by person id. Filter fields: status, organization,
  // organization_type.
  static absl::StatusOr<std::vector<nms::v1::CampaignParticipant>> ListParticipants(
      sql::Connection& c, int64_t campaign_id, const ScopeFilter& people, const ListQuery& q, ListPage* page);
  static nms::v1::CampaignParticipant ParticipantToProto(sql::Connection& c, const ParticipantRecord& p);

  // --- sessions, answers, results (diagnostics_session_repository.cc) ---
  static absl::StatusOr<SessionRecord> GetSession(sql::Connection& c, int64_t id, bool for_update = false);
  static std::optional<int64_t> InProgressSession(sql::Connection& c, int64_t campaign_id, int64_t person_id);
  static std::vector<int64_t> InProgressSessions(sql::Connection& c, int64_t campaign_id);
  static int64_t InsertSession(sql::Connection& c, const SessionRecord& s);
  // Sessions of people inside `people`, newest first. Filter fields: campaign, person, state.
  static absl::StatusOr<std::vector<SessionRecord>> ListSessions(sql::Connection& c, const ScopeFilter& people,
                                                                 const ListQuery& q, ListPage* page);
  // Sessions still in progress past their deadline (database clock), oldest deadline first.
  static std::vector<int64_t> ExpiredSessions(sql::Connection& c, int limit);
  static std::map<std::string, nms::v1::ItemAnswer> LoadAnswers(sql::Connection& c, int64_t session_id);
  static void UpsertAnswer(sql::Connection& c, int64_t session_id, const nms::v1::ItemAnswer& a);
  static void DeleteAnswer(sql::Connection& c, int64_t session_id, const std::string& item_id);
  // Recounts answers, records the current item, bumps the version.
  static void TouchSession(sql::Connection& c, int64_t session_id, const std::string& current_item_id);
  static void FinishSession(sql::Connection& c, int64_t session_id, int state, absl::Time submitted, int64_t result_id);
  static void BumpSession(sql::Connection& c, int64_t session_id);
  static std::map<std::string, double> LoadExternalScores(sql::Connection& c, int64_t session_id);
  static void UpsertExternalScore(sql::Connection& c, int64_t session_id, const nms::v1::ExternalItemScore& s,
                                  int64_t account_id);

  // Writes the result row and its areas, indicators and deficits; returns the id.
  static int64_t InsertResult(sql::Connection& c, const ResultKeys& k, const nms::v1::DiagnosticResult& r);
  // Replaces the profile (header values and child rows) of an existing result.
  static void ReplaceResult(sql::Connection& c, const ResultKeys& k, const nms::v1::DiagnosticResult& r);
  static absl::StatusOr<nms::v1::DiagnosticResult> GetResult(sql::Connection& c, int64_t id,
                                                             ResultKeys* keys = nullptr);
  // Results of people inside `people`, newest first. Filter fields: person, campaign, source,
  // status, diagnosis_date (=, <, <=, >, >=).
  static absl::StatusOr<std::vector<nms::v1::DiagnosticResult>> ListResults(sql::Connection& c,
                                                                            const ScopeFilter& people,
                                                                            const ListQuery& q, ListPage* page);
  static std::optional<ResultKeys> FindExternalResult(sql::Connection& c, int64_t region_id,
                                                      const std::string& external_id);
  // The person's latest FINAL result (by diagnosis date, then id), or the latest before
  // `before_result` when it is set.
  static std::optional<int64_t> LatestFinalResult(sql::Connection& c, int64_t person_id, int64_t before_result = 0);
  // Route built from a result (RouteService's `routes.result_id`), when that table exists.
  static std::optional<int64_t> RouteOfResult(sql::Connection& c, int64_t result_id);

  // --- reports and item problems (diagnostics_report_repository.cc) ---
  // People counted as the population: in educational organisations (ОО, ДОО, СПО, ДПО) of
  // `scope`, or, with a campaign, its participants there. With by_child, per child scope of
  // ChildScopes (municipality or organisation id; 0 = none), else all under key 0.
  static std::map<int64_t, int64_t> CountPopulation(sql::Connection& c, const ScopeFilter& scope,
                                                    int64_t campaign_id, bool by_child);
  // FINAL results counted by a report: with a campaign its latest per person, else the
  // latest per person with a diagnosis date in [from, to].
  static std::vector<ReportResult> LoadReportResults(sql::Connection& c, const ScopeFilter& scope,
                                                     int64_t campaign_id, const std::optional<absl::CivilDay>& from,
                                                     const std::optional<absl::CivilDay>& to);
  // Titles of indicator codes from the given framework versions (the newest title wins).
  static std::map<std::string, std::string> IndicatorTitles(sql::Connection& c, const std::vector<int64_t>& frameworks);
  // Rows of a CSV export of people in `scope`, ordered by name: with a campaign all its results,
  // else the latest per person. FINAL only unless the filter names a status. Filter fields:
  // status, source, diagnosis_date, overall_level. At most limit + 1 rows.
  static absl::StatusOr<std::vector<ExportRow>> LoadExportRows(sql::Connection& c, const ScopeFilter& scope,
                                                               int64_t campaign_id,
                                                               const std::vector<FilterTerm>& filter,
                                                               size_t limit);
  // Time zone of a region (IANA name).
  static std::string RegionTimeZone(sql::Connection& c, int64_t region_id);
  // Display title of a region, district, municipality or organisation.
  static std::string ScopeTitle(sql::Connection& c, const ScopeFilter& scope);
  // The next level down of a report scope: municipalities of a region or district, educational
  // organisations of a municipality; none below an organisation. Ordered by title.
  static std::vector<std::pair<int64_t, std::string>> ChildScopes(sql::Connection& c, const ScopeFilter& scope);

  static int64_t InsertProblemReport(sql::Connection& c, int64_t region_id, const nms::v1::ItemProblemReport& r,
                                     int64_t instrument_id, int64_t session_id, int64_t reporter_id);
  static absl::StatusOr<nms::v1::ItemProblemReport> GetProblemReport(sql::Connection& c, int64_t id,
                                                                     int64_t* region_id = nullptr,
                                                                     bool for_update = false);
  // Newest first. Filter fields: instrument, item_id, status, category.
  static absl::StatusOr<std::vector<nms::v1::ItemProblemReport>> ListProblemReports(sql::Connection& c,
                                                                                    const ProblemReader& reader,
                                                                                    const ListQuery& q,
                                                                                    ListPage* page);
  static void ResolveProblemReport(sql::Connection& c, int64_t id, int status, const std::string& comment);
};

}  // namespace nms::db
