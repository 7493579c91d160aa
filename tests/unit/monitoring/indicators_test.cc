// Indicator domain: presets, evaluation, periods, and a hand-computed Moscow Oblast fixture
// including the boundary rules (basic and above, the 35-year / 3-year cohort, per-methodist ratio).

#include "server/domain/monitoring/indicators.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "server/domain/monitoring/facts.h"

namespace nms::monitoring {
namespace {

using absl::CivilDay;

TEST(PresetsTest, ShipTheRegionalSetsWithSourcesAndValidDefinitions) {
  ASSERT_NE(FindPreset(Preset::kMoscowOblast), nullptr);
  EXPECT_EQ(FindPreset(Preset::kMoscowOblast)->definitions.size(), 11u);  // 10 items, item 4 has two targets
  EXPECT_EQ(FindPreset(Preset::kMordovia)->definitions.size(), 9u);
  EXPECT_EQ(FindPreset(Preset::kSakhalin)->definitions.size(), 8u);
  EXPECT_EQ(FindPreset(Preset::kMunicipal)->definitions.size(), 5u);
  for (const auto& p : Presets()) {
    std::set<std::string> codes;
    for (const auto& d : p.definitions) {
      EXPECT_TRUE(ValidateDefinition(d).empty()) << d.code << ": " << ValidateDefinition(d)[0];
      EXPECT_FALSE(d.source_clause.empty()) << d.code;
      EXPECT_EQ(d.preset, p.preset);
      EXPECT_TRUE(codes.insert(d.code).second) << d.code;
    }
  }
  // Mordovia in its own order (Mordovia regulation §7): 3 diagnosed, 6 teams and ММС specialists who took
  // part, 7 young teachers, 9 teachers per methodist; monitored every half-year.
  const auto& mor = FindPreset(Preset::kMordovia)->definitions;
  for (size_t i = 0; i < mor.size(); ++i) EXPECT_EQ(mor[i].ordinal, static_cast<int>(i) + 1);
  EXPECT_EQ(mor[2].numerator.fact, Fact::kTeachersDiagnosed);
  EXPECT_EQ(mor[5].numerator.fact, Fact::kTeamsAndMmsSpecialistsTookPart);
  EXPECT_EQ(mor[6].numerator.fact, Fact::kYoungTeachersSupported);
  EXPECT_EQ(mor[8].numerator.fact, Fact::kTeachersAssignedToRegionalMethodist);
  EXPECT_EQ(FindPreset(Preset::kMordovia)->monitoring_period, Period::kHalfYear);
  EXPECT_EQ(FindPreset(Preset::kMoscowOblast)->monitoring_period, Period::kYear);
  // Sakhalin #6 states its denominator.
  EXPECT_FALSE(FindPreset(Preset::kSakhalin)->definitions[5].denominator_note.empty());
}

TEST(ValidateDefinitionTest, NamesTheBrokenFields) {
  Definition d;
  auto errors = ValidateDefinition(d);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("code"), std::string::npos);
  d = FindPreset(Preset::kMoscowOblast)->definitions[2];
  d.target_value = 120;
  errors = ValidateDefinition(d);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("target_value"), std::string::npos);
}

TEST(EvaluateTest, StatusesAndBoundaries) {
  Definition ratio = FindPreset(Preset::kMoscowOblast)->definitions[7];  // МО-07: ≤ 250 teachers per methodist
  EXPECT_EQ(Evaluate(ratio, 500, 2).status, Status::kReached);           // exactly 250
  EXPECT_EQ(Evaluate(ratio, 502, 2).status, Status::kNotReached);        // 251
  EXPECT_DOUBLE_EQ(Evaluate(ratio, 502, 2).value, 251);
  auto na = Evaluate(ratio, 500, 0);
  EXPECT_EQ(na.status, Status::kNotApplicable);
  EXPECT_EQ(na.note, "знаменатель равен 0");
  Definition pct = FindPreset(Preset::kMoscowOblast)->definitions[2];  // ≥ 60 %
  EXPECT_EQ(Evaluate(pct, 3, 5).status, Status::kReached);
  EXPECT_EQ(Evaluate(pct, 59, 100).status, Status::kNotReached);
  Definition yes_no = FindPreset(Preset::kMoscowOblast)->definitions[0];
  EXPECT_EQ(Evaluate(yes_no, 0, 0).status, Status::kNotApplicable);
  EXPECT_EQ(Evaluate(yes_no, 0, 0, true).status, Status::kReached);
  EXPECT_EQ(Evaluate(yes_no, 0, 0, false).status, Status::kNotReached);
  Definition count = FindPreset(Preset::kSakhalin)->definitions[7];  // ≥ 4 events
  EXPECT_EQ(Evaluate(count, 4, 1).status, Status::kReached);
  EXPECT_EQ(Evaluate(count, 3, 1).status, Status::kNotReached);
}

TEST(PeriodTest, RangesAndQuarters) {
  CivilDay ref(2026, 8, 15);
  EXPECT_EQ(PeriodRange(Period::kYear, ref).start, CivilDay(2026, 1, 1));
  EXPECT_EQ(PeriodRange(Period::kHalfYear, ref).start, CivilDay(2026, 7, 1));
  EXPECT_EQ(PeriodRange(Period::kQuarter, ref).start, CivilDay(2026, 7, 1));
  EXPECT_EQ(PeriodRange(Period::kQuarter, CivilDay(2026, 3, 31)).start, CivilDay(2026, 1, 1));
  EXPECT_EQ(PeriodRange(Period::kCumulative, ref).end, ref);
  auto q = QuartersEnding(CivilDay(2025, 2, 1), CivilDay(2026, 3, 31));
  ASSERT_EQ(q.size(), 5u);  // 2025 Q1..Q4, 2026 Q1
  EXPECT_EQ(q[0].year, 2025);
  EXPECT_EQ(q[0].quarter, 1);
  EXPECT_EQ(q[0].last_day, CivilDay(2025, 3, 31));
  EXPECT_EQ(q[4].last_day, CivilDay(2026, 3, 31));
  EXPECT_TRUE(QuartersEnding(CivilDay(2026, 1, 1), CivilDay(2026, 3, 30)).empty());
}

TEST(CohortTest, UnderThirtyFiveInFirstThreeYears) {
  CivilDay ref(2026, 6, 30);
  EXPECT_TRUE(InYoungCohort(CivilDay(1991, 7, 1), CivilDay(2024, 1, 1), ref));    // 34 years
  EXPECT_FALSE(InYoungCohort(CivilDay(1991, 6, 30), CivilDay(2024, 1, 1), ref));  // 35 today
  EXPECT_TRUE(InYoungCohort(CivilDay(2000, 1, 1), CivilDay(2023, 7, 1), ref));    // 2 full years
  EXPECT_FALSE(InYoungCohort(CivilDay(2000, 1, 1), CivilDay(2023, 6, 30), ref));  // 3 full years today
  EXPECT_FALSE(InYoungCohort(std::nullopt, CivilDay(2025, 1, 1), ref));
  EXPECT_FALSE(InYoungCohort(CivilDay(2000, 1, 1), CivilDay(2026, 7, 1), ref));  // not started yet
  EXPECT_TRUE(IsBasicOrAbove(2));
  EXPECT_TRUE(IsBasicOrAbove(4));
  EXPECT_FALSE(IsBasicOrAbove(1));
  EXPECT_FALSE(IsBasicOrAbove(0));
}

// The hand-computed fixture (also documented in tests/integration/monitoring_test.cc):
// orgs 10, 11 = schools of municipality 1; 20 = kindergarten of municipality 2; 30 = ЦНППМ.
FactInputs MoscowFixture() {
  FactInputs in;
  in.organizations = {{10, 1, 0, kOrgSchool}, {11, 1, 0, kOrgSchool}, {20, 2, 0, kOrgKindergarten}, {30, 0, 0, kOrgCnppm}};
  in.teachers = {
      {1, 10, CivilDay(1995, 1, 1), CivilDay(2024, 7, 1), 0},  // young
      {2, 10, CivilDay(1991, 6, 30), CivilDay(2025, 1, 1), 0},  // 35 on the reference date: not young
      {3, 10, CivilDay(1991, 7, 1), CivilDay(2023, 6, 30), 0},  // 3 full years: not young
      {4, 10, CivilDay(1992, 1, 1), CivilDay(2023, 7, 1), 0},   // young
      {5, 11, CivilDay(1970, 1, 1), CivilDay(1995, 9, 1), 1},   // head of school 11
      {6, 20, CivilDay(2000, 1, 1), CivilDay(2025, 9, 1), 0},   // young, kindergarten
      {7, 30, CivilDay(1980, 1, 1), CivilDay(2005, 9, 1), 0},   // ЦНППМ: not an educational org
  };
  in.diagnoses = {{1, CivilDay(2026, 2, 1), 2},   {2, CivilDay(2026, 3, 1), 1}, {3, CivilDay(2025, 12, 31), 4},
                  {3, CivilDay(2026, 4, 1), 1},   {4, CivilDay(2026, 1, 10), 1}, {4, CivilDay(2026, 5, 1), 3},
                  {5, CivilDay(2026, 6, 30), 4}};
  in.routes = {{1, 3, true, CivilDay(2026, 2, 10), std::nullopt},
               {2, 1, true, CivilDay(2026, 3, 10), std::nullopt},
               {3, 6, true, CivilDay(2026, 4, 10), std::nullopt},
               {4, 5, true, CivilDay(2026, 1, 20), CivilDay(2026, 5, 20)},
               {5, 4, false, CivilDay(2026, 1, 20), std::nullopt}};
  in.completions = {{1, CivilDay(2026, 3, 1), true, true, true, false},
                    {2, CivilDay(2026, 3, 1), true, true, false, false},
                    {4, CivilDay(2026, 3, 1), true, false, true, false},
                    {5, CivilDay(2026, 2, 1), false, false, true, true},
                    {6, CivilDay(2026, 7, 1), true, true, true, false}};
  in.management = {{3, 10, CivilDay(2020, 1, 1), std::nullopt}, {6, 20, CivilDay(2020, 1, 1), CivilDay(2026, 1, 1)}};
  in.support_measures = {{1, CivilDay(2025, 1, 1), std::nullopt},
                         {4, CivilDay(2025, 1, 1), CivilDay(2026, 5, 1)},
                         {2, CivilDay(2025, 1, 1), std::nullopt}};
  in.mentees = {{6, CivilDay(2025, 10, 1), std::nullopt}};
  in.assignments = {{100, 1, 1, CivilDay(2026, 1, 1), std::nullopt},
                    {100, 2, 1, CivilDay(2026, 1, 1), std::nullopt},
                    {101, 3, 1, CivilDay(2025, 1, 1), CivilDay(2026, 1, 1)},
                    {102, 4, 2, CivilDay(2026, 1, 1), std::nullopt}};
  in.mentoring_programmes = {{10, CivilDay(2024, 9, 1), std::nullopt}, {20, CivilDay(2024, 9, 1), std::nullopt}};
  in.management_mentoring_orgs = {{11, CivilDay(2026, 1, 1), std::nullopt}};
  in.internship_orgs = {{10, CivilDay(2025, 1, 1), CivilDay(2026, 1, 1)}};
  return in;
}

TEST(FactCounterTest, TeachersCountWhereTheyAreEmployedAtTheReferenceDate) {
  FactInputs in;
  in.organizations = {{10, 1, 0, kOrgSchool}, {20, 2, 0, kOrgSchool}};
  // Person 8 moved from school 10 to school 20 on 2026-01-01; person 9 left on 2025-12-31.
  in.teachers = {{8, 20, std::nullopt, std::nullopt, 0, CivilDay(2026, 1, 1), std::nullopt},
                 {8, 10, std::nullopt, std::nullopt, 0, CivilDay(2020, 1, 1), CivilDay(2025, 12, 31)},
                 {9, 10, std::nullopt, std::nullopt, 0, CivilDay(2020, 1, 1), CivilDay(2025, 12, 31)}};
  FactRef teachers{Fact::kTeachers, {}};
  CivilDay now(2026, 6, 30), before(2025, 6, 30);
  FactCounter at_now(in, now), at_before(in, before);
  EXPECT_EQ(at_now.Count({}, teachers, {now, now}), 1);
  EXPECT_EQ(at_now.Count({ScopeLevel::kMunicipality, 2}, teachers, {now, now}), 1);
  EXPECT_EQ(at_now.Count({ScopeLevel::kMunicipality, 1}, teachers, {now, now}), 0);
  EXPECT_EQ(at_before.Count({}, teachers, {before, before}), 2);
  EXPECT_EQ(at_before.Count({ScopeLevel::kMunicipality, 1}, teachers, {before, before}), 2);
}

TEST(FactCounterTest, DrillDownAndSupportRules) {
  FactInputs in = MoscowFixture();
  CivilDay ref(2026, 6, 30);
  FactCounter counter(in, ref);
  Scope region;
  // Drill-down: municipality 1 holds orgs 10 and 11; municipality 2 the kindergarten.
  EXPECT_EQ(counter.Count({ScopeLevel::kMunicipality, 1}, {Fact::kTeachers, {}}, PeriodRange(Period::kYear, ref)), 5);
  EXPECT_EQ(counter.Count({ScopeLevel::kMunicipality, 2}, {Fact::kTeachers, {}}, PeriodRange(Period::kYear, ref)), 1);
  EXPECT_EQ(counter.Count({ScopeLevel::kMunicipality, 1}, {Fact::kYoungTeachersSupported, {}}, {ref, ref}), 1);
  EXPECT_EQ(counter.Count({ScopeLevel::kOrganization, 10}, {Fact::kYoungTeachers, {}}, {ref, ref}), 2);
  // An ИОМ in force supports a young teacher as a measure does: teacher 4 with a route in
  // progress since January is supported; one completed before the date or still a draft is not.
  for (auto [status, completed, supported] : {std::tuple{4, OptDay(), 3}, std::tuple{5, OptDay(CivilDay(2026, 6, 30)), 3},
                                             std::tuple{5, OptDay(CivilDay(2026, 6, 29)), 2}, std::tuple{1, OptDay(), 2},
                                             std::tuple{6, OptDay(), 2}}) {
    FactInputs with_route = MoscowFixture();
    with_route.routes.push_back({4, status, true, CivilDay(2026, 1, 15), completed});
    FactCounter c(with_route, ref);
    EXPECT_EQ(c.Count(region, {Fact::kYoungTeachersSupported, {}}, {ref, ref}), supported) << status;
  }
  // A methodist with teachers in two municipalities is one methodist of the region and one of
  // each municipality (distinct people do not add up across organisations).
  FactInputs two = MoscowFixture();
  two.assignments.push_back({100, 6, 1, CivilDay(2026, 1, 1), std::nullopt});  // teacher 6 is in municipality 2
  FactCounter c2(two, ref);
  DateRange any{ref, ref};
  EXPECT_EQ(c2.Count(region, {Fact::kRegionalMethodists, {}}, any), 1);
  EXPECT_EQ(c2.Count({ScopeLevel::kMunicipality, 1}, {Fact::kRegionalMethodists, {}}, any), 1);
  EXPECT_EQ(c2.Count({ScopeLevel::kMunicipality, 2}, {Fact::kRegionalMethodists, {}}, any), 1);
  EXPECT_EQ(c2.Count({ScopeLevel::kOrganization, 11}, {Fact::kRegionalMethodists, {}}, any), 0);
  EXPECT_EQ(c2.Count(region, {Fact::kRegionalMethodists, {kOrgSchool}}, any), 1);
  // Org-type filter: the ЦНППМ person counts only when its type is asked for.
  EXPECT_EQ(counter.Count(region, {Fact::kTeachers, {kOrgCnppm}}, {ref, ref}), 1);
}

}  // namespace
}  // namespace nms::monitoring

#include "server/domain/monitoring/report.h"

namespace nms::monitoring {
namespace {

TEST(ReportTest, CsvAndHtmlAreEscaped) {
  ValueRow row;
  row.code = "МО-03";
  row.title = "Доля <b>\"тест\"</b>";
  row.def = FindPreset(Preset::kMoscowOblast)->definitions[2];
  row.eval = Evaluate(row.def, 3, 5);
  row.period = PeriodRange(Period::kYear, absl::CivilDay(2026, 6, 30));
  std::vector<ScopeRows> scopes = {{"regions/1", "=Область", {row}}};
  std::string csv = RenderCsv(scopes);
  EXPECT_NE(csv.find("\"'=Область\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"Доля <b>\"\"тест\"\"</b>\""), std::string::npos) << csv;
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF\"Территория / организация\";\"Код\";\"Показатель\"", 0), 0u) << csv;
  EXPECT_NE(csv.find(";3;5;60;60;\"≥\";\"достигнуто\";\"01.01.2026–30.06.2026\""), std::string::npos) << csv;
  EXPECT_EQ(csv.find("regions/1"), std::string::npos) << "names, not ids";
  std::string html = RenderHtml("Отчёт <x>", absl::CivilDay(2026, 6, 30), scopes);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;&quot;тест&quot;"), std::string::npos);
  EXPECT_NE(html.find("Отчёт &lt;x&gt;"), std::string::npos);
  EXPECT_NE(html.find("60.0 %"), std::string::npos);
}

}  // namespace
}  // namespace nms::monitoring
