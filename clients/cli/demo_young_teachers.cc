// Demo stage: young teachers (see demo.h). The region gets explicit settings (the federal rule:
// under 35, first 3 years, target 70 %, 6-month alert window) and support measures for part
// of today's cohort, so every alert has people to show: some young teachers get nothing, some
// only a competition long ago (no recent support), some only plans; mentors and ИОМ come from
// the earlier stages, so gaps there stay gaps. Deterministic for the seed (each teacher's lot
// is drawn from the seed and their id), one transaction, skipped when measures exist.

#include <iostream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/demo.h"
#include "server/db/audit.h"
#include "server/db/sql.h"
#include "server/db/support_measure_repository.h"
#include "server/db/young_teacher_repository.h"
#include "server/domain/young/measure_rules.h"
#include "server/services/young_cohort.h"

namespace nms::cli {
namespace {

using young::MeasureKind;
using young::MeasureStatus;
using Day = absl::CivilDay;

struct Planned {
  young::MeasureDraft draft;
  int64_t organizer = 0;
};

young::MeasureDraft Draft(MeasureKind kind, MeasureStatus status, std::string title, Day start,
                          std::optional<Day> end) {
  young::MeasureDraft d;
  d.kind = static_cast<int>(kind);
  d.status = static_cast<int>(status);
  d.title = std::move(title);
  d.start = start;
  d.end = end;
  return d;
}

// The measures of one young teacher: a lot drawn from the seed and the person, dated after
// their work start and relative to today.
std::vector<Planned> MeasuresFor(uint64_t seed, int64_t person, Day work_start, Day today, int64_t cnppm,
                                 int64_t school) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(person));
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto not_before_start = [&](Day d) { return std::max(d, work_start); };
  std::vector<Planned> out;
  int lot = between(0, 99);
  if (lot < 25) return out;  // nothing recorded: the plainest gap
  if (lot < 55) {
    Day start = std::min(today, work_start + 14);
    out.push_back({Draft(MeasureKind::kClub, MeasureStatus::kActive, "Школа молодого педагога", start, std::nullopt), cnppm});
    if (between(0, 1) == 1) {
      Day end = not_before_start(today - between(20, 90));
      out.push_back({Draft(MeasureKind::kEvent, MeasureStatus::kCompleted, "Форум молодых педагогов региона", end - 1, end),
                     cnppm});
    }
  } else if (lot < 70) {
    // One competition, most of a year ago: support once, nothing recent.
    Day end = today - between(220, 400);
    if (end < work_start + 20) end = work_start + 20;
    if (end < today) {
      const char* title = between(0, 1) == 1 ? "Конкурс «Педагогический дебют»" : "Конкурс «Старт в профессию»";
      out.push_back({Draft(MeasureKind::kCompetition, MeasureStatus::kCompleted, title,
                           not_before_start(end - 14), end),
                     cnppm});
    }
  } else if (lot < 85) {
    Day visit = not_before_start(today - between(10, 50));
    out.push_back({Draft(MeasureKind::kMethodologicalVisit, MeasureStatus::kCompleted,
                         "Посещение уроков методистом с разбором", visit, visit),
                   school});
    if (between(0, 1) == 1) {
      out.push_back({Draft(MeasureKind::kOther, MeasureStatus::kActive,
                           "Консультации педагога-психолога (профилактика выгорания)",
                           not_before_start(today - between(5, 40)), std::nullopt),
                     school});
    }
  } else if (lot < 95) {
    Day start = today + between(20, 60);
    out.push_back({Draft(MeasureKind::kEvent, MeasureStatus::kPlanned,
                         "Методический марафон для начинающих педагогов", start, start + 2),
                   cnppm});
  } else {
    out.push_back({Draft(MeasureKind::kClub, MeasureStatus::kCancelled, "Клуб молодых педагогов муниципалитета",
                         not_before_start(today - between(60, 120)), std::nullopt),
                   0});
  }
  return out;
}

}  // namespace

absl::Status SeedDemoYoungTeachers(db::ConnectionPool& pool, const DemoWorld& world) {
  int cohort = 0, written = 0;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    cohort = written = 0;
    if (db::SupportMeasureRepository::RegionHasRecorded(c, world.region_id)) return absl::OkStatus();
    // An explicit row with the federal defaults, so the settings screen shows the rule.
    young::Settings settings = db::YoungTeacherRepository::LockSettings(c, world.region_id).settings;
    Day today = world.today;
    bool teacher_is_young = false;
    std::vector<std::pair<int64_t, Planned>> plan;
    for (const auto& m : services::ComputeCohort(c, world.region_id,
                                                 db::ScopeFilter{db::ScopeFilter::Kind::kRegion, world.region_id},
                                                 today, settings, settings.alert_window_months)) {
      ++cohort;
      teacher_is_young = teacher_is_young || m.card.person_id == world.teacher_person_id;
      for (auto& planned : MeasuresFor(world.seed, m.card.person_id, m.card.work_start_date, today, world.cnppm_org_id,
                                       m.card.organization_id)) {
        plan.emplace_back(m.card.person_id, std::move(planned));
      }
    }
    if (!teacher_is_young && world.teacher_person_id != 0) {
      // teacher@demo.nms (the phone app's demo) sees support even when not in the cohort:
      // a methodologist's visit last month and a forum ahead.
      plan.push_back({world.teacher_person_id,
                      {Draft(MeasureKind::kMethodologicalVisit, MeasureStatus::kCompleted,
                             "Методический выезд ЦНППМ: посещение уроков", today - 21, today - 21),
                       world.cnppm_org_id}});
      plan.push_back({world.teacher_person_id,
                      {Draft(MeasureKind::kEvent, MeasureStatus::kPlanned, "Региональный педагогический форум",
                             today + 30, today + 31),
                       world.cnppm_org_id}});
    }
    for (const auto& [person, m] : plan) {
      auto errors = young::ValidateMeasure(m.draft, today, "measure");
      if (!errors.empty()) return absl::InternalError(absl::StrCat("demo measure invalid: ", absl::StrJoin(errors, "; ")));
      int64_t id = db::SupportMeasureRepository::Insert(c, person, m.organizer, m.draft);
      auto created = db::SupportMeasureRepository::Get(c, {young::MeasureSource::kRecorded, id});
      if (!created.ok()) return created.status();
      db::WriteAudit(c, world.regional_admin_account_id, "CreateSupportMeasure", created->measure.name(), nullptr,
                     &created->measure);
      ++written;
    }
    return absl::OkStatus();
  });
  if (st.ok() && written > 0) {
    std::cout << "young teachers: " << cohort << " in the cohort, " << written << " support measures recorded\n";
  }
  return st;
}

}  // namespace nms::cli
