#include "server/db/route_repository.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "nms/v1/monitoring.pb.h"
#include "server/common/proto_enum.h"
#include "server/db/bulk_insert.h"
#include "server/db/monitoring_repository.h"
#include "server/db/route_item_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/route/revision.h"
#include "server/mapping/proto_time.h"

namespace nms::db {
namespace {

namespace v1 = nms::v1;
using access::Placement;

std::string RouteSelect() {
  return absl::StrCat(
      "SELECT r.id, r.person_id, r.region_id, r.result_id, r.campaign_id, r.status, r.goal, r.notes, r.full_name, "
      "r.municipality_id, r.municipality_title, r.organization_id, r.organization_title, r.position, r.subject, "
      "r.diagnosis_date, r.overall_level, r.deficit_count, r.methodist_person_id, r.methodist_role, "
      "r.revision_comment, r.planned_start_date, r.planned_end_date, r.generated, r.version, r.revision, "
      "r.previous_route_id, ",
      MicrosOf("r.created_at", "created_us"), ", ", MicrosOf("r.updated_at", "updated_us"), " FROM routes r ");
}

v1::Route ReadRoute(sql::ResultSet& rs) {
  v1::Route r;
  r.set_name(ResourceName("routes", rs.getInt64("id")));
  r.set_person(ResourceName("people", rs.getInt64("person_id")));
  r.set_region(ResourceName("regions", rs.getInt64("region_id")));
  auto* h = r.mutable_header();
  h->set_full_name(GetStr(rs, "full_name"));
  if (int64_t m = GetInt(rs, "municipality_id")) h->set_municipality(ResourceName("municipalities", m));
  h->set_municipality_title(GetStr(rs, "municipality_title"));
  if (int64_t o = GetInt(rs, "organization_id")) h->set_organization(ResourceName("organizations", o));
  h->set_organization_title(GetStr(rs, "organization_title"));
  h->set_position(GetStr(rs, "position"));
  h->set_subject(GetStr(rs, "subject"));
  h->set_allocated_diagnosis_date(mapping::NewProtoDate(GetDay(rs, "diagnosis_date")));
  h->set_overall_level(static_cast<v1::CompetencyLevel>(rs.getInt("overall_level")));
  h->set_deficit_count(rs.getInt("deficit_count"));
  r.set_goal(GetStr(rs, "goal"));
  if (int64_t res = GetInt(rs, "result_id")) r.set_diagnostic_result(ResourceName("results", res));
  if (int64_t camp = GetInt(rs, "campaign_id")) r.set_campaign(ResourceName("campaigns", camp));
  r.set_status(static_cast<v1::RouteStatus>(rs.getInt("status")));
  if (int64_t m = GetInt(rs, "methodist_person_id")) r.set_methodist(ResourceName("people", m));
  r.set_methodist_role(static_cast<v1::AccompanimentRole>(rs.getInt("methodist_role")));
  r.set_revision_comment(GetStr(rs, "revision_comment"));
  r.set_allocated_planned_start_date(mapping::NewProtoDate(GetDay(rs, "planned_start_date")));
  r.set_allocated_planned_end_date(mapping::NewProtoDate(GetDay(rs, "planned_end_date")));
  r.set_notes(GetStr(rs, "notes"));
  r.set_generated(rs.getBoolean("generated"));
  r.set_version(rs.getInt64("version"));
  r.set_revision(rs.getInt("revision"));
  if (int64_t prev = GetInt(rs, "previous_route_id")) r.set_previous_route(ResourceName("routes", prev));
  *r.mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("created_us")));
  *r.mutable_update_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("updated_us")));
  return r;
}

// What Route.newer_result needs about the route's teacher, read with the route itself (three
// indexed scalar subqueries per route instead of two more statements).
struct PersonLatest {
  route::ResultStamp final_result;  // the latest FINAL result; id 0 when none
  int64_t last_route = 0;           // the teacher's last route that is not cancelled
};

constexpr char kPersonLatestColumns[] =
    ", (SELECT d.id FROM diagnostic_results d WHERE d.status = 2 AND d.person_id = r.person_id "
    "ORDER BY d.diagnosis_date DESC, d.id DESC LIMIT 1) AS latest_result_id"
    ", (SELECT d.diagnosis_date FROM diagnostic_results d WHERE d.status = 2 AND d.person_id = r.person_id "
    "ORDER BY d.diagnosis_date DESC, d.id DESC LIMIT 1) AS latest_result_date"
    ", (SELECT MAX(r2.id) FROM routes r2 WHERE r2.status <> 6 AND r2.person_id = r.person_id) AS last_route_id ";

PersonLatest ReadPersonLatest(sql::ResultSet& rs) {
  PersonLatest out;
  out.final_result = route::ResultStamp{GetInt(rs, "latest_result_id"), GetDay(rs, "latest_result_date"), true};
  out.last_route = GetInt(rs, "last_route_id");
  return out;
}

// Route id → the teacher's latest FINAL result when it may revise the route (Route.newer_result):
// newer than the route's own diagnosis, and the route is open or the teacher's last one, completed.
std::map<int64_t, int64_t> NewerResults(const std::vector<v1::Route>& routes, const std::vector<int64_t>& ids,
                                        const std::vector<int64_t>& result_ids,
                                        const std::vector<PersonLatest>& latest) {
  std::map<int64_t, int64_t> out;
  for (size_t k = 0; k < routes.size(); ++k) {
    const v1::Route& r = routes[k];
    if (r.status() == v1::ROUTE_STATUS_CANCELLED) continue;
    const bool open = r.status() != v1::ROUTE_STATUS_COMPLETED;
    const bool continuable = r.status() == v1::ROUTE_STATUS_COMPLETED && latest[k].last_route == ids[k];
    const route::ResultStamp& l = latest[k].final_result;
    if ((!open && !continuable) || l.id == 0) continue;
    std::optional<absl::CivilDay> day;
    const auto& d = r.header().diagnosis_date();
    if (d.year() != 0) day = absl::CivilDay(d.year(), d.month(), d.day());
    if (route::IsNewer({result_ids[k], day, true}, l)) out[ids[k]] = l.id;
  }
  return out;
}

// Items, deficits with coverage, progress and signatures of routes read by ReadRoute.
void Complete(sql::Connection& c, std::vector<v1::Route>& routes, const std::vector<int64_t>& ids,
              const std::vector<int64_t>& result_ids, const std::vector<PersonLatest>& latest) {
  auto items = RouteItemRepository::ItemsOf(c, ids);
  auto deficits = RouteRepository::Deficits(c, result_ids);
  std::map<int64_t, std::vector<v1::RouteSignature>> sigs;
  if (!ids.empty()) {
    Stmt st(c, absl::StrCat("SELECT route_id, kind, person_id, full_name, position_title, ",
                            MicrosOf("signed_at", "signed_us"), " FROM route_signatures WHERE route_id IN (",
                            Marks(ids.size()), ") ORDER BY route_id, kind"));
    BindIds(st, ids);
    auto rs = st.Query();
    while (rs->next()) {
      v1::RouteSignature s;
      s.set_kind(static_cast<v1::RouteSignatureKind>(rs->getInt("kind")));
      if (int64_t p = GetInt(*rs, "person_id")) s.set_person(ResourceName("people", p));
      s.set_full_name(GetStr(*rs, "full_name"));
      s.set_position_title(GetStr(*rs, "position_title"));
      *s.mutable_sign_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs->getInt64("signed_us")));
      sigs[rs->getInt64("route_id")].push_back(std::move(s));
    }
  }
  auto newer = NewerResults(routes, ids, result_ids, latest);
  for (size_t k = 0; k < routes.size(); ++k) {
    v1::Route& r = routes[k];
    if (auto n = newer.find(ids[k]); n != newer.end()) r.set_newer_result(ResourceName("results", n->second));
    for (auto& it : items[ids[k]]) *r.add_items() = std::move(it);
    for (auto& s : sigs[ids[k]]) *r.add_signatures() = std::move(s);
    std::vector<route::ItemFacts> facts;
    for (const auto& it : r.items()) {
      facts.push_back({static_cast<route::ItemStatus>(it.status()), it.hours(),
                       {it.closes_indicator_codes().begin(), it.closes_indicator_codes().end()}});
    }
    std::vector<std::string> codes;
    auto dit = deficits.find(result_ids[k]);
    if (dit != deficits.end()) {
      for (const auto& d : dit->second) {
        codes.push_back(d.indicator_code);
        auto* rd = r.add_deficits();
        rd->set_indicator_code(d.indicator_code);
        rd->set_area(static_cast<v1::CompetencyArea>(d.area));
        rd->set_title(d.title);
        rd->set_rank(d.rank);
        rd->set_score_percent(d.score);
        bool skipped_only = false;
        for (const auto& it : r.items()) {
          bool closes = std::find(it.closes_indicator_codes().begin(), it.closes_indicator_codes().end(),
                                  d.indicator_code) != it.closes_indicator_codes().end();
          if (!closes) continue;
          if (it.status() == v1::ROUTE_ITEM_STATUS_SKIPPED) {
            skipped_only = true;
          } else {
            rd->add_covered_by_items(it.name());
          }
        }
        if (rd->covered_by_items().empty()) {
          rd->set_uncovered_reason(skipped_only ? "Пункты по этому дефициту пропущены"
                                                : "В каталоге нет подходящего мероприятия: добавьте пункт вручную "
                                                  "или работу с наставником");
        }
      }
    }
    route::Progress p = route::ComputeProgress(facts, codes);
    auto* pr = r.mutable_progress();
    pr->set_items_total(p.total);
    pr->set_items_planned(p.planned);
    pr->set_items_in_progress(p.in_progress);
    pr->set_items_done(p.done);
    pr->set_items_skipped(p.skipped);
    pr->set_percent_closed(p.percent_closed);
    pr->set_hours_planned(p.hours_planned);
    pr->set_hours_done(p.hours_done);
    pr->set_deficits_covered(p.deficits_covered);
    pr->set_deficits_total(p.deficits_total);
  }
}

RouteHead ReadHead(sql::ResultSet& rs) {
  RouteHead h;
  h.id = rs.getInt64("id");
  h.person_id = rs.getInt64("person_id");
  h.region_id = rs.getInt64("region_id");
  h.result_id = GetInt(rs, "result_id");
  h.methodist_id = GetInt(rs, "methodist_person_id");
  h.place = Placement{rs.getInt64("p_region"), GetInt(rs, "p_mun"), GetInt(rs, "p_org"), h.person_id};
  h.state.status = static_cast<route::Status>(rs.getInt("status"));
  h.state.teacher_signed = rs.getBoolean("t_signed");
  h.state.school_signed = rs.getBoolean("s_signed");
  h.version = rs.getInt64("version");
  h.full_name = GetStr(rs, "full_name");
  h.revision = rs.getInt("revision");
  h.diagnosis_date = GetDay(rs, "diagnosis_date");
  return h;
}

constexpr char kHeadSelect[] =
    "SELECT r.id, r.person_id, r.region_id, r.result_id, r.methodist_person_id, r.status, r.version, r.full_name, "
    "r.revision, r.diagnosis_date, "
    "p.region_id AS p_region, p.municipality_id AS p_mun, p.organization_id AS p_org, "
    "EXISTS (SELECT 1 FROM route_signatures s WHERE s.route_id = r.id AND s.kind = 1) AS t_signed, "
    "EXISTS (SELECT 1 FROM route_signatures s WHERE s.route_id = r.id AND s.kind = 2) AS s_signed "
    "FROM routes r JOIN people p ON p.id = r.person_id ";

// WHERE fragment of a list scope over routes r joined with people p.
std::string ScopeSql(const ScopeFilter& s) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: return "r.region_id = ?";
    case ScopeFilter::Kind::kDistrict:
      return "p.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)";
    case ScopeFilter::Kind::kMunicipality: return "p.municipality_id = ?";
    case ScopeFilter::Kind::kOrganization: return "p.organization_id = ?";
    case ScopeFilter::Kind::kPerson: return "r.person_id = ?";
  }
  return "FALSE";
}

// Appends the SQL of route filter terms; binds go to `binds`.
absl::Status TermsSql(const std::vector<FilterTerm>& terms, std::string* where, std::vector<int64_t>* binds) {
  for (const auto& t : terms) {
    bool neq = t.op == "!=";
    if (t.op != "=" && !(neq && t.field == "status")) {
      return absl::InvalidArgumentError(absl::StrCat("Поле filter: для «", t.field, "» поддерживается только ="));
    }
    int64_t n = 0;
    if (t.field == "status") {
      auto status = FilterEnum(t, v1::RouteStatus_descriptor());
      if (!status.ok()) return status.status();
      n = *status;
      absl::StrAppend(where, neq ? " AND r.status <> ?" : " AND r.status = ?");
    } else {
      static const std::map<std::string, std::pair<const char*, const char*>> kRefs = {
          {"person", {"people", " AND r.person_id = ?"}},
          {"campaign", {"campaigns", " AND r.campaign_id = ?"}},
          {"methodist", {"people", " AND r.methodist_person_id = ?"}},
          {"organization", {"organizations", " AND p.organization_id = ?"}},
          {"municipality", {"municipalities", " AND p.municipality_id = ?"}},
          {"region", {"regions", " AND r.region_id = ?"}},
      };
      auto it = kRefs.find(t.field);
      if (it == kRefs.end()) return absl::InvalidArgumentError(absl::StrCat("Поле filter: неизвестное поле ", t.field));
      auto id = FilterName(t, it->second.first);
      if (!id.ok()) return id.status();
      n = *id;
      absl::StrAppend(where, it->second.second);
    }
    binds->push_back(n);
  }
  return absl::OkStatus();
}

}  // namespace

std::string MicrosOf(const std::string& column, const std::string& alias) {
  return absl::StrCat("CAST(UNIX_TIMESTAMP(", column, ") * 1000000 AS SIGNED) AS ", alias);
}

absl::StatusOr<RouteHead> RouteRepository::GetHead(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kHeadSelect, "WHERE r.id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Маршрут routes/", id, " не найден"));
  return ReadHead(*rs);
}

std::optional<RouteHead> RouteRepository::OpenRouteOf(sql::Connection& c, int64_t person_id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kHeadSelect, "WHERE r.open_person_id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(person_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return ReadHead(*rs);
}

std::optional<int64_t> RouteRepository::LaterRouteOf(sql::Connection& c, int64_t person_id, int64_t route_id) {
  auto rs = Stmt(c, "SELECT id FROM routes WHERE person_id = ? AND id > ? AND status <> ? LIMIT 1")
                .Int(person_id)
                .Int(route_id)
                .Int(static_cast<int>(route::Status::kCancelled))
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

absl::StatusOr<v1::Route> RouteRepository::Get(sql::Connection& c, int64_t id) {
  auto routes = GetMany(c, {id});
  if (routes.empty()) return absl::NotFoundError(absl::StrCat("Маршрут routes/", id, " не найден"));
  return std::move(routes.front());
}

std::vector<v1::Route> RouteRepository::GetMany(sql::Connection& c, const std::vector<int64_t>& ids) {
  std::vector<v1::Route> out;
  if (ids.empty()) return out;
  struct Found {
    v1::Route route;
    int64_t result_id;
    PersonLatest latest;
  };
  std::map<int64_t, Found> found;
  std::string select = RouteSelect();  // "... FROM routes r ": the teacher's latest go before FROM
  select.insert(select.rfind(" FROM routes r "), std::string(kPersonLatestColumns, sizeof(kPersonLatestColumns) - 2));
  Stmt st(c, absl::StrCat(select, "WHERE r.id IN (", Marks(ids.size()), ")"));
  BindIds(st, ids);
  auto rs = st.Query();
  while (rs->next()) found[rs->getInt64("id")] = {ReadRoute(*rs), GetInt(*rs, "result_id"), ReadPersonLatest(*rs)};
  std::vector<int64_t> kept, results;
  std::vector<PersonLatest> latest;
  for (int64_t id : ids) {
    auto it = found.find(id);
    if (it == found.end()) continue;
    out.push_back(std::move(it->second.route));
    kept.push_back(id);
    results.push_back(it->second.result_id);
    latest.push_back(it->second.latest);
  }
  Complete(c, out, kept, results, latest);
  return out;
}

absl::Status RouteRepository::List(sql::Connection& c, const ScopeFilter& scope, int64_t methodist_scope,
                                   const std::vector<FilterTerm>& terms, const PageRequest& page,
                                   std::vector<v1::Route>* out, std::string* next_page_token, int64_t* total_size) {
  std::string where = methodist_scope != 0 ? "r.methodist_person_id = ?" : ScopeSql(scope);
  std::vector<int64_t> binds = {methodist_scope != 0 ? methodist_scope : scope.id};
  if (auto st = TermsSql(terms, &where, &binds); !st.ok()) return st;
  const int64_t after = page.AfterNumber();
  {
    Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM routes r JOIN people p ON p.id = r.person_id WHERE ", where));
    for (int64_t b : binds) st.Int(b);
    auto rs = st.Query();
    *total_size = rs->next() ? rs->getInt64(1) : 0;
  }
  Stmt st(c, absl::StrCat("SELECT r.id FROM routes r JOIN people p ON p.id = r.person_id WHERE ", where,
                          " AND r.id > ? ORDER BY r.id LIMIT ?"));
  for (int64_t b : binds) st.Int(b);
  st.Int(after).Int(page.size() + 1);
  auto rs = st.Query();
  std::vector<int64_t> ids;
  while (rs->next()) ids.push_back(rs->getInt64(1));
  if (static_cast<int>(ids.size()) > page.size()) {
    ids.pop_back();
    *next_page_token = page.NextNumber(ids.back());
  }
  *out = GetMany(c, ids);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> RouteRepository::ListIds(sql::Connection& c, const ScopeFilter& scope,
                                                              const std::vector<FilterTerm>& terms, int64_t limit) {
  std::string where = ScopeSql(scope);
  std::vector<int64_t> binds = {scope.id};
  if (auto st = TermsSql(terms, &where, &binds); !st.ok()) return st;
  Stmt st(c, absl::StrCat("SELECT r.id FROM routes r JOIN people p ON p.id = r.person_id WHERE ", where,
                          " ORDER BY r.id LIMIT ?"));
  for (int64_t b : binds) st.Int(b);
  st.Int(limit);
  auto rs = st.Query();
  std::vector<int64_t> ids;
  while (rs->next()) ids.push_back(rs->getInt64(1));
  return ids;
}

void RouteRepository::UpdateContent(sql::Connection& c, int64_t id, const std::string& goal, const std::string& notes,
                                    const std::optional<absl::CivilDay>& start,
                                    const std::optional<absl::CivilDay>& end) {
  Stmt(c,
       "UPDATE routes SET goal = ?, notes = ?, planned_start_date = ?, planned_end_date = ?, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(goal)
      .Str(notes)
      .Day(start)
      .Day(end)
      .Int(id)
      .Execute();
}

void RouteRepository::Touch(sql::Connection& c, int64_t id) {
  Stmt(c, "UPDATE routes SET version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?").Int(id).Execute();
}

void RouteRepository::SetStatus(sql::Connection& c, int64_t id, route::Status from, route::Status to,
                                const std::string& revision_comment) {
  std::string extra;
  if (to == route::Status::kInProgress) extra = ", started_at = IFNULL(started_at, CURRENT_TIMESTAMP(6))";
  if (to == route::Status::kCompleted) extra = ", completed_at = CURRENT_TIMESTAMP(6)";
  if (from == route::Status::kDraft && to == route::Status::kAgreed) extra = ", revision_comment = ''";
  bool set_comment = to == route::Status::kDraft && from != route::Status::kDraft;
  Stmt st(c, absl::StrCat("UPDATE routes SET status = ?", set_comment ? ", revision_comment = ?" : "", extra,
                          ", version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?"));
  st.Int(static_cast<int>(to));
  if (set_comment) st.Str(revision_comment);
  st.Int(id).Execute();
}

void RouteRepository::AddSignature(sql::Connection& c, int64_t id, route::SignatureKind kind, const RouteActor& signer,
                                   const std::string& position_title) {
  Stmt(c, "INSERT INTO route_signatures (route_id, kind, person_id, full_name, position_title) VALUES (?,?,?,?,?)")
      .Int(id)
      .Int(static_cast<int>(kind))
      .OptInt(signer.person_id)
      .Str(signer.full_name)
      .Str(position_title)
      .Execute();
}

void RouteRepository::ClearSignatures(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM route_signatures WHERE route_id = ?").Int(id).Execute();
}

void RouteRepository::AddHistory(sql::Connection& c, int64_t id, route::Transition t, int from, route::Status to,
                                 const RouteActor& actor, const std::string& comment) {
  Stmt(c,
       "INSERT INTO route_status_changes (route_id, transition, from_status, to_status, actor_person_id, "
       "actor_account_id, actor_full_name, actor_role, comment, route_version) "
       "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, version FROM routes WHERE id = ?")
      .Int(id)
      .Int(static_cast<int>(t))
      .Int(from)
      .Int(static_cast<int>(to))
      .OptInt(actor.person_id)
      .OptInt(actor.account_id)
      .Str(actor.full_name)
      .Int(static_cast<int>(actor.role))
      .Str(comment)
      .Int(id)
      .Execute();
}

absl::Status RouteRepository::ListHistory(sql::Connection& c, int64_t id, const PageRequest& page,
                                          v1::ListRouteStatusChangesResponse* out) {
  const int64_t after = page.AfterNumber();
  auto rs = Stmt(c, absl::StrCat("SELECT id, transition, from_status, to_status, actor_person_id, actor_full_name, "
                                 "actor_role, comment, route_version, ", MicrosOf("changed_at", "at_us"),
                                 " FROM route_status_changes WHERE route_id = ? AND id > ? ORDER BY id LIMIT ?"))
                .Int(id)
                .Int(after)
                .Int(page.size() + 1)
                .Query();
  int64_t last = 0;
  while (rs->next()) {
    if (out->status_changes_size() == page.size()) {
      out->set_next_page_token(page.NextNumber(last));
      break;
    }
    last = rs->getInt64("id");
    auto* s = out->add_status_changes();
    s->set_transition(static_cast<v1::RouteTransition>(rs->getInt("transition")));
    s->set_from_status(static_cast<v1::RouteStatus>(rs->getInt("from_status")));
    s->set_to_status(static_cast<v1::RouteStatus>(rs->getInt("to_status")));
    if (int64_t p = GetInt(*rs, "actor_person_id")) s->set_actor(ResourceName("people", p));
    s->set_actor_full_name(GetStr(*rs, "actor_full_name"));
    s->set_actor_role(static_cast<v1::Role>(rs->getInt("actor_role")));
    s->set_comment(GetStr(*rs, "comment"));
    *s->mutable_change_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs->getInt64("at_us")));
    s->set_route_version(rs->getInt64("route_version"));
  }
  return absl::OkStatus();
}

std::optional<absl::CivilDay> RouteRepository::StartedOn(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, "SELECT DATE(started_at) AS d FROM routes WHERE id = ? AND started_at IS NOT NULL").Int(id).Query();
  if (!rs->next()) return std::nullopt;
  return GetDay(*rs, "d");
}

const char* RouteRepository::DefaultGoal() {
  return "непрерывное профессиональное развитие педагога для обеспечения повышения качества образования, "
         "основанное на персонализированном подходе, учитывающем профессиональные дефициты, его личные ресурсы, "
         "педагогический контекст образовательной организации";
}

v1::RouteSettings RouteRepository::GetSettings(sql::Connection& c, int64_t region_id, bool for_update) {
  v1::RouteSettings s;
  s.set_name(absl::StrCat("regions/", region_id, "/routeSettings"));
  s.set_teacher_signature_required(true);
  s.set_school_signature_required(true);
  s.set_approval_required(true);
  s.set_approver_title("Директор ЦНППМ");
  s.set_default_goal(DefaultGoal());
  s.set_default_horizon_months(12);
  s.set_default_max_items_per_deficit(2);
  s.set_version(1);
  auto rs = Stmt(c, absl::StrCat("SELECT teacher_signature_required, school_signature_required, approval_required, "
                                 "approver_title, default_goal, default_horizon_months, default_max_items_per_deficit, "
                                 "version FROM route_settings WHERE region_id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(region_id)
                .Query();
  if (rs->next()) {
    s.set_teacher_signature_required(rs->getBoolean(1));
    s.set_school_signature_required(rs->getBoolean(2));
    s.set_approval_required(rs->getBoolean(3));
    s.set_approver_title(rs->getString(4));
    std::string goal = rs->getString(5);
    if (!goal.empty()) s.set_default_goal(goal);
    s.set_default_horizon_months(rs->getInt(6));
    s.set_default_max_items_per_deficit(rs->getInt(7));
    s.set_version(rs->getInt64(8));
  }
  return s;
}

void RouteRepository::EnsureSettingsRow(sql::Connection& c, int64_t region_id) {
  Stmt(c, "INSERT IGNORE INTO route_settings (region_id) VALUES (?)").Int(region_id).Execute();
}

void RouteRepository::SaveSettings(sql::Connection& c, int64_t region_id, const v1::RouteSettings& s) {
  Stmt(c,
       "INSERT INTO route_settings (region_id, teacher_signature_required, school_signature_required, approval_required, "
       "approver_title, default_goal, default_horizon_months, default_max_items_per_deficit, version) "
       "VALUES (?,?,?,?,?,?,?,?,2) ON DUPLICATE KEY UPDATE teacher_signature_required = VALUES(teacher_signature_required), "
       "school_signature_required = VALUES(school_signature_required), approval_required = VALUES(approval_required), "
       "approver_title = VALUES(approver_title), default_goal = VALUES(default_goal), "
       "default_horizon_months = VALUES(default_horizon_months), "
       "default_max_items_per_deficit = VALUES(default_max_items_per_deficit), version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6)")
      .Int(region_id)
      .Bool(s.teacher_signature_required())
      .Bool(s.school_signature_required())
      .Bool(s.approval_required())
      .Str(s.approver_title())
      .Str(s.default_goal() == DefaultGoal() ? "" : s.default_goal())
      .Int(s.default_horizon_months())
      .Int(s.default_max_items_per_deficit())
      .Execute();
}

route::LifecycleSettings RouteRepository::Lifecycle(const v1::RouteSettings& s) {
  return {s.teacher_signature_required(), s.school_signature_required(), s.approval_required()};
}

void RouteRepository::SetMethodist(sql::Connection& c, const RouteHead& route, int64_t methodist, int role,
                                   absl::CivilDay today) {
  Stmt(c,
       "UPDATE routes SET methodist_person_id = ?, methodist_role = ?, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .OptInt(methodist)
      .Int(methodist == 0 ? 0 : role)
      .Int(route.id)
      .Execute();
  Stmt(c, "UPDATE methodist_assignments SET end_date = ?, version = version + 1 WHERE route_id = ? AND end_date IS NULL")
      .Day(today)
      .Int(route.id)
      .Execute();
  if (methodist != 0) {
    v1::MethodistAssignment a;
    a.set_role(static_cast<v1::MethodistRole>(role));
    a.set_allocated_start_date(mapping::NewProtoDate(today));
    MonitoringRepository::InsertMethodistAssignment(c, route.region_id, methodist, route.person_id, route.id, a);
  }
}

namespace {

// Loads of the given methodists (routes not cancelled plus current direct assignments).
std::vector<v1::MethodistLoad> LoadsOf(sql::Connection& c, const std::vector<int64_t>& ids) {
  std::vector<v1::MethodistLoad> out;
  if (ids.empty()) return out;
  std::map<int64_t, v1::MethodistLoad> by_id;
  auto people = Stmt(c, absl::StrCat("SELECT id, last_name, first_name, middle_name, organization_id FROM people "
                                     "WHERE id IN (", IdList(ids), ")"))
                    .Query();
  while (people->next()) {
    auto& l = by_id[people->getInt64(1)];
    l.set_methodist(ResourceName("people", people->getInt64(1)));
    std::string middle = people->getString(4);
    l.set_full_name(absl::StrCat(std::string(people->getString(2)), " ", std::string(people->getString(3)),
                                 middle.empty() ? "" : " ", middle));
    if (!people->isNull(5)) l.set_organization(ResourceName("organizations", people->getInt64(5)));
  }
  auto routes = Stmt(c, absl::StrCat("SELECT methodist_person_id, status, COUNT(*), MAX(methodist_role) FROM routes "
                                     "WHERE methodist_person_id IN (", IdList(ids), ") AND status <> 6 GROUP BY 1, 2"))
                    .Query();
  while (routes->next()) {
    auto it = by_id.find(routes->getInt64(1));
    if (it == by_id.end()) continue;
    auto& l = it->second;
    int status = routes->getInt(2);
    int n = routes->getInt(3);
    l.set_routes_total(l.routes_total() + n);
    if (status == 1 || status == 2 || status == 3) l.set_routes_pending(l.routes_pending() + n);
    if (status == 4) l.set_routes_in_progress(l.routes_in_progress() + n);
    if (status == 5) l.set_routes_completed(l.routes_completed() + n);
    l.set_role(static_cast<v1::AccompanimentRole>(std::max<int>(l.role(), routes->getInt(4))));
  }
  auto teachers = Stmt(c, absl::StrCat(
                              "SELECT m, COUNT(DISTINCT t), MAX(role) FROM (SELECT methodist_person_id AS m, person_id AS t, "
                              "0 AS role FROM routes WHERE methodist_person_id IN (", IdList(ids),
                              ") AND status <> 6 UNION ALL SELECT methodist_person_id, teacher_person_id, role FROM "
                              "methodist_assignments WHERE methodist_person_id IN (", IdList(ids),
                              ") AND (end_date IS NULL OR end_date >= CURDATE())) x GROUP BY m"))
                      .Query();
  while (teachers->next()) {
    auto it = by_id.find(teachers->getInt64(1));
    if (it == by_id.end()) continue;
    it->second.set_teachers_assigned(teachers->getInt(2));
    if (it->second.role() == 0) it->second.set_role(static_cast<v1::AccompanimentRole>(teachers->getInt(3)));
  }
  for (auto& [id, l] : by_id) out.push_back(std::move(l));
  std::sort(out.begin(), out.end(), [](const v1::MethodistLoad& a, const v1::MethodistLoad& b) {
    if (a.teachers_assigned() != b.teachers_assigned()) return a.teachers_assigned() > b.teachers_assigned();
    return a.methodist() < b.methodist();
  });
  return out;
}

}  // namespace

absl::StatusOr<v1::MethodistLoad> RouteRepository::Load(sql::Connection& c, int64_t methodist) {
  auto loads = LoadsOf(c, {methodist});
  if (loads.empty()) return absl::NotFoundError(absl::StrCat("Человек people/", methodist, " не найден"));
  return loads.front();
}

std::vector<v1::MethodistLoad> RouteRepository::Loads(sql::Connection& c, const ScopeFilter& scope) {
  std::string teacher_scope = ScopeSql(scope);
  // ScopeSql speaks of r.* and p.*: here the teacher is p, and the route/assignment's region r.
  std::vector<int64_t> ids;
  auto rs = Stmt(c, absl::StrCat("SELECT DISTINCT r.methodist_person_id FROM routes r JOIN people p ON p.id = "
                                 "r.person_id WHERE ", teacher_scope, " AND r.methodist_person_id IS NOT NULL AND "
                                 "r.status <> 6"))
                .Int(scope.id)
                .Query();
  std::set<int64_t> seen;
  while (rs->next()) seen.insert(rs->getInt64(1));
  std::string assign_scope = absl::StrReplaceAll(teacher_scope, {{"r.person_id", "r.teacher_person_id"}});
  auto ra = Stmt(c, absl::StrCat("SELECT DISTINCT r.methodist_person_id FROM methodist_assignments r JOIN people p ON "
                                 "p.id = r.teacher_person_id WHERE ", assign_scope,
                                 " AND (r.end_date IS NULL OR r.end_date >= CURDATE())"))
                .Int(scope.id)
                .Query();
  while (ra->next()) seen.insert(ra->getInt64(1));
  ids.assign(seen.begin(), seen.end());
  return LoadsOf(c, ids);
}

std::optional<RouteRepository::ResultSummary> RouteRepository::GetResult(sql::Connection& c, int64_t result_id) {
  auto rs = Stmt(c, "SELECT id, person_id, IFNULL(campaign_id, 0), status, overall_level, diagnosis_date FROM "
                    "diagnostic_results WHERE id = ?")
                .Int(result_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return ResultSummary{rs->getInt64(1), rs->getInt64(2), rs->getInt64(3), rs->getInt(4), rs->getInt(5),
                       GetDay(*rs, "diagnosis_date")};
}

std::optional<RouteRepository::ResultSummary> RouteRepository::FirstFinalResultFrom(sql::Connection& c,
                                                                                   int64_t person_id,
                                                                                   absl::CivilDay from,
                                                                                   int64_t exclude) {
  auto rs = Stmt(c,
                 "SELECT id FROM diagnostic_results WHERE person_id = ? AND status = 2 AND diagnosis_date >= ? "
                 "AND id <> ? ORDER BY diagnosis_date, id LIMIT 1")
                .Int(person_id)
                .Day(from)
                .Int(exclude)
                .Query();
  if (!rs->next()) return std::nullopt;
  return GetResult(c, rs->getInt64(1));
}

std::vector<RouteRepository::AreaResult> RouteRepository::ResultAreas(sql::Connection& c, int64_t result_id) {
  std::vector<AreaResult> out;
  auto rs = Stmt(c, "SELECT area, score, level FROM diagnostic_result_areas WHERE result_id = ? ORDER BY area")
                .Int(result_id)
                .Query();
  while (rs->next()) out.push_back({rs->getInt(1), static_cast<double>(rs->getDouble(2)), rs->getInt(3)});
  return out;
}

std::optional<RouteRepository::AccountActor> RouteRepository::ActorOfAccount(sql::Connection& c, int64_t account_id) {
  auto rs = Stmt(c, "SELECT r.role, p.last_name, p.first_name, p.middle_name FROM accounts a LEFT JOIN role_grants r "
                    "ON r.account_id = a.id LEFT JOIN people p ON p.id = a.person_id WHERE a.id = ? "
                    "ORDER BY r.role DESC LIMIT 1")
                .Int(account_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  AccountActor out;
  if (!rs->isNull(1)) out.role = static_cast<access::Role>(rs->getInt(1));
  std::string middle = GetStr(*rs, "middle_name");
  out.full_name = absl::StrCat(GetStr(*rs, "last_name"), " ", GetStr(*rs, "first_name"), middle.empty() ? "" : " ", middle);
  return out;
}

SignerPosition RouteRepository::PositionOf(sql::Connection& c, int64_t person_id) {
  auto rs = Stmt(c, "SELECT p.position, IFNULL(o.short_name, '') FROM people p LEFT JOIN organizations o ON "
                    "o.id = p.organization_id WHERE p.id = ?")
                .Int(person_id)
                .Query();
  if (!rs->next()) return {};
  return {rs->getString(1), rs->getString(2)};
}

std::optional<access::Role> RouteRepository::MethodistGrantRole(sql::Connection& c, int64_t person_id) {
  auto rs = Stmt(c, "SELECT MAX(g.role = ?), MAX(g.role = ?) FROM accounts a JOIN role_grants g ON g.account_id = "
                    "a.id WHERE a.person_id = ?")
                .Int(static_cast<int>(access::Role::kRegionalMethodist))
                .Int(static_cast<int>(access::Role::kMunicipalMethodist))
                .Int(person_id)
                .Query();
  if (rs->next() && !rs->isNull(1)) {
    if (rs->getInt(1) == 1) return access::Role::kRegionalMethodist;
    if (rs->getInt(2) == 1) return access::Role::kMunicipalMethodist;
  }
  return std::nullopt;
}

std::vector<std::string> RouteRepository::ResultDeficitCodes(sql::Connection& c, int64_t result_id) {
  std::vector<std::string> out;
  auto rs = Stmt(c, "SELECT indicator_code FROM diagnostic_deficits WHERE result_id = ? ORDER BY indicator_code")
                .Int(result_id)
                .Query();
  while (rs->next()) out.push_back(rs->getString(1));
  return out;
}

std::map<int64_t, std::vector<route::Deficit>> RouteRepository::Deficits(sql::Connection& c,
                                                                        const std::vector<int64_t>& result_ids) {
  std::map<int64_t, std::vector<route::Deficit>> out;
  std::vector<int64_t> ids;
  for (int64_t id : result_ids) {
    if (id != 0) ids.push_back(id);
  }
  if (ids.empty()) return out;
  Stmt st(c, absl::StrCat("SELECT d.result_id, d.indicator_code, d.area, d.score, d.severity_rank, "
                          "IFNULL(ci.title, '') AS title FROM diagnostic_deficits d JOIN diagnostic_results r ON "
                          "r.id = d.result_id LEFT JOIN competency_indicators ci ON ci.framework_version = "
                          "r.framework_version AND ci.code = d.indicator_code WHERE d.result_id IN (",
                          Marks(ids.size()), ") ORDER BY d.result_id, d.severity_rank, d.indicator_code"));
  BindIds(st, ids);
  auto rs = st.Query();
  while (rs->next()) {
    out[rs->getInt64(1)].push_back(
        {rs->getString(2), rs->getInt(3), rs->getString(6), static_cast<double>(rs->getDouble(4)), rs->getInt(5)});
  }
  return out;
}

}  // namespace nms::db
