// Demo stage: mentoring (see demo.h). Mentor profiles of experienced teachers (volunteers and
// nominees, some paused or not taking mentees), schools' mentoring programmes in most but not
// all schools (so indicator 9 has something to show), automatic requests for the young-teacher
// cohort and for ИОМ items «с наставником» (the service's own sync), some teachers' own
// requests, then the service's own matching over the region: most proposed pairs walked to
// ACTIVE (goals, meetings, feedback) or COMPLETED with an outcome, some still proposed or
// rejected, the first municipality left with open requests and an OPEN proposal to review.
// Management mentoring between organisations (indicator 10). teacher@demo.nms has an active
// mentor from their school with a plan and meetings. Deterministic for the seed (lots are drawn
// from the seed and ids), one transaction, skipped when the region has mentor profiles.

#include <iostream>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/cli/demo.h"
#include "server/db/audit.h"
#include "server/db/mentoring_repository.h"
#include "server/db/sql.h"
#include "server/domain/mentoring/eligibility.h"
#include "server/domain/young/cohort.h"
#include "server/services/convert.h"
#include "server/common/thread_pool.h"
#include "server/services/mentoring_operations.h"
#include "server/services/mentoring_support.h"

namespace nms::cli {
namespace {

namespace v1 = nms::v1;
using Repo = db::MentoringRepository;
using Day = absl::CivilDay;
using db::Stmt;
using services::ToProtoDate;

struct Teacher {
  int64_t id = 0, org = 0, mun = 0;
  int org_type = 0;
  int category = 0;
  int management_role = 0;
  std::optional<Day> birth, work_start;
  std::vector<std::string> subjects;
};

const char* const kGoals[] = {
    "Спланировать и провести открытый урок с анализом",
    "Освоить приёмы формирующего оценивания",
    "Разработать рабочую программу с учётом ФГОС",
    "Выстроить взаимодействие с родителями класса",
    "Освоить цифровые инструменты ФГИС «Моя школа»",
    "Подготовить выступление на методическом объединении",
};
const char* const kTopics[] = {
    "Знакомство, диагностика затруднений, план работы",
    "Посещение урока наставника и разбор",
    "Посещение урока наставляемого, обратная связь",
    "Технологическая карта урока",
    "Классное руководство: первое родительское собрание",
    "Итоги четверти, корректировка плана",
};

Teacher ReadTeacher(sql::ResultSet& rs) {
  Teacher t;
  t.id = rs.getInt64("id");
  t.org = db::GetInt(rs, "organization_id");
  t.mun = db::GetInt(rs, "municipality_id");
  t.org_type = rs.getInt("org_type");
  t.category = rs.getInt("qualification_category");
  t.management_role = rs.getInt("management_role");
  t.birth = db::GetDay(rs, "birth_date");
  t.work_start = db::GetDay(rs, "work_start_date");
  t.subjects = absl::StrSplit(db::GetStr(rs, "subjects"), '|', absl::SkipEmpty());
  return t;
}

absl::StatusOr<int64_t> AddProfile(sql::Connection& c, const DemoWorld& w, const db::EntityRef& mentor,
                                   v1::MentorProfile p, const mentoring::EligibilityRule& rule) {
  p.set_mentor(mentor.Name());
  if (p.status() == v1::MENTOR_PROFILE_STATUS_UNSPECIFIED) p.set_status(v1::MENTOR_PROFILE_STATUS_ACTIVE);
  if (!p.has_availability()) p.mutable_availability()->set_accepting(true);
  *p.mutable_eligibility() = services::mentoring_support::EligibilityToProto(
      mentoring::EvaluateEligibility(rule, Repo::LoadMentorFacts(c, mentor), w.today), absl::Now());
  const int64_t id = Repo::InsertProfile(c, w.region_id, mentor, p);
  auto row = Repo::GetProfile(c, id);
  if (!row.ok()) return row.status();
  db::WriteAudit(c, w.regional_admin_account_id, "CreateMentorProfile", row->profile.name(), nullptr, &row->profile);
  return id;
}

// Moves a PROPOSED pair to `status` with the dates of a pair started `start` (and ended `end`),
// its request following it, and records the change for the audit and the federal feed.
absl::Status Walk(sql::Connection& c, const DemoWorld& w, int64_t pair_id, v1::MentoringPairStatus status, Day start,
                  std::optional<Day> end, const std::string& reason, v1::MentoringOutcome outcome) {
  auto before = Repo::GetPair(c, pair_id);
  if (!before.ok()) return before.status();
  Repo::PairLifecycle l;
  l.status = status;
  l.mentor_accepted = status != v1::MENTORING_PAIR_STATUS_REJECTED;
  l.mentee_accepted = status == v1::MENTORING_PAIR_STATUS_ACTIVE || status == v1::MENTORING_PAIR_STATUS_COMPLETED;
  l.close_reason = reason;
  l.outcome = outcome;
  if (outcome == v1::MENTORING_OUTCOME_ACHIEVED) l.outcome_comment = "Цели плана достигнуты, наставляемый ведёт уроки самостоятельно";
  if (outcome == v1::MENTORING_OUTCOME_PARTIALLY_ACHIEVED) l.outcome_comment = "Часть целей перенесена в ИОМ";
  if (l.mentee_accepted) l.started = start;
  l.ended = end;
  Repo::UpdatePairLifecycle(c, pair_id, l);
  if (before->request_id != 0) {
    int request_status = v1::MENTEE_REQUEST_STATUS_PAIRED;
    int64_t keep_pair = pair_id;
    if (status == v1::MENTORING_PAIR_STATUS_REJECTED || status == v1::MENTORING_PAIR_STATUS_CANCELLED) {
      request_status = v1::MENTEE_REQUEST_STATUS_OPEN;
      keep_pair = 0;
    }
    Repo::SetRequestState(c, before->request_id, request_status, keep_pair, "",
                          status == v1::MENTORING_PAIR_STATUS_COMPLETED);
  }
  auto after = Repo::GetPair(c, pair_id);
  if (!after.ok()) return after.status();
  services::mentoring_support::RecordPairChange(c, w.regional_admin_account_id, "DemoMentoringPair", w.region_id,
                                                &before->pair, after->pair);
  return absl::OkStatus();
}

// Goals, meetings and feedback of an active or completed pair.
void Fill(sql::Connection& c, const DemoWorld& w, const Repo::PairRow& pair, Day start, std::optional<Day> end,
          uint64_t lot) {
  v1::MentoringPair plan = pair.pair;
  plan.clear_goals();
  const int goals = 2 + static_cast<int>(lot % 2);
  for (int k = 0; k < goals; ++k) {
    v1::MentoringGoal* g = plan.add_goals();
    g->set_goal_id(absl::StrCat("g", k + 1));
    g->set_title(kGoals[(lot / 7 + k) % std::size(kGoals)]);
    const Day due = start + 60 * (k + 1);
    *g->mutable_due_date() = ToProtoDate(due);
    g->set_status(end || due < w.today - 10 ? v1::MENTORING_GOAL_STATUS_ACHIEVED : v1::MENTORING_GOAL_STATUS_OPEN);
  }
  *plan.mutable_planned_end_date() = ToProtoDate(start + 270);
  Repo::ReplaceGoals(c, pair.id, plan.goals());
  Stmt(c, "UPDATE mentoring_pairs SET planned_end_date = ? WHERE id = ?").Day(start + 270).Int(pair.id).Execute();
  const Day last = end.value_or(w.today);
  int n = 0;
  for (Day d = start + 7; d <= last && n < 8; d += 21 + static_cast<int>((lot >> (n * 3)) % 14), ++n) {
    v1::MentoringMeeting m;
    *m.mutable_meeting_date() = ToProtoDate(d);
    m.set_topic(kTopics[(lot / 3 + n) % std::size(kTopics)]);
    m.set_format(n % 3 == 1 ? v1::MEETING_FORMAT_LESSON_VISIT : n % 3 == 2 ? v1::MEETING_FORMAT_ONLINE
                                                                             : v1::MEETING_FORMAT_IN_PERSON);
    m.set_duration_minutes(n % 3 == 1 ? 45 : 40);
    m.set_held(true);
    if (n == 0) m.set_notes("Определили дефициты и составили план на полугодие");
    Repo::InsertMeeting(c, pair.id, m, w.regional_admin_account_id);
  }
  if (!end) {
    v1::MentoringMeeting next;
    *next.mutable_meeting_date() = ToProtoDate(w.today + 5 + static_cast<int>(lot % 9));
    next.set_topic("Подготовка к открытому уроку");
    next.set_format(v1::MEETING_FORMAT_IN_PERSON);
    next.set_duration_minutes(45);
    Repo::InsertMeeting(c, pair.id, next, w.regional_admin_account_id);
  }
  if (end || lot % 3 == 0) {
    v1::MentoringFeedback f;
    f.set_rating(4 + static_cast<int>(lot % 2));
    f.set_text("Наставник всегда на связи, разборы уроков очень полезны");
    Repo::InsertFeedback(c, pair.id, v1::PAIR_SIDE_MENTEE, pair.mentee.organization ? 0 : pair.mentee.id, f);
  }
  if (end) {
    v1::MentoringFeedback f;
    f.set_rating(5);
    f.set_text("Наставляемый уверенно ведёт уроки, рекомендую к участию в конкурсе");
    Repo::InsertFeedback(c, pair.id, v1::PAIR_SIDE_MENTOR, pair.mentor.organization ? 0 : pair.mentor.id, f);
  }
}

}  // namespace

absl::Status SeedDemoMentoring(db::ConnectionPool& pool, const DemoWorld& w) {
  ThreadPool helper(1);  // matching's independent pieces on two threads, as the server runs them
  int profiles = 0, programmes = 0, requests = 0, active = 0, completed = 0, proposed = 0, open_left = 0;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    profiles = programmes = requests = active = completed = proposed = open_left = 0;
    if (Stmt(c, "SELECT 1 FROM mentor_profiles WHERE region_id = ? LIMIT 1").Int(w.region_id).Query()->next()) {
      return absl::OkStatus();
    }
    const mentoring::EligibilityRule rule = mentoring::DefaultRule();
    Repo::SaveSettings(c, w.region_id, rule, Repo::Settings{}.meeting_gap_weeks, 1);
    std::vector<Teacher> teachers;
    {
      auto rs = Stmt(c, "SELECT p.id, p.organization_id, p.municipality_id, o.type AS org_type, p.qualification_category, "
                        "p.management_role, p.birth_date, p.work_start_date, p.subjects FROM people p JOIN organizations o "
                        "ON o.id = p.organization_id WHERE p.region_id = ? AND o.type IN (1, 2, 3, 4) ORDER BY p.id")
                    .Int(w.region_id)
                    .Query();
      while (rs->next()) teachers.push_back(ReadTeacher(*rs));
    }
    // --- mentor profiles: experienced teachers of the first or highest category.
    int64_t teachers_mentor = 0;  // teacher@demo.nms's mentor: a colleague from the same school
    for (const Teacher& t : teachers) {
      if (t.id == w.teacher_person_id || t.management_role != 0 || !t.work_start) continue;
      const int years = (w.today - *t.work_start) / 365;
      const uint64_t lot = DemoLot(w.seed, t.id, 1);
      const bool colleague = t.org == w.first_school_id && teachers_mentor == 0 && years >= 5;
      if (!colleague && (years < 8 || t.category < 3 || lot % 100 >= 22)) continue;
      v1::MentorProfile p;
      const int nom = static_cast<int>((lot >> 8) % 20);
      p.set_nomination(nom < 8 ? v1::MENTOR_NOMINATION_SELF : nom < 17 ? v1::MENTOR_NOMINATION_SCHOOL
                                                                       : v1::MENTOR_NOMINATION_METHODIST);
      p.set_capacity(1 + static_cast<int>((lot >> 16) % 3));
      for (const auto& s : t.subjects) p.add_subjects(s);
      p.add_strong_areas(static_cast<v1::CompetencyArea>(1 + (lot >> 20) % 5));
      const int kind = static_cast<int>((lot >> 24) % 10);
      if (kind < 2) p.add_pair_types(v1::PAIR_TYPE_YOUNG_SPECIALIST);
      if (kind == 2) {
        p.add_pair_types(v1::PAIR_TYPE_SUBJECT);
        p.add_pair_types(v1::PAIR_TYPE_COMPETENCY_PEER);
      }
      if (!colleague && (lot >> 28) % 12 == 0) p.set_status(v1::MENTOR_PROFILE_STATUS_PAUSED);
      p.mutable_availability()->set_accepting(colleague || (lot >> 32) % 20 != 0);
      if ((lot >> 36) % 4 == 0) p.mutable_availability()->set_note("по вторникам и четвергам после 14:00");
      p.set_note(absl::StrCat("Педагогический стаж ", mentoring::YearsText(years)));
      auto id = AddProfile(c, w, {false, t.id}, p, rule);
      if (!id.ok()) return id.status();
      if (colleague) teachers_mentor = *id;
      ++profiles;
    }
    // --- programmes (целевая модель наставничества) in about three schools of four.
    std::vector<int64_t> schools;
    {
      auto rs = Stmt(c, "SELECT o.id, (SELECT p.id FROM people p WHERE p.organization_id = o.id AND p.management_role = 2 "
                        "ORDER BY p.id LIMIT 1) AS deputy FROM organizations o WHERE o.region_id = ? AND o.type = 1 "
                        "ORDER BY o.id")
                    .Int(w.region_id)
                    .Query();
      while (rs->next()) {
        const int64_t org = rs->getInt64("id");
        schools.push_back(org);
        const uint64_t lot = DemoLot(w.seed, org, 2);
        if (org != w.first_school_id && lot % 100 >= 76) continue;
        v1::MentoringProgramme pg;
        pg.set_title("Программа наставничества педагогических работников");
        pg.set_adoption_document(absl::StrCat("приказ № ", 30 + lot % 60, " от 01.09.", w.today.year() - 1));
        *pg.mutable_adoption_date() = ToProtoDate(Day(w.today.year() - 1, 9, 1));
        *pg.mutable_start_date() = ToProtoDate(Day(w.today.year() - 1, 9, 1));
        pg.add_pair_types(v1::PAIR_TYPE_YOUNG_SPECIALIST);
        pg.add_pair_types(v1::PAIR_TYPE_SUBJECT);
        pg.add_pair_types(v1::PAIR_TYPE_COMPETENCY_PEER);
        pg.set_status(org != w.first_school_id && lot % 100 >= 72 ? v1::MENTORING_PROGRAMME_STATUS_SUSPENDED
                                                                  : v1::MENTORING_PROGRAMME_STATUS_ACTIVE);
        const int64_t id = Repo::InsertProgramme(c, w.region_id, org, db::GetInt(*rs, "deputy"), pg);
        auto row = Repo::GetProgramme(c, id);
        if (!row.ok()) return row.status();
        db::WriteAudit(c, w.regional_admin_account_id, "CreateMentoringProgramme", row->programme.name(), nullptr,
                       &row->programme);
        ++programmes;
      }
    }
    // --- management mentoring: strong schools' teams mentor others (indicator 10).
    for (size_t k = 0; k + 1 < schools.size() && k < 40; k += 8) {
      v1::MentorProfile p;
      p.set_nomination(v1::MENTOR_NOMINATION_METHODIST);
      p.set_capacity(1);
      p.set_note("Управленческая команда — стажировочная площадка");
      auto id = AddProfile(c, w, {true, schools[k]}, p, rule);
      if (!id.ok()) return id.status();
      v1::MenteeRequest r;
      r.set_pair_type(v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT);
      r.set_note("Низкие образовательные результаты: нужна поддержка управленческой команды");
      Repo::InsertRequest(c, w.region_id, {true, schools[k + 1]}, r, v1::MENTEE_REQUEST_SOURCE_SCHOOL, "",
                          w.regional_admin_account_id);
      ++profiles;
      ++requests;
    }

    // --- teacher@demo.nms: an active mentor from their school with a plan and meetings.
    if (w.teacher_person_id != 0 && teachers_mentor != 0) {
      v1::MenteeRequest r;
      r.set_pair_type(v1::PAIR_TYPE_SUBJECT);
      r.set_note("Прошу наставника по подготовке к аттестации");
      const db::EntityRef me{false, w.teacher_person_id};
      if (auto s = services::mentoring_support::FillFromRecord(c, me, &r); !s.ok()) return s;
      const int64_t request = Repo::InsertRequest(c, w.region_id, me, r, v1::MENTEE_REQUEST_SOURCE_TEACHER, "",
                                                  w.regional_admin_account_id);
      auto profile = Repo::GetProfile(c, teachers_mentor);
      if (!profile.ok()) return profile.status();
      Repo::NewPair np;
      np.region_id = w.region_id;
      np.profile_id = teachers_mentor;
      np.mentor = profile->mentor;
      np.mentee = me;
      np.request_id = request;
      np.pair_type = v1::PAIR_TYPE_SUBJECT;
      np.subjects.assign(r.subjects().begin(), r.subjects().end());
      if (auto prog = Repo::FindLiveProgramme(c, w.first_school_id, 0)) np.programme_id = *prog;
      const int64_t pair = Repo::InsertPair(c, np);
      Repo::SetRequestState(c, request, v1::MENTEE_REQUEST_STATUS_PROPOSED, pair, "");
      const Day start = w.today - 75;
      if (auto s = Walk(c, w, pair, v1::MENTORING_PAIR_STATUS_ACTIVE, start, std::nullopt, "",
                        v1::MENTORING_OUTCOME_UNSPECIFIED);
          !s.ok()) {
        return s;
      }
      auto row = Repo::GetPair(c, pair);
      if (!row.ok()) return row.status();
      Fill(c, w, *row, start, std::nullopt, 4);
      ++requests;
      ++active;
    }

    // --- requests: the service's own sync (young cohort, ИОМ items) and teachers' own asks.
    services::mentoring_support::RunScope region;
    region.name = absl::StrCat("regions/", w.region_id);
    region.filter = {db::ScopeFilter::Kind::kRegion, w.region_id};
    auto place = Repo::PlaceScope(c, region.filter);
    if (!place.ok()) return place.status();
    region.place = *place;
    auto synced = services::SyncAutoRequestsIn(c, region, w.today, w.regional_admin_account_id);
    if (!synced.ok()) return synced.status();
    requests += synced->created_young_teacher() + synced->created_route();
    for (const Teacher& t : teachers) {
      if (t.id == w.teacher_person_id || t.management_role != 0 || DemoLot(w.seed, t.id, 3) % 100 >= 4) continue;
      if (young::InYoungCohort(t.birth, t.work_start, w.today)) continue;
      const db::EntityRef me{false, t.id};
      if (Repo::FindPendingRequest(c, me, v1::PAIR_TYPE_COMPETENCY_PEER) || Repo::HasLivePairAsMentee(c, me)) continue;
      v1::MenteeRequest r;
      r.set_pair_type(DemoLot(w.seed, t.id, 4) % 2 ? v1::PAIR_TYPE_COMPETENCY_PEER : v1::PAIR_TYPE_UNSPECIFIED);
      r.set_note("Хочу разобрать трудные темы с опытным коллегой");
      if (auto s = services::mentoring_support::FillFromRecord(c, me, &r); !s.ok()) return s;
      Repo::InsertRequest(c, w.region_id, me, r,
                          DemoLot(w.seed, t.id, 5) % 2 ? v1::MENTEE_REQUEST_SOURCE_TEACHER : v1::MENTEE_REQUEST_SOURCE_SCHOOL, "",
                          w.regional_admin_account_id);
      ++requests;
    }

    // --- the region's matching, applied outside the first municipality (left for review).
    v1::MatchingOptions options;
    options.set_max_candidates_per_mentee(30);
    auto proposal_id = services::ProposeIn(c, region, options, 0, w.regional_admin_account_id, helper);
    if (!proposal_id.ok()) return proposal_id.status();
    auto proposal = Repo::GetProposal(c, *proposal_id, true);
    if (!proposal.ok()) return proposal.status();
    std::vector<int> chosen;
    for (const auto& sp : Repo::LoadProposalPairs(c, *proposal_id)) {
      if (sp.kept_pair_id != 0) continue;
      auto rq = Repo::GetRequest(c, sp.request_id);
      if (!rq.ok()) return rq.status();
      auto mentee_place = Repo::PlaceEntity(c, rq->mentee);
      if (!mentee_place.ok()) return mentee_place.status();
      if (mentee_place->placement.municipality_id == w.first_municipality_id) continue;
      if (DemoLot(w.seed, sp.request_id, 6) % 100 < 8) continue;  // a few stay open elsewhere too
      chosen.push_back(sp.idx);
    }
    int created = 0;
    std::vector<int64_t> pair_ids;
    if (!chosen.empty()) {
      auto pairs = services::ApplyIn(c, *proposal, chosen, w.regional_admin_account_id, 1 << 30, &created);
      if (!pairs.ok()) return pairs.status();
      for (const auto& p : *pairs) {
        int64_t id = 0;
        (void)absl::SimpleAtoi(absl::string_view(p.name()).substr(sizeof("mentoringPairs/") - 1), &id);
        pair_ids.push_back(id);
      }
    } else {
      Repo::SetProposalState(c, *proposal_id, v1::MATCHING_PROPOSAL_STATE_DISCARDED);
    }
    for (int64_t id : pair_ids) {
      const uint64_t lot = DemoLot(w.seed, id, 7);
      const int kind = static_cast<int>(lot % 100);
      absl::Status s;
      if (kind < 14) {
        ++proposed;  // waits for the sides
        continue;
      }
      if (kind < 19) {
        s = Walk(c, w, id, v1::MENTORING_PAIR_STATUS_REJECTED, w.today, w.today - static_cast<int>(lot % 20),
                 "Не совпадает расписание занятий", v1::MENTORING_OUTCOME_UNSPECIFIED);
      } else if (kind < 75) {
        const Day start = w.today - 30 - static_cast<int>((lot >> 8) % 210);
        s = Walk(c, w, id, v1::MENTORING_PAIR_STATUS_ACTIVE, start, std::nullopt, "", v1::MENTORING_OUTCOME_UNSPECIFIED);
        if (s.ok()) {
          auto row = Repo::GetPair(c, id);
          if (!row.ok()) return row.status();
          Fill(c, w, *row, start, std::nullopt, lot >> 16);
        }
        ++active;
      } else {
        const Day start = w.today - 330 - static_cast<int>((lot >> 8) % 90);
        const Day end = start + 240 + static_cast<int>((lot >> 20) % 60);
        const v1::MentoringOutcome outcome = (lot >> 28) % 5 == 0 ? v1::MENTORING_OUTCOME_PARTIALLY_ACHIEVED
                                                                  : v1::MENTORING_OUTCOME_ACHIEVED;
        s = Walk(c, w, id, v1::MENTORING_PAIR_STATUS_COMPLETED, start, end, "", outcome);
        if (s.ok()) {
          auto row = Repo::GetPair(c, id);
          if (!row.ok()) return row.status();
          Fill(c, w, *row, start, end, lot >> 16);
        }
        ++completed;
      }
      if (!s.ok()) return s;
    }
    // --- an OPEN proposal for the first municipality's methodist to review.
    services::mentoring_support::RunScope first;
    first.name = absl::StrCat("municipalities/", w.first_municipality_id);
    first.filter = {db::ScopeFilter::Kind::kMunicipality, w.first_municipality_id};
    auto first_place = Repo::PlaceScope(c, first.filter);
    if (!first_place.ok()) return first_place.status();
    first.place = *first_place;
    if (auto open = services::ProposeIn(c, first, options, w.municipal_methodist_person_id, w.regional_admin_account_id, helper);
        !open.ok()) {
      return open.status();
    }
    auto left = Stmt(c, "SELECT COUNT(*) FROM mentee_requests WHERE region_id = ? AND status = 1").Int(w.region_id).Query();
    open_left = left->next() ? static_cast<int>(left->getInt64(1)) : 0;
    return absl::OkStatus();
  });
  if (st.ok() && profiles > 0) {
    std::cout << "mentoring: " << profiles << " mentor profiles, " << programmes << " school programmes, " << requests
              << " requests; pairs: " << active << " active, " << completed << " completed, " << proposed
              << " proposed; " << open_left << " requests open, one proposal to review\n";
  }
  return st;
}

}  // namespace nms::cli
