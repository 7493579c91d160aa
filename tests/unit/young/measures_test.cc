// Names of recorded and derived support measures, the measure list filter and its cursor.
#include "server/domain/young/measures.h"

#include <gtest/gtest.h>

namespace nms::young {
namespace {

using F = MeasureCondition::Field;

TEST(MeasureNames, RoundTripForEverySource) {
  for (MeasureRef ref : {MeasureRef{MeasureSource::kRecorded, 12}, MeasureRef{MeasureSource::kMentoringPair, 7},
                         MeasureRef{MeasureSource::kRoute, 3}}) {
    auto back = ParseMeasureName(MeasureName(ref), "name");
    ASSERT_TRUE(back.ok()) << MeasureName(ref);
    EXPECT_EQ(*back, ref);
  }
  EXPECT_EQ(MeasureName({MeasureSource::kMentoringPair, 7}), "supportMeasures/mentoring-pair-7");
  EXPECT_EQ(MeasureName({MeasureSource::kRoute, 3}), "supportMeasures/route-3");
  EXPECT_EQ(MeasureName({MeasureSource::kRecorded, 12}), "supportMeasures/12");
}

TEST(MeasureNames, RejectsEverythingElse) {
  for (const char* bad : {"", "supportMeasures/", "supportMeasures/0", "supportMeasures/-1", "supportMeasures/+1",
                          "supportMeasures/01", "supportMeasures/route-", "supportMeasures/route-x",
                          "supportMeasures/mentoring-pair-0", "supportMeasures/pair-1", "routes/1",
                          "supportMeasures/99999999999999999999", "supportMeasures/1/x"}) {
    auto r = ParseMeasureName(bad, "measure.name");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("measure.name"), std::string::npos) << bad;
  }
}

TEST(MeasureFilter, EveryField) {
  auto f = ParseMeasureFilter(
      R"(person = "people/5" AND organization != organizations/2 AND kind = CLUB AND status = SUPPORT_MEASURE_STATUS_ACTIVE AND start_date >= "2026-01-01" AND derived = false)");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 6u);
  EXPECT_EQ((*f)[0].field, F::kPerson);
  EXPECT_EQ((*f)[0].number, 5);
  EXPECT_EQ((*f)[1].field, F::kOrganization);
  EXPECT_EQ((*f)[1].op, "!=");
  EXPECT_EQ((*f)[2].number, 4);
  EXPECT_EQ((*f)[3].number, 2);
  EXPECT_EQ((*f)[4].field, F::kStartDate);
  EXPECT_EQ((*f)[4].op, ">=");
  EXPECT_EQ((*f)[4].day, absl::CivilDay(2026, 1, 1));
  EXPECT_EQ((*f)[5].field, F::kDerived);
  EXPECT_EQ((*f)[5].number, 0);
  auto d = ParseMeasureFilter("derived != false AND start_date < 01.09.2026");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ((*d)[0].number, 1);
  EXPECT_EQ((*d)[0].op, "=");
  EXPECT_EQ((*d)[1].day, absl::CivilDay(2026, 9, 1));
}

TEST(MeasureFilter, RejectsBadValues) {
  for (const char* bad : {"person = organizations/1", "kind = TEA", "status = 0", "start_date >= 2026-02-30",
                          "kind > CLUB", "person < people/1", "derived = 1", "notes = x"}) {
    EXPECT_EQ(ParseMeasureFilter(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(MeasureCursor, RoundTripsThroughAPageTokenAndRejectsDamage) {
  MeasureCursor c{absl::CivilDay(2026, 3, 1), {MeasureSource::kRoute, 44}};
  const std::string fp = RequestFingerprint({"measures"});
  auto key = DecodePageToken(EncodePageToken(fp, MeasureCursorKey(c)), fp, kMeasureCursorShape);
  ASSERT_TRUE(key.ok()) << key.status();
  auto back = MeasureCursorFromKey(*key);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->start, c.start);
  EXPECT_EQ(back->ref, c.ref);
  // Source 9; id 0; an impossible date: well-formed tokens of impossible positions.
  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{
           {"2026-03-01", "9", "44"}, {"2026-03-01", "2", "0"}, {"2026-02-30", "2", "44"}, {"2026-03-01", "2"}}) {
    EXPECT_FALSE(MeasureCursorFromKey(bad).ok()) << bad[0];
  }
}

}  // namespace
}  // namespace nms::young
