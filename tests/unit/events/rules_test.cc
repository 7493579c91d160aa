// The events calendar: content validation, placement by level, audience, transitions,
// registration within capacity, attendance, deficit matching and the list filter.
#include "server/domain/events/rules.h"

#include <gtest/gtest.h>

namespace nms::events {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

Draft Valid() {
  Draft d;
  d.level = 1;
  d.kind = 1;
  d.title = "Формирующее оценивание на уроке";
  d.description = "Приёмы обратной связи";
  d.start = kNow + absl::Hours(48);
  d.end = d.start + absl::Hours(2);
  d.link = "https://webinar.example.ru/room/1";
  d.capacity = 30;
  d.areas = {2};
  d.indicator_codes = {"М-1"};
  return d;
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(EventRules, ValidDraftPasses) { EXPECT_TRUE(ValidateDraft(Valid(), "event").ok()); }

TEST(EventRules, RefusesBadContentNamingTheField) {
  struct Case {
    void (*mutate)(Draft&);
    const char* field;
  } cases[] = {
      {[](Draft& d) { d.level = 0; }, "event.level"},
      {[](Draft& d) { d.kind = 9; }, "event.kind"},
      {[](Draft& d) { d.title = " "; }, "event.title"},
      {[](Draft& d) { d.start = absl::InfinitePast(); }, "event.start_time"},
      {[](Draft& d) { d.end = d.start; }, "event.end_time"},
      {[](Draft& d) { d.end = d.start + absl::Hours(24 * 32); }, "event.end_time"},
      {[](Draft& d) { d.link = "ftp://x.ru"; }, "event.link"},
      {[](Draft& d) { d.link.clear(); }, "event.place"},
      {[](Draft& d) { d.capacity = -1; }, "event.capacity"},
      {[](Draft& d) { d.areas.clear(); }, "event.areas"},
      {[](Draft& d) { d.indicator_codes = {"М-1", "М-1"}; }, "event.indicator_codes[1]"},
  };
  for (const auto& c : cases) {
    Draft d = Valid();
    c.mutate(d);
    absl::Status s = ValidateDraft(d, "event");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(Message(s).find(c.field), std::string::npos) << Message(s);
  }
}

TEST(EventRules, PlacementFollowsTheLevel) {
  const access::Placement org{1, 7, 42, 0};
  EXPECT_EQ(PlaceOf(Level::kRegional, org)->municipality_id, 0);
  EXPECT_EQ(PlaceOf(Level::kMunicipal, org)->municipality_id, 7);
  EXPECT_EQ(PlaceOf(Level::kMunicipal, org)->organization_id, 0);
  EXPECT_EQ(PlaceOf(Level::kSchool, org)->organization_id, 42);
  // A regional organisation (no municipality) holds no municipal event.
  EXPECT_EQ(PlaceOf(Level::kMunicipal, access::Placement{1, 0, 5, 0}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(EventRules, AudienceIsTheLevelsTerritory) {
  const access::Placement school_event{1, 7, 42, 0};
  EXPECT_TRUE(CheckAudience(Level::kRegional, {1, 0, 0, 0}, {1, 9, 99, 5}).ok());
  EXPECT_FALSE(CheckAudience(Level::kRegional, {1, 0, 0, 0}, {2, 9, 99, 5}).ok());
  EXPECT_TRUE(CheckAudience(Level::kMunicipal, {1, 7, 0, 0}, {1, 7, 43, 5}).ok());
  EXPECT_EQ(CheckAudience(Level::kMunicipal, {1, 7, 0, 0}, {1, 8, 43, 5}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckAudience(Level::kSchool, school_event, {1, 7, 42, 5}).ok());
  EXPECT_EQ(CheckAudience(Level::kSchool, school_event, {1, 7, 43, 5}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(EventRules, Transitions) {
  EXPECT_TRUE(CanEdit(Status::kDraft).ok());
  EXPECT_TRUE(CanEdit(Status::kPublished).ok());
  EXPECT_EQ(CanEdit(Status::kHeld).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CanPublish(Status::kDraft, kNow + absl::Hours(1), kNow).ok());
  EXPECT_EQ(CanPublish(Status::kDraft, kNow - absl::Hours(1), kNow).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CanPublish(Status::kPublished, kNow + absl::Hours(1), kNow).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CanCancel(Status::kPublished).ok());
  EXPECT_EQ(CanCancel(Status::kCancelled).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckCapacity(0, 50).ok());
  EXPECT_TRUE(CheckCapacity(10, 10).ok());
  EXPECT_EQ(CheckCapacity(9, 10).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(EventRules, RegistrationWithinCapacity) {
  const absl::Time start = kNow + absl::Hours(3);
  EXPECT_TRUE(CanRegister(Status::kPublished, start, kNow, 2, 1, RegStatus::kUnspecified).ok());
  EXPECT_TRUE(CanRegister(Status::kPublished, start, kNow, 0, 1000, RegStatus::kCancelled).ok());  // unlimited
  EXPECT_EQ(CanRegister(Status::kPublished, start, kNow, 2, 2, RegStatus::kUnspecified).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CanRegister(Status::kPublished, start, kNow, 2, 1, RegStatus::kRegistered).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CanRegister(Status::kDraft, start, kNow, 0, 0, RegStatus::kUnspecified).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CanRegister(Status::kPublished, kNow - absl::Minutes(1), kNow, 0, 0, RegStatus::kUnspecified).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CanWithdraw(RegStatus::kRegistered, start, kNow).ok());
  EXPECT_EQ(CanWithdraw(RegStatus::kRegistered, kNow, kNow).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CanWithdraw(RegStatus::kCancelled, start, kNow).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(EventRules, AttendanceAfterTheStart) {
  EXPECT_TRUE(CanMarkAttendance(Status::kPublished, kNow - absl::Hours(1), kNow, RegStatus::kRegistered).ok());
  EXPECT_TRUE(CanMarkAttendance(Status::kHeld, kNow - absl::Hours(1), kNow, RegStatus::kAttended).ok());
  EXPECT_EQ(CanMarkAttendance(Status::kPublished, kNow + absl::Hours(1), kNow, RegStatus::kRegistered).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CanMarkAttendance(Status::kCancelled, kNow - absl::Hours(1), kNow, RegStatus::kRegistered).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CanMarkAttendance(Status::kHeld, kNow - absl::Hours(1), kNow, RegStatus::kCancelled).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(EventRules, MatchesDeficitsByIndicatorAndArea) {
  const std::vector<Deficit> deficits = {{"Ц-2", 5}, {"М-1", 2}, {"М-3", 2}};
  Match m = MatchDeficits({2, 3}, {"М-3", "П-1"}, deficits);
  EXPECT_EQ(m.indicator_codes, std::vector<std::string>({"М-3"}));
  EXPECT_EQ(m.areas, std::vector<int>({2}));
  EXPECT_TRUE(m.any());
  EXPECT_FALSE(MatchDeficits({1, 4}, {"П-1"}, deficits).any());
  EXPECT_FALSE(MatchDeficits({2}, {"М-1"}, {}).any());
}

TEST(EventRules, ParsesTheFilter) {
  auto q = ParseQuery("level = REGIONAL AND area = DIGITAL AND start >= 2026-12-01 AND start <= 2026-12-31 AND "
                      "status != DRAFT AND text: \"оценивание урок\"");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->level, 1);
  EXPECT_EQ(q->area, 5);
  EXPECT_EQ(*q->start_from, absl::CivilDay(2026, 12, 1));
  EXPECT_EQ(*q->start_before, absl::CivilDay(2027, 1, 1));  // <= a day is < the next
  EXPECT_EQ(q->status, 1);
  EXPECT_TRUE(q->status_not);
  EXPECT_EQ(q->words.size(), 2u);
  EXPECT_EQ(ParseQuery("start = 2026-12-01").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery("level = 9").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery("capacity = 3").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRegQuery("status != CANCELLED")->status, 2);
}

}  // namespace
}  // namespace nms::events
