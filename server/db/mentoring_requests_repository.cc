// MentoringRepository: mentee requests and the facts behind the automatic ones.
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/db/mentoring_repository.h"
#include "server/db/mentoring_sql.h"
#include "server/db/monitoring_repository.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using namespace msql;  // NOLINT
namespace v1 = nms::v1;

std::string RequestColumns() {
  return absl::StrCat(
      "r.id, r.region_id, r.mentee_person_id, r.mentee_organization_id, r.source, r.route_item, r.pair_type, "
      "r.subjects, r.areas, r.deficit_indicator_codes, r.status, r.pair_id, r.note, r.cancel_reason, r.version, "
      "UNIX_TIMESTAMP(r.created_at) AS created_unix, UNIX_TIMESTAMP(r.updated_at) AS updated_unix, xo.id AS org_id, ",
      DisplayNameSql("xp", "xo"), " AS display_name ");
}

std::string RequestFrom() {
  return absl::StrCat("mentee_requests r", SideJoins("xp", "xo", "r.mentee_person_id", "r.mentee_organization_id"));
}

MentoringRepository::RequestRow ReadRequest(sql::ResultSet& rs) {
  MentoringRepository::RequestRow row;
  row.id = rs.getInt64("id");
  row.region_id = rs.getInt64("region_id");
  const int64_t person = GetInt(rs, "mentee_person_id");
  row.mentee = person != 0 ? EntityRef{false, person} : EntityRef{true, GetInt(rs, "mentee_organization_id")};
  row.pair_id = GetInt(rs, "pair_id");
  v1::MenteeRequest& r = row.request;
  r.set_name(ResourceName("menteeRequests", row.id));
  r.set_mentee(row.mentee.Name());
  if (int64_t org = GetInt(rs, "org_id")) r.set_organization(ResourceName("organizations", org));
  r.set_display_name(GetStr(rs, "display_name"));
  r.set_source(static_cast<v1::MenteeRequestSource>(rs.getInt("source")));
  r.set_route_item(GetStr(rs, "route_item"));
  r.set_pair_type(static_cast<v1::PairType>(rs.getInt("pair_type")));
  for (auto& s : SplitList(GetStr(rs, "subjects"))) r.add_subjects(s);
  for (int a : SplitInts(GetStr(rs, "areas"))) r.add_areas(static_cast<v1::CompetencyArea>(a));
  for (auto& s : SplitList(GetStr(rs, "deficit_indicator_codes"))) r.add_deficit_indicator_codes(s);
  r.set_status(static_cast<v1::MenteeRequestStatus>(rs.getInt("status")));
  if (row.pair_id != 0) r.set_pair(ResourceName("mentoringPairs", row.pair_id));
  r.set_note(GetStr(rs, "note"));
  r.set_cancel_reason(GetStr(rs, "cancel_reason"));
  r.set_version(rs.getInt64("version"));
  *r.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  *r.mutable_update_time() = Seconds(GetInt(rs, "updated_unix"));
  return row;
}

// Condition placing people (alias p) in a scope, one '?'.
std::string PeopleInScope(const ScopeFilter& s) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: return "p.region_id = ?";
    case ScopeFilter::Kind::kDistrict: return "p.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)";
    case ScopeFilter::Kind::kMunicipality: return "p.municipality_id = ?";
    case ScopeFilter::Kind::kOrganization: return "p.organization_id = ?";
    case ScopeFilter::Kind::kPerson: return "p.id = ?";
  }
  return "FALSE";
}

// People as candidates for automatic requests, with what the planner needs to know about them.
constexpr char kCandidateSelect[] =
    "SELECT p.id, p.region_id, p.birth_date, p.work_start_date, p.subjects, "
    "EXISTS(SELECT 1 FROM mentoring_pairs q WHERE q.mentee_person_id = p.id AND q.status IN (1, 2)) AS live_pair, "
    "EXISTS(SELECT 1 FROM mentee_requests r WHERE r.mentee_person_id = p.id AND r.source IN (1, 2) AND "
    "r.status IN (1, 2)) AS manual_request FROM people p WHERE ";

MentoringRepository::AutoCandidate ReadCandidate(sql::ResultSet& rs) {
  MentoringRepository::AutoCandidate a;
  a.person_id = rs.getInt64("id");
  a.region_id = rs.getInt64("region_id");
  a.birth_date = GetDay(rs, "birth_date");
  a.work_start_date = GetDay(rs, "work_start_date");
  a.has_live_pair = rs.getBoolean("live_pair");
  a.has_manual_request = rs.getBoolean("manual_request");
  a.subjects = SplitList(GetStr(rs, "subjects"));
  return a;
}

}  // namespace

absl::StatusOr<MentoringRepository::RequestRow> MentoringRepository::GetRequest(sql::Connection& c, int64_t id,
                                                                               bool for_update) {
  if (for_update) {
    auto lock = Stmt(c, "SELECT id FROM mentee_requests WHERE id = ? FOR UPDATE").Int(id).Query();
    if (!lock->next()) return absl::NotFoundError(absl::StrCat("Заявка на наставника ", id, " не найдена"));
  }
  auto rs = Stmt(c, absl::StrCat("SELECT ", RequestColumns(), "FROM ", RequestFrom(), "WHERE r.id = ?")).Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Заявка на наставника ", id, " не найдена"));
  return ReadRequest(*rs);
}

int64_t MentoringRepository::InsertRequest(sql::Connection& c, int64_t region_id, const EntityRef& mentee,
                                           const v1::MenteeRequest& r, int source, const std::string& auto_key,
                                           int64_t account_id) {
  Stmt st(c,
          "INSERT INTO mentee_requests (region_id, mentee_person_id, mentee_organization_id, source, route_item, "
          "auto_key, pair_type, subjects, areas, deficit_indicator_codes, status, note, created_by_account_id) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
  st.Int(region_id);
  if (mentee.organization) st.Null().Int(mentee.id); else st.Int(mentee.id).Null();
  st.Int(source)
      .OptStr(r.route_item())
      .OptStr(auto_key)
      .Int(r.pair_type())
      .Str(JoinList(r.subjects()))
      .Str(JoinInts(r.areas()))
      .Str(JoinList(r.deficit_indicator_codes()))
      .Str(r.note())
      .OptInt(account_id)
      .Execute();
  return LastInsertId(c);
}

void MentoringRepository::UpdateRequestFields(sql::Connection& c, int64_t id, const v1::MenteeRequest& r) {
  Stmt(c,
       "UPDATE mentee_requests SET pair_type = ?, subjects = ?, areas = ?, deficit_indicator_codes = ?, note = ?, "
       "version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(r.pair_type())
      .Str(JoinList(r.subjects()))
      .Str(JoinInts(r.areas()))
      .Str(JoinList(r.deficit_indicator_codes()))
      .Str(r.note())
      .Int(id)
      .Execute();
}

void MentoringRepository::SetRequestState(sql::Connection& c, int64_t id, int status, int64_t pair_id,
                                          const std::string& cancel_reason, bool release_auto_key) {
  Stmt(c,
       "UPDATE mentee_requests SET status = ?, pair_id = ?, cancel_reason = ?, auto_key = IF(?, NULL, auto_key), "
       "version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(status)
      .OptInt(pair_id)
      .Str(cancel_reason)
      .Bool(release_auto_key || status == static_cast<int>(v1::MENTEE_REQUEST_STATUS_CANCELLED))
      .Int(id)
      .Execute();
}

absl::Status MentoringRepository::ListRequests(sql::Connection& c, const ScopeFilter& scope,
                                               const std::vector<FilterTerm>& filter, const PageRequest& page,
                                               std::vector<v1::MenteeRequest>* out, int64_t* next_after,
                                               int64_t* total) {
  Where w;
  w.Add(SideInScope(scope, "r.region_id", "xo", "r.mentee_person_id"), scope.id);
  for (const auto& t : filter) {
    if (t.field == "mentee") {
      auto e = EntityValue(t);
      if (!e.ok()) return e.status();
      w.Add(e->organization ? "r.mentee_organization_id = ?" : "r.mentee_person_id = ?", e->id);
    } else if (t.field == "organization") {
      RETURN_IF_ERROR(AddRef(w, t, "organizations", "xo.id = ?"));
    } else if (t.field == "municipality") {
      RETURN_IF_ERROR(AddRef(w, t, "municipalities", "xo.municipality_id = ?"));
    } else if (t.field == "status") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::MenteeRequestStatus_descriptor(), "r.status = ?"));
    } else if (t.field == "source") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::MenteeRequestSource_descriptor(), "r.source = ?"));
    } else if (t.field == "pair_type") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::PairType_descriptor(), "r.pair_type = ?"));
    }
  }
  RunList(c, RequestColumns(), RequestFrom(), w, "r.id", page,
          [&](sql::ResultSet& rs) { out->push_back(ReadRequest(rs).request); }, next_after, total);
  return absl::OkStatus();
}

std::pair<std::vector<std::string>, std::vector<int>> MentoringRepository::LatestDeficits(sql::Connection& c,
                                                                                          int64_t person_id) {
  std::pair<std::vector<std::string>, std::vector<int>> out;
  auto rs = Stmt(c,
                 "SELECT d.indicator_code, d.area FROM diagnostic_deficits d WHERE d.result_id = (SELECT r.id FROM "
                 "diagnostic_results r WHERE r.person_id = ? AND r.status = 2 ORDER BY r.diagnosis_date DESC, r.id DESC "
                 "LIMIT 1) ORDER BY d.severity_rank, d.indicator_code")
                .Int(person_id)
                .Query();
  while (rs->next()) {
    out.first.push_back(rs->getString(1));
    const int area = rs->getInt(2);
    if (std::find(out.second.begin(), out.second.end(), area) == out.second.end()) out.second.push_back(area);
  }
  return out;
}

std::optional<int64_t> MentoringRepository::FindPendingRequest(sql::Connection& c, const EntityRef& mentee,
                                                               int pair_type) {
  auto rs = Stmt(c, absl::StrCat("SELECT id FROM mentee_requests WHERE ",
                                 mentee.organization ? "mentee_organization_id" : "mentee_person_id",
                                 " = ? AND pair_type = ? AND status IN (1, 2) ORDER BY id LIMIT 1"))
                .Int(mentee.id)
                .Int(pair_type)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

bool MentoringRepository::HasLivePairAsMentee(sql::Connection& c, const EntityRef& mentee) {
  auto rs = Stmt(c, mentee.organization
                        ? "SELECT 1 FROM mentoring_pairs WHERE mentee_organization_id = ? AND status IN (1, 2) LIMIT 1"
                        : "SELECT 1 FROM mentoring_pairs WHERE mentee_person_id = ? AND status IN (1, 2) LIMIT 1")
                .Int(mentee.id)
                .Query();
  return rs->next();
}

// ---------------------------------------------------------------- automatic requests

std::pair<int, int> MentoringRepository::YoungLimits(sql::Connection& c, int64_t region_id) {
  std::pair<int, int> out{35, 3};
  // young_teacher_settings belongs to the young-teacher area (migrations 0035-0039).
  if (!MonitoringRepository::TableExists(c, "young_teacher_settings")) return out;
  auto rs = Stmt(c, "SELECT age_limit, years_limit FROM young_teacher_settings WHERE region_id = ?").Int(region_id).Query();
  if (rs->next()) {
    if (rs->getInt(1) > 0) out.first = rs->getInt(1);
    if (rs->getInt(2) > 0) out.second = rs->getInt(2);
  }
  return out;
}

MentoringRepository::AutoFacts MentoringRepository::LoadAutoFacts(sql::Connection& c, const ScopeFilter& scope,
                                                                   absl::CivilDay ref, int age_limit,
                                                                   int years_limit) {
  AutoFacts out;
  // A superset of the cohort by index ranges; the domain rule decides on the exact dates.
  const absl::CivilDay born_after(ref.year() - age_limit - 1, ref.month(), ref.day());
  const absl::CivilDay started_after(ref.year() - years_limit - 1, ref.month(), ref.day());
  {
    auto rs = Stmt(c, absl::StrCat(kCandidateSelect, PeopleInScope(scope),
                                   " AND p.organization_id IS NOT NULL AND p.birth_date > ? AND p.work_start_date > ? "
                                   "ORDER BY p.id"))
                  .Int(scope.id)
                  .Day(born_after)
                  .Day(started_after)
                  .Query();
    while (rs->next()) out.people.push_back(ReadCandidate(*rs));
  }
  {
    auto rs = Stmt(c, absl::StrCat("SELECT r.id, r.source, r.mentee_person_id, r.route_item, r.status FROM mentee_requests r "
                                   "JOIN people p ON p.id = r.mentee_person_id WHERE ",
                                   PeopleInScope(scope), " AND r.source IN (3, 4) AND r.status IN (1, 2) ORDER BY r.id"))
                  .Int(scope.id)
                  .Query();
    while (rs->next()) {
      out.existing.push_back({rs->getInt64("id"), static_cast<mentoring::RequestSource>(rs->getInt("source")),
                              rs->getInt64("mentee_person_id"), GetStr(*rs, "route_item"),
                              static_cast<mentoring::RequestStatus>(rs->getInt("status"))});
    }
  }
  // ИОМ items of section 3 "with a mentor" (a catalogue activity of that kind, or the
  // generator's custom mentoring item) in routes agreed, approved or in progress, items not yet
  // done or skipped. The route tables belong to the route area (migrations 0020-0029).
  if (MonitoringRepository::TableExists(c, "route_items")) {
    auto rs = Stmt(c, absl::StrCat(
                          "SELECT i.id, i.route_id, r.person_id, i.closes_codes, "
                          "(EXISTS(SELECT 1 FROM mentoring_pairs q WHERE q.id = i.mentoring_pair_id AND q.status IN (1, 2, 4)) "
                          "OR EXISTS(SELECT 1 FROM mentoring_pairs q WHERE q.route_item = CONCAT('routes/', r.id, '/items/', "
                          "i.id) AND q.status IN (1, 2, 4))) AS has_pair FROM route_items i JOIN routes r ON r.id = i.route_id "
                          "JOIN people p ON p.id = r.person_id LEFT JOIN activities a ON a.id = i.activity_id WHERE ",
                          PeopleInScope(scope),
                          " AND i.section = 7 AND (i.activity_id IS NULL OR a.kind = 8) AND r.status IN (2, 3, 4) AND "
                          "i.status IN (1, 2) ORDER BY i.id"))
                  .Int(scope.id)
                  .Query();
    absl::flat_hash_set<int64_t> known;
    for (const auto& a : out.people) known.insert(a.person_id);
    std::vector<int64_t> missing;
    while (rs->next()) {
      mentoring::AutoRouteItem item;
      item.route_item = absl::StrCat("routes/", rs->getInt64("route_id"), "/items/", rs->getInt64("id"));
      item.person_id = rs->getInt64("person_id");
      item.wants_mentor = true;
      item.has_pair = rs->getBoolean("has_pair");
      std::vector<std::string> codes = absl::StrSplit(GetStr(*rs, "closes_codes"), '\n', absl::SkipEmpty());
      out.route_item_codes[item.route_item] = std::move(codes);
      if (!known.contains(item.person_id)) {
        known.insert(item.person_id);
        missing.push_back(item.person_id);
      }
      out.route_items.push_back(std::move(item));
    }
    if (!missing.empty()) {
      auto ps = Stmt(c, absl::StrCat(kCandidateSelect, "p.id IN (", absl::StrJoin(missing, ","), ")")).Query();
      while (ps->next()) {
        AutoCandidate a = ReadCandidate(*ps);
        out.route_people.emplace(a.person_id, std::move(a));
      }
    }
  }
  return out;
}

}  // namespace nms::db
