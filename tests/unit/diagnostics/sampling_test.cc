// The stratified sample of the Moscow Oblast regulation §VI (docs/domain.md §2): quotas exact to rounding by largest remainder,
// reproducible for a seed, different for another seed, strata that run short, people outside
// every stratum, and the specification's validation.

#include "server/domain/diagnostics/sampling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace nms::diagnostics {
namespace {

// A frame of `n1` school, `n2` kindergarten, `n3` college, `n4` further-education people and
// `n5` ЦНППМ staff (no quota), with ids 1.. in that order.
std::vector<FrameMember> Frame(int n1, int n2, int n3, int n4, int n5 = 0) {
  std::vector<FrameMember> f;
  int64_t id = 0;
  for (auto [count, stratum] : {std::pair{n1, 1}, {n2, 2}, {n3, 3}, {n4, 4}, {n5, 5}}) {
    for (int i = 0; i < count; ++i) f.push_back({++id, stratum});
  }
  return f;
}

int64_t Sum(const std::vector<int64_t>& v) { return std::accumulate(v.begin(), v.end(), int64_t{0}); }

TEST(LargestRemainderTest, SumsExactlyToTheTotal) {
  std::vector<double> regulation = {0.65, 0.11, 0.17, 0.07};
  for (int64_t total : {0, 1, 2, 3, 7, 10, 99, 100, 101, 333, 1000, 29999, 30000}) {
    auto parts = LargestRemainder(total, regulation);
    EXPECT_EQ(Sum(parts), total) << total;
    for (size_t i = 0; i < parts.size(); ++i) {
      double exact = total * regulation[i];
      EXPECT_LE(std::abs(parts[i] - exact), 1.0) << total << " share " << i;  // within rounding
    }
  }
}

TEST(LargestRemainderTest, HandComputedExamples) {
  // 10 × (0.65, 0.11, 0.17, 0.07) = 6.5, 1.1, 1.7, 0.7 -> floors 6,1,1,0 (8); remainders .5 .1 .7 .7
  // -> the two .7 get one each (СПО before ДПО) -> 6,1,2,1.
  EXPECT_EQ(LargestRemainder(10, {0.65, 0.11, 0.17, 0.07}), (std::vector<int64_t>{6, 1, 2, 1}));
  // 100 -> exactly 65, 11, 17, 7.
  EXPECT_EQ(LargestRemainder(100, {0.65, 0.11, 0.17, 0.07}), (std::vector<int64_t>{65, 11, 17, 7}));
  // 3 × thirds: equal remainders go to the earlier share.
  EXPECT_EQ(LargestRemainder(4, {1, 1, 1}), (std::vector<int64_t>{2, 1, 1}));
  // Shares are normalised by their sum.
  EXPECT_EQ(LargestRemainder(6, {2, 1}), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(LargestRemainder(5, {0, 0}), (std::vector<int64_t>{0, 0}));
}

TEST(SampleSizeTest, RoundsHalfUpAndNeverExceedsTheFrame) {
  EXPECT_EQ(SampleSize(10, 0.3), 3);
  EXPECT_EQ(SampleSize(5, 0.3), 2);  // 1.5 -> 2
  EXPECT_EQ(SampleSize(1, 0.3), 0);
  EXPECT_EQ(SampleSize(7, 1.0), 7);
  EXPECT_EQ(SampleSize(0, 0.3), 0);
  EXPECT_EQ(SampleSize(100000, 0.3), 30000);
}

TEST(DrawStratifiedSampleTest, QuotasAreExactToRounding) {
  auto frame = Frame(2000, 400, 500, 300, 50);  // 3200 in quota strata
  auto r = DrawStratifiedSample(frame, 0.3, RegulationQuotas(), 42);
  // 0.3 × 3200 = 960 -> 624, 105.6, 163.2, 67.2 -> 624, 106, 163, 67.
  ASSERT_EQ(r.strata.size(), 4u);
  EXPECT_EQ(r.strata[0].target, 624);
  EXPECT_EQ(r.strata[1].target, 106);
  EXPECT_EQ(r.strata[2].target, 163);
  EXPECT_EQ(r.strata[3].target, 67);
  EXPECT_EQ(r.strata[0].frame_size, 2000);
  EXPECT_EQ(r.strata[3].frame_size, 300);
  int64_t drawn = 0;
  for (const auto& s : r.strata) {
    EXPECT_EQ(s.drawn, s.target);
    drawn += s.drawn;
  }
  EXPECT_EQ(drawn, 960);
  EXPECT_EQ(r.drawn.size(), 960u);
  // Each drawn person belongs to the stratum that drew them; no duplicates; no ЦНППМ staff.
  std::map<int64_t, int> stratum_of;
  for (const auto& m : frame) stratum_of[m.person_id] = m.stratum;
  std::map<int, int64_t> per_stratum;
  std::set<int64_t> unique(r.drawn.begin(), r.drawn.end());
  EXPECT_EQ(unique.size(), r.drawn.size());
  for (int64_t id : r.drawn) ++per_stratum[stratum_of[id]];
  EXPECT_EQ(per_stratum[1], 624);
  EXPECT_EQ(per_stratum[2], 106);
  EXPECT_EQ(per_stratum[3], 163);
  EXPECT_EQ(per_stratum[4], 67);
  EXPECT_EQ(per_stratum.count(5), 0u);
  EXPECT_TRUE(std::is_sorted(r.drawn.begin(), r.drawn.end()));
}

TEST(DrawStratifiedSampleTest, SameSeedSameDrawRegardlessOfFrameOrder) {
  auto frame = Frame(300, 60, 80, 40);
  auto a = DrawStratifiedSample(frame, 0.3, RegulationQuotas(), 2026);
  std::reverse(frame.begin(), frame.end());
  auto b = DrawStratifiedSample(frame, 0.3, RegulationQuotas(), 2026);
  EXPECT_EQ(a.drawn, b.drawn);
  auto c = DrawStratifiedSample(frame, 0.3, RegulationQuotas(), 2027);
  EXPECT_NE(a.drawn, c.drawn);
  EXPECT_EQ(a.drawn.size(), c.drawn.size());
}

TEST(DrawStratifiedSampleTest, KnownDrawForAFixedSeedIsStableAcrossBuilds) {
  // Pinned output: a change to the generator or the selection would silently redraw every
  // campaign's sample, so it must show up here.
  auto r = DrawStratifiedSample(Frame(10, 0, 0, 0), 0.3, {{1, 1.0}}, 7);
  EXPECT_EQ(r.drawn, (std::vector<int64_t>{3, 6, 8}));
}

TEST(DrawStratifiedSampleTest, EveryoneEquallyLikelyOverManySeeds) {
  // 20 people, draw 5: each should be drawn ~25 % of the time over 4000 seeds.
  std::map<int64_t, int> hits;
  const int kSeeds = 4000;
  for (int seed = 0; seed < kSeeds; ++seed) {
    for (int64_t id : DrawStratifiedSample(Frame(20, 0, 0, 0), 0.25, {{1, 1.0}}, seed).drawn) ++hits[id];
  }
  ASSERT_EQ(hits.size(), 20u);
  for (const auto& [id, n] : hits) {
    EXPECT_NEAR(n / static_cast<double>(kSeeds), 0.25, 0.04) << id;
  }
}

TEST(DrawStratifiedSampleTest, ShortStratumDrawsEveryoneAndReportsTheShortfall) {
  auto r = DrawStratifiedSample(Frame(200, 2, 30, 0), 0.3, RegulationQuotas(), 1);
  // frame 232 -> sample 70 -> 45.5, 7.7, 11.9, 4.9 -> floors 45,7,11,4 (67) + 3 by remainders
  // (.9 СПО, .9 ДПО, .7 ДОО) -> 45, 8, 12, 5.
  EXPECT_EQ(r.strata[0].target, 45);
  EXPECT_EQ(r.strata[1].target, 8);
  EXPECT_EQ(r.strata[1].drawn, 2);  // only two kindergarten teachers exist
  EXPECT_EQ(r.strata[2].drawn, 12);
  EXPECT_EQ(r.strata[3].frame_size, 0);
  EXPECT_EQ(r.strata[3].drawn, 0);
  EXPECT_EQ(r.drawn.size(), 45u + 2 + 12);
}

TEST(DrawStratifiedSampleTest, DuplicatePeopleInTheFrameCountOnce) {
  std::vector<FrameMember> frame = {{1, 1}, {1, 1}, {2, 1}, {3, 1}, {3, 2}};
  auto r = DrawStratifiedSample(frame, 1.0, {{1, 0.5}, {2, 0.5}}, 3);
  EXPECT_EQ(r.strata[0].frame_size, 3);
  EXPECT_EQ(r.strata[1].frame_size, 0);  // person 3 stays in the first stratum
  std::set<int64_t> unique(r.drawn.begin(), r.drawn.end());
  EXPECT_EQ(unique.size(), r.drawn.size());
}

TEST(ValidateSampleSpecTest, RegulationQuotasAreValidAndBrokenOnesAreNamed) {
  EXPECT_TRUE(ValidateSampleSpec(0.3, RegulationQuotas()).empty());
  EXPECT_FALSE(ValidateSampleSpec(0, RegulationQuotas()).empty());
  EXPECT_FALSE(ValidateSampleSpec(1.5, RegulationQuotas()).empty());
  EXPECT_FALSE(ValidateSampleSpec(std::nan(""), RegulationQuotas()).empty());
  EXPECT_FALSE(ValidateSampleSpec(0.3, {}).empty());
  EXPECT_FALSE(ValidateSampleSpec(0.3, {{1, 0.5}, {1, 0.5}}).empty());
  EXPECT_FALSE(ValidateSampleSpec(0.3, {{1, 0.5}, {2, 0.4}}).empty());  // sums to 0.9
  EXPECT_FALSE(ValidateSampleSpec(0.3, {{0, 1.0}}).empty());
  EXPECT_FALSE(ValidateSampleSpec(0.3, {{1, 1.2}, {2, -0.2}}).empty());
  auto errors = ValidateSampleSpec(0.3, {{1, 0.5}, {9, 0.5}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("quotas[1].organization_type"), std::string::npos);
}

}  // namespace
}  // namespace nms::diagnostics
