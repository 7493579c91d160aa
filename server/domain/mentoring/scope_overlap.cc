#include "server/domain/mentoring/scope_overlap.h"

#include <utility>

namespace nms::mentoring {

bool ScopesOverlap(const ScopePlace& a_in, const ScopePlace& b_in) {
  if (a_in.region_id != b_in.region_id) return false;
  // Order so that `a` is the wider scope.
  const ScopePlace* a = &a_in;
  const ScopePlace* b = &b_in;
  if (static_cast<int>(a->kind) > static_cast<int>(b->kind)) std::swap(a, b);
  switch (a->kind) {
    case ScopeKind::kRegion: return true;
    case ScopeKind::kDistrict: return a->district_id != 0 && a->district_id == b->district_id;
    case ScopeKind::kMunicipality: return a->municipality_id != 0 && a->municipality_id == b->municipality_id;
    case ScopeKind::kOrganization: return a->organization_id != 0 && a->organization_id == b->organization_id;
  }
  return false;
}

}  // namespace nms::mentoring
