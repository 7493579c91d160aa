// Recorded support measures: validation, the default status from dates, and the status
// transitions, checked against the full table.
#include "server/domain/young/measure_rules.h"

#include <gtest/gtest.h>

namespace nms::young {
namespace {

using D = absl::CivilDay;
using S = MeasureStatus;
const D kToday(2026, 6, 30);

MeasureDraft Valid() {
  MeasureDraft m;
  m.kind = static_cast<int>(MeasureKind::kCompetition);
  m.status = static_cast<int>(S::kCompleted);
  m.start = D(2026, 3, 1);
  m.end = D(2026, 3, 20);
  m.title = "Педагогический дебют";
  return m;
}

bool Mentions(const std::vector<std::string>& errors, const std::string& what) {
  for (const auto& e : errors) {
    if (e.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(MeasureRules, ValidMeasurePasses) { EXPECT_TRUE(ValidateMeasure(Valid(), kToday, "measure").empty()); }

TEST(MeasureRules, DerivedKindsCannotBeRecorded) {
  for (auto kind : {MeasureKind::kMentor, MeasureKind::kRoute}) {
    auto m = Valid();
    m.kind = static_cast<int>(kind);
    EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.kind")) << static_cast<int>(kind);
    EXPECT_TRUE(IsDerivedKind(m.kind));
  }
  EXPECT_FALSE(IsDerivedKind(static_cast<int>(MeasureKind::kClub)));
}

TEST(MeasureRules, UnknownKindAndStatusAreRejected) {
  auto m = Valid();
  m.kind = 0;
  m.status = 9;
  auto errors = ValidateMeasure(m, kToday, "measure");
  EXPECT_TRUE(Mentions(errors, "measure.kind"));
  EXPECT_TRUE(Mentions(errors, "measure.status"));
  m = Valid();
  m.kind = -3;
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.kind"));
}

TEST(MeasureRules, TitleNotesAndSource) {
  auto m = Valid();
  m.title = "   ";
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.title"));
  m.title = std::string(501, 'a');
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.title"));
  m.title = "\xff\xfe";
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.title"));
  m = Valid();
  m.notes = std::string(4001, 'x');
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.notes"));
  for (const char* bad : {"routes/1", "mentoringPairs/2", "activities/", "activities/-1", "activities/x", "x"}) {
    m = Valid();
    m.source = bad;
    EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.source")) << bad;
  }
  for (const char* good : {"", "activities/7", "regionalEvents/3", "communityMemberships/12"}) {
    m = Valid();
    m.source = good;
    EXPECT_TRUE(ValidateMeasure(m, kToday, "measure").empty()) << good;
  }
}

TEST(MeasureRules, DatesAgreeWithTheStatus) {
  auto m = Valid();
  m.start.reset();
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.start_date"));
  m = Valid();
  m.end = D(2026, 2, 1);
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.end_date"));
  m = Valid();
  m.end.reset();  // completed without an end
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.end_date"));
  m = Valid();
  m.end = D(2026, 7, 10);  // completed before it ends
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.status"));
  m.end = kToday;  // ends today: may be completed today
  EXPECT_TRUE(ValidateMeasure(m, kToday, "measure").empty());
  m = Valid();
  m.status = static_cast<int>(S::kActive);
  m.start = D(2026, 7, 1);
  m.end.reset();
  EXPECT_TRUE(Mentions(ValidateMeasure(m, kToday, "measure"), "measure.status"));
  m.status = static_cast<int>(S::kPlanned);
  EXPECT_TRUE(ValidateMeasure(m, kToday, "measure").empty());
  m.status = static_cast<int>(S::kCancelled);
  EXPECT_TRUE(ValidateMeasure(m, kToday, "measure").empty());
}

TEST(MeasureRules, DefaultStatusFollowsTheDates) {
  EXPECT_EQ(DefaultStatus(D(2026, 7, 1), std::nullopt, kToday), S::kPlanned);
  EXPECT_EQ(DefaultStatus(kToday, std::nullopt, kToday), S::kActive);
  EXPECT_EQ(DefaultStatus(D(2026, 6, 1), kToday, kToday), S::kActive);
  EXPECT_EQ(DefaultStatus(D(2026, 6, 1), D(2026, 6, 29), kToday), S::kCompleted);
}

TEST(MeasureRules, TransitionTable) {
  const S all[] = {S::kPlanned, S::kActive, S::kCompleted, S::kCancelled};
  // rows: from; columns: to (planned, active, completed, cancelled)
  const bool allowed[4][4] = {
      {true, true, true, true},     // planned
      {false, true, true, true},    // active
      {false, true, true, false},   // completed: reopen only
      {true, false, false, true},   // cancelled: restore only
  };
  for (int f = 0; f < 4; ++f) {
    for (int t = 0; t < 4; ++t) {
      EXPECT_EQ(CanTransition(all[f], all[t]), allowed[f][t]) << f << " -> " << t;
    }
  }
  EXPECT_FALSE(CanTransition(S::kUnspecified, S::kActive));
}

}  // namespace
}  // namespace nms::young
