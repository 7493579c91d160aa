#include "server/db/route_generation_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/db/bulk_insert.h"
#include "server/db/sql.h"

namespace nms::db {
namespace {

// The header and diagnosis columns of a generated route, in the order the INSERT and the
// in-place UPDATE list them (Stmt and BulkInsert bind alike).
template <typename Binder>
Binder& BindHeader(Binder& b, const NewRoute& r) {
  return b.OptInt(r.diagnosis.result_id)
      .OptInt(r.diagnosis.campaign_id)
      .Str(r.goal)
      .Str(r.teacher.full_name.substr(0, 400))
      .OptInt(r.teacher.municipality_id)
      .Str(r.teacher.municipality_title.substr(0, 255))
      .OptInt(r.teacher.organization_id)
      .Str(r.teacher.organization_title.substr(0, 512))
      .Str(r.teacher.position.substr(0, 255))
      .Str(absl::StrJoin(r.teacher.subjects, ", ").substr(0, 1024))
      .Day(r.diagnosis.date)
      .Int(r.diagnosis.overall_level)
      .Int(static_cast<int>(r.diagnosis.deficits.size()))
      .Day(r.plan.planned_start)
      .Day(r.plan.planned_end);
}

void AddItems(BulkInsert& items, int64_t route_id, const route::GeneratedRoute& plan) {
  for (const auto& it : plan.items) {
    items.Int(route_id)
        .Int(static_cast<int>(it.section))
        .Int(it.position)
        .OptInt(it.activity_id)
        .Str(it.title.substr(0, 1000))
        .Str(it.form.substr(0, 1000))
        .Int(it.hours)
        .Day(it.deadline)
        .Str(absl::StrJoin(it.closes, "\n").substr(0, 4000))
        .Str(it.reason)
        .Int(static_cast<int>(it.mentoring_role));
    items.EndRow();
  }
}

void AddHistory(BulkInsert& history, int64_t route_id, const RouteActor& actor, const std::string& comment,
                int64_t version) {
  history.Int(route_id)
      .Int(static_cast<int>(route::Transition::kCreate))
      .Int(0)
      .Int(static_cast<int>(route::Status::kDraft))
      .OptInt(actor.person_id)
      .OptInt(actor.account_id)
      .Str(actor.full_name)
      .Int(static_cast<int>(actor.role))
      .Str(comment)
      .Int(version);
  history.EndRow();
}

}  // namespace

std::map<int64_t, TeacherCard> RouteGenerationStore::Teachers(sql::Connection& c, const std::vector<int64_t>& ids) {
  std::map<int64_t, TeacherCard> out;
  if (ids.empty()) return out;
  auto rs = Stmt(c, absl::StrCat("SELECT p.id, p.region_id, IFNULL(p.municipality_id, 0), IFNULL(p.organization_id, 0), "
                                 "p.last_name, p.first_name, p.middle_name, p.position, p.subjects, "
                                 "IFNULL(m.display_name, ''), IFNULL(o.short_name, '') FROM people p "
                                 "LEFT JOIN municipalities m ON m.id = p.municipality_id "
                                 "LEFT JOIN organizations o ON o.id = p.organization_id WHERE p.id IN (",
                                 IdList(ids), ")"))
                .Query();
  while (rs->next()) {
    TeacherCard t;
    t.person_id = rs->getInt64(1);
    t.region_id = rs->getInt64(2);
    t.municipality_id = rs->getInt64(3);
    t.organization_id = rs->getInt64(4);
    std::string middle = rs->getString(7);
    t.full_name = absl::StrCat(std::string(rs->getString(5)), " ", std::string(rs->getString(6)),
                               middle.empty() ? "" : " ", middle);
    t.position = rs->getString(8);
    t.subjects = absl::StrSplit(std::string(rs->getString(9)), '|', absl::SkipEmpty());
    t.municipality_title = rs->getString(10);
    t.organization_title = rs->getString(11);
    out[t.person_id] = std::move(t);
  }
  return out;
}

std::map<int64_t, DiagnosisInput> RouteGenerationStore::LatestDiagnoses(sql::Connection& c,
                                                                       const std::vector<int64_t>& ids,
                                                                       int64_t campaign_id) {
  std::map<int64_t, DiagnosisInput> out;
  if (ids.empty()) return out;
  auto rs = Stmt(c, absl::StrCat("SELECT id, person_id, IFNULL(campaign_id, 0), diagnosis_date, overall_level FROM "
                                 "diagnostic_results WHERE person_id IN (", IdList(ids), ") AND status = 2",
                                 campaign_id != 0 ? absl::StrCat(" AND campaign_id = ", campaign_id) : "",
                                 " ORDER BY person_id, diagnosis_date DESC, id DESC"))
                .Query();
  std::vector<int64_t> results;
  while (rs->next()) {
    int64_t person = rs->getInt64(2);
    if (out.count(person)) continue;
    DiagnosisInput d;
    d.result_id = rs->getInt64(1);
    d.person_id = person;
    d.campaign_id = rs->getInt64(3);
    d.date = GetDay(*rs, "diagnosis_date");
    d.overall_level = rs->getInt(5);
    results.push_back(d.result_id);
    out[person] = std::move(d);
  }
  auto deficits = RouteRepository::Deficits(c, results);
  for (auto& [person, d] : out) d.deficits = std::move(deficits[d.result_id]);
  return out;
}

std::optional<DiagnosisInput> RouteGenerationStore::Diagnosis(sql::Connection& c, int64_t result_id) {
  auto r = RouteRepository::GetResult(c, result_id);
  if (!r) return std::nullopt;
  DiagnosisInput d{r->id, r->person_id, r->campaign_id, r->diagnosis_date, r->overall_level, {}};
  d.deficits = std::move(RouteRepository::Deficits(c, {result_id})[result_id]);
  return d;
}

std::map<int64_t, RouteGenerationStore::OpenRoute> RouteGenerationStore::OpenRoutes(sql::Connection& c,
                                                                                   const std::vector<int64_t>& ids) {
  std::map<int64_t, OpenRoute> out;
  if (ids.empty()) return out;
  auto rs = Stmt(c, absl::StrCat("SELECT person_id, id, status, revision FROM routes WHERE open_person_id IN (",
                                 IdList(ids), ") FOR UPDATE"))
                .Query();
  while (rs->next()) {
    auto status = static_cast<route::Status>(rs->getInt(3));
    out[rs->getInt64(1)] = {rs->getInt64(2), status, status == route::Status::kDraft && rs->getInt(4) == 1};
  }
  return out;
}

namespace {
std::string ParticipantScope(const ScopeFilter* s) {
  if (s == nullptr) return "";
  switch (s->kind) {
    case ScopeFilter::Kind::kRegion: return " AND p.region_id = ?";
    case ScopeFilter::Kind::kDistrict:
      return " AND p.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)";
    case ScopeFilter::Kind::kMunicipality: return " AND p.municipality_id = ?";
    case ScopeFilter::Kind::kOrganization: return " AND p.organization_id = ?";
    case ScopeFilter::Kind::kPerson: return " AND p.id = ?";
  }
  return " AND FALSE";
}
}  // namespace

std::vector<int64_t> RouteGenerationStore::Participants(sql::Connection& c, int64_t campaign_id, const ScopeFilter* scope,
                                                        int64_t after_person, int limit) {
  Stmt st(c, absl::StrCat("SELECT dp.person_id FROM diagnostic_campaign_participants dp JOIN people p ON p.id = "
                          "dp.person_id WHERE dp.campaign_id = ? AND dp.person_id > ?", ParticipantScope(scope),
                          " ORDER BY dp.person_id LIMIT ?"));
  st.Int(campaign_id).Int(after_person);
  if (scope != nullptr) st.Int(scope->id);
  auto rs = st.Int(limit).Query();
  std::vector<int64_t> out;
  while (rs->next()) out.push_back(rs->getInt64(1));
  return out;
}

int64_t RouteGenerationStore::CountParticipants(sql::Connection& c, int64_t campaign_id, const ScopeFilter* scope) {
  Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM diagnostic_campaign_participants dp JOIN people p ON p.id = "
                          "dp.person_id WHERE dp.campaign_id = ?", ParticipantScope(scope)));
  st.Int(campaign_id);
  if (scope != nullptr) st.Int(scope->id);
  auto rs = st.Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

std::optional<int64_t> RouteGenerationStore::CampaignRegion(sql::Connection& c, int64_t campaign_id) {
  auto rs = Stmt(c, "SELECT region_id FROM diagnostic_campaigns WHERE id = ?").Int(campaign_id).Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

std::string RouteGenerationStore::CampaignTitle(sql::Connection& c, int64_t campaign_id) {
  auto rs = Stmt(c, "SELECT title FROM diagnostic_campaigns WHERE id = ?").Int(campaign_id).Query();
  return rs->next() ? std::string(rs->getString(1)) : std::string();
}

absl::StatusOr<std::vector<int64_t>> RouteGenerationStore::Write(sql::Connection& c, const std::vector<NewRoute>& routes,
                                                                 const RouteActor& actor, int64_t operation_id,
                                                                 const std::string& comment) {
  std::vector<int64_t> ids(routes.size(), 0);
  std::vector<int64_t> fresh_people;
  {
    BulkInsert ins(c,
                   "INSERT INTO routes (result_id, campaign_id, goal, full_name, municipality_id, municipality_title, "
                   "organization_id, organization_title, position, subject, diagnosis_date, overall_level, "
                   "deficit_count, planned_start_date, planned_end_date, person_id, region_id, operation_id, status, "
                   "generated) VALUES ",
                   20, 300);
    try {
      for (const auto& r : routes) {
        if (r.replace_route_id != 0) continue;
        fresh_people.push_back(r.teacher.person_id);
        BindHeader(ins, r).Int(r.teacher.person_id).Int(r.teacher.region_id).OptInt(operation_id)
            .Int(static_cast<int>(route::Status::kDraft)).Bool(true);
        ins.EndRow();
      }
      ins.Flush();
    } catch (const sql::SQLException& e) {
      // uq_routes_open: a concurrent request gave a teacher an open route first.
      if (e.getErrorCode() == 1062) return absl::AbortedError("open route created concurrently");
      throw;
    }
  }
  std::map<int64_t, int64_t> route_of;
  if (!fresh_people.empty()) {
    auto rs = Stmt(c, absl::StrCat("SELECT person_id, id FROM routes WHERE open_person_id IN (", IdList(fresh_people), ")"))
                  .Query();
    while (rs->next()) route_of[rs->getInt64(1)] = rs->getInt64(2);
  }
  BulkInsert items(c,
                   "INSERT INTO route_items (route_id, section, position, activity_id, title, form, hours, deadline, "
                   "closes_codes, reason, mentoring_role) VALUES ",
                   11, 400);
  BulkInsert history(c,
                     "INSERT INTO route_status_changes (route_id, transition, from_status, to_status, actor_person_id, "
                     "actor_account_id, actor_full_name, actor_role, comment, route_version) VALUES ",
                     10, 400);
  for (size_t i = 0; i < routes.size(); ++i) {
    const NewRoute& r = routes[i];
    int64_t version = 1;
    if (r.replace_route_id != 0) {
      ids[i] = r.replace_route_id;
      Stmt(c, "DELETE FROM route_items WHERE route_id = ?").Int(r.replace_route_id).Execute();
      Stmt update(c,
                  "UPDATE routes SET result_id = ?, campaign_id = ?, goal = ?, full_name = ?, municipality_id = ?, "
                  "municipality_title = ?, organization_id = ?, organization_title = ?, position = ?, subject = ?, "
                  "diagnosis_date = ?, overall_level = ?, deficit_count = ?, planned_start_date = ?, "
                  "planned_end_date = ?, generated = TRUE, revision_comment = '', version = version + 1, "
                  "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ? AND status = 1");
      BindHeader(update, r).Int(r.replace_route_id).Execute();
      Stmt(c, "DELETE FROM route_signatures WHERE route_id = ?").Int(r.replace_route_id).Execute();
      auto v = Stmt(c, "SELECT version FROM routes WHERE id = ?").Int(r.replace_route_id).Query();
      if (v->next()) version = v->getInt64(1);
    } else {
      auto it = route_of.find(r.teacher.person_id);
      if (it == route_of.end()) return absl::InternalError("Маршрут не записан");
      ids[i] = it->second;
    }
    AddItems(items, ids[i], r.plan);
    AddHistory(history, ids[i], actor, comment, version);
  }
  items.Flush();
  history.Flush();
  return ids;
}

}  // namespace nms::db
