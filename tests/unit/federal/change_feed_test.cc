#include "server/domain/federal/change_feed.h"

#include <gtest/gtest.h>

namespace nms::federal {
namespace {

TEST(CursorTest, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(*DecodeCursor(""), 0);
  EXPECT_EQ(*DecodeCursor(EncodeCursor(0)), 0);
  EXPECT_EQ(*DecodeCursor(EncodeCursor(123456789012)), 123456789012);
  EXPECT_FALSE(DecodeCursor("42").ok());
  EXPECT_FALSE(DecodeCursor("c1.!!!").ok());
  EXPECT_EQ(DecodeCursor("c1.xx").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EntityTypeTest, MapsOutboxNames) {
  EXPECT_EQ(EntityTypeValue("teacher"), 1);
  EXPECT_EQ(EntityTypeValue("training_completion"), 5);
  EXPECT_EQ(EntityTypeValue("mentoring_pair"), 6);
  EXPECT_EQ(EntityTypeValue("unknown"), 0);
  EXPECT_STREQ(EntityTypeName(7), "organization");
}

TEST(SafePrefixTest, StopsBeforeAFreshGapAndSkipsAnOldOne) {
  constexpr int64_t kTimeout = 5'000'000;
  // Contiguous rows: everything is delivered.
  auto w = SafePrefix(10, {{11, 0}, {12, 0}, {13, 0}}, kTimeout);
  EXPECT_EQ(w.count, 3u);
  EXPECT_EQ(w.cursor, 13);
  EXPECT_FALSE(w.blocked_by_gap);
  // 12 is missing and 13 is fresh: 12 may still commit, so stop after 11.
  w = SafePrefix(10, {{11, 0}, {13, 100}, {14, 0}}, kTimeout);
  EXPECT_EQ(w.count, 1u);
  EXPECT_EQ(w.cursor, 11);
  EXPECT_TRUE(w.blocked_by_gap);
  // The same gap once the row after it is older than the timeout: 12 rolled back.
  w = SafePrefix(10, {{11, 0}, {13, kTimeout + 1}, {14, 0}}, kTimeout);
  EXPECT_EQ(w.count, 3u);
  EXPECT_EQ(w.cursor, 14);
  // A gap right after the cursor.
  w = SafePrefix(10, {{12, 10}}, kTimeout);
  EXPECT_EQ(w.count, 0u);
  EXPECT_EQ(w.cursor, 10);
  EXPECT_TRUE(w.blocked_by_gap);
  // Nothing new.
  w = SafePrefix(10, {}, kTimeout);
  EXPECT_EQ(w.count, 0u);
  EXPECT_EQ(w.cursor, 10);
}

TEST(ExternalIdTest, DocumentedForm) {
  EXPECT_EQ(ExternalId(7, "teacher", "people/12"), "nms:7:teacher:12");
  EXPECT_EQ(ExternalId(7, "route_item", "routes/3/items/41"), "nms:7:route_item:41");
  EXPECT_EQ(ExternalId(2, "training_completion", "trainingCompletions/9"), "nms:2:training_completion:9");
  EXPECT_EQ(ExternalId(2, "teacher", "people/"), "");
}

// Every exported kind says what it carries, and no kind carries contact data or a birth date.
TEST(PayloadFieldsTest, EveryKindIsMinimalAndNamed) {
  for (int v = 1; EntityTypeName(v)[0] != '\0'; ++v) {
    const auto& fields = PayloadFields(EntityTypeName(v));
    EXPECT_FALSE(fields.empty()) << EntityTypeName(v);
    for (const auto& f : fields) {
      for (const char* banned : {"birth_date", "email", "phone", "reflective_report", "evidence", "notes", "goal",
                                 "header", "signatures", "certificate_number", "mentor_display_name",
                                 "mentee_display_name", "close_reason", "outcome_comment"}) {
        EXPECT_EQ(f.find(banned), std::string::npos) << EntityTypeName(v) << " carries " << f;
      }
    }
  }
  EXPECT_TRUE(PayloadFields("unknown").empty());
}

TEST(RecordsThatFitTest, CutsAtTheBudget) {
  // 100-byte budget, 10 overhead, 2 framing: 30+2, 30+2 fit (74), the third (106) does not.
  EXPECT_EQ(RecordsThatFit({30, 30, 30}, 100, 10, 2), 2u);
  EXPECT_EQ(RecordsThatFit({30, 30, 30}, 106, 10, 2), 3u);
  EXPECT_EQ(RecordsThatFit({200}, 100, 10, 2), 0u);
  EXPECT_EQ(RecordsThatFit({}, 100, 10, 2), 0u);
}

}  // namespace
}  // namespace nms::federal
