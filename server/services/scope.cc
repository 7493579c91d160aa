#include "server/services/scope.h"

#include <google/protobuf/field_mask.pb.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/domain/common/names.h"
#include "server/domain/common/text.h"

namespace nms::services {

using access::Placement;
using db::DirectoryRepository;
using db::ScopeFilter;

absl::StatusOr<Placement> PlaceByName(sql::Connection& c, absl::string_view name,
                                      absl::string_view field) {
  ASSIGN_OR_RETURN(AnyName n, ParseAnyName(name, field));
  if (n.collection == "regions") return DirectoryRepository::PlaceRegion(c, n.id);
  if (n.collection == "districts") return DirectoryRepository::PlaceDistrict(c, n.id);
  if (n.collection == "municipalities") return DirectoryRepository::PlaceMunicipality(c, n.id);
  if (n.collection == "organizations") return DirectoryRepository::PlaceOrganization(c, n.id);
  if (n.collection == "people") return DirectoryRepository::PlacePerson(c, n.id);
  return absl::InvalidArgumentError(absl::StrCat(
      "Поле ", field, ": ожидается regions/…, districts/…, municipalities/…, organizations/… или people/…"));
}

absl::Status CheckAccess(const access::Principal& p, access::Action action,
                         const absl::StatusOr<Placement>& placement) {
  if (!placement.ok()) {
    if (placement.status().code() != absl::StatusCode::kNotFound) return placement.status();
    for (const auto& g : p.grants) {
      if (g.scope_kind == access::ScopeKind::kRegion && g.role != access::Role::kTeacher) {
        for (access::Role r : access::RolesFor(action)) {
          if (r == g.role) return placement.status();
        }
      }
    }
    return access::Authorize(p, action, Placement{});  // always denied: same message as out of scope
  }
  return access::Authorize(p, action, *placement);
}

absl::Status CheckRegionAccess(const access::Principal& p, access::Action action,
                               const absl::StatusOr<Placement>& placement) {
  if (!placement.ok()) return CheckAccess(p, action, placement);
  for (const auto& g : p.grants) {
    if (g.region_id != placement->region_id) continue;
    for (access::Role r : access::RolesFor(action)) {
      if (r == g.role) return absl::OkStatus();
    }
  }
  return access::Authorize(p, action, Placement{});  // always denied: same message as out of scope
}

absl::StatusOr<ScopeFilter> ResolveListScope(sql::Connection& c, const access::Principal& p,
                                             access::Action action, absl::string_view parent,
                                             absl::string_view field) {
  if (parent.empty()) {
    const access::Grant* g = access::WidestGrantFor(p, action);
    if (g == nullptr) RETURN_IF_ERROR(access::Authorize(p, action, Placement{}));
    if (g->role == access::Role::kTeacher) return ScopeFilter{ScopeFilter::Kind::kPerson, p.person_id};
    switch (g->scope_kind) {
      case access::ScopeKind::kRegion: return ScopeFilter{ScopeFilter::Kind::kRegion, g->scope_id};
      case access::ScopeKind::kMunicipality:
        return ScopeFilter{ScopeFilter::Kind::kMunicipality, g->scope_id};
      case access::ScopeKind::kOrganization:
        return ScopeFilter{ScopeFilter::Kind::kOrganization, g->scope_id};
    }
  }
  ASSIGN_OR_RETURN(AnyName n, ParseAnyName(parent, field));
  auto placement = PlaceByName(c, parent, field);
  if (n.collection == "districts" && placement.ok()) {
    // A district is a region-level grouping: only region-wide grants reach it.
    Placement region_only{placement->region_id, 0, 0, 0};
    RETURN_IF_ERROR(CheckAccess(p, action, region_only));
  } else {
    RETURN_IF_ERROR(CheckAccess(p, action, placement));
  }
  if (n.collection == "regions") return ScopeFilter{ScopeFilter::Kind::kRegion, n.id};
  if (n.collection == "districts") return ScopeFilter{ScopeFilter::Kind::kDistrict, n.id};
  if (n.collection == "municipalities") return ScopeFilter{ScopeFilter::Kind::kMunicipality, n.id};
  if (n.collection == "organizations") return ScopeFilter{ScopeFilter::Kind::kOrganization, n.id};
  return ScopeFilter{ScopeFilter::Kind::kPerson, n.id};
}

absl::Status CheckVersion(int64_t requested, int64_t current) {
  if (requested <= 0) {
    return absl::InvalidArgumentError("Поле version обязательно: передайте версию, которую вы редактируете");
  }
  if (requested != current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Объект уже изменён другим пользователем (текущая версия ", current, ", ваша ", requested,
        "); обновите данные и повторите изменение"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> MaskPaths(const google::protobuf::FieldMask& mask,
                                                   std::initializer_list<absl::string_view> allowed) {
  std::vector<std::string> out;
  if (mask.paths().empty()) {
    for (auto a : allowed) out.emplace_back(a);
    return out;
  }
  for (const auto& path : mask.paths()) {
    bool ok = false;
    for (auto a : allowed) ok |= path == a;
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat("update_mask: поле \"", ShortenUtf8(path, 80),
                                                     "\" нельзя изменить; допустимы: ",
                                                     absl::StrJoin(allowed, ", ")));
    }
    out.push_back(path);
  }
  return out;
}

}  // namespace nms::services
