// MentoringRepository: pairs with their plan, meetings, feedback, and school programmes.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/db/stored_proto.h"
#include "server/db/mentoring_repository.h"
#include "server/db/mentoring_sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using namespace msql;  // NOLINT
namespace v1 = nms::v1;

std::string PairColumns() {
  return absl::StrCat(
      "q.id, q.region_id, q.mentor_profile_id, q.mentor_person_id, q.mentor_organization_id, q.mentee_person_id, "
      "q.mentee_organization_id, q.mentee_request_id, q.pair_type, q.indicator_codes, q.subjects, q.status, "
      "UNIX_TIMESTAMP(q.mentor_accepted_at) AS mentor_acc, UNIX_TIMESTAMP(q.mentee_accepted_at) AS mentee_acc, "
      "q.close_reason, q.outcome, q.outcome_comment, q.started_at, q.planned_end_date, q.ended_at, q.programme_id, "
      "q.route_item, q.proposal_id, q.explanation, q.version, UNIX_TIMESTAMP(q.created_at) AS created_unix, "
      "UNIX_TIMESTAMP(q.updated_at) AS updated_unix, ",
      DisplayNameSql("ap", "ao"), " AS mentor_name, ", DisplayNameSql("ep", "eo"), " AS mentee_name, ",
      "(SELECT sc.shared_contact FROM mentor_profiles sc WHERE sc.id = q.mentor_profile_id) AS mentor_contact, "
      "(SELECT COUNT(*) FROM mentoring_meetings mh WHERE mh.pair_id = q.id AND mh.held) AS meetings_held, "
      "(SELECT MAX(mh.meeting_date) FROM mentoring_meetings mh WHERE mh.pair_id = q.id AND mh.held) AS last_meeting ");
}

std::string PairFrom() {
  return absl::StrCat("mentoring_pairs q", SideJoins("ap", "ao", "q.mentor_person_id", "q.mentor_organization_id"),
                      SideJoins("ep", "eo", "q.mentee_person_id", "q.mentee_organization_id"));
}

EntityRef Side(sql::ResultSet& rs, const char* person_col, const char* org_col) {
  const int64_t person = GetInt(rs, person_col);
  return person != 0 ? EntityRef{false, person} : EntityRef{true, GetInt(rs, org_col)};
}

MentoringRepository::PairRow ReadPair(sql::ResultSet& rs) {
  MentoringRepository::PairRow row;
  row.id = rs.getInt64("id");
  row.region_id = rs.getInt64("region_id");
  row.profile_id = rs.getInt64("mentor_profile_id");
  row.request_id = GetInt(rs, "mentee_request_id");
  row.programme_id = GetInt(rs, "programme_id");
  row.mentor = Side(rs, "mentor_person_id", "mentor_organization_id");
  row.mentee = Side(rs, "mentee_person_id", "mentee_organization_id");
  row.mentor_accepted = !rs.isNull("mentor_acc");
  row.mentee_accepted = !rs.isNull("mentee_acc");
  v1::MentoringPair& p = row.pair;
  p.set_name(ResourceName("mentoringPairs", row.id));
  p.set_mentor_profile(ResourceName("mentorProfiles", row.profile_id));
  p.set_mentor(row.mentor.Name());
  p.set_mentor_display_name(GetStr(rs, "mentor_name"));
  p.set_mentee(row.mentee.Name());
  p.set_mentee_display_name(GetStr(rs, "mentee_name"));
  if (row.request_id != 0) p.set_mentee_request(ResourceName("menteeRequests", row.request_id));
  p.set_pair_type(static_cast<v1::PairType>(rs.getInt("pair_type")));
  for (auto& s : SplitList(GetStr(rs, "indicator_codes"))) p.add_indicator_codes(s);
  for (auto& s : SplitList(GetStr(rs, "subjects"))) p.add_subjects(s);
  p.set_status(static_cast<v1::MentoringPairStatus>(rs.getInt("status")));
  if (row.mentor_accepted) *p.mutable_mentor_accept_time() = Seconds(rs.getInt64("mentor_acc"));
  if (row.mentee_accepted) *p.mutable_mentee_accept_time() = Seconds(rs.getInt64("mentee_acc"));
  p.set_close_reason(GetStr(rs, "close_reason"));
  p.set_outcome(static_cast<v1::MentoringOutcome>(rs.getInt("outcome")));
  p.set_outcome_comment(GetStr(rs, "outcome_comment"));
  p.set_allocated_start_date(mapping::NewProtoDate(GetDay(rs, "started_at")));
  p.set_allocated_planned_end_date(mapping::NewProtoDate(GetDay(rs, "planned_end_date")));
  p.set_allocated_end_date(mapping::NewProtoDate(GetDay(rs, "ended_at")));
  if (row.programme_id != 0) p.set_programme(ResourceName("mentoringProgrammes", row.programme_id));
  p.set_route_item(GetStr(rs, "route_item"));
  if (int64_t prop = GetInt(rs, "proposal_id")) p.set_proposal(ResourceName("matchingProposals", prop));
  if (!rs.isNull("explanation")) ParseStoredBinary(GetBytes(rs, "explanation"), p.mutable_explanation(), "mentoring_pairs.explanation");
  p.set_version(rs.getInt64("version"));
  // Shared for working together: only while the pair is proposed or active.
  if (p.status() == v1::MENTORING_PAIR_STATUS_PROPOSED || p.status() == v1::MENTORING_PAIR_STATUS_ACTIVE) {
    p.set_mentor_shared_contact(GetStr(rs, "mentor_contact"));
  }
  p.set_meetings_held(static_cast<int32_t>(GetInt(rs, "meetings_held")));
  p.set_allocated_last_meeting_date(mapping::NewProtoDate(GetDay(rs, "last_meeting")));
  *p.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  *p.mutable_update_time() = Seconds(GetInt(rs, "updated_unix"));
  return row;
}

// Goals of the given pairs, appended to them in plan order.
void LoadGoals(sql::Connection& c, std::vector<v1::MentoringPair*>& pairs) {
  if (pairs.empty()) return;
  absl::flat_hash_map<int64_t, v1::MentoringPair*> by_id;
  std::vector<int64_t> ids;
  for (auto* p : pairs) {
    int64_t id = 0;
    (void)absl::SimpleAtoi(absl::string_view(p->name()).substr(sizeof("mentoringPairs/") - 1), &id);
    by_id[id] = p;
    ids.push_back(id);
  }
  auto rs = Stmt(c, absl::StrCat("SELECT pair_id, goal_id, title, indicator_codes, due_date, status FROM "
                                 "mentoring_pair_goals WHERE pair_id IN (",
                                 absl::StrJoin(ids, ","), ") ORDER BY pair_id, ordinal"))
                .Query();
  while (rs->next()) {
    auto it = by_id.find(rs->getInt64("pair_id"));
    if (it == by_id.end()) continue;
    v1::MentoringGoal* g = it->second->add_goals();
    g->set_goal_id(GetStr(*rs, "goal_id"));
    g->set_title(GetStr(*rs, "title"));
    for (auto& s : SplitList(GetStr(*rs, "indicator_codes"))) g->add_indicator_codes(s);
    g->set_allocated_due_date(mapping::NewProtoDate(GetDay(*rs, "due_date")));
    g->set_status(static_cast<v1::MentoringGoalStatus>(rs->getInt("status")));
  }
}

std::string MeetingColumns() {
  return "mm.id, mm.pair_id, mm.meeting_date, mm.topic, mm.notes, mm.duration_minutes, mm.format, mm.held, mm.version, "
         "UNIX_TIMESTAMP(mm.created_at) AS created_unix ";
}

MentoringRepository::MeetingRow ReadMeeting(sql::ResultSet& rs) {
  MentoringRepository::MeetingRow row;
  row.id = rs.getInt64("id");
  row.pair_id = rs.getInt64("pair_id");
  v1::MentoringMeeting& m = row.meeting;
  m.set_name(absl::StrCat("mentoringPairs/", row.pair_id, "/meetings/", row.id));
  m.set_allocated_meeting_date(mapping::NewProtoDate(GetDay(rs, "meeting_date")));
  m.set_topic(GetStr(rs, "topic"));
  m.set_notes(GetStr(rs, "notes"));
  m.set_duration_minutes(rs.getInt("duration_minutes"));
  m.set_format(static_cast<v1::MeetingFormat>(rs.getInt("format")));
  m.set_held(rs.getBoolean("held"));
  m.set_version(rs.getInt64("version"));
  *m.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  return row;
}

std::string FeedbackColumns() {
  return "f.id, f.pair_id, f.side, f.author_person_id, f.rating, f.body, UNIX_TIMESTAMP(f.created_at) AS created_unix ";
}

v1::MentoringFeedback ReadFeedback(sql::ResultSet& rs) {
  v1::MentoringFeedback f;
  f.set_name(absl::StrCat("mentoringPairs/", rs.getInt64("pair_id"), "/feedback/", rs.getInt64("id")));
  f.set_side(static_cast<v1::PairSide>(rs.getInt("side")));
  if (int64_t a = GetInt(rs, "author_person_id")) f.set_author(ResourceName("people", a));
  f.set_rating(rs.getInt("rating"));
  f.set_text(GetStr(rs, "body"));
  *f.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  return f;
}

std::string ProgrammeColumns() {
  return "pg.id, pg.region_id, pg.organization_id, pg.title, pg.coordinator_person_id, pg.adoption_document, "
         "pg.adoption_date, pg.start_date, pg.end_date, pg.pair_types, pg.status, pg.version, "
         "UNIX_TIMESTAMP(pg.created_at) AS created_unix, UNIX_TIMESTAMP(pg.updated_at) AS updated_unix, "
         "(SELECT COUNT(*) FROM mentoring_pairs q WHERE q.programme_id = pg.id AND q.status = 2) AS active_pairs ";
}

MentoringRepository::ProgrammeRow ReadProgramme(sql::ResultSet& rs) {
  MentoringRepository::ProgrammeRow row;
  row.id = rs.getInt64("id");
  row.region_id = rs.getInt64("region_id");
  row.organization_id = rs.getInt64("organization_id");
  v1::MentoringProgramme& p = row.programme;
  p.set_name(ResourceName("mentoringProgrammes", row.id));
  p.set_organization(ResourceName("organizations", row.organization_id));
  p.set_title(GetStr(rs, "title"));
  if (int64_t co = GetInt(rs, "coordinator_person_id")) p.set_coordinator(ResourceName("people", co));
  p.set_adoption_document(GetStr(rs, "adoption_document"));
  p.set_allocated_adoption_date(mapping::NewProtoDate(GetDay(rs, "adoption_date")));
  p.set_allocated_start_date(mapping::NewProtoDate(GetDay(rs, "start_date")));
  p.set_allocated_end_date(mapping::NewProtoDate(GetDay(rs, "end_date")));
  for (int t : SplitInts(GetStr(rs, "pair_types"))) p.add_pair_types(static_cast<v1::PairType>(t));
  p.set_status(static_cast<v1::MentoringProgrammeStatus>(rs.getInt("status")));
  p.set_active_pairs(static_cast<int>(rs.getInt64("active_pairs")));
  p.set_version(rs.getInt64("version"));
  *p.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  *p.mutable_update_time() = Seconds(GetInt(rs, "updated_unix"));
  return row;
}

}  // namespace

// ---------------------------------------------------------------- pairs

absl::StatusOr<MentoringRepository::PairRow> MentoringRepository::GetPair(sql::Connection& c, int64_t id,
                                                                         bool for_update) {
  if (for_update) {
    auto lock = Stmt(c, "SELECT id FROM mentoring_pairs WHERE id = ? FOR UPDATE").Int(id).Query();
    if (!lock->next()) return absl::NotFoundError(absl::StrCat("Пара наставничества ", id, " не найдена"));
  }
  auto rs = Stmt(c, absl::StrCat("SELECT ", PairColumns(), "FROM ", PairFrom(), "WHERE q.id = ?")).Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Пара наставничества ", id, " не найдена"));
  PairRow row = ReadPair(*rs);
  rs.reset();
  std::vector<v1::MentoringPair*> one{&row.pair};
  LoadGoals(c, one);
  return row;
}

int64_t MentoringRepository::InsertPair(sql::Connection& c, const NewPair& p) {
  Stmt st(c,
          "INSERT INTO mentoring_pairs (region_id, mentor_profile_id, mentor_person_id, mentor_organization_id, "
          "mentee_person_id, mentee_organization_id, mentee_request_id, pair_type, indicator_codes, subjects, status, "
          "planned_end_date, programme_id, route_item, proposal_id, explanation) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)");
  st.Int(p.region_id).Int(p.profile_id);
  // Organisation columns are set only for organisation-to-organisation pairs (the contract
  // monitoring reads for management mentoring).
  if (p.mentor.organization) st.Null().Int(p.mentor.id); else st.Int(p.mentor.id).Null();
  if (p.mentee.organization) st.Null().Int(p.mentee.id); else st.Int(p.mentee.id).Null();
  st.OptInt(p.request_id)
      .Int(p.pair_type)
      .Str(JoinList(p.indicator_codes))
      .Str(JoinList(p.subjects))
      .Day(p.planned_end_date)
      .OptInt(p.programme_id)
      .OptStr(p.route_item)
      .OptInt(p.proposal_id);
  if (p.explanation.empty()) st.Null(); else st.Blob(p.explanation);
  st.Execute();
  return LastInsertId(c);
}

void MentoringRepository::UpdatePairLifecycle(sql::Connection& c, int64_t id, const PairLifecycle& l) {
  Stmt(c,
       "UPDATE mentoring_pairs SET status = ?, "
       "mentor_accepted_at = IF(?, COALESCE(mentor_accepted_at, CURRENT_TIMESTAMP(6)), NULL), "
       "mentee_accepted_at = IF(?, COALESCE(mentee_accepted_at, CURRENT_TIMESTAMP(6)), NULL), "
       "close_reason = ?, outcome = ?, outcome_comment = ?, started_at = ?, ended_at = ?, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(l.status)
      .Bool(l.mentor_accepted)
      .Bool(l.mentee_accepted)
      .Str(l.close_reason)
      .Int(l.outcome)
      .Str(l.outcome_comment)
      .Day(l.started)
      .Day(l.ended)
      .Int(id)
      .Execute();
}

void MentoringRepository::UpdatePairPlan(sql::Connection& c, int64_t id, const v1::MentoringPair& p,
                                         int64_t programme_id) {
  Stmt(c,
       "UPDATE mentoring_pairs SET subjects = ?, indicator_codes = ?, planned_end_date = ?, programme_id = ?, "
       "version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(JoinList(p.subjects()))
      .Str(JoinList(p.indicator_codes()))
      .Day(FromDate(p.planned_end_date()))
      .OptInt(programme_id)
      .Int(id)
      .Execute();
  ReplaceGoals(c, id, p.goals());
}

void MentoringRepository::ReplaceGoals(sql::Connection& c, int64_t id,
                                       const google::protobuf::RepeatedPtrField<v1::MentoringGoal>& goals) {
  Stmt(c, "DELETE FROM mentoring_pair_goals WHERE pair_id = ?").Int(id).Execute();
  int ordinal = 0;
  for (const auto& g : goals) {
    Stmt(c,
         "INSERT INTO mentoring_pair_goals (pair_id, goal_id, ordinal, title, indicator_codes, due_date, status) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .Int(id)
        .Str(g.goal_id())
        .Int(ordinal++)
        .Str(g.title())
        .Str(JoinList(g.indicator_codes()))
        .Day(FromDate(g.due_date()))
        .Int(g.status())
        .Execute();
  }
}

absl::Status MentoringRepository::ListPairs(sql::Connection& c, const ScopeFilter& scope,
                                            const std::vector<FilterTerm>& filter, const PageRequest& page,
                                            std::vector<v1::MentoringPair>* out, int64_t* next_after, int64_t* total) {
  Where w;
  // A pair is in a scope when either side is.
  w.Add(absl::StrCat("(", SideInScope(scope, "q.region_id", "eo", "q.mentee_person_id"), ") OR (",
                     SideInScope(scope, "q.region_id", "ao", "q.mentor_person_id"), ")"));
  w.binds.emplace_back(scope.id);
  w.binds.emplace_back(scope.id);
  for (const auto& t : filter) {
    if (t.field == "mentor" || t.field == "mentee") {
      auto e = EntityValue(t);
      if (!e.ok()) return e.status();
      w.Add(absl::StrCat("q.", t.field, e->organization ? "_organization_id = ?" : "_person_id = ?"), e->id);
    } else if (t.field == "mentor_profile") {
      RETURN_IF_ERROR(AddRef(w, t, "mentorProfiles", "q.mentor_profile_id = ?"));
    } else if (t.field == "status") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::MentoringPairStatus_descriptor(), "q.status = ?"));
    } else if (t.field == "pair_type") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::PairType_descriptor(), "q.pair_type = ?"));
    } else if (t.field == "programme") {
      RETURN_IF_ERROR(AddRef(w, t, "mentoringProgrammes", "q.programme_id = ?"));
    } else if (t.field == "organization") {
      RETURN_IF_ERROR(AddRef(w, t, "organizations", "eo.id = ? OR ao.id = ?", 2));
    } else if (t.field == "municipality") {
      RETURN_IF_ERROR(AddRef(w, t, "municipalities", "eo.municipality_id = ? OR ao.municipality_id = ?", 2));
    }
  }
  RunList(c, PairColumns(), PairFrom(), w, "q.id", page,
          [&](sql::ResultSet& rs) { out->push_back(ReadPair(rs).pair); }, next_after, total);
  std::vector<v1::MentoringPair*> ptrs;
  for (auto& p : *out) ptrs.push_back(&p);
  LoadGoals(c, ptrs);
  return absl::OkStatus();
}

bool MentoringRepository::LivePairExists(sql::Connection& c, int64_t profile_id, const EntityRef& mentee) {
  auto rs = Stmt(c, absl::StrCat("SELECT 1 FROM mentoring_pairs WHERE mentor_profile_id = ? AND ",
                                 mentee.organization ? "mentee_organization_id" : "mentee_person_id",
                                 " = ? AND status IN (1, 2) LIMIT 1"))
                .Int(profile_id)
                .Int(mentee.id)
                .Query();
  return rs->next();
}

// ---------------------------------------------------------------- meetings and feedback

absl::StatusOr<MentoringRepository::MeetingRow> MentoringRepository::GetMeeting(sql::Connection& c, int64_t id,
                                                                               bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", MeetingColumns(), "FROM mentoring_meetings mm WHERE mm.id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Встреча ", id, " не найдена"));
  return ReadMeeting(*rs);
}

int64_t MentoringRepository::InsertMeeting(sql::Connection& c, int64_t pair_id, const v1::MentoringMeeting& m,
                                           int64_t account_id) {
  Stmt(c,
       "INSERT INTO mentoring_meetings (pair_id, meeting_date, topic, notes, duration_minutes, format, held, "
       "created_by_account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .Int(pair_id)
      .Day(FromDate(m.meeting_date()))
      .Str(m.topic())
      .Str(m.notes())
      .Int(m.duration_minutes())
      .Int(m.format())
      .Bool(m.held())
      .OptInt(account_id)
      .Execute();
  return LastInsertId(c);
}

void MentoringRepository::UpdateMeeting(sql::Connection& c, int64_t id, const v1::MentoringMeeting& m) {
  Stmt(c,
       "UPDATE mentoring_meetings SET meeting_date = ?, topic = ?, notes = ?, duration_minutes = ?, format = ?, "
       "held = ?, version = version + 1 WHERE id = ?")
      .Day(FromDate(m.meeting_date()))
      .Str(m.topic())
      .Str(m.notes())
      .Int(m.duration_minutes())
      .Int(m.format())
      .Bool(m.held())
      .Int(id)
      .Execute();
}

void MentoringRepository::DeleteMeeting(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM mentoring_meetings WHERE id = ?").Int(id).Execute();
}

absl::Status MentoringRepository::ListMeetings(sql::Connection& c, int64_t pair_id,
                                               const std::vector<FilterTerm>& filter, const PageRequest& page,
                                               std::vector<v1::MentoringMeeting>* out, int64_t* next_after,
                                               int64_t* total) {
  Where w;
  w.Add("mm.pair_id = ?", pair_id);
  for (const auto& t : filter) {
    if (t.field == "meeting_date") {
      auto day = FilterDay(t);
      if (!day.ok()) return day.status();
      w.Add("mm.meeting_date = ?", FormatDay(*day));
    }
    if (t.field == "held") {
      auto v = FilterBool(t);
      if (!v.ok()) return v.status();
      w.Add("mm.held = ?", int64_t{*v});
    }
  }
  RunList(c, MeetingColumns(), "mentoring_meetings mm", w, "mm.id", page,
          [&](sql::ResultSet& rs) { out->push_back(ReadMeeting(rs).meeting); }, next_after, total);
  return absl::OkStatus();
}

int64_t MentoringRepository::InsertFeedback(sql::Connection& c, int64_t pair_id, int side, int64_t author_person_id,
                                            const v1::MentoringFeedback& f) {
  Stmt(c, "INSERT INTO mentoring_feedback (pair_id, side, author_person_id, rating, body) VALUES (?, ?, ?, ?, ?)")
      .Int(pair_id)
      .Int(side)
      .OptInt(author_person_id)
      .Int(f.rating())
      .Str(f.text())
      .Execute();
  return LastInsertId(c);
}

absl::StatusOr<v1::MentoringFeedback> MentoringRepository::GetFeedback(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", FeedbackColumns(), "FROM mentoring_feedback f WHERE f.id = ?")).Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Отзыв ", id, " не найден"));
  return ReadFeedback(*rs);
}

absl::Status MentoringRepository::ListFeedback(sql::Connection& c, int64_t pair_id,
                                               const std::vector<FilterTerm>& filter, const PageRequest& page,
                                               std::vector<v1::MentoringFeedback>* out, int64_t* next_after,
                                               int64_t* total) {
  Where w;
  w.Add("f.pair_id = ?", pair_id);
  for (const auto& t : filter) {
    if (t.field == "side") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::PairSide_descriptor(), "f.side = ?"));
    }
  }
  RunList(c, FeedbackColumns(), "mentoring_feedback f", w, "f.id", page,
          [&](sql::ResultSet& rs) { out->push_back(ReadFeedback(rs)); }, next_after, total);
  return absl::OkStatus();
}

// ---------------------------------------------------------------- programmes

absl::StatusOr<MentoringRepository::ProgrammeRow> MentoringRepository::GetProgramme(sql::Connection& c, int64_t id,
                                                                                   bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", ProgrammeColumns(), "FROM mentoring_programmes pg WHERE pg.id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Программа наставничества ", id, " не найдена"));
  return ReadProgramme(*rs);
}

std::optional<int64_t> MentoringRepository::FindLiveProgramme(sql::Connection& c, int64_t organization_id,
                                                              int64_t except_id) {
  auto rs = Stmt(c,
                 "SELECT id FROM mentoring_programmes WHERE organization_id = ? AND status IN (1, 2) AND id <> ? "
                 "ORDER BY id LIMIT 1 FOR UPDATE")
                .Int(organization_id)
                .Int(except_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

int64_t MentoringRepository::InsertProgramme(sql::Connection& c, int64_t region_id, int64_t organization_id,
                                             int64_t coordinator_id, const v1::MentoringProgramme& p) {
  Stmt(c,
       "INSERT INTO mentoring_programmes (region_id, organization_id, title, coordinator_person_id, adoption_document, "
       "adoption_date, start_date, end_date, pair_types, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Int(region_id)
      .Int(organization_id)
      .Str(p.title())
      .OptInt(coordinator_id)
      .Str(p.adoption_document())
      .Day(FromDate(p.adoption_date()))
      .Day(FromDate(p.start_date()))
      .Day(FromDate(p.end_date()))
      .Str(JoinInts(p.pair_types()))
      .Int(p.status())
      .Execute();
  return LastInsertId(c);
}

void MentoringRepository::UpdateProgramme(sql::Connection& c, int64_t id, int64_t coordinator_id,
                                          const v1::MentoringProgramme& p) {
  Stmt(c,
       "UPDATE mentoring_programmes SET title = ?, coordinator_person_id = ?, adoption_document = ?, adoption_date = ?, "
       "start_date = ?, end_date = ?, pair_types = ?, status = ?, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(p.title())
      .OptInt(coordinator_id)
      .Str(p.adoption_document())
      .Day(FromDate(p.adoption_date()))
      .Day(FromDate(p.start_date()))
      .Day(FromDate(p.end_date()))
      .Str(JoinInts(p.pair_types()))
      .Int(p.status())
      .Int(id)
      .Execute();
}

void MentoringRepository::SetProgrammeStatus(sql::Connection& c, int64_t id, int status) {
  Stmt(c, "UPDATE mentoring_programmes SET status = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(status)
      .Int(id)
      .Execute();
}

void MentoringRepository::DeleteProgramme(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM mentoring_programmes WHERE id = ?").Int(id).Execute();
}

int MentoringRepository::CountProgrammePairs(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, "SELECT COUNT(*) FROM mentoring_pairs WHERE programme_id = ?").Int(id).Query();
  return rs->next() ? static_cast<int>(rs->getInt64(1)) : 0;
}

absl::Status MentoringRepository::ListProgrammes(sql::Connection& c, const ScopeFilter& scope,
                                                 const std::vector<FilterTerm>& filter,
                                                 const PageRequest& page, std::vector<v1::MentoringProgramme>* out,
                                                 int64_t* next_after, int64_t* total) {
  Where w;
  switch (scope.kind) {
    case ScopeFilter::Kind::kRegion: w.Add("pg.region_id = ?", scope.id); break;
    case ScopeFilter::Kind::kDistrict:
      w.Add("o.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)", scope.id);
      break;
    case ScopeFilter::Kind::kMunicipality: w.Add("o.municipality_id = ?", scope.id); break;
    case ScopeFilter::Kind::kOrganization: w.Add("pg.organization_id = ?", scope.id); break;
    // A teacher sees the programmes of their own school.
    case ScopeFilter::Kind::kPerson: w.Add("pg.organization_id = (SELECT organization_id FROM people WHERE id = ?)", scope.id); break;
  }
  for (const auto& t : filter) {
    if (t.field == "organization") {
      RETURN_IF_ERROR(AddRef(w, t, "organizations", "pg.organization_id = ?"));
    } else if (t.field == "municipality") {
      RETURN_IF_ERROR(AddRef(w, t, "municipalities", "o.municipality_id = ?"));
    } else if (t.field == "status") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::MentoringProgrammeStatus_descriptor(), "pg.status = ?"));
    }
  }
  RunList(c, ProgrammeColumns(), "mentoring_programmes pg JOIN organizations o ON o.id = pg.organization_id", w, "pg.id",
          page, [&](sql::ResultSet& rs) { out->push_back(ReadProgramme(rs).programme); }, next_after, total);
  return absl::OkStatus();
}

}  // namespace nms::db
