#pragma once
// The stratified simple random sample of the Moscow Oblast regulation §VI (docs/domain.md §2; pure): a share of the frame, split
// into strata by organisation type with quotas (ОО 65 %, ДОО 11 %, СПО 17 %, ДПО 7 %), stratum
// sizes exact to rounding by the largest-remainder method, drawn reproducibly from a seed.
// The draw uses its own generator (SplitMix64) and selection (partial Fisher-Yates over the
// ids in ascending order), never the standard library's distributions, whose output differs
// between implementations: the same frame, quotas and seed draw the same people everywhere.

#include <cstdint>
#include <string>
#include <vector>

namespace nms::diagnostics {

struct FrameMember {
  int64_t person_id = 0;
  int stratum = 0;  // nms.v1.OrganizationType of the person's organisation
};

struct Quota {
  int stratum = 0;
  double share = 0;  // of the sample, 0..1
};

struct StratumOutcome {
  int stratum = 0;
  int64_t frame_size = 0;
  int64_t target = 0;
  int64_t drawn = 0;  // < target only when the stratum's frame is smaller
};

struct SampleResult {
  std::vector<StratumOutcome> strata;  // in quota order
  std::vector<int64_t> drawn;          // ascending person ids
};

// The regulation's quotas (Moscow Oblast regulation §VI, docs/domain.md §6.1): ОО 0.65, ДОО 0.11, СПО 0.17, ДПО 0.07.
std::vector<Quota> RegulationQuotas();

// Russian errors of a sample specification (empty = valid): 0 < fraction <= 1; strata known
// (1..8) and unique; shares in 0..1 summing to 1 (within 0.001).
std::vector<std::string> ValidateSampleSpec(double fraction, const std::vector<Quota>& quotas);

// Splits `total` into integer parts proportional to `shares` (normalised by their sum) that sum
// exactly to `total`: floors first, then one more to the largest remainders; equal remainders go
// to the earlier share.
std::vector<int64_t> LargestRemainder(int64_t total, const std::vector<double>& shares);

// round(fraction × frame_size), halves up.
int64_t SampleSize(int64_t frame_size, double fraction);

// The sample: the frame is the members whose stratum has a quota (others are ignored), the
// sample size is SampleSize(frame, fraction), split by LargestRemainder over the quotas; each
// stratum draws min(target, its frame) people uniformly at random from a generator seeded with
// (seed, stratum). Duplicate person ids in the frame count once.
SampleResult DrawStratifiedSample(const std::vector<FrameMember>& frame, double fraction,
                                  const std::vector<Quota>& quotas, uint64_t seed);

}  // namespace nms::diagnostics
