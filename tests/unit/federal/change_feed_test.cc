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

}  // namespace
}  // namespace nms::federal
