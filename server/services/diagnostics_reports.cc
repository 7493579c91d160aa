// DiagnosticsService: the individual report (profile and comparison with the previous
// diagnosis), aggregate reports of a school, municipality, district or region, CSV export,
// and item problem reports (обратная связь по заданиям).

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/diagnostics/report.h"
#include "server/services/convert.h"
#include "server/services/diagnostics_common.h"
#include "server/services/diagnostics_convert.h"
#include "server/services/diagnostics_service.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;
using access::Action;
using access::Placement;
using access::Principal;
using Dir = db::DirectoryRepository;
using Repo = db::DiagnosticsRepository;

namespace {

constexpr size_t kMaxExportRows = 100000;

// A report scope: its filter, title, region, and the collection of its children (if any).
struct ReportScope {
  std::string name;
  std::string title;
  int64_t region_id = 0;
  db::ScopeFilter filter;
  const char* child_collection = "";  // "" = no breakdown below this level
};

absl::StatusOr<ReportScope> ResolveReportScope(sql::Connection& c, const Principal& p, const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("Поле scope обязательно");
  ASSIGN_OR_RETURN(AnyName n, ParseAnyName(name, "scope"));
  ReportScope s;
  s.name = ResourceName(n.collection, n.id);
  using K = db::ScopeFilter::Kind;
  if (n.collection == "regions") {
    s.filter = {K::kRegion, n.id};
    s.child_collection = "municipalities";
  } else if (n.collection == "districts") {
    s.filter = {K::kDistrict, n.id};
    s.child_collection = "municipalities";
  } else if (n.collection == "municipalities") {
    s.filter = {K::kMunicipality, n.id};
    s.child_collection = "organizations";
  } else if (n.collection == "organizations") {
    s.filter = {K::kOrganization, n.id};
  } else {
    return absl::InvalidArgumentError("Поле scope: regions/…, districts/…, municipalities/… или organizations/…");
  }
  auto place = PlaceByName(c, name, "scope");
  // A district is a regional grouping: only region-wide grants reach it.
  if (place.ok() && n.collection == "districts") place = Placement{place->region_id, 0, 0, 0};
  RETURN_IF_ERROR(CheckAccess(p, Action::kReadDiagnostics, place));
  s.region_id = place->region_id;
  s.title = Repo::ScopeTitle(c, s.filter);
  return s;
}

// Areas in the order of the region's published framework (all five when it has none).
std::vector<int> RegionAreaOrder(sql::Connection& c, int64_t region) {
  auto id = Repo::PublishedFrameworkId(c, region);
  if (id.ok()) {
    auto f = Repo::GetFramework(c, *id);
    if (f.ok() && f->areas_size() > 0) return AreaOrder(*f);
  }
  return {1, 2, 3, 4, 5};
}

void LevelsToProto(const std::vector<dx::LevelShare>& in, google::protobuf::RepeatedPtrField<v1::LevelCount>* out) {
  for (const auto& l : in) {
    auto* c = out->Add();
    c->set_level(static_cast<v1::CompetencyLevel>(l.level));
    c->set_count(l.count);
    c->set_share_percent(l.share_percent);
  }
}

std::vector<dx::ReportRow> ToRows(const std::vector<db::ReportResult>& results) {
  std::vector<dx::ReportRow> rows;
  rows.reserve(results.size());
  for (const auto& r : results) {
    dx::ReportRow row{r.person_id, static_cast<dx::Level>(r.overall_level), r.overall_score, {}, r.deficits};
    for (const auto& a : r.areas) row.areas.push_back({a.area(), a.score_percent(), static_cast<dx::Level>(a.level())});
    rows.push_back(std::move(row));
  }
  return rows;
}

dx::ProfileView View(const v1::DiagnosticResult& r) {
  dx::ProfileView v;
  for (const auto& a : r.area_scores()) v.areas.push_back({a.area(), a.score_percent(), static_cast<dx::Level>(a.level())});
  for (const auto& i : r.indicator_scores()) v.assessed_codes.insert(i.indicator_code());
  for (const auto& d : r.deficits()) v.deficit_codes.push_back(d.indicator_code());
  return v;
}

std::string FullName(const v1::Person& p) {
  std::string out = absl::StrCat(p.last_name(), " ", p.first_name());
  if (!p.middle_name().empty()) absl::StrAppend(&out, " ", p.middle_name());
  return out;
}

// Code points of UTF-8 text (continuation bytes do not start one).
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace

grpc::Status DiagnosticsServiceImpl::GetIndividualReport(grpc::ServerContext* ctx,
                                                         const v1::GetIndividualReportRequest* req,
                                                         v1::GetIndividualReportResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetIndividualReport", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t named, ParseOptionalResourceName(req->person(), "people", "person"));
      ASSIGN_OR_RETURN(int64_t result_named, ParseOptionalResourceName(req->result(), "results", "result"));
      int64_t person = named != 0 ? named : p.person_id;
      if (person == 0) return absl::InvalidArgumentError("Поле person обязательно для служебной учётной записи");
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadDiagnostics, Dir::PlacePerson(c, person)));
      int64_t current_id = result_named;
      if (current_id != 0) {
        db::ResultKeys keys;
        auto r = Repo::GetResult(c, current_id, &keys);
        // The result is authorised like its teacher before it is compared with the person.
        RETURN_IF_ERROR(CheckAccess(p, Action::kReadDiagnostics,
                                    r.ok() ? Dir::PlacePerson(c, keys.person_id)
                                           : absl::StatusOr<access::Placement>(absl::NotFoundError(
                                                 absl::StrCat("Результат ", req->result(), " не найден")))));
        if (keys.person_id != person) {
          return absl::NotFoundError(absl::StrCat("Результат ", req->result(), " у этого педагога не найден"));
        }
      } else {
        auto latest = Repo::LatestFinalResult(c, person);
        if (!latest) return absl::NotFoundError("У педагога пока нет завершённой диагностики");
        current_id = *latest;
      }
      ASSIGN_OR_RETURN(*resp->mutable_current(), Repo::GetResult(c, current_id));
      ASSIGN_OR_RETURN(v1::Person card, Dir::GetPerson(c, person));
      resp->set_person(card.name());
      resp->set_full_name(FullName(card));
      resp->set_organization(card.organization());
      resp->set_position(card.position());
      if (auto previous = Repo::LatestFinalResult(c, person, current_id)) {
        ASSIGN_OR_RETURN(*resp->mutable_previous(), Repo::GetResult(c, *previous));
        dx::ProfileComparison cmp = dx::Compare(View(resp->previous()), View(resp->current()));
        for (const auto& a : cmp.areas) {
          auto* out = resp->add_comparisons();
          out->set_area(static_cast<v1::CompetencyArea>(a.area));
          out->set_previous_score_percent(a.previous_score);
          out->set_current_score_percent(a.current_score);
          out->set_delta_percent(a.delta);
          out->set_previous_level(static_cast<v1::CompetencyLevel>(a.previous_level));
          out->set_current_level(static_cast<v1::CompetencyLevel>(a.current_level));
        }
        for (const auto& code : cmp.closed) resp->add_closed_deficit_codes(code);
        for (const auto& code : cmp.opened) resp->add_new_deficit_codes(code);
      }
      if (auto route = Repo::RouteOfResult(c, current_id)) resp->set_route(ResourceName("routes", *route));
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetAggregateReport(grpc::ServerContext* ctx,
                                                        const v1::GetAggregateReportRequest* req,
                                                        v1::GetAggregateReportResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetAggregateReport", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t campaign_id, ParseOptionalResourceName(req->campaign(), "campaigns", "campaign"));
      ASSIGN_OR_RETURN(auto from, FromProtoDate(req->from_date(), "from_date"));
      ASSIGN_OR_RETURN(auto to, FromProtoDate(req->to_date(), "to_date"));
      if (from && to && *to < *from) return absl::InvalidArgumentError("Поле to_date: раньше from_date");
      if (req->top_deficits() < 0 || req->top_deficits() > 100) {
        return absl::InvalidArgumentError("Поле top_deficits: от 0 до 100 (0 — по умолчанию 10)");
      }
      int top = req->top_deficits() == 0 ? 10 : req->top_deficits();
      ASSIGN_OR_RETURN(ReportScope scope, ResolveReportScope(c, p, req->scope()));
      if (campaign_id != 0) {
        auto campaign = Repo::GetCampaign(c, campaign_id);
        RETURN_IF_ERROR(diag::CheckCampaignReader(c, p, campaign));
        if (campaign->region_id != scope.region_id) {
          return absl::NotFoundError(absl::StrCat("Кампания ", req->campaign(), " не найдена в регионе"));
        }
      }
      if (!to && campaign_id == 0) to = diag::RegionToday(c, scope.region_id);
      bool by_child = req->include_children() && *scope.child_collection != '\0';
      std::map<int64_t, int64_t> population = Repo::CountPopulation(c, scope.filter, campaign_id, by_child);
      int64_t total = 0;
      for (const auto& [k, n] : population) total += n;
      std::vector<db::ReportResult> results = Repo::LoadReportResults(c, scope.filter, campaign_id, from, to);
      std::vector<int> order = RegionAreaOrder(c, scope.region_id);
      std::vector<dx::ReportRow> rows = ToRows(results);
      dx::AggregateSummary sum = dx::Summarize(rows, total, order, top);
      std::vector<int64_t> frameworks;
      for (const auto& r : results) {
        if (std::find(frameworks.begin(), frameworks.end(), r.framework_id) == frameworks.end()) {
          frameworks.push_back(r.framework_id);
        }
      }
      std::sort(frameworks.begin(), frameworks.end());
      auto titles = Repo::IndicatorTitles(c, frameworks);
      resp->set_scope(scope.name);
      resp->set_title(scope.title);
      resp->set_population_count(sum.population);
      resp->set_diagnosed_count(sum.diagnosed);
      resp->set_diagnosed_share_percent(sum.diagnosed_share_percent);
      LevelsToProto(sum.overall, resp->mutable_overall_levels());
      for (const auto& a : sum.areas) {
        auto* out = resp->add_areas();
        out->set_area(static_cast<v1::CompetencyArea>(a.area));
        LevelsToProto(a.levels, out->mutable_levels());
        out->set_mean_score_percent(a.mean_score);
      }
      for (const auto& d : sum.top_deficits) {
        auto* out = resp->add_top_deficits();
        out->set_indicator_code(d.code);
        out->set_area(static_cast<v1::CompetencyArea>(d.area));
        out->set_title(titles[d.code]);
        out->set_count(d.count);
        out->set_share_percent(d.share_percent);
      }
      if (by_child) {
        std::map<int64_t, std::vector<dx::ReportRow>> by_child_rows;
        bool organisations = scope.filter.kind == db::ScopeFilter::Kind::kMunicipality;
        for (size_t i = 0; i < results.size(); ++i) {
          by_child_rows[organisations ? results[i].organization_id : results[i].municipality_id].push_back(rows[i]);
        }
        for (const auto& [id, title] : Repo::ChildScopes(c, scope.filter)) {
          dx::AggregateSummary child = dx::Summarize(by_child_rows[id], population[id], order, 0);
          auto* out = resp->add_children();
          out->set_scope(ResourceName(scope.child_collection, id));
          out->set_title(title);
          out->set_population_count(child.population);
          out->set_diagnosed_count(child.diagnosed);
          out->set_diagnosed_share_percent(child.diagnosed_share_percent);
          LevelsToProto(child.overall, out->mutable_overall_levels());
        }
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ExportResultsCsv(grpc::ServerContext* ctx, const v1::ExportResultsCsvRequest* req,
                                                      v1::ExportResultsCsvResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ExportResultsCsv", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t campaign_id, ParseOptionalResourceName(req->campaign(), "campaigns", "campaign"));
      ASSIGN_OR_RETURN(auto clauses, ParseFilter(req->filter(), {}));
      ASSIGN_OR_RETURN(ReportScope scope, ResolveReportScope(c, p, req->scope()));
      ASSIGN_OR_RETURN(std::vector<db::ExportRow> rows,
                       Repo::LoadExportRows(c, scope.filter, campaign_id, clauses, kMaxExportRows));
      if (rows.size() > kMaxExportRows) {
        return absl::FailedPreconditionError(
            "Слишком много строк для одного файла (больше 100 000): выгрузите по муниципалитетам или кампаниям");
      }
      std::vector<dx::CsvResultRow> csv;
      csv.reserve(rows.size());
      // The file names campaigns by title (a spreadsheet reader has no use for "campaigns/3").
      std::map<std::string, std::string> campaign_titles;
      for (const auto& row : rows) {
        const auto& r = row.result;
        dx::CsvResultRow out;
        out.person = r.person();
        out.full_name = row.full_name;
        out.organization = row.organization;
        out.position = row.position;
        if (r.diagnosis_date().year() != 0) {
          out.diagnosis_date = FormatDay(absl::CivilDay(r.diagnosis_date().year(), r.diagnosis_date().month(),
                                                        r.diagnosis_date().day()));
        }
        out.overall_score = r.overall_score_percent();
        out.overall_level = static_cast<dx::Level>(r.overall_level());
        for (const auto& a : r.area_scores()) {
          out.areas[a.area()] = {a.area(), a.score_percent(), static_cast<dx::Level>(a.level())};
        }
        for (const auto& d : r.deficits()) out.deficit_codes.push_back(d.indicator_code());
        out.result = r.name();
        if (!r.campaign().empty()) {
          auto [it, fresh] = campaign_titles.try_emplace(r.campaign(), r.campaign());
          if (fresh) {
            auto id = ParseResourceName(r.campaign(), "campaigns", "campaign");
            auto rec = id.ok() ? Repo::GetCampaign(c, *id) : absl::StatusOr<db::CampaignRecord>(id.status());
            if (rec.ok()) it->second = rec->campaign.title();
          }
          out.campaign = it->second;
        }
        out.source = r.source() == v1::DIAGNOSTIC_RESULT_SOURCE_EXTERNAL_IMPORT ? "импорт" : "сессия";
        csv.push_back(std::move(out));
      }
      resp->set_content(dx::RenderResultsCsv(RegionAreaOrder(c, scope.region_id), csv));
      std::string base = absl::StrCat("results-", absl::StrReplaceAll(scope.name, {{"/", "-"}}));
      if (campaign_id != 0) absl::StrAppend(&base, "-campaign-", campaign_id);
      resp->set_filename(absl::StrCat(base, ".csv"));
      resp->set_row_count(static_cast<int64_t>(csv.size()));
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ReportItemProblem(grpc::ServerContext* ctx, const v1::ReportItemProblemRequest* req,
                                                       v1::ReportItemProblemResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ReportItemProblem", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t session_id, ParseResourceName(req->session(), "sessions", "session"));
    return db::IdempotentWrite(pool_, p.account_id, "ReportItemProblem", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto s = Repo::GetSession(c, session_id);
      RETURN_IF_ERROR(CheckAccess(p, Action::kTakeDiagnostics,
                                  s.ok() ? Dir::PlacePerson(c, s->person_id) : absl::StatusOr<Placement>(s.status())));
      RETURN_IF_ERROR(RequireText(req->item_id(), "item_id", 64));
      RETURN_IF_ERROR(CheckEnum(req->category(), v1::ItemProblemCategory_descriptor(), "category", EnumUse::kRequired));
      RETURN_IF_ERROR(RequireText(req->text(), "text", 8000));
      if (CodePoints(req->text()) > 2000) return absl::InvalidArgumentError("Поле text: не длиннее 2000 символов");
      diag::ScoringCache cache(c);
      ASSIGN_OR_RETURN(std::vector<dx::ItemDef> items, cache.Items(s->instrument_id));
      bool found = false;
      for (const auto& i : items) found = found || i.item_id == req->item_id();
      if (!found) {
        return absl::InvalidArgumentError(absl::StrCat("Поле item_id: задания «", req->item_id(), "» нет в этой сессии"));
      }
      ASSIGN_OR_RETURN(db::CampaignRecord campaign, Repo::GetCampaign(c, s->campaign_id));
      v1::ItemProblemReport r;
      r.set_item_id(req->item_id());
      r.set_category(req->category());
      r.set_text(req->text());
      int64_t id = Repo::InsertProblemReport(c, campaign.region_id, r, s->instrument_id, session_id, s->person_id);
      ASSIGN_OR_RETURN(*resp->mutable_report(), Repo::GetProblemReport(c, id));
      db::WriteAudit(c, p.account_id, "ReportItemProblem", resp->report().name(), nullptr, &resp->report());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ListItemProblemReports(grpc::ServerContext* ctx,
                                                            const v1::ListItemProblemReportsRequest* req,
                                                            v1::ListItemProblemReportsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ListItemProblemReports", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      // Instrument authors see their region's reports; a teacher sees their own.
      db::ProblemReader reader;
      for (const auto& g : p.grants) {
        if (access::Authorize(p, Action::kManageFramework, Placement{g.region_id, 0, 0, 0}).ok()) {
          reader.regions.push_back(g.region_id);
        }
      }
      if (reader.regions.empty()) {
        if (!p.HasRole(access::Role::kTeacher) || p.person_id == 0) {
          return access::Authorize(p, Action::kManageFramework, Placement{});
        }
        reader.reporter_person_id = p.person_id;
      }
      ASSIGN_OR_RETURN(db::ListQuery args, diag::ParseListArgs(*req, req->filter()));
      db::ListPage page;
      ASSIGN_OR_RETURN(auto rows, Repo::ListProblemReports(c, reader, args, &page));
      diag::FillPage(std::move(rows), resp->mutable_reports(), page, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ResolveItemProblemReport(grpc::ServerContext* ctx,
                                                              const v1::ResolveItemProblemReportRequest* req,
                                                              v1::ResolveItemProblemReportResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ResolveItemProblemReport", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "itemProblemReports", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "ResolveItemProblemReport", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      int64_t region = 0;
      auto current = Repo::GetProblemReport(c, id, &region, true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework,
                                  current.ok() ? absl::StatusOr<Placement>(Placement{region, 0, 0, 0})
                                               : absl::StatusOr<Placement>(current.status())));
      if (req->status() != v1::ITEM_PROBLEM_STATUS_ACCEPTED && req->status() != v1::ITEM_PROBLEM_STATUS_REJECTED &&
          req->status() != v1::ITEM_PROBLEM_STATUS_RESOLVED) {
        return absl::InvalidArgumentError("Поле status: ACCEPTED, REJECTED или RESOLVED");
      }
      RETURN_IF_ERROR(OptionalText(req->resolution_comment(), "resolution_comment", 2000));
      RETURN_IF_ERROR(CheckVersion(req->version(), current->version()));
      Repo::ResolveProblemReport(c, id, req->status(), req->resolution_comment());
      ASSIGN_OR_RETURN(*resp->mutable_report(), Repo::GetProblemReport(c, id));
      db::WriteAudit(c, p.account_id, "ResolveItemProblemReport", resp->report().name(), &*current, &resp->report());
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
