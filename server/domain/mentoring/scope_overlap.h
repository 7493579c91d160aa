#pragma once
// Which matching proposals a new run makes stale: an OPEN proposal is superseded by a newer
// one whose scope overlaps its own (they would pair the same mentees). Scopes are places in
// the territory tree region › district › municipality › organisation.

#include <cstdint>

namespace nms::mentoring {

enum class ScopeKind : int { kRegion = 1, kDistrict = 2, kMunicipality = 3, kOrganization = 4 };

// A scope with the ancestors it lies in (0 = none / not applicable).
struct ScopePlace {
  ScopeKind kind = ScopeKind::kRegion;
  int64_t region_id = 0;
  int64_t district_id = 0;
  int64_t municipality_id = 0;
  int64_t organization_id = 0;
};

bool ScopesOverlap(const ScopePlace& a, const ScopePlace& b);

}  // namespace nms::mentoring
