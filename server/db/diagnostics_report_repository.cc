// Aggregate reports, CSV export rows and item problem reports.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/people_lookup.h"
#include "server/common/status_macros.h"
#include "server/db/sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"

namespace nms::db {

namespace v1 = nms::v1;
using diag::NotFound;
using diag::ReadTime;
using diag::Where;

namespace {

// Educational organisations whose staff make up the diagnostics population (ОО, ДОО, СПО, ДПО).
constexpr char kEducational[] = "o.type IN (1, 2, 3, 4)";

template <typename Fn>
void ForChunks(const std::vector<int64_t>& ids, Fn fn) {
  constexpr size_t kChunk = 1000;
  for (size_t start = 0; start < ids.size(); start += kChunk) {
    std::vector<int64_t> part(ids.begin() + static_cast<long>(start),
                              ids.begin() + static_cast<long>(std::min(ids.size(), start + kChunk)));
    fn(absl::StrJoin(part, ","));  // integers only: safe to inline
  }
}

}  // namespace

std::map<int64_t, int64_t> DiagnosticsRepository::CountPopulation(sql::Connection& c, const ScopeFilter& scope,
                                                                  int64_t campaign_id, bool by_child) {
  Where w;
  diag::AddPeopleScope(w, scope);
  const char* child = scope.kind == ScopeFilter::Kind::kMunicipality ? "p.organization_id" : "p.municipality_id";
  std::string key = by_child ? absl::StrCat("IFNULL(", child, ", 0)") : "0";
  std::string sql;
  if (campaign_id > 0) {
    sql = absl::StrCat("SELECT ", key, " AS k, COUNT(*) AS n FROM diagnostic_campaign_participants cp "
                       "JOIN people p ON p.id = cp.person_id WHERE cp.campaign_id = ? AND ", w.sql(), " GROUP BY k");
  } else {
    sql = absl::StrCat("SELECT ", key, " AS k, COUNT(*) AS n FROM people p JOIN organizations o ON "
                       "o.id = p.organization_id WHERE ", kEducational, " AND ", w.sql(), " GROUP BY k");
  }
  Stmt st(c, sql);
  if (campaign_id > 0) st.Int(campaign_id);
  w.Bind(st);
  auto rs = st.Query();
  std::map<int64_t, int64_t> out;
  while (rs->next()) out[rs->getInt64("k")] += rs->getInt64("n");
  return out;
}

std::vector<ReportResult> DiagnosticsRepository::LoadReportResults(sql::Connection& c, const ScopeFilter& scope,
                                                                   int64_t campaign_id,
                                                                   const std::optional<absl::CivilDay>& from,
                                                                   const std::optional<absl::CivilDay>& to) {
  Where w;
  w.Add("r.status = 2");
  diag::AddPeopleScope(w, scope);
  if (campaign_id > 0) {
    w.Int("r.campaign_id = ?", campaign_id);
  } else {
    // The population is staff of educational organisations; so is the numerator.
    w.Add(absl::StrCat("EXISTS (SELECT 1 FROM organizations o WHERE o.id = p.organization_id AND ", kEducational, ")"));
  }
  if (from) w.Str("r.diagnosis_date >= ?", FormatDay(*from));
  if (to) w.Str("r.diagnosis_date <= ?", FormatDay(*to));
  Stmt st(c, absl::StrCat("SELECT r.id, r.person_id, p.municipality_id, p.organization_id, r.framework_version, "
                          "r.overall_level, r.overall_score FROM diagnostic_results r JOIN people p ON "
                          "p.id = r.person_id WHERE ", w.sql(), " ORDER BY r.person_id, r.diagnosis_date, r.id"));
  w.Bind(st);
  auto rs = st.Query();
  std::vector<ReportResult> out;
  while (rs->next()) {
    ReportResult r;
    r.result_id = rs->getInt64("id");
    r.person_id = rs->getInt64("person_id");
    r.municipality_id = GetInt(*rs, "municipality_id");
    r.organization_id = GetInt(*rs, "organization_id");
    r.framework_id = rs->getInt64("framework_version");
    r.overall_level = rs->getInt("overall_level");
    r.overall_score = rs->getDouble("overall_score");
    // Rows come per person in diagnosis order: the last one of a person is their latest.
    if (!out.empty() && out.back().person_id == r.person_id) out.back() = std::move(r);
    else out.push_back(std::move(r));
  }
  std::map<int64_t, ReportResult*> by_id;
  std::vector<int64_t> ids;
  for (auto& r : out) {
    by_id[r.result_id] = &r;
    ids.push_back(r.result_id);
  }
  ForChunks(ids, [&](const std::string& in) {
    auto a = Stmt(c, absl::StrCat("SELECT result_id, area, score, level FROM diagnostic_result_areas WHERE result_id IN (",
                                  in, ") ORDER BY result_id, area")).Query();
    while (a->next()) {
      v1::AreaScore s;
      s.set_area(static_cast<v1::CompetencyArea>(a->getInt("area")));
      s.set_score_percent(a->getDouble("score"));
      s.set_level(static_cast<v1::CompetencyLevel>(a->getInt("level")));
      by_id.at(a->getInt64("result_id"))->areas.push_back(std::move(s));
    }
    auto d = Stmt(c, absl::StrCat("SELECT result_id, indicator_code, area FROM diagnostic_deficits WHERE result_id IN (",
                                  in, ") ORDER BY result_id, severity_rank")).Query();
    while (d->next()) {
      by_id.at(d->getInt64("result_id"))->deficits.push_back({GetStr(*d, "indicator_code"), d->getInt("area")});
    }
  });
  return out;
}

std::map<std::string, std::string> DiagnosticsRepository::IndicatorTitles(sql::Connection& c,
                                                                          const std::vector<int64_t>& frameworks) {
  std::map<std::string, std::string> out;
  ForChunks(frameworks, [&](const std::string& in) {
    auto rs = Stmt(c, absl::StrCat("SELECT code, title FROM competency_indicators WHERE framework_version IN (", in,
                                   ") ORDER BY framework_version")).Query();
    while (rs->next()) out[GetStr(*rs, "code")] = GetStr(*rs, "title");
  });
  return out;
}

// ---------------------------------------------------------------- item problem reports

namespace {

constexpr char kProblemSelect[] =
    "SELECT id, region_id, instrument_id, item_id, session_id, reporter_person_id, category, report_text, status, "
    "resolution_comment, version, UNIX_TIMESTAMP(created_at) AS created, UNIX_TIMESTAMP(updated_at) AS updated "
    "FROM diagnostic_item_problem_reports ";

v1::ItemProblemReport ReadProblem(sql::ResultSet& rs) {
  v1::ItemProblemReport r;
  r.set_name(ResourceName("itemProblemReports", rs.getInt64("id")));
  r.set_instrument(ResourceName("instruments", rs.getInt64("instrument_id")));
  r.set_item_id(GetStr(rs, "item_id"));
  r.set_session(ResourceName("sessions", rs.getInt64("session_id")));
  r.set_reporter(ResourceName("people", rs.getInt64("reporter_person_id")));
  r.set_category(static_cast<v1::ItemProblemCategory>(rs.getInt("category")));
  r.set_text(GetStr(rs, "report_text"));
  r.set_status(static_cast<v1::ItemProblemStatus>(rs.getInt("status")));
  r.set_resolution_comment(GetStr(rs, "resolution_comment"));
  r.set_version(rs.getInt64("version"));
  *r.mutable_create_time() = diag::ToTimestamp(ReadTime(rs, "created"));
  *r.mutable_update_time() = diag::ToTimestamp(ReadTime(rs, "updated"));
  return r;
}

}  // namespace

int64_t DiagnosticsRepository::InsertProblemReport(sql::Connection& c, int64_t region_id,
                                                   const v1::ItemProblemReport& r, int64_t instrument_id,
                                                   int64_t session_id, int64_t reporter_id) {
  Stmt(c, "INSERT INTO diagnostic_item_problem_reports (region_id, instrument_id, item_id, session_id, "
          "reporter_person_id, category, report_text, status) VALUES (?, ?, ?, ?, ?, ?, ?, 1)")
      .Int(region_id)
      .Int(instrument_id)
      .Str(r.item_id())
      .Int(session_id)
      .Int(reporter_id)
      .Int(r.category())
      .Str(r.text())
      .Execute();
  return LastInsertId(c);
}

absl::StatusOr<v1::ItemProblemReport> DiagnosticsRepository::GetProblemReport(sql::Connection& c, int64_t id,
                                                                             int64_t* region_id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kProblemSelect, "WHERE id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return NotFound("Сообщение о проблеме с заданием", id);
  if (region_id != nullptr) *region_id = rs->getInt64("region_id");
  return ReadProblem(*rs);
}

static std::vector<v1::ItemProblemReport> ListProblemReportsWhere(sql::Connection& c, const Where& where,
                                                                  const PageRequest& paging, ListPage* page) {
  page->total_size = diag::CountWhere(c, "diagnostic_item_problem_reports", where);
  auto rs = diag::QueryPage(c, kProblemSelect, where, "id", true, paging);
  std::vector<v1::ItemProblemReport> out;
  diag::ReadPage(*rs, paging, &page->next_page_token, [&](sql::ResultSet& r) {
    out.push_back(ReadProblem(r));
    return r.getInt64("id");
  });
  return out;
}

void DiagnosticsRepository::ResolveProblemReport(sql::Connection& c, int64_t id, int status, const std::string& comment) {
  Stmt(c, "UPDATE diagnostic_item_problem_reports SET status = ?, resolution_comment = ?, version = version + 1, "
          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(status)
      .OptStr(comment)
      .Int(id)
      .Execute();
}

absl::StatusOr<std::vector<v1::ItemProblemReport>> DiagnosticsRepository::ListProblemReports(
    sql::Connection& c, const ProblemReader& reader, const ListQuery& q, ListPage* page) {
  using FF = diag::FilterField;
  Where w;
  if (!reader.regions.empty()) {
    w.Add(absl::StrCat("region_id IN (", absl::StrJoin(reader.regions, ","), ")"));  // ids from grants
  } else {
    w.Int("reporter_person_id = ?", reader.reporter_person_id);
  }
  RETURN_IF_ERROR(diag::ApplyFilter(
      q.filter,
      {{"instrument", "instrument_id", FF::Kind::kRef, "instruments"},
       {"item_id", "item_id", FF::Kind::kStr},
       {"status", "status", FF::Kind::kEnum, "", v1::ItemProblemStatus_descriptor()},
       {"category", "category", FF::Kind::kEnum, "", v1::ItemProblemCategory_descriptor()}},
      w));
  return ListProblemReportsWhere(c, w, q.paging, page);
}

// ---------------------------------------------------------------- territory for reports

std::string DiagnosticsRepository::RegionTimeZone(sql::Connection& c, int64_t region_id) {
  return db::RegionTimeZone(c, region_id);
}

std::string DiagnosticsRepository::ScopeTitle(sql::Connection& c, const ScopeFilter& scope) {
  using K = ScopeFilter::Kind;
  const char* sql = scope.kind == K::kRegion         ? "SELECT display_name FROM regions WHERE id = ?"
                    : scope.kind == K::kDistrict     ? "SELECT display_name FROM districts WHERE id = ?"
                    : scope.kind == K::kMunicipality ? "SELECT display_name FROM municipalities WHERE id = ?"
                    : scope.kind == K::kOrganization ? "SELECT short_name FROM organizations WHERE id = ?"
                                                     : "SELECT CONCAT(last_name, ' ', first_name) FROM people WHERE id = ?";
  auto rs = Stmt(c, sql).Int(scope.id).Query();
  return rs->next() ? std::string(rs->getString(1)) : std::string();
}

std::vector<std::pair<int64_t, std::string>> DiagnosticsRepository::ChildScopes(sql::Connection& c,
                                                                                const ScopeFilter& scope) {
  using K = ScopeFilter::Kind;
  const char* sql = nullptr;
  switch (scope.kind) {
    case K::kRegion: sql = "SELECT id, display_name FROM municipalities WHERE region_id = ? ORDER BY display_name, id"; break;
    case K::kDistrict:
      sql = "SELECT id, display_name FROM municipalities WHERE district_id = ? ORDER BY display_name, id";
      break;
    case K::kMunicipality:
      sql = "SELECT id, short_name FROM organizations WHERE municipality_id = ? AND type IN (1, 2, 3, 4) "
            "ORDER BY short_name, id";
      break;
    default: return {};
  }
  auto rs = Stmt(c, sql).Int(scope.id).Query();
  std::vector<std::pair<int64_t, std::string>> out;
  while (rs->next()) out.emplace_back(rs->getInt64(1), std::string(rs->getString(2)));
  return out;
}

}  // namespace nms::db
