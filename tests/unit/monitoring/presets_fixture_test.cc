// Every indicator of every preset against one small territory written out below. The expected
// numerator, denominator and value of each were worked out by hand from the regulation's text
// (the section is cited beside each), not from the code.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/domain/monitoring/facts.h"
#include "server/domain/monitoring/indicators.h"

namespace nms::monitoring {
namespace {

using absl::CivilDay;
constexpr int kPed = kCategoryPedagogical, kMgr = kCategoryManager, kOther = kCategoryOther;

// Reference date 2026-09-30: the year is 2026-01-01..09-30, the half-year 2026-07-01..09-30.
//
// Organisations: 10, 11 schools (ОО) of municipality 1; 20 kindergarten (ДОО), 30 college (СПО),
// 40 children's additional education (ДО детей) of municipality 2; 50 ДПО (regional);
// 60 municipal methodological service (ММС) of municipality 1; 70 ЦНППМ.
// People (category, organisation):
//   1 ped 10 young (born 1998, works since 2024-09-01)   2 ped 10      3 head of 10 (manager)
//   4 ped 11 young (1999, since 2025-09-01)              5 deputy of 11 (manager)   6 other staff 11
//   7 ped 20                                             8 head of 20 (manager)
//   9 ped 30 (born 1996, since 2023-09-01: three full years -> not young)
//  10 ped 40 young (2000, since 2024-09-01)             11 ped 50 (and deputy of 50 by membership)
//  12, 13 specialists of ММС 60                          14 regional methodist, 15 staff (ЦНППМ 70)
// So "педагогические работники и управленческие кадры" of educational organisations (ОО, ДОО,
// СПО, ДО детей, ДПО) = {1,2,3,4,5,7,8,9,10,11} = 10 (6 is other staff; 12-15 are not in an
// educational organisation); "педагогические работники" = {1,2,4,7,9,10,11} = 7; those of ДОО
// and ОО = {1,2,3,4,5,7,8} = 7. Educational organisations = {10,11,20,30,40,50} = 6.
FactInputs Territory() {
  FactInputs in;
  in.organizations = {{10, 1, 0, kOrgSchool},       {11, 1, 0, kOrgSchool},
                      {20, 2, 0, kOrgKindergarten}, {30, 2, 0, kOrgCollege},
                      {40, 2, 0, kOrgChildrenAdditional}, {50, 0, 0, kOrgAdditional},
                      {60, 1, 0, kOrgMunicipalService},   {70, 0, 0, kOrgCnppm}};
  auto t = [](int64_t id, int64_t org, OptDay birth, OptDay start, int role, int cat) {
    return TeacherRec{id, org, birth, start, role, CivilDay(2020, 1, 1), std::nullopt, cat};
  };
  in.teachers = {t(1, 10, CivilDay(1998, 1, 1), CivilDay(2024, 9, 1), 0, kPed),
                 t(2, 10, CivilDay(1980, 1, 1), CivilDay(2005, 9, 1), 0, kPed),
                 t(3, 10, CivilDay(1970, 1, 1), CivilDay(1995, 9, 1), 1, kMgr),
                 t(4, 11, CivilDay(1999, 1, 1), CivilDay(2025, 9, 1), 0, kPed),
                 t(5, 11, CivilDay(1970, 1, 1), CivilDay(1995, 9, 1), 2, kMgr),
                 t(6, 11, CivilDay(1990, 1, 1), CivilDay(2015, 9, 1), 0, kOther),
                 t(7, 20, CivilDay(1985, 1, 1), CivilDay(2010, 9, 1), 0, kPed),
                 t(8, 20, CivilDay(1975, 1, 1), CivilDay(2000, 9, 1), 1, kMgr),
                 t(9, 30, CivilDay(1996, 1, 1), CivilDay(2023, 9, 1), 0, kPed),
                 t(10, 40, CivilDay(2000, 1, 1), CivilDay(2024, 9, 1), 0, kPed),
                 t(11, 50, CivilDay(1980, 1, 1), CivilDay(2005, 9, 1), 0, kPed),
                 t(12, 60, CivilDay(1980, 1, 1), CivilDay(2005, 9, 1), 0, kPed),
                 t(13, 60, CivilDay(1980, 1, 1), CivilDay(2005, 9, 1), 0, kPed),
                 t(14, 70, CivilDay(1975, 1, 1), CivilDay(2000, 9, 1), 0, kPed),
                 t(15, 70, CivilDay(1975, 1, 1), CivilDay(2000, 9, 1), 0, kPed)};
  // FINAL diagnostic results (person, date, level: 1 below basic, 2 basic, 3 advanced, 4 high).
  in.diagnoses = {{1, CivilDay(2026, 2, 1), 2},  {2, CivilDay(2026, 8, 1), 1},  {3, CivilDay(2026, 7, 15), 3},
                  {6, CivilDay(2026, 3, 1), 4},  {7, CivilDay(2026, 1, 10), 4}, {7, CivilDay(2026, 7, 10), 1},
                  {12, CivilDay(2026, 5, 1), 3}};
  // Routes (person, status 1 draft 3 approved 4 in progress 5 completed 6 cancelled, from diagnostics, created, completed).
  in.routes = {{1, 3, true, CivilDay(2026, 2, 10), std::nullopt},
               {3, 5, true, CivilDay(2026, 3, 1), CivilDay(2026, 8, 1)},
               {7, 4, true, CivilDay(2026, 4, 1), std::nullopt},
               {2, 1, true, CivilDay(2026, 4, 1), std::nullopt},
               {4, 6, true, CivilDay(2026, 4, 1), std::nullopt},
               {9, 3, false, CivilDay(2026, 4, 1), std::nullopt},
               {10, 5, true, CivilDay(2026, 1, 1), CivilDay(2026, 9, 1)},
               {5, 3, true, CivilDay(2026, 10, 15), std::nullopt}};  // after the reference date
  // Courses (person, end, ФР ДПП, chosen from diagnostics, attestation passed, quality management, start).
  in.completions = {{1, CivilDay(2026, 3, 1), true, true, true, false, CivilDay(2026, 2, 1)},
                    {2, CivilDay(2026, 3, 1), true, true, false, false, std::nullopt},
                    {4, CivilDay(2026, 5, 1), true, false, true, false, std::nullopt},
                    {3, CivilDay(2026, 2, 1), false, false, true, true, CivilDay(2026, 1, 15)},
                    {5, CivilDay(2026, 10, 20), false, false, false, false, CivilDay(2026, 8, 1)},  // still running
                    {10, CivilDay(2026, 9, 1), true, true, true, false, std::nullopt},
                    {12, CivilDay(2026, 7, 20), false, false, false, false, CivilDay(2026, 7, 5)},
                    {8, CivilDay(2025, 11, 1), false, false, true, false, std::nullopt},
                    {6, CivilDay(2026, 4, 1), true, true, true, false, std::nullopt},   // other staff
                    {7, CivilDay(2026, 11, 1), true, true, true, false, std::nullopt}};  // after the date
  // Recorded team memberships: 11 is deputy of 50; 9's deputyship of 30 ended in January.
  in.management = {{11, 50, CivilDay(2026, 1, 1), std::nullopt}, {9, 30, CivilDay(2020, 1, 1), CivilDay(2026, 1, 31)}};
  // Communities (person, start, end, level 1 regional 2 municipal 3 school).
  in.communities = {{1, CivilDay(2025, 9, 1), std::nullopt, 1},
                    {2, CivilDay(2025, 9, 1), std::nullopt, 2},
                    {4, CivilDay(2025, 9, 1), std::nullopt, 3},
                    {5, CivilDay(2025, 9, 1), CivilDay(2026, 1, 31), 1},
                    {6, CivilDay(2025, 9, 1), std::nullopt, 1}};
  in.expert = {{9, CivilDay(2026, 4, 1), std::nullopt}, {3, CivilDay(2025, 1, 1), CivilDay(2025, 12, 31)}};
  in.support_measures = {{1, CivilDay(2025, 9, 1), std::nullopt}};
  in.mentees = {{4, CivilDay(2025, 10, 1), CivilDay(2026, 6, 30)}};  // the pair ended before the date
  in.mentoring_programmes = {{10, CivilDay(2024, 9, 1), std::nullopt},
                             {11, CivilDay(2024, 9, 1), CivilDay(2026, 5, 31)},
                             {20, CivilDay(2024, 9, 1), std::nullopt},
                             {30, CivilDay(2024, 9, 1), std::nullopt},
                             {40, CivilDay(2024, 9, 1), std::nullopt}};
  in.management_mentoring_orgs = {{11, CivilDay(2026, 1, 1), CivilDay(2026, 3, 31)}};
  in.internship_orgs = {{10, CivilDay(2025, 1, 1), CivilDay(2025, 12, 31)}, {50, CivilDay(2026, 2, 1), std::nullopt}};
  // Methodist assignments (methodist, teacher, role 1 regional methodist 2 tutor, start, end).
  in.assignments = {{14, 1, 1, CivilDay(2026, 1, 1), std::nullopt},
                    {14, 2, 1, CivilDay(2026, 1, 1), std::nullopt},
                    {14, 3, 1, CivilDay(2026, 1, 1), std::nullopt},  // a manager: not a pedagogical worker
                    {15, 4, 1, CivilDay(2025, 1, 1), CivilDay(2026, 3, 31)},
                    {15, 7, 2, CivilDay(2026, 1, 1), std::nullopt}};
  in.cnppm_staff = {{14, CivilDay(2020, 1, 1), std::nullopt, true, CivilDay(2025, 5, 1)},
                    {15, CivilDay(2020, 1, 1), std::nullopt, false, std::nullopt}};
  // Events (start, end, level 1 regional 2 municipal).
  in.events = {{CivilDay(2025, 11, 1), std::nullopt, 1}, {CivilDay(2026, 2, 10), std::nullopt, 1},
               {CivilDay(2026, 5, 15), std::nullopt, 1}, {CivilDay(2026, 6, 1), std::nullopt, 2},
               {CivilDay(2026, 9, 15), std::nullopt, 1}, {CivilDay(2026, 10, 10), std::nullopt, 1}};
  return in;
}

struct Want {
  std::string code;
  int64_t num, den;
  double value;
  Status status;
};

void Check(Preset preset, const std::vector<Want>& want, CivilDay ref, const FactInputs& in,
           std::optional<bool> first_attestation) {
  const auto& defs = FindPreset(preset)->definitions;
  ASSERT_EQ(defs.size(), want.size());
  FactCounter counter(in, ref);
  for (size_t i = 0; i < defs.size(); ++i) {
    const auto& d = defs[i];
    EXPECT_EQ(d.code, want[i].code);
    DateRange range = PeriodRange(d.period, ref);
    int64_t num = counter.Count({}, d.numerator, range);
    int64_t den = counter.Count({}, d.denominator, range);
    Evaluation e = Evaluate(d, num, den, i == 0 ? first_attestation : std::nullopt);
    EXPECT_EQ(e.numerator, want[i].num) << d.code;
    EXPECT_EQ(e.denominator, want[i].den) << d.code;
    EXPECT_NEAR(e.value, want[i].value, 1e-6) << d.code;
    EXPECT_EQ(e.status, want[i].status) << d.code;
  }
}

constexpr auto kYes = Status::kReached, kNo = Status::kNotReached, kNa = Status::kNotApplicable;
const CivilDay kRef(2026, 9, 30);

TEST(PresetFixtureTest, MoscowOblast) {
  Check(Preset::kMoscowOblast,
        {
            // §VI 1: yes/no, attested "yes" for the year.
            {"МО-01", 1, 1, 1, kYes},
            // §VI 2: no attestation recorded -> not applicable.
            {"МО-02", 0, 1, 0, kNa},
            // §VI 3: participants of the assessment in 2026 = {1,2,3,7} (6 is other staff, 12 is ММС);
            // at высокий/повышенный/базовый by the latest result: 1 (базовый), 3 (повышенный);
            // 7's latest is below. 2/4 = 50 % < 60.
            {"МО-03", 2, 4, 50, kNo},
            // §VI 4 (ДОО, ОО): staff {1,2,3,4,5,7,8} = 7; ИОМ from diagnostics in force: 1, 3, 7
            // (2 draft, 4 cancelled, 5 created after the date). 3/7 = 42.86 % ≥ 30.
            {"МО-04", 3, 7, 300.0 / 7, kYes},
            // §VI 4, second target: of {1,3,7} with an ИОМ, 3 completed it. 1/3 = 33.3 % < 80.
            {"МО-04.2", 1, 3, 100.0 / 3, kNo},
            // §VI 5: passed attestation on a ФР ДПП programme chosen from diagnostics: 1, 10 (2 failed,
            // 4 not from diagnostics, 6 other staff, 7 ends after the date); of all pedagogical
            // workers {1,2,4,7,9,10,11} = 7. 2/7 = 28.57 % < 30.
            {"МО-05", 2, 7, 200.0 / 7, kNo},
            // §VI 6: teams (heads/deputies) of 10 (3), 11 (5), 20 (8), 50 (11 by membership) = 4;
            // took part in 2026: 3 (Jan–Feb course), 5 (course running since August, not finished).
            // 8's course ended in 2025. 2/4 = 50 % ≥ 40.
            {"МО-06", 2, 4, 50, kYes},
            // §VI 7: pedagogical workers assigned to a regional methodist now: 1, 2 (3 is a manager;
            // 4's assignment ended; 7 has a tutor). Regional methodists: 14. 2/1 = 2 ≤ 250.
            {"МО-07", 2, 1, 2, kYes},
            // §VI 8: pedagogical workers under 35 in their first three years: 1, 4, 10 (9 has three
            // full years). Supported: 1 (measure); 4's pair ended 2026-06-30; 10's ИОМ completed
            // 2026-09-01. 1/3 = 33.3 % < 70.
            {"МО-08", 1, 3, 100.0 / 3, kNo},
            // §VI 9: schools 10, 11; target model in force at the date: 10 (11's ended in May). 1/2.
            {"МО-09", 1, 2, 50, kNo},
            // §VI 10, per year: school 11's management mentoring ran Jan–Mar 2026 -> counts for 2026;
            // 10's internship platform ended in 2025. 1/2 = 50 % ≥ 10.
            {"МО-10", 1, 2, 50, kYes},
        },
        kRef, Territory(), true);
}

TEST(PresetFixtureTest, Mordovia) {
  Check(Preset::kMordovia,
        {
            // §7 item 1: roadmap, yes/no per half-year; attested "no".
            {"МОР-01", 0, 1, 0, kNo},
            // §7 item 2: monitoring system; no attestation.
            {"МОР-02", 0, 1, 0, kNa},
            // §7 item 3: passed the diagnostics in the half-year (Jul–Sep): 2, 3, 7 — whatever the
            // level; of all 10 teachers and managers. 3/10 = 30 % ≥ 30.
            {"МОР-03", 3, 10, 30, kYes},
            // §7 item 4: ИОМ from diagnostics: 1, 3, 7, 10 of 10. 40 % ≥ 30.
            {"МОР-04", 4, 10, 40, kYes},
            // §7 item 5: as МО-05, 2 of 7 pedagogical workers.
            {"МОР-05", 2, 7, 200.0 / 7, kNo},
            // §7 item 6: units = teams of 10, 11, 20, 50 (4) + ММС specialists 12, 13 (2) = 6; took
            // part in Jul–Sep: team of 11 (5's course since August), specialist 12 (July course);
            // 3's course was in January. 2/6 = 33.3 % < 40.
            {"МОР-06", 2, 6, 100.0 / 3, kNo},
            // §7 item 7: as МО-08.
            {"МОР-07", 1, 3, 100.0 / 3, kNo},
            // §7 item 8: as МО-09.
            {"МОР-08", 1, 2, 50, kNo},
            // §7 item 9: as МО-07.
            {"МОР-09", 2, 1, 2, kYes},
        },
        kRef, Territory(), false);
}

TEST(PresetFixtureTest, Sakhalin) {
  Check(Preset::kSakhalin,
        {
            // §6.3 item 1: of pedagogical workers who passed a ФР ДПП programme in 2026 (1, 4, 10),
            // chosen from diagnostics: 1, 10. 2/3 = 66.7 % ≥ 50.
            {"САХ-1", 2, 3, 200.0 / 3, kYes},
            // §6.3 item 2: organisations whose heads/deputies took part in 2026: 10, 11; of all 6
            // educational organisations. 33.3 % ≥ 10.
            {"САХ-2", 2, 6, 100.0 / 3, kYes},
            // §6.3 item 3: teams in internship platforms in 2026: 50 (10's ended 2025). 1/6 ≥ 5 %.
            {"САХ-3", 1, 6, 100.0 / 6, kYes},
            // §6.3 item 4: regional and municipal associations now: 1 (regional), 2 (municipal); 4's is
            // a school one, 5's ended, 6 is other staff. 2/10 = 20 % < 30.
            {"САХ-4", 2, 10, 20, kNo},
            // §6.3 item 5: expert activity in 2026: 9 (3's ended 2025). 1/10 = 10 % ≥ 2.
            {"САХ-5", 1, 10, 10, kYes},
            // §6.3 item 6: schools, ДО детей and СПО = 10, 11, 30, 40; with the model now: 10, 30,
            // 40 (11's ended; the kindergarten is not listed). 3/4 = 75 % < 100.
            {"САХ-6", 3, 4, 75, kNo},
            // §6.3 item 7: ЦНППМ staff 14, 15; trained by the federal operator: 14. 50 % < 100.
            {"САХ-7", 1, 2, 50, kNo},
            // §6.3 item 8: regional-level events in 2026 up to the date: Feb 10, May 15, Sep 15 (the
            // June one is municipal, the October one is later). 3 < 4.
            {"САХ-8", 3, 1, 3, kNo},
        },
        kRef, Territory(), std::nullopt);
}

TEST(PresetFixtureTest, Municipal) {
  Check(Preset::kMunicipal,
        {
            // The Surgut district order §6.1.1: diagnosed in 2026: 1, 2, 3, 7 of 10. 40 % ≥ 30.
            {"МУН-6.1.1", 4, 10, 40, kYes},
            // §6.1.2: ИОМ from diagnostics: 1, 3, 7, 10 of 10.
            {"МУН-6.1.2", 4, 10, 40, kYes},
            // §6.1.3: 1, 10 of the 7 pedagogical workers.
            {"МУН-6.1.3", 2, 7, 200.0 / 7, kNo},
            // §6.1.4: teams that raised their qualification (passed) on quality management in 2026:
            // 10 (head 3). 1/4 = 25 % < 40.
            {"МУН-6.1.4", 1, 4, 25, kNo},
            // §6.1.5: as МО-08.
            {"МУН-6.1.5", 1, 3, 100.0 / 3, kNo},
        },
        kRef, Territory(), std::nullopt);
}

// Dated facts give a past period its own values: at the end of 2025 the same records say
// other things than in September 2026.
TEST(PresetFixtureTest, PastPeriodSeries) {
  FactInputs in = Territory();
  const auto& moscow = FindPreset(Preset::kMoscowOblast)->definitions;
  auto value = [&](const std::string& code, CivilDay ref) {
    for (const auto& d : moscow) {
      if (d.code != code) continue;
      FactCounter c(in, ref);
      DateRange r = PeriodRange(d.period, ref);
      return std::pair{c.Count({}, d.numerator, r), c.Count({}, d.denominator, r)};
    }
    ADD_FAILURE() << code;
    return std::pair<int64_t, int64_t>{};
  };
  const CivilDay end2025(2025, 12, 31);
  // МО-09: school 11's programme ran until May 2026: both schools at the end of 2025, one now.
  EXPECT_EQ(value("МО-09", end2025), (std::pair<int64_t, int64_t>{2, 2}));
  EXPECT_EQ(value("МО-09", kRef), (std::pair<int64_t, int64_t>{1, 2}));
  // МО-10 per year: 2025 counts school 10's platform (2025), not 11's mentoring (2026).
  EXPECT_EQ(value("МО-10", end2025), (std::pair<int64_t, int64_t>{1, 2}));
  // МО-07: at the end of 2025 only 15's assignment of teacher 4 was in force (14's start in 2026).
  EXPECT_EQ(value("МО-07", end2025), (std::pair<int64_t, int64_t>{1, 1}));
  // МО-06 in 2025: only 8 (head of 20) took part -> 1 of the teams then: 10, 11, 20, and 30
  // (9's deputyship ran until January 2026); 50's membership began in 2026.
  EXPECT_EQ(value("МО-06", end2025), (std::pair<int64_t, int64_t>{1, 4}));
  // МО-04 at the end of 2025: no ИОМ existed yet.
  EXPECT_EQ(value("МО-04", end2025).first, 0);
  // Quarterly series of САХ-8 (yearly count at each quarter's end): Q4 2025 = 1, then 1, 2, 3.
  const auto& sakh8 = FindPreset(Preset::kSakhalin)->definitions[7];
  std::vector<int64_t> series;
  for (const auto& q : QuartersEnding(CivilDay(2025, 10, 1), kRef)) {
    FactCounter c(in, q.last_day);
    series.push_back(c.Count({}, sakh8.numerator, PeriodRange(sakh8.period, q.last_day)));
  }
  EXPECT_EQ(series, (std::vector<int64_t>{1, 1, 2, 3}));
}

// People are counted as the regulation words each item: other staff never, managers only
// where "управленческие кадры" are named.
TEST(PresetFixtureTest, PositionCategoriesDecideWhoCounts) {
  FactInputs in = Territory();
  FactCounter c(in, kRef);
  DateRange r = PeriodRange(Period::kCumulative, kRef);
  EXPECT_EQ(c.Count({}, {Fact::kTeachers, {}}, r), 10);
  EXPECT_EQ(c.Count({}, {Fact::kPedagogicalWorkers, {}}, r), 7);
  EXPECT_EQ(c.Count({ScopeLevel::kOrganization, 11}, {Fact::kTeachers, {}}, r), 2);  // 4, 5; not 6
  // An unset category follows the management role.
  TeacherRec head{99, 10, std::nullopt, std::nullopt, 1};
  EXPECT_EQ(EffectiveCategory(head), kCategoryManager);
  head.management_role = 0;
  EXPECT_EQ(EffectiveCategory(head), kCategoryPedagogical);
  // Drill-down of the ММС units: municipality 1 holds teams of 10, 11 and specialists 12, 13.
  EXPECT_EQ(c.Count({ScopeLevel::kMunicipality, 1}, {Fact::kTeamsAndMmsSpecialists, {}}, r), 4);
  EXPECT_EQ(c.Count({ScopeLevel::kMunicipality, 2}, {Fact::kTeamsAndMmsSpecialists, {}}, r), 1);  // 20
}

}  // namespace
}  // namespace nms::monitoring
