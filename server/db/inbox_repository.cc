#include "server/db/inbox_repository.h"

#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/mapping/proto_time.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using inbox::Kind;
using Bind = std::variant<int64_t, std::string, absl::CivilDay>;

constexpr char kPersonName[] = "CONCAT_WS(' ', p.last_name, p.first_name, NULLIF(p.middle_name, ''))";

// A kind's rows as one derived table with the columns every list shares:
// tid, tver, pid, pname, org, title, detail, d (DATE), st, rel.
struct KindSql {
  std::string select;
  std::vector<Bind> binds;
};

void BindAll(Stmt& s, const std::vector<Bind>& binds) {
  for (const auto& b : binds) {
    if (const auto* i = std::get_if<int64_t>(&b)) {
      s.Int(*i);
    } else if (const auto* str = std::get_if<std::string>(&b)) {
      s.Str(*str);
    } else {
      s.Day(std::get<absl::CivilDay>(b));
    }
  }
}

std::string PeopleJoins(const std::string& person_col) {
  return absl::StrCat(" JOIN people p ON p.id = ", person_col,
                      " LEFT JOIN organizations o ON o.id = p.organization_id ");
}

std::string Columns(const std::string& tid, const std::string& tver, const std::string& title,
                    const std::string& detail, const std::string& d, const std::string& st, const std::string& rel) {
  return absl::StrCat("SELECT ", tid, " AS tid, ", tver, " AS tver, p.id AS pid, ", kPersonName,
                      " AS pname, IFNULL(o.short_name, '') AS org, ", title, " AS title, ", detail, " AS detail, ", d,
                      " AS d, ", st, " AS st, ", rel, " AS rel ");
}

KindSql ForKind(Kind kind, const InboxRepository::Context& ctx) {
  const std::string scope = PeopleScopeSql(ctx.scope);
  const int64_t sid = ctx.scope.id;
  const std::string route_title = "IF(r.goal = '', 'Индивидуальный образовательный маршрут', r.goal)";
  switch (kind) {
    case Kind::kRouteToAgree:
      return {absl::StrCat(
                  Columns("r.id", "r.version", route_title, "'Подписан педагогом — ждёт подписи ОО'",
                          "DATE(IFNULL(ts.signed_at, r.updated_at))", "0", "0"),
                  "FROM routes r", PeopleJoins("r.person_id"),
                  "LEFT JOIN route_settings rset ON rset.region_id = r.region_id "
                  "LEFT JOIN route_signatures ts ON ts.route_id = r.id AND ts.kind = 1 "
                  "WHERE r.status = 1 AND IFNULL(rset.school_signature_required, TRUE) "
                  "AND NOT EXISTS (SELECT 1 FROM route_signatures s2 WHERE s2.route_id = r.id AND s2.kind = 2) "
                  "AND (ts.route_id IS NOT NULL OR NOT IFNULL(rset.teacher_signature_required, TRUE)) AND ",
                  scope),
              {sid}};
    case Kind::kRouteToApprove:
      return {absl::StrCat(Columns("r.id", "r.version", route_title, "'Согласован — ждёт утверждения'",
                                   "DATE(IFNULL(ss.signed_at, r.updated_at))", "0", "0"),
                           "FROM routes r", PeopleJoins("r.person_id"),
                           "LEFT JOIN route_settings rset ON rset.region_id = r.region_id "
                           "LEFT JOIN route_signatures ss ON ss.route_id = r.id AND ss.kind = 2 "
                           "WHERE r.status = 2 AND IFNULL(rset.approval_required, TRUE) AND ",
                           scope),
              {sid}};
    case Kind::kEnrolment: {
      std::vector<std::string> states;
      for (int s : ctx.enrolment_states) states.push_back(absl::StrCat(s));
      if (states.empty()) states.push_back("-1");
      return {absl::StrCat(Columns("ri.id", "ri.version", "ri.title",
                                   "IF(ri.enrolment_status = 1, 'Заявка подана — ждёт решения ОО', "
                                   "'Заявка одобрена — ждёт подтверждения зачисления')",
                                   "DATE(IF(ri.enrolment_status = 1, ri.enrol_applied_at, "
                                   "IFNULL(ri.enrol_decided_at, ri.enrol_applied_at)))",
                                   "ri.enrolment_status", "r.id"),
                           "FROM route_items ri JOIN routes r ON r.id = ri.route_id", PeopleJoins("r.person_id"),
                           "WHERE ri.enrolment_status IN (", absl::StrJoin(states, ","),
                           ") AND r.status IN (2, 3, 4) AND ", scope),
              {sid}};
    }
    case Kind::kMatchingProposal: {
      std::string where;
      switch (ctx.scope.kind) {
        case ScopeFilter::Kind::kRegion: where = "pr.region_id = ?"; break;
        case ScopeFilter::Kind::kDistrict: where = "pr.scope_district_id = ?"; break;
        case ScopeFilter::Kind::kMunicipality: where = "pr.scope_municipality_id = ?"; break;
        case ScopeFilter::Kind::kOrganization: where = "pr.scope_organization_id = ?"; break;
        case ScopeFilter::Kind::kPerson: where = "FALSE AND ? = 0"; break;
      }
      // A proposal concerns no one person: pid stays NULL and the scope's title is the title.
      return {absl::StrCat(
                  "SELECT pr.id AS tid, 0 AS tver, NULL AS pid, '' AS pname, '' AS org, "
                  "CONCAT('Подбор: ', COALESCE(so.short_name, sm.display_name, sd.display_name, sr.display_name, pr.scope)) "
                  "AS title, CONCAT('Пар: ', pr.matched, ' из ', pr.mentees, ' запросов') AS detail, "
                  "DATE(pr.created_at) AS d, pr.matched AS st, 0 AS rel "
                  "FROM matching_proposals pr "
                  "LEFT JOIN organizations so ON so.id = pr.scope_organization_id "
                  "LEFT JOIN municipalities sm ON so.id IS NULL AND sm.id = pr.scope_municipality_id "
                  "LEFT JOIN districts sd ON so.id IS NULL AND sm.id IS NULL AND sd.id = pr.scope_district_id "
                  "LEFT JOIN regions sr ON sr.id = pr.region_id "
                  "WHERE pr.state = 1 AND ",
                  where),
              {sid}};
    }
    case Kind::kCampaignNotDone:
      return {absl::StrCat(Columns("p.id", "0", "dc.title",
                                   "IF(cp.status = 2, 'Начал(а), но не закончил(а)', 'Не начал(а)')",
                                   "DATE(dc.close_time)", "cp.status", "dc.id"),
                           "FROM diagnostic_campaign_participants cp "
                           "JOIN diagnostic_campaigns dc ON dc.id = cp.campaign_id",
                           PeopleJoins("cp.person_id"),
                           "WHERE dc.state = 2 AND (dc.close_time IS NULL OR dc.close_time > CURRENT_TIMESTAMP(6)) "
                           "AND cp.status IN (1, 2) AND ",
                           scope),
              {sid}};
    case Kind::kOverdueItem:
      return {absl::StrCat(Columns("ri.id", "ri.version", "ri.title",
                                   "IF(ri.status = 2, 'Выполняется', 'Не начат')", "ri.deadline",
                                   "DATEDIFF(?, ri.deadline)", "r.id"),
                           "FROM route_items ri JOIN routes r ON r.id = ri.route_id", PeopleJoins("r.person_id"),
                           "WHERE ri.status IN (1, 2) AND ri.deadline < ? AND r.status IN (3, 4) AND ", scope),
              {ctx.today, ctx.today, sid}};
    case Kind::kPairWithoutMeeting: {
      const std::string last =
          "COALESCE((SELECT MAX(mm.meeting_date) FROM mentoring_meetings mm WHERE mm.pair_id = mpa.id), "
          "mpa.started_at, DATE(mpa.created_at))";
      return {absl::StrCat(Columns("mpa.id", "mpa.version",
                                   "COALESCE(CONCAT_WS(' ', mp.last_name, mp.first_name, NULLIF(mp.middle_name, '')), "
                                   "mo.short_name, '')",
                                   "IF(EXISTS (SELECT 1 FROM mentoring_meetings m0 WHERE m0.pair_id = mpa.id), "
                                   "'Последняя встреча', 'Встреч не было с начала работы пары')",
                                   last, absl::StrCat("FLOOR(DATEDIFF(?, ", last, ") / 7)"), "mpa.id"),
                           "FROM mentoring_pairs mpa", PeopleJoins("mpa.mentee_person_id"),
                           "LEFT JOIN people mp ON mp.id = mpa.mentor_person_id "
                           "LEFT JOIN organizations mo ON mo.id = mpa.mentor_organization_id "
                           "WHERE mpa.status = 2 AND ", last, " < ? AND ", scope),
              {ctx.today, ctx.meeting_cutoff, sid}};
    }
    case Kind::kItemRemark:
      return {absl::StrCat(Columns("d.id", "d.version", "CONCAT(di.title, ' — задание ', d.item_id)", "d.report_text",
                                   "DATE(d.created_at)", "d.category", "d.instrument_id"),
                           "FROM diagnostic_item_problem_reports d "
                           "JOIN diagnostic_instruments di ON di.id = d.instrument_id",
                           PeopleJoins("d.reporter_person_id"), "WHERE d.status = 1 AND ", scope),
              {sid}};
    case Kind::kExpertWork:
      // Handed-in works of ended sessions whose item no expert has scored yet.
      return {absl::StrCat(Columns("s.id", "s.version", "CONCAT(dc.title, ' — задание ', w.item_id)",
                                   "CASE w.kind WHEN 1 THEN 'Письменный ответ' "
                                   "WHEN 2 THEN CONCAT('Файл «', w.file_name, '»') ELSE 'Ссылка на видеозапись' END",
                                   "DATE(w.submitted_at)", "w.kind", "0"),
                           ", w.item_id AS iid "
                           "FROM diagnostic_expert_works w JOIN diagnostic_sessions s ON s.id = w.session_id "
                           "JOIN diagnostic_campaigns dc ON dc.id = s.campaign_id",
                           PeopleJoins("s.person_id"),
                           "WHERE s.state IN (2, 3) AND NOT EXISTS (SELECT 1 FROM diagnostic_external_scores x "
                           "WHERE x.session_id = w.session_id AND x.item_id = w.item_id) AND ",
                           scope),
              {sid}};
    case Kind::kYoungUnsupported: break;
  }
  return {"SELECT 0 AS tid, 0 AS tver, 0 AS pid, '' AS pname, '' AS org, '' AS title, '' AS detail, NULL AS d, "
          "0 AS st, 0 AS rel FROM DUAL WHERE FALSE",
          {}};
}

std::string TargetName(Kind kind, int64_t tid, int64_t rel) {
  switch (kind) {
    case Kind::kRouteToAgree:
    case Kind::kRouteToApprove: return ResourceName("routes", tid);
    case Kind::kEnrolment:
    case Kind::kOverdueItem: return absl::StrCat(ResourceName("routes", rel), "/items/", tid);
    case Kind::kMatchingProposal: return ResourceName("matchingProposals", tid);
    case Kind::kCampaignNotDone:
    case Kind::kYoungUnsupported: return ResourceName("people", tid);
    case Kind::kPairWithoutMeeting: return ResourceName("mentoringPairs", tid);
    case Kind::kItemRemark: return ResourceName("itemProblemReports", tid);
    case Kind::kExpertWork: return ResourceName("sessions", tid);
  }
  return "";
}

std::string RelatedName(Kind kind, int64_t rel, int64_t pid) {
  switch (kind) {
    case Kind::kEnrolment:
    case Kind::kOverdueItem: return ResourceName("routes", rel);
    case Kind::kCampaignNotDone: return ResourceName("campaigns", rel);
    case Kind::kPairWithoutMeeting: return pid > 0 ? ResourceName("people", pid) : "";
    case Kind::kItemRemark: return ResourceName("instruments", rel);
    default: return "";
  }
}

std::string OrderBy(inbox::Sort sort) {
  switch (sort) {
    case inbox::Sort::kDateDesc: return "x.d IS NULL, x.d DESC, x.pname, x.tid";
    case inbox::Sort::kName: return "x.pname = '', x.pname, x.title, x.d, x.tid";
    case inbox::Sort::kUrgent:
    case inbox::Sort::kDateAsc: break;
  }
  return "x.d IS NULL, x.d, x.pname, x.tid";
}

std::string LikePattern(const std::string& text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

}  // namespace

int64_t InboxRepository::Count(sql::Connection& c, Kind kind, const Context& ctx) {
  KindSql k = ForKind(kind, ctx);
  Stmt s(c, absl::StrCat("SELECT COUNT(*) FROM (", k.select, ") x"));
  BindAll(s, k.binds);
  auto rs = s.Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

std::vector<v1::InboxEntry> InboxRepository::List(sql::Connection& c, const inbox::Query& q, const Context& ctx,
                                                  int64_t* total) {
  KindSql k = ForKind(q.kind, ctx);
  std::string where = "TRUE";
  std::vector<Bind> binds = k.binds;
  if (!q.text.empty()) {
    where = "(x.pname LIKE ? OR x.org LIKE ? OR x.title LIKE ?)";
    for (int i = 0; i < 3; ++i) binds.emplace_back(LikePattern(q.text));
  }
  {
    Stmt s(c, absl::StrCat("SELECT COUNT(*) FROM (", k.select, ") x WHERE ", where));
    BindAll(s, binds);
    auto rs = s.Query();
    *total = rs->next() ? rs->getInt64(1) : 0;
  }
  Stmt s(c, absl::StrCat("SELECT x.* FROM (", k.select, ") x WHERE ", where, " ORDER BY ", OrderBy(q.sort),
                         " LIMIT ? OFFSET ?"));
  BindAll(s, binds);
  s.Int(q.page_size).Int(q.offset);
  auto rs = s.Query();
  std::vector<v1::InboxEntry> out;
  while (rs->next()) {
    v1::InboxEntry e;
    const int64_t tid = rs->getInt64("tid"), pid = GetInt(*rs, "pid"), rel = GetInt(*rs, "rel");
    e.set_kind(static_cast<v1::InboxEntryKind>(q.kind));
    e.set_target(TargetName(q.kind, tid, rel));
    e.set_target_version(rs->getInt64("tver"));
    if (pid > 0) e.set_person(ResourceName("people", pid));
    e.set_person_name(GetStr(*rs, "pname"));
    e.set_organization_title(GetStr(*rs, "org"));
    e.set_title(GetStr(*rs, "title"));
    e.set_detail(GetStr(*rs, "detail"));
    auto day = GetDay(*rs, "d");
    if (day) *e.mutable_date() = mapping::ToProtoDate(day);
    e.set_state(GetInt(*rs, "st"));
    e.set_related(RelatedName(q.kind, rel, pid));
    if (q.kind == Kind::kExpertWork) e.set_item_id(GetStr(*rs, "iid"));
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<InboxRepository::Campaign> InboxRepository::GetCampaign(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, "SELECT id, region_id, title, state, DATE(close_time) AS close_day FROM diagnostic_campaigns "
                    "WHERE id = ?")
                .Int(id)
                .Query();
  if (!rs->next()) return std::nullopt;
  Campaign out;
  out.id = rs->getInt64("id");
  out.region_id = rs->getInt64("region_id");
  out.title = GetStr(*rs, "title");
  out.state = rs->getInt("state");
  out.close_day = GetDay(*rs, "close_day");
  return out;
}

int InboxRepository::ParticipantStatus(sql::Connection& c, int64_t campaign_id, int64_t person_id) {
  auto rs = Stmt(c, "SELECT status FROM diagnostic_campaign_participants WHERE campaign_id = ? AND person_id = ?")
                .Int(campaign_id)
                .Int(person_id)
                .Query();
  return rs->next() ? rs->getInt(1) : 0;
}

int InboxRepository::MeetingGapWeeks(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, "SELECT meeting_gap_weeks FROM mentoring_settings WHERE region_id = ?").Int(region_id).Query();
  return rs->next() ? rs->getInt(1) : 4;
}

}  // namespace nms::db
