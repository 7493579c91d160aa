// Revising a route after a re-diagnosis: open items addressing a persisting deficit are kept,
// planned items addressing only closed deficits are no longer needed (items under way are
// kept), new deficits and persisting ones whose items are all done get new items (never an
// activity already in the route), positions continue each section, and every change says why.
// A completed route is continued by a next-period route that does not repeat courses already
// done. Which results may revise a route, and which routes may be revised.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/route/revision.h"

namespace nms::route {
namespace {

Activity Act(int64_t id, ActivityKind kind, std::vector<std::string> codes) {
  Activity a;
  a.id = id;
  a.kind = kind;
  a.title = absl::StrCat("Мероприятие ", id);
  a.hours = 8;
  a.indicator_codes = std::move(codes);
  return a;
}

ExistingItem Item(int64_t id, Section s, int pos, int64_t activity, ItemStatus st, std::vector<std::string> closes) {
  return {id, s, pos, activity, absl::StrCat("Пункт ", id), st, std::move(closes)};
}

RevisionInput Base() {
  RevisionInput in;
  in.before = {{"М.1", 2, "Проектирование урока", 20, 1}, {"Ц.1", 5, "Цифровые ресурсы", 30, 2}, {"К.1", 4, "Диалог с родителями", 40, 3}};
  // М.1 persists, Ц.1 and К.1 closed, П.1 is new.
  in.after = {{"М.1", 2, "Проектирование урока", 35, 1}, {"П.1", 1, "Знание предмета", 30, 2}};
  in.diagnosis_date = absl::CivilDay(2026, 12, 1);
  in.catalogue = {Act(1, ActivityKind::kFurtherTraining, {"М.1"}), Act(2, ActivityKind::kEvent, {"Ц.1"}),
                  Act(3, ActivityKind::kInternship, {"П.1"}), Act(4, ActivityKind::kEvent, {"М.1"}),
                  Act(5, ActivityKind::kEvent, {"К.1"})};
  in.options.start_date = absl::CivilDay(2026, 12, 7);
  in.options.horizon_months = 6;
  in.options.max_items_per_deficit = 1;
  return in;
}

const Change* Find(const RevisionPlan& p, ChangeKind kind, int64_t item = 0, const std::string& code = "") {
  for (const auto& c : p.changes) {
    if (c.kind == kind && (item == 0 || c.item_id == item) && (code.empty() || c.indicator_code == code)) return &c;
  }
  return nullptr;
}

TEST(Revision, KeepsOpenItemsDropsClosedOnesAndAddsForNewDeficits) {
  RevisionInput in = Base();
  in.items = {
      Item(10, Section::kFurtherTraining, 1, 1, ItemStatus::kInProgress, {"М.1"}),  // persists → kept
      Item(11, Section::kEvents, 1, 2, ItemStatus::kPlanned, {"Ц.1"}),              // closed → not needed
      Item(12, Section::kEvents, 2, 5, ItemStatus::kInProgress, {"К.1"}),           // closed but under way → kept
      Item(13, Section::kEvents, 3, 0, ItemStatus::kDone, {"Ц.1"}),                 // history: untouched
      Item(14, Section::kMentoring, 1, 0, ItemStatus::kPlanned, {}),                // custom → kept
  };
  RevisionPlan p = PlanRevision(in);
  EXPECT_EQ(p.not_needed, std::vector<int64_t>{11});
  ASSERT_EQ(p.not_needed_reasons.size(), 1u);
  EXPECT_TRUE(absl::StrContains(p.not_needed_reasons[0].second, "«Цифровые ресурсы» закрыт по диагностике от 01.12.2026"))
      << p.not_needed_reasons[0].second;
  EXPECT_EQ(p.items_kept, 3);
  EXPECT_EQ(p.items_not_needed, 1);
  ASSERT_NE(Find(p, ChangeKind::kItemKept, 10), nullptr);
  EXPECT_TRUE(absl::StrContains(Find(p, ChangeKind::kItemKept, 10)->reason, "сохраняется"));
  EXPECT_TRUE(absl::StrContains(Find(p, ChangeKind::kItemKept, 12)->reason, "уже выполняется"));
  EXPECT_NE(Find(p, ChangeKind::kItemKept, 14), nullptr);
  EXPECT_EQ(Find(p, ChangeKind::kItemKept, 13), nullptr);
  EXPECT_EQ(Find(p, ChangeKind::kItemNotNeeded, 13), nullptr);
  // П.1 is new: the internship; М.1 is still covered by the course under way, so nothing for it.
  ASSERT_EQ(p.added.size(), 1u);
  EXPECT_EQ(p.added[0].activity_id, 3);
  EXPECT_EQ(p.added[0].section, Section::kInternship);
  EXPECT_EQ(p.added[0].position, 1);
  const Change* added = Find(p, ChangeKind::kItemAdded);
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->added_index, 0);
  EXPECT_TRUE(absl::StrContains(added->reason, "новый дефицит «Знание предмета»")) << added->reason;
  EXPECT_EQ(p.deficits_closed, 2);
  EXPECT_EQ(p.deficits_new, 1);
  EXPECT_EQ(p.deficits_remaining, 1);
  EXPECT_NE(Find(p, ChangeKind::kDeficitClosed, 0, "Ц.1"), nullptr);
  EXPECT_NE(Find(p, ChangeKind::kDeficitClosed, 0, "К.1"), nullptr);
  EXPECT_NE(Find(p, ChangeKind::kDeficitNew, 0, "П.1"), nullptr);
  ASSERT_NE(Find(p, ChangeKind::kDeficitRemaining, 0, "М.1"), nullptr);
  EXPECT_EQ(Find(p, ChangeKind::kDeficitRemaining, 0, "М.1")->reason, "Сохраняется: было 20 %, стало 35 %");
  // Items first (added, not needed, kept), then deficits.
  EXPECT_EQ(p.changes.front().kind, ChangeKind::kItemAdded);
  EXPECT_EQ(p.changes.back().kind, ChangeKind::kDeficitRemaining);
}

TEST(Revision, PersistingDeficitWhoseItemsAreDoneGetsAnotherActivityAndPositionsContinue) {
  RevisionInput in = Base();
  in.after = {{"М.1", 2, "Проектирование урока", 35, 1}};
  in.items = {Item(10, Section::kFurtherTraining, 1, 1, ItemStatus::kDone, {"М.1"}),
              Item(11, Section::kEvents, 4, 2, ItemStatus::kDone, {"Ц.1"})};
  RevisionPlan p = PlanRevision(in);
  ASSERT_EQ(p.added.size(), 1u);
  // The course done already is not offered again: the event on М.1, after position 4.
  EXPECT_EQ(p.added[0].activity_id, 4);
  EXPECT_EQ(p.added[0].position, 5);
  EXPECT_TRUE(absl::StrContains(Find(p, ChangeKind::kItemAdded)->reason, "сохраняется")) << Find(p, ChangeKind::kItemAdded)->reason;
  EXPECT_TRUE(p.not_needed.empty());
}

TEST(Revision, UncoverableDeficitIsReportedAndNothingIsInvented) {
  RevisionInput in = Base();
  in.after = {{"Х.9", 3, "Неизвестный показатель", 10, 1}};
  RevisionPlan p = PlanRevision(in);
  EXPECT_TRUE(p.added.empty());
  EXPECT_EQ(p.uncovered, std::vector<std::string>{"Х.9"});
  EXPECT_EQ(p.deficits_new, 1);
  EXPECT_EQ(p.deficits_closed, 3);
}

TEST(Revision, NextPeriodStartsCleanWithoutRepeatingDoneCourses) {
  RevisionInput in = Base();
  in.mode = RevisionMode::kNextPeriod;
  in.items = {Item(10, Section::kFurtherTraining, 1, 1, ItemStatus::kDone, {"М.1"}),
              Item(11, Section::kEvents, 1, 4, ItemStatus::kSkipped, {"М.1"})};
  RevisionPlan p = PlanRevision(in);
  EXPECT_EQ(p.items_kept, 0);
  EXPECT_TRUE(p.not_needed.empty());
  std::set<int64_t> acts;
  for (const auto& it : p.added) acts.insert(it.activity_id);
  EXPECT_FALSE(acts.count(1));  // done in the previous period
  EXPECT_TRUE(acts.count(4));   // skipped then, offered again
  EXPECT_TRUE(acts.count(3));   // the new deficit
  for (const auto& it : p.added) EXPECT_EQ(it.position, 1);
}

TEST(Revision, WhichRoutesAndWhichResults) {
  EXPECT_EQ(*RevisionModeOf(Status::kDraft), RevisionMode::kInPlace);
  EXPECT_EQ(*RevisionModeOf(Status::kAgreed), RevisionMode::kInPlace);
  EXPECT_EQ(*RevisionModeOf(Status::kApproved), RevisionMode::kInPlace);
  EXPECT_EQ(*RevisionModeOf(Status::kInProgress), RevisionMode::kInPlace);
  EXPECT_EQ(*RevisionModeOf(Status::kCompleted), RevisionMode::kNextPeriod);
  EXPECT_EQ(RevisionModeOf(Status::kCancelled).status().code(), absl::StatusCode::kFailedPrecondition);

  ResultStamp base{10, absl::CivilDay(2026, 5, 1), true};
  EXPECT_TRUE(CheckNewerResult(base, {11, absl::CivilDay(2026, 12, 1), true}).ok());
  EXPECT_TRUE(CheckNewerResult(base, {11, absl::CivilDay(2026, 5, 1), true}).ok());  // same day, recorded later
  EXPECT_EQ(CheckNewerResult(base, {9, absl::CivilDay(2026, 5, 1), true}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckNewerResult(base, {12, absl::CivilDay(2026, 4, 1), true}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckNewerResult(base, {10, absl::CivilDay(2026, 5, 1), true}).code(), absl::StatusCode::kFailedPrecondition);
  auto prelim = CheckNewerResult(base, {13, absl::CivilDay(2026, 12, 1), false});
  EXPECT_EQ(prelim.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(prelim.message(), "не итоговый"));
  EXPECT_EQ(DayText(absl::CivilDay(2026, 3, 9)), "09.03.2026");
}

}  // namespace
}  // namespace nms::route
