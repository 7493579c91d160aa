// Sessions, their durable answers and expert scores, and scored results with their profile
// rows (areas, indicators, deficits) — the tables RouteService and monitoring read.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/hot_path_repository.h"
#include "server/db/monitoring_repository.h"
#include "server/common/status_macros.h"
#include "server/db/sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"

namespace nms::db {

namespace v1 = nms::v1;
using diag::BindTime;
using diag::kTs;
using diag::NotFound;
using diag::ReadTime;
using diag::Where;

namespace {

constexpr char kSessionSelect[] =
    "SELECT s.id, s.campaign_id, s.person_id, s.instrument_id, s.attempt, s.state, s.current_item_id, "
    "s.answered_count, UNIX_TIMESTAMP(s.started_at) AS started, UNIX_TIMESTAMP(s.deadline_at) AS deadline, "
    "UNIX_TIMESTAMP(s.submitted_at) AS submitted, s.result_id, s.version, UNIX_TIMESTAMP(s.updated_at) AS updated "
    "FROM diagnostic_sessions s ";

SessionRecord ReadSession(sql::ResultSet& rs) {
  SessionRecord s;
  s.id = rs.getInt64("id");
  s.campaign_id = rs.getInt64("campaign_id");
  s.person_id = rs.getInt64("person_id");
  s.instrument_id = rs.getInt64("instrument_id");
  s.attempt = rs.getInt("attempt");
  s.state = rs.getInt("state");
  s.current_item_id = GetStr(rs, "current_item_id");
  s.answered_count = rs.getInt("answered_count");
  s.started = ReadTime(rs, "started").value_or(absl::UnixEpoch());
  s.deadline = ReadTime(rs, "deadline");
  s.submitted = ReadTime(rs, "submitted");
  s.result_id = GetInt(rs, "result_id");
  s.version = rs.getInt64("version");
  s.updated = ReadTime(rs, "updated").value_or(absl::UnixEpoch());
  return s;
}

constexpr char kResultSelect[] =
    "SELECT r.id, r.person_id, r.region_id, r.municipality_id, r.organization_id, r.campaign_id, r.session_id, "
    "r.instrument_id, r.framework_version, r.source, r.status, r.overall_score, r.overall_level, r.diagnosis_date, "
    "r.external_id, r.external_source, r.content_hash, UNIX_TIMESTAMP(r.created_at) AS created ";

v1::DiagnosticResult ReadResultHeader(sql::ResultSet& rs, ResultKeys* keys) {
  v1::DiagnosticResult r;
  int64_t id = rs.getInt64("id");
  r.set_name(ResourceName("results", id));
  r.set_person(ResourceName("people", rs.getInt64("person_id")));
  if (int64_t v = GetInt(rs, "campaign_id")) r.set_campaign(ResourceName("campaigns", v));
  if (int64_t v = GetInt(rs, "session_id")) r.set_session(ResourceName("sessions", v));
  r.set_source(static_cast<v1::DiagnosticResultSource>(rs.getInt("source")));
  r.set_framework(ResourceName("frameworks", rs.getInt64("framework_version")));
  if (int64_t v = GetInt(rs, "instrument_id")) r.set_instrument(ResourceName("instruments", v));
  if (auto d = GetDay(rs, "diagnosis_date")) {
    r.mutable_diagnosis_date()->set_year(static_cast<int>(d->year()));
    r.mutable_diagnosis_date()->set_month(d->month());
    r.mutable_diagnosis_date()->set_day(d->day());
  }
  r.set_status(static_cast<v1::DiagnosticResultStatus>(rs.getInt("status")));
  r.set_overall_score_percent(rs.getDouble("overall_score"));
  r.set_overall_level(static_cast<v1::CompetencyLevel>(rs.getInt("overall_level")));
  r.set_external_id(GetStr(rs, "external_id"));
  r.set_external_source(GetStr(rs, "external_source"));
  *r.mutable_create_time() = diag::ToTimestamp(ReadTime(rs, "created"));
  if (keys != nullptr) {
    keys->id = id;
    keys->person_id = rs.getInt64("person_id");
    keys->region_id = rs.getInt64("region_id");
    keys->municipality_id = GetInt(rs, "municipality_id");
    keys->organization_id = GetInt(rs, "organization_id");
    keys->campaign_id = GetInt(rs, "campaign_id");
    keys->session_id = GetInt(rs, "session_id");
    keys->instrument_id = GetInt(rs, "instrument_id");
    keys->framework_id = rs.getInt64("framework_version");
    keys->content_hash = GetStr(rs, "content_hash");
  }
  return r;
}

std::string IdList(const std::vector<int64_t>& ids) { return absl::StrJoin(ids, ","); }

// Fills the profile rows of the results in `by_id` with three queries, whatever the count.
void LoadProfiles(sql::Connection& c, const std::map<int64_t, v1::DiagnosticResult*>& by_id) {
  if (by_id.empty()) return;
  std::vector<int64_t> ids;
  for (const auto& [id, r] : by_id) ids.push_back(id);
  std::string in = IdList(ids);  // integers only: safe to inline
  std::unique_ptr<sql::ResultSet> rs = Stmt(c, absl::StrCat("SELECT result_id, area, score, level FROM "
                                                            "diagnostic_result_areas WHERE result_id IN (", in,
                                                            ") ORDER BY result_id, area")).Query();
  while (rs->next()) {
    auto* a = by_id.at(rs->getInt64("result_id"))->add_area_scores();
    a->set_area(static_cast<v1::CompetencyArea>(rs->getInt("area")));
    a->set_score_percent(rs->getDouble("score"));
    a->set_level(static_cast<v1::CompetencyLevel>(rs->getInt("level")));
  }
  rs = Stmt(c, absl::StrCat("SELECT i.result_id, i.indicator_code, i.area, i.score, i.level, i.deficit FROM "
                            "diagnostic_result_indicators i JOIN diagnostic_results r ON r.id = i.result_id "
                            "LEFT JOIN competency_indicators ci ON ci.framework_version = r.framework_version AND "
                            "ci.code = i.indicator_code WHERE i.result_id IN (", in,
                            ") ORDER BY i.result_id, i.area, ci.ordinal, i.indicator_code")).Query();
  while (rs->next()) {
    auto* i = by_id.at(rs->getInt64("result_id"))->add_indicator_scores();
    i->set_indicator_code(GetStr(*rs, "indicator_code"));
    i->set_area(static_cast<v1::CompetencyArea>(rs->getInt("area")));
    i->set_score_percent(rs->getDouble("score"));
    i->set_level(static_cast<v1::CompetencyLevel>(rs->getInt("level")));
    i->set_deficit(rs->getBoolean("deficit"));
  }
  rs = Stmt(c, absl::StrCat("SELECT d.result_id, d.indicator_code, d.area, d.score, d.threshold, d.gap, "
                            "d.severity_rank, ci.title FROM diagnostic_deficits d JOIN diagnostic_results r ON "
                            "r.id = d.result_id LEFT JOIN competency_indicators ci ON ci.framework_version = "
                            "r.framework_version AND ci.code = d.indicator_code WHERE d.result_id IN (", in,
                            ") ORDER BY d.result_id, d.severity_rank")).Query();
  while (rs->next()) {
    auto* d = by_id.at(rs->getInt64("result_id"))->add_deficits();
    d->set_indicator_code(GetStr(*rs, "indicator_code"));
    d->set_area(static_cast<v1::CompetencyArea>(rs->getInt("area")));
    d->set_title(GetStr(*rs, "title"));
    d->set_score_percent(rs->getDouble("score"));
    d->set_threshold_percent(rs->getDouble("threshold"));
    d->set_gap_percent(rs->getDouble("gap"));
    d->set_rank(rs->getInt("severity_rank"));
  }
}

void WriteProfile(sql::Connection& c, int64_t id, const v1::DiagnosticResult& r) {
  diag::InsertRows(c, "diagnostic_result_areas (result_id, area, score, level)", 4, r.area_scores_size(),
                   [&](Stmt& st, size_t i) {
                     const auto& a = r.area_scores(static_cast<int>(i));
                     st.Int(id).Int(a.area()).Double(a.score_percent()).Int(a.level());
                   });
  diag::InsertRows(c, "diagnostic_result_indicators (result_id, indicator_code, area, score, level, deficit)", 6,
                   r.indicator_scores_size(), [&](Stmt& st, size_t i) {
                     const auto& s = r.indicator_scores(static_cast<int>(i));
                     st.Int(id).Str(s.indicator_code()).Int(s.area()).Double(s.score_percent()).Int(s.level())
                         .Bool(s.deficit());
                   });
  diag::InsertRows(c,
                   "diagnostic_deficits (result_id, indicator_code, area, score, threshold, gap, severity_rank)", 7,
                   r.deficits_size(), [&](Stmt& st, size_t i) {
                     const auto& d = r.deficits(static_cast<int>(i));
                     st.Int(id).Str(d.indicator_code()).Int(d.area()).Double(d.score_percent())
                         .Double(d.threshold_percent()).Double(d.gap_percent()).Int(d.rank());
                   });
}

std::optional<absl::CivilDay> Day(const v1::Date& d) {
  if (d.year() == 0) return std::nullopt;
  return absl::CivilDay(d.year(), d.month(), d.day());
}

}  // namespace

// ---------------------------------------------------------------- sessions

absl::StatusOr<SessionRecord> DiagnosticsRepository::GetSession(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kSessionSelect, "WHERE s.id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return NotFound("Сессия", id);
  return ReadSession(*rs);
}

absl::StatusOr<SessionForAnswer> LockSessionForAnswer(
    sql::Connection& c, int64_t id, const std::string& item_id) {
  // Scalar subqueries, not a join: FOR UPDATE then locks the session row only, not the person's.
  auto rs = Stmt(c, absl::StrCat(
                        "SELECT s.id, s.campaign_id, s.person_id, s.instrument_id, s.attempt, s.state, s.current_item_id, "
                        "s.answered_count, UNIX_TIMESTAMP(s.started_at) AS started, UNIX_TIMESTAMP(s.deadline_at) AS "
                        "deadline, UNIX_TIMESTAMP(s.submitted_at) AS submitted, s.result_id, s.version, "
                        "UNIX_TIMESTAMP(s.updated_at) AS updated, "
                        "(SELECT p.region_id FROM people p WHERE p.id = s.person_id) AS p_region, "
                        "(SELECT p.municipality_id FROM people p WHERE p.id = s.person_id) AS p_mun, "
                        "(SELECT p.organization_id FROM people p WHERE p.id = s.person_id) AS p_org, "
                        "(SELECT COUNT(*) FROM diagnostic_answers a WHERE a.session_id = s.id) AS answer_rows, "
                        "EXISTS (SELECT 1 FROM diagnostic_answers a WHERE a.session_id = s.id AND a.item_id = ?) "
                        "AS item_saved FROM diagnostic_sessions s WHERE s.id = ? FOR UPDATE"))
                .Str(item_id)
                .Int(id)
                .Query();
  if (!rs->next()) return NotFound("Сессия", id);
  SessionForAnswer out;
  out.session = ReadSession(*rs);
  out.place = access::Placement{GetInt(*rs, "p_region"), GetInt(*rs, "p_mun"), GetInt(*rs, "p_org"),
                                out.session.person_id};
  out.answer_rows = static_cast<int>(GetInt(*rs, "answer_rows"));
  out.item_saved = rs->getBoolean("item_saved");
  return out;
}

std::optional<int64_t> DiagnosticsRepository::InProgressSession(sql::Connection& c, int64_t campaign_id,
                                                                int64_t person_id) {
  auto rs = Stmt(c, "SELECT id FROM diagnostic_sessions WHERE campaign_id = ? AND person_id = ? AND state = 1 "
                    "ORDER BY id DESC LIMIT 1")
                .Int(campaign_id)
                .Int(person_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

std::vector<int64_t> DiagnosticsRepository::InProgressSessions(sql::Connection& c, int64_t campaign_id) {
  auto rs = Stmt(c, "SELECT id FROM diagnostic_sessions WHERE campaign_id = ? AND state = 1 ORDER BY id")
                .Int(campaign_id)
                .Query();
  std::vector<int64_t> out;
  while (rs->next()) out.push_back(rs->getInt64(1));
  return out;
}

int64_t DiagnosticsRepository::InsertSession(sql::Connection& c, const SessionRecord& s) {
  Stmt st(c, absl::StrCat("INSERT INTO diagnostic_sessions (campaign_id, person_id, instrument_id, attempt, state, "
                          "started_at, deadline_at, updated_at) VALUES (?, ?, ?, ?, 1, ", kTs, ", ", kTs, ", ", kTs,
                          ")"));
  st.Int(s.campaign_id).Int(s.person_id).Int(s.instrument_id).Int(s.attempt);
  BindTime(st, s.started);
  BindTime(st, s.deadline);
  BindTime(st, s.started);
  st.Execute();
  return LastInsertId(c);
}

static std::vector<SessionRecord> ListSessionsWhere(sql::Connection& c, const Where& where, const PageRequest& paging,
                                                   ListPage* page) {
  page->total_size = diag::CountWhere(c, "diagnostic_sessions s JOIN people p ON p.id = s.person_id", where);
  auto rs = diag::QueryPage(c, absl::StrCat(kSessionSelect, "JOIN people p ON p.id = s.person_id"), where, "s.id", true,
                            paging);
  std::vector<SessionRecord> out;
  diag::ReadPage(*rs, paging, &page->next_page_token, [&](sql::ResultSet& r) {
    out.push_back(ReadSession(r));
    return out.back().id;
  });
  return out;
}

std::map<std::string, v1::ItemAnswer> DiagnosticsRepository::LoadAnswers(sql::Connection& c, int64_t session_id) {
  auto rs = Stmt(c, "SELECT item_id, selected_options, answer_text, likert_value, UNIX_TIMESTAMP(saved_at) AS saved "
                    "FROM diagnostic_answers WHERE session_id = ? ORDER BY saved_at, item_id")
                .Int(session_id)
                .Query();
  std::map<std::string, v1::ItemAnswer> out;
  while (rs->next()) {
    v1::ItemAnswer a;
    a.set_item_id(GetStr(*rs, "item_id"));
    for (auto id : absl::StrSplit(GetStr(*rs, "selected_options"), '|', absl::SkipEmpty())) {
      a.add_selected_option_ids(std::string(id));
    }
    a.set_text(GetStr(*rs, "answer_text"));
    if (!rs->isNull("likert_value")) a.set_likert_value(rs->getInt("likert_value"));
    *a.mutable_save_time() = diag::ToTimestamp(ReadTime(*rs, "saved"));
    out[a.item_id()] = std::move(a);
  }
  return out;
}

void DiagnosticsRepository::UpsertAnswer(sql::Connection& c, int64_t session_id, const v1::ItemAnswer& a) {
  Stmt st(c, "INSERT INTO diagnostic_answers (session_id, item_id, selected_options, answer_text, likert_value, "
             "saved_at) VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE "
             "selected_options = VALUES(selected_options), answer_text = VALUES(answer_text), "
             "likert_value = VALUES(likert_value), saved_at = VALUES(saved_at)");
  st.Int(session_id).Str(a.item_id()).Str(absl::StrJoin(a.selected_option_ids(), "|")).OptStr(a.text());
  if (a.has_likert_value()) st.Int(a.likert_value()); else st.Null();
  st.Execute();
}

v1::ItemAnswer UpsertAnswerAt(sql::Connection& c, int64_t session_id, const v1::ItemAnswer& a, absl::Time saved) {
  const std::string options = absl::StrJoin(a.selected_option_ids(), "|");
  Stmt st(c, absl::StrCat("INSERT INTO diagnostic_answers (session_id, item_id, selected_options, answer_text, "
                          "likert_value, saved_at) VALUES (?, ?, ?, ?, ?, ", kTs, ") ON DUPLICATE KEY UPDATE "
                          "selected_options = VALUES(selected_options), answer_text = VALUES(answer_text), "
                          "likert_value = VALUES(likert_value), saved_at = VALUES(saved_at)"));
  st.Int(session_id).Str(a.item_id()).Str(options).OptStr(a.text());
  if (a.has_likert_value()) st.Int(a.likert_value()); else st.Null();
  BindTime(st, saved);
  st.Execute();
  // What LoadAnswers returns for this row, without reading it back.
  v1::ItemAnswer out;
  out.set_item_id(a.item_id());
  for (auto id : absl::StrSplit(options, '|', absl::SkipEmpty())) out.add_selected_option_ids(std::string(id));
  out.set_text(a.text());
  if (a.has_likert_value()) out.set_likert_value(a.likert_value());
  *out.mutable_save_time() = diag::ToTimestamp(saved);
  return out;
}

void DiagnosticsRepository::DeleteAnswer(sql::Connection& c, int64_t session_id, const std::string& item_id) {
  Stmt(c, "DELETE FROM diagnostic_answers WHERE session_id = ? AND item_id = ?").Int(session_id).Str(item_id).Execute();
}

void DiagnosticsRepository::TouchSession(sql::Connection& c, int64_t session_id, const std::string& current_item_id) {
  Stmt(c, "UPDATE diagnostic_sessions SET answered_count = (SELECT COUNT(*) FROM diagnostic_answers "
          "WHERE session_id = ?), current_item_id = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE id = ?")
      .Int(session_id)
      .Str(current_item_id)
      .Int(session_id)
      .Execute();
}

void DiagnosticsRepository::FinishSession(sql::Connection& c, int64_t session_id, int state, absl::Time submitted,
                                          int64_t result_id) {
  Stmt st(c, absl::StrCat("UPDATE diagnostic_sessions SET state = ?, submitted_at = ", kTs,
                          ", result_id = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?"));
  st.Int(state);
  BindTime(st, submitted);
  st.OptInt(result_id).Int(session_id).Execute();
}

void DiagnosticsRepository::BumpSession(sql::Connection& c, int64_t session_id) {
  Stmt(c, "UPDATE diagnostic_sessions SET version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(session_id)
      .Execute();
}

std::map<std::string, double> DiagnosticsRepository::LoadExternalScores(sql::Connection& c, int64_t session_id) {
  auto rs = Stmt(c, "SELECT item_id, score FROM diagnostic_external_scores WHERE session_id = ?").Int(session_id).Query();
  std::map<std::string, double> out;
  while (rs->next()) out[GetStr(*rs, "item_id")] = rs->getDouble("score");
  return out;
}

void DiagnosticsRepository::UpsertExternalScore(sql::Connection& c, int64_t session_id, const v1::ExternalItemScore& s,
                                                int64_t account_id) {
  Stmt(c, "INSERT INTO diagnostic_external_scores (session_id, item_id, score, comment, scored_by_account_id) "
          "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE score = VALUES(score), comment = VALUES(comment), "
          "scored_by_account_id = VALUES(scored_by_account_id), scored_at = CURRENT_TIMESTAMP(6)")
      .Int(session_id)
      .Str(s.item_id())
      .Double(s.score())
      .OptStr(s.comment())
      .OptInt(account_id)
      .Execute();
}

// ---------------------------------------------------------------- results

int64_t DiagnosticsRepository::InsertResult(sql::Connection& c, const ResultKeys& k, const v1::DiagnosticResult& r) {
  Stmt(c, "INSERT INTO diagnostic_results (person_id, region_id, municipality_id, organization_id, campaign_id, "
          "session_id, instrument_id, framework_version, source, status, overall_score, overall_level, "
          "diagnosis_date, external_id, external_source, content_hash) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Int(k.person_id)
      .Int(k.region_id)
      .OptInt(k.municipality_id)
      .OptInt(k.organization_id)
      .OptInt(k.campaign_id)
      .OptInt(k.session_id)
      .OptInt(k.instrument_id)
      .Int(k.framework_id)
      .Int(r.source())
      .Int(r.status())
      .Double(r.overall_score_percent())
      .Int(r.overall_level())
      .Day(Day(r.diagnosis_date()))
      .OptStr(r.external_id())
      .OptStr(r.external_source())
      .Str(k.content_hash)
      .Execute();
  int64_t id = LastInsertId(c);
  WriteProfile(c, id, r);
  return id;
}

void DiagnosticsRepository::ReplaceResult(sql::Connection& c, const ResultKeys& k, const v1::DiagnosticResult& r) {
  Stmt(c, "UPDATE diagnostic_results SET person_id = ?, municipality_id = ?, organization_id = ?, campaign_id = ?, "
          "framework_version = ?, status = ?, overall_score = ?, overall_level = ?, diagnosis_date = ?, "
          "external_source = ?, content_hash = ?, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(k.person_id)
      .OptInt(k.municipality_id)
      .OptInt(k.organization_id)
      .OptInt(k.campaign_id)
      .Int(k.framework_id)
      .Int(r.status())
      .Double(r.overall_score_percent())
      .Int(r.overall_level())
      .Day(Day(r.diagnosis_date()))
      .OptStr(r.external_source())
      .Str(k.content_hash)
      .Int(k.id)
      .Execute();
  for (const char* table : {"diagnostic_result_areas", "diagnostic_result_indicators", "diagnostic_deficits"}) {
    Stmt(c, absl::StrCat("DELETE FROM ", table, " WHERE result_id = ?")).Int(k.id).Execute();
  }
  WriteProfile(c, k.id, r);
}

absl::StatusOr<v1::DiagnosticResult> DiagnosticsRepository::GetResult(sql::Connection& c, int64_t id,
                                                                      ResultKeys* keys) {
  auto rs = Stmt(c, absl::StrCat(kResultSelect, "FROM diagnostic_results r WHERE r.id = ?")).Int(id).Query();
  if (!rs->next()) return NotFound("Результат диагностики", id);
  v1::DiagnosticResult r = ReadResultHeader(*rs, keys);
  LoadProfiles(c, {{id, &r}});
  return r;
}

static std::vector<v1::DiagnosticResult> ListResultsWhere(sql::Connection& c, const Where& where,
                                                          const PageRequest& paging, ListPage* page) {
  page->total_size = diag::CountWhere(c, "diagnostic_results r JOIN people p ON p.id = r.person_id", where);
  auto rs = diag::QueryPage(c, absl::StrCat(kResultSelect, "FROM diagnostic_results r JOIN people p ON p.id = r.person_id"),
                            where, "r.id", true, paging);
  std::vector<v1::DiagnosticResult> out;
  std::vector<int64_t> ids;
  diag::ReadPage(*rs, paging, &page->next_page_token, [&](sql::ResultSet& r) {
    ids.push_back(r.getInt64("id"));
    out.push_back(ReadResultHeader(r, nullptr));
    return ids.back();
  });
  std::map<int64_t, v1::DiagnosticResult*> by_id;
  for (size_t i = 0; i < out.size(); ++i) by_id[ids[i]] = &out[i];
  LoadProfiles(c, by_id);
  return out;
}

static std::vector<ExportRow> LoadExportRowsWhere(sql::Connection& c, const Where& where, bool latest_per_person,
                                                 size_t limit) {
  Stmt st(c, absl::StrCat(kResultSelect, ", p.last_name, p.first_name, p.middle_name, p.position, o.short_name AS org "
                          "FROM diagnostic_results r JOIN people p ON p.id = r.person_id LEFT JOIN organizations o "
                          "ON o.id = p.organization_id WHERE ", where.sql(),
                          " ORDER BY p.last_name, p.first_name, p.middle_name, r.person_id, r.diagnosis_date, r.id"));
  where.Bind(st);
  auto rs = st.Query();
  std::vector<ExportRow> out;
  std::vector<int64_t> persons, ids;
  while (rs->next()) {
    ExportRow row;
    ResultKeys keys;
    row.result = ReadResultHeader(*rs, &keys);
    row.full_name = absl::StrCat(GetStr(*rs, "last_name"), " ", GetStr(*rs, "first_name"));
    if (std::string m = GetStr(*rs, "middle_name"); !m.empty()) absl::StrAppend(&row.full_name, " ", m);
    row.position = GetStr(*rs, "position");
    row.organization = GetStr(*rs, "org");
    // Per person in diagnosis order: with latest_per_person the last one replaces the others.
    if (latest_per_person && !persons.empty() && persons.back() == keys.person_id) {
      out.back() = std::move(row);
      ids.back() = keys.id;
      continue;
    }
    if (out.size() > limit) break;  // one more than the limit tells the caller it is exceeded
    persons.push_back(keys.person_id);
    ids.push_back(keys.id);
    out.push_back(std::move(row));
  }
  std::map<int64_t, v1::DiagnosticResult*> by_id;
  for (size_t i = 0; i < out.size(); ++i) {
    by_id[ids[i]] = &out[i].result;
    if (by_id.size() == 1000 || i + 1 == out.size()) {
      LoadProfiles(c, by_id);
      by_id.clear();
    }
  }
  return out;
}

std::optional<ResultKeys> DiagnosticsRepository::FindExternalResult(sql::Connection& c, int64_t region_id,
                                                                    const std::string& external_id) {
  auto rs = Stmt(c, absl::StrCat(kResultSelect, "FROM diagnostic_results r WHERE r.region_id = ? AND r.external_id = ? FOR UPDATE"))
                .Int(region_id)
                .Str(external_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  ResultKeys keys;
  ReadResultHeader(*rs, &keys);
  return keys;
}

std::optional<int64_t> DiagnosticsRepository::LatestFinalResult(sql::Connection& c, int64_t person_id,
                                                                int64_t before_result) {
  std::unique_ptr<sql::ResultSet> rs;
  if (before_result == 0) {
    rs = Stmt(c, "SELECT id FROM diagnostic_results WHERE person_id = ? AND status = 2 "
                 "ORDER BY diagnosis_date DESC, id DESC LIMIT 1")
             .Int(person_id)
             .Query();
  } else {
    // Strictly earlier in (diagnosis_date, id) order than the given result.
    rs = Stmt(c, "SELECT r.id FROM diagnostic_results r JOIN diagnostic_results b ON b.id = ? "
                 "WHERE r.person_id = ? AND r.status = 2 AND (r.diagnosis_date < b.diagnosis_date OR "
                 "(r.diagnosis_date = b.diagnosis_date AND r.id < b.id)) "
                 "ORDER BY r.diagnosis_date DESC, r.id DESC LIMIT 1")
             .Int(before_result)
             .Int(person_id)
             .Query();
  }
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

std::optional<int64_t> DiagnosticsRepository::RouteOfResult(sql::Connection& c, int64_t result_id) {
  // RouteService lands separately; until its table exists there is simply no route.
  if (!MonitoringRepository::ColumnExists(c, "routes", "result_id")) return std::nullopt;
  auto rs = Stmt(c, "SELECT id FROM routes WHERE result_id = ? ORDER BY id DESC LIMIT 1").Int(result_id).Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

// ---------------------------------------------------------------- lists

absl::StatusOr<std::vector<SessionRecord>> DiagnosticsRepository::ListSessions(sql::Connection& c,
                                                                               const ScopeFilter& people,
                                                                               const ListQuery& q, ListPage* page) {
  using FF = diag::FilterField;
  Where w;
  diag::AddPeopleScope(w, people);
  RETURN_IF_ERROR(diag::ApplyFilter(q.filter,
                                    {{"campaign", "s.campaign_id", FF::Kind::kRef, "campaigns"},
                                     {"person", "s.person_id", FF::Kind::kRef, "people"},
                                     {"state", "s.state", FF::Kind::kEnum, "", v1::SessionState_descriptor()}},
                                    w));
  return ListSessionsWhere(c, w, q.paging, page);
}

std::vector<int64_t> DiagnosticsRepository::ExpiredSessions(sql::Connection& c, int limit) {
  auto rs = Stmt(c, "SELECT id FROM diagnostic_sessions WHERE state = 1 AND deadline_at <= NOW(6) "
                    "ORDER BY deadline_at LIMIT ?")
                .Int(limit)
                .Query();
  std::vector<int64_t> out;
  while (rs->next()) out.push_back(rs->getInt64(1));
  return out;
}

absl::StatusOr<std::vector<v1::DiagnosticResult>> DiagnosticsRepository::ListResults(sql::Connection& c,
                                                                                     const ScopeFilter& people,
                                                                                     const ListQuery& q,
                                                                                     ListPage* page) {
  using FF = diag::FilterField;
  Where w;
  diag::AddPeopleScope(w, people);
  RETURN_IF_ERROR(diag::ApplyFilter(
      q.filter,
      {{"person", "r.person_id", FF::Kind::kRef, "people"},
       {"campaign", "r.campaign_id", FF::Kind::kRef, "campaigns"},
       {"source", "r.source", FF::Kind::kEnum, "", v1::DiagnosticResultSource_descriptor()},
       {"status", "r.status", FF::Kind::kEnum, "", v1::DiagnosticResultStatus_descriptor()},
       {"diagnosis_date", "r.diagnosis_date", FF::Kind::kDate}},
      w));
  return ListResultsWhere(c, w, q.paging, page);
}

absl::StatusOr<std::vector<ExportRow>> DiagnosticsRepository::LoadExportRows(
    sql::Connection& c, const ScopeFilter& scope, int64_t campaign_id,
    const std::vector<FilterTerm>& filter, size_t limit) {
  using FF = diag::FilterField;
  Where w;
  diag::AddPeopleScope(w, scope);
  if (campaign_id != 0) w.Int("r.campaign_id = ?", campaign_id);
  bool has_status = false;
  for (const auto& cl : filter) has_status = has_status || cl.field == "status";
  if (!has_status) w.Add("r.status = 2");
  RETURN_IF_ERROR(diag::ApplyFilter(
      filter,
      {{"status", "r.status", FF::Kind::kEnum, "", v1::DiagnosticResultStatus_descriptor()},
       {"source", "r.source", FF::Kind::kEnum, "", v1::DiagnosticResultSource_descriptor()},
       {"diagnosis_date", "r.diagnosis_date", FF::Kind::kDate},
       {"overall_level", "r.overall_level", FF::Kind::kEnum, "", v1::CompetencyLevel_descriptor()}},
      w));
  return LoadExportRowsWhere(c, w, campaign_id == 0, limit);
}

}  // namespace nms::db
