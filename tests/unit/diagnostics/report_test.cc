// Report maths: a hand-made aggregate (share diagnosed, level distributions, mean scores, most
// frequent deficits with ties), the comparison of two diagnoses, and the CSV export.

#include "server/domain/diagnostics/report.h"

#include <gtest/gtest.h>

#include "absl/strings/str_split.h"

namespace nms::diagnostics {
namespace {

ReportRow Row(int64_t person, Level overall, std::vector<AreaResult> areas,
              std::vector<std::pair<std::string, int>> deficits) {
  return {person, overall, 0, std::move(areas), std::move(deficits)};
}

TEST(PercentTest, RoundsToHundredthsAndGuardsZero) {
  EXPECT_DOUBLE_EQ(Percent(1, 3), 33.33);
  EXPECT_DOUBLE_EQ(Percent(2, 3), 66.67);
  EXPECT_DOUBLE_EQ(Percent(3, 3), 100);
  EXPECT_DOUBLE_EQ(Percent(5, 0), 0);
}

TEST(SummarizeTest, HandMadeSchool) {
  // Population 5, diagnosed 4 (person 4 appears twice and counts once).
  std::vector<ReportRow> rows = {
      Row(1, Level::kBasic, {{2, 60, Level::kBasic}, {5, 30, Level::kInsufficient}}, {{"Ц-1", 5}, {"М-2", 2}}),
      Row(2, Level::kHigh, {{2, 90, Level::kHigh}, {5, 90, Level::kHigh}}, {}),
      Row(3, Level::kInsufficient, {{2, 20, Level::kInsufficient}}, {{"М-1", 2}, {"М-2", 2}}),
      Row(4, Level::kBasic, {{5, 55, Level::kBasic}}, {{"Ц-1", 5}}),
      Row(4, Level::kHigh, {{5, 99, Level::kHigh}}, {}),
  };
  AggregateSummary s = Summarize(rows, 5, {5, 2}, 10);
  EXPECT_EQ(s.population, 5);
  EXPECT_EQ(s.diagnosed, 4);
  EXPECT_DOUBLE_EQ(s.diagnosed_share_percent, 80);
  ASSERT_EQ(s.overall.size(), 4u);
  EXPECT_EQ(s.overall[0].level, Level::kInsufficient);
  EXPECT_EQ(s.overall[0].count, 1);
  EXPECT_EQ(s.overall[1].count, 2);
  EXPECT_DOUBLE_EQ(s.overall[1].share_percent, 50);
  EXPECT_EQ(s.overall[2].count, 0);
  EXPECT_EQ(s.overall[3].count, 1);
  ASSERT_EQ(s.areas.size(), 2u);
  EXPECT_EQ(s.areas[0].area, 5);  // framework order
  EXPECT_EQ(s.areas[0].assessed, 3);
  EXPECT_DOUBLE_EQ(s.areas[0].mean_score, 58.33);  // (30 + 90 + 55) / 3
  EXPECT_EQ(s.areas[0].levels[0].count, 1);
  EXPECT_EQ(s.areas[0].levels[1].count, 1);
  EXPECT_EQ(s.areas[0].levels[3].count, 1);
  EXPECT_DOUBLE_EQ(s.areas[0].levels[0].share_percent, 25);
  EXPECT_EQ(s.areas[1].area, 2);
  EXPECT_DOUBLE_EQ(s.areas[1].mean_score, 56.67);
  // Deficits: Ц-1 ×2, М-2 ×2, М-1 ×1; ties by framework area order (digital first).
  ASSERT_EQ(s.top_deficits.size(), 3u);
  EXPECT_EQ(s.top_deficits[0].code, "Ц-1");
  EXPECT_EQ(s.top_deficits[0].count, 2);
  EXPECT_DOUBLE_EQ(s.top_deficits[0].share_percent, 50);
  EXPECT_EQ(s.top_deficits[1].code, "М-2");
  EXPECT_EQ(s.top_deficits[2].code, "М-1");
  EXPECT_DOUBLE_EQ(s.top_deficits[2].share_percent, 25);
  EXPECT_EQ(Summarize(rows, 5, {5, 2}, 1).top_deficits.size(), 1u);
}

TEST(SummarizeTest, NobodyDiagnosedGivesZerosForAllFourLevels) {
  AggregateSummary s = Summarize({}, 12, {1, 2, 3, 4, 5}, 10);
  EXPECT_EQ(s.diagnosed, 0);
  EXPECT_DOUBLE_EQ(s.diagnosed_share_percent, 0);
  ASSERT_EQ(s.overall.size(), 4u);
  for (const auto& l : s.overall) EXPECT_EQ(l.count, 0);
  ASSERT_EQ(s.areas.size(), 5u);
  EXPECT_EQ(s.areas[2].levels.size(), 4u);
  EXPECT_TRUE(s.top_deficits.empty());
}

TEST(CompareTest, DeltasClosedAndNewDeficits) {
  ProfileView before{{{2, 40, Level::kInsufficient}, {5, 70, Level::kAdvanced}, {1, 50, Level::kBasic}},
                     {"М-1", "М-2", "Ц-1", "П-1"},
                     {"М-1", "М-2", "Ц-1"}};
  ProfileView now{{{5, 65.5, Level::kAdvanced}, {2, 62, Level::kBasic}},
                  {"М-1", "М-2", "Ц-1", "Ц-2"},
                  {"Ц-2", "М-2"}};
  ProfileComparison c = Compare(before, now);
  ASSERT_EQ(c.areas.size(), 2u);  // area 1 was not assessed now
  EXPECT_EQ(c.areas[0].area, 5);
  EXPECT_DOUBLE_EQ(c.areas[0].delta, -4.5);
  EXPECT_EQ(c.areas[1].area, 2);
  EXPECT_DOUBLE_EQ(c.areas[1].delta, 22);
  EXPECT_EQ(c.areas[1].previous_level, Level::kInsufficient);
  EXPECT_EQ(c.areas[1].current_level, Level::kBasic);
  EXPECT_EQ(c.closed, (std::vector<std::string>{"М-1", "Ц-1"}));
  EXPECT_EQ(c.opened, (std::vector<std::string>{"Ц-2"}));
}

TEST(CompareTest, DeficitNotAssessedAgainIsNotClosed) {
  ProfileView before{{}, {"П-1"}, {"П-1"}};
  ProfileView now{{}, {"М-1"}, {}};
  EXPECT_TRUE(Compare(before, now).closed.empty());
}

TEST(RenderResultsCsvTest, HeaderRowsEscapingAndMissingAreas) {
  CsvResultRow r;
  r.person = "people/7";
  r.full_name = "Иванова Анна \"Петровна\"";
  r.organization = "Школа №1, корпус 2";
  r.position = "учитель";
  r.diagnosis_date = "2026-03-01";
  r.overall_score = 61.26;
  r.overall_level = Level::kBasic;
  r.areas[2] = {2, 40, Level::kInsufficient};
  r.deficit_codes = {"М-1", "=CMD()"};
  r.result = "results/3";
  r.campaign = "Весенняя диагностика";
  r.source = "сессия";
  std::string csv = RenderResultsCsv({2, 5}, {r});
  // For Excel: BOM, `;`, decimal comma, names (no "people/7" or "results/3").
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  std::vector<std::string> lines = absl::StrSplit(csv.substr(3), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "\"ФИО\";\"Организация\";\"Должность\";\"Дата диагностики\";\"Общий балл, %\";"
            "\"Общий уровень\";\"методическая: балл, %\";\"методическая: уровень\";\"цифровая: балл, %\";"
            "\"цифровая: уровень\";\"Дефициты\";\"Кампания\";\"Источник\"");
  EXPECT_EQ(lines[1],
            "\"Иванова Анна \"\"Петровна\"\"\";\"Школа №1, корпус 2\";\"учитель\";\"2026-03-01\";61,3;"
            "\"базовый\";40;\"недостаточный\";;;\"М-1; =CMD()\";\"Весенняя диагностика\";\"сессия\"");
  EXPECT_EQ(csv.find("people/"), std::string::npos);
  // A field that starts with a formula character is neutralised.
  r.deficit_codes = {"=CMD()"};
  EXPECT_NE(RenderResultsCsv({}, {r}).find("\"'=CMD()\""), std::string::npos);
}

}  // namespace
}  // namespace nms::diagnostics
