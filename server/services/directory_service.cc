#include "server/services/directory_service.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/auth/password.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/hot_path_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/common/text.h"
#include "server/domain/directory/person.h"
#include "server/domain/directory/teacher_csv.h"
#include "server/services/convert.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using db::DirectoryRepository;
using Repo = db::DirectoryRepository;
namespace v1 = nms::v1;

namespace {

constexpr size_t kMaxCsvBytes = 10 * 1024 * 1024;

// Converts a person message to a normalised domain record, validating dates.
absl::StatusOr<directory::PersonRecord> RecordFromProto(const v1::Person& p) {
  directory::PersonRecord r = Repo::ToRecord(v1::Person());
  r.external_id = p.external_id();
  r.last_name = p.last_name();
  r.first_name = p.first_name();
  r.middle_name = p.middle_name();
  ASSIGN_OR_RETURN(r.birth_date, FromProtoDate(p.birth_date(), "birth_date"));
  ASSIGN_OR_RETURN(r.work_start_date, FromProtoDate(p.work_start_date(), "work_start_date"));
  r.email = p.email();
  r.phone = p.phone();
  r.position = p.position();
  r.subjects.assign(p.subjects().begin(), p.subjects().end());
  r.qualification_category = p.qualification_category();
  r.education = p.education();
  r.management_role = p.management_role();
  return r;
}

absl::Status ValidRecord(directory::PersonRecord& r) {
  directory::NormalizePerson(r);
  auto errors = directory::ValidatePerson(r, TodayInRegion());
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  return absl::OkStatus();
}

void PersonOutbox(sql::Connection& c, const Placement& where, const v1::Person& person, absl::string_view operation) {
  db::WriteOutbox(c, where.region_id, "teacher", person.name(), operation, person);
}

}  // namespace

// ---------------------------------------------------------------- territory

grpc::Status DirectoryServiceImpl::GetRegion(grpc::ServerContext* ctx, const v1::GetRegionRequest* req,
                                             v1::Region* resp) {
  return Run(ctx, authn_, "DirectoryService/GetRegion", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "regions", "name"));
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadTerritory, Repo::PlaceRegion(c, id)));
      ASSIGN_OR_RETURN(*resp, Repo::GetRegion(c, id));
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::ListRegions(grpc::ServerContext* ctx, const v1::ListRegionsRequest* req,
                                               v1::ListRegionsResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ListRegions", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      std::set<int64_t> ids;
      // Regions the caller reads (a service account that reads no territory lists none).
      for (const auto& g : p.grants) {
        if (access::MemberOfRegion(p, g.region_id, Action::kReadTerritory)) ids.insert(g.region_id);
      }
      std::string next;
      for (auto& r : TakePage(Repo::ListRegions(c, {ids.begin(), ids.end()}), paging, &next)) {
        *resp->add_regions() = std::move(r);
      }
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::UpdateRegion(grpc::ServerContext* ctx, const v1::UpdateRegionRequest* req,
                                                v1::Region* resp) {
  return Run(ctx, authn_, "DirectoryService/UpdateRegion", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->region().name(), "regions", "region.name"));
    ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"display_name", "time_zone"}));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateRegion", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kWriteTerritory, Repo::PlaceRegion(c, id)));
      ASSIGN_OR_RETURN(v1::Region current, Repo::GetRegion(c, id, true));
      v1::Region next = current;
      for (const auto& path : paths) {
        if (path == "display_name") {
          RETURN_IF_ERROR(RequireText(req->region().display_name(), "region.display_name", 255));
          next.set_display_name(req->region().display_name());
        } else if (path == "time_zone") {
          absl::TimeZone tz;
          if (!absl::LoadTimeZone(req->region().time_zone(), &tz)) {
            return absl::InvalidArgumentError("Поле region.time_zone: неизвестный часовой пояс IANA");
          }
          next.set_time_zone(req->region().time_zone());
        }
      }
      RETURN_IF_ERROR(CheckVersion(req->region().version(), current.version()));
      Repo::UpdateRegion(c, next);
      ASSIGN_OR_RETURN(*resp, Repo::GetRegion(c, id));
      db::WriteAudit(c, p.account_id, "UpdateRegion", resp->name(), &current, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::GetDistrict(grpc::ServerContext* ctx, const v1::GetDistrictRequest* req,
                                               v1::District* resp) {
  return Run(ctx, authn_, "DirectoryService/GetDistrict", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "districts", "name"));
      // Districts are regional groupings; anyone working in the region may read them.
      auto placement = Repo::PlaceDistrict(c, id);
      bool in_region = placement.ok() && access::MemberOfRegion(p, placement->region_id, Action::kReadTerritory);
      if (!in_region) RETURN_IF_ERROR(CheckAccess(p, Action::kReadTerritory, placement));
      ASSIGN_OR_RETURN(*resp, Repo::GetDistrict(c, id));
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::ListDistricts(grpc::ServerContext* ctx, const v1::ListDistrictsRequest* req,
                                                 v1::ListDistrictsResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ListDistricts", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      int64_t region = 0;
      if (req->region().empty()) {
        for (const auto& g : p.grants) {
          if (access::MemberOfRegion(p, g.region_id, Action::kReadTerritory)) {
            region = g.region_id;
            break;
          }
        }
        if (region == 0) return access::Authorize(p, Action::kReadTerritory, Placement{});
      } else {
        ASSIGN_OR_RETURN(region, ParseResourceName(req->region(), "regions", "region"));
        if (!access::MemberOfRegion(p, region, Action::kReadTerritory)) {
          return access::Authorize(p, Action::kReadTerritory, Placement{});
        }
      }
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      std::string next;
      for (auto& d : TakePage(Repo::ListDistricts(c, region), paging, &next)) *resp->add_districts() = std::move(d);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::CreateDistrict(grpc::ServerContext* ctx, const v1::CreateDistrictRequest* req,
                                                  v1::District* resp) {
  return Run(ctx, authn_, "DirectoryService/CreateDistrict", [&](const Principal& p) -> absl::Status {
    const auto& d = req->district();
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(d.region(), "regions", "district.region"));
    RETURN_IF_ERROR(RequireText(d.display_name(), "district.display_name", 255));
    RETURN_IF_ERROR(ParseOptionalResourceName(d.base_organization(), "organizations",
                                              "district.base_organization").status());
    return db::IdempotentWrite(pool_, p.account_id, "CreateDistrict", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kWriteTerritory, Repo::PlaceRegion(c, region)));
      int64_t id = Repo::InsertDistrict(c, region, d);
      ASSIGN_OR_RETURN(*resp, Repo::GetDistrict(c, id));
      db::WriteAudit(c, p.account_id, "CreateDistrict", resp->name(), nullptr, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::GetMunicipality(grpc::ServerContext* ctx,
                                                   const v1::GetMunicipalityRequest* req,
                                                   v1::Municipality* resp) {
  return Run(ctx, authn_, "DirectoryService/GetMunicipality", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "municipalities", "name"));
      auto placement = Repo::PlaceMunicipality(c, id);
      // Schools and teachers may read the card of their own municipality.
      bool own = false;
      if (placement.ok()) {
        auto org = p.grants.empty() ? absl::StatusOr<Placement>(Placement{}) :
            (p.grants.front().scope_kind == access::ScopeKind::kOrganization
                 ? Repo::PlaceOrganization(c, p.grants.front().scope_id)
                 : absl::StatusOr<Placement>(Placement{}));
        own = org.ok() && org->municipality_id == id;
      }
      if (!own) RETURN_IF_ERROR(CheckAccess(p, Action::kReadTerritory, placement));
      ASSIGN_OR_RETURN(*resp, Repo::GetMunicipality(c, id));
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::ListMunicipalities(grpc::ServerContext* ctx,
                                                      const v1::ListMunicipalitiesRequest* req,
                                                      v1::ListMunicipalitiesResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ListMunicipalities", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(db::ScopeFilter scope,
                       ResolveListScope(c, p, Action::kReadTerritory, req->parent(), "parent"));
      if (scope.kind == db::ScopeFilter::Kind::kOrganization || scope.kind == db::ScopeFilter::Kind::kPerson) {
        return absl::InvalidArgumentError(
            "Поле parent: муниципалитеты перечисляются для региона или межмуниципального округа");
      }
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      std::string next;
      for (auto& m : TakePage(Repo::ListMunicipalities(c, scope), paging, &next)) {
        *resp->add_municipalities() = std::move(m);
      }
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::CreateMunicipality(grpc::ServerContext* ctx,
                                                      const v1::CreateMunicipalityRequest* req,
                                                      v1::Municipality* resp) {
  return Run(ctx, authn_, "DirectoryService/CreateMunicipality", [&](const Principal& p) -> absl::Status {
    const auto& m = req->municipality();
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(m.region(), "regions", "municipality.region"));
    ASSIGN_OR_RETURN(int64_t district, ParseOptionalResourceName(m.district(), "districts", "municipality.district"));
    RETURN_IF_ERROR(RequireText(m.display_name(), "municipality.display_name", 255));
    RETURN_IF_ERROR(OptionalText(m.external_id(), "municipality.external_id", 64));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMunicipality", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kWriteTerritory, Repo::PlaceRegion(c, region)));
      if (district != 0) {
        auto dp = Repo::PlaceDistrict(c, district);
        RETURN_IF_ERROR(CheckAccess(p, Action::kWriteTerritory, dp));
        if (dp->region_id != region) {
          return absl::InvalidArgumentError("Поле municipality.district: округ другого региона");
        }
      }
      int64_t id = Repo::InsertMunicipality(c, region, district, m);
      ASSIGN_OR_RETURN(*resp, Repo::GetMunicipality(c, id));
      db::WriteAudit(c, p.account_id, "CreateMunicipality", resp->name(), nullptr, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::UpdateMunicipality(grpc::ServerContext* ctx,
                                                      const v1::UpdateMunicipalityRequest* req,
                                                      v1::Municipality* resp) {
  return Run(ctx, authn_, "DirectoryService/UpdateMunicipality", [&](const Principal& p) -> absl::Status {
    const auto& m = req->municipality();
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(m.name(), "municipalities", "municipality.name"));
    ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"display_name", "district", "external_id"}));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateMunicipality", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kWriteTerritory, Repo::PlaceMunicipality(c, id)));
      ASSIGN_OR_RETURN(v1::Municipality current, Repo::GetMunicipality(c, id, true));
      v1::Municipality next = current;
      for (const auto& path : paths) {
        if (path == "display_name") {
          RETURN_IF_ERROR(RequireText(m.display_name(), "municipality.display_name", 255));
          next.set_display_name(m.display_name());
        } else if (path == "district") {
          next.set_district(m.district());
        } else if (path == "external_id") {
          RETURN_IF_ERROR(OptionalText(m.external_id(), "municipality.external_id", 64));
          next.set_external_id(m.external_id());
        }
      }
      ASSIGN_OR_RETURN(int64_t district, ParseOptionalResourceName(next.district(), "districts", "municipality.district"));
      if (district != 0) {
        // The district is authorised like the municipality before anything is compared.
        auto dp = Repo::PlaceDistrict(c, district);
        RETURN_IF_ERROR(CheckAccess(p, Action::kWriteTerritory, dp));
        ASSIGN_OR_RETURN(Placement mp, Repo::PlaceMunicipality(c, id));
        if (dp->region_id != mp.region_id) {
          return absl::InvalidArgumentError("Поле municipality.district: округ другого региона");
        }
      }
      RETURN_IF_ERROR(CheckVersion(m.version(), current.version()));
      Repo::UpdateMunicipality(c, id, district, next);
      ASSIGN_OR_RETURN(*resp, Repo::GetMunicipality(c, id));
      db::WriteAudit(c, p.account_id, "UpdateMunicipality", resp->name(), &current, resp);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- organisations

grpc::Status DirectoryServiceImpl::GetOrganization(grpc::ServerContext* ctx,
                                                   const v1::GetOrganizationRequest* req,
                                                   v1::Organization* resp) {
  return Run(ctx, authn_, "DirectoryService/GetOrganization", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "organizations", "name"));
      auto placement = Repo::PlaceOrganization(c, id);
      // A teacher reads the card of their own organisation.
      bool own = false;
      if (placement.ok() && p.person_id != 0) {
        auto me = Repo::PlacePerson(c, p.person_id);
        own = me.ok() && me->organization_id == id;
      }
      if (!own) RETURN_IF_ERROR(CheckAccess(p, Action::kReadTerritory, placement));
      ASSIGN_OR_RETURN(*resp, Repo::GetOrganization(c, id));
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::ListOrganizations(grpc::ServerContext* ctx,
                                                     const v1::ListOrganizationsRequest* req,
                                                     v1::ListOrganizationsResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ListOrganizations", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      if (req->query().size() > 200) return absl::InvalidArgumentError("Поле query: не длиннее 200 символов");
      ASSIGN_OR_RETURN(db::ScopeFilter scope,
                       ResolveListScope(c, p, Action::kReadTerritory, req->parent(), "parent"));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kText, KeyPart::kNumber}));
      db::Page page;
      for (auto& o : Repo::ListOrganizations(c, scope, req->type(), req->query(), paging, &page)) {
        *resp->add_organizations() = std::move(o);
      }
      resp->set_next_page_token(page.next_page_token);
      resp->set_total_size(page.total_size);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::CreateOrganization(grpc::ServerContext* ctx,
                                                      const v1::CreateOrganizationRequest* req,
                                                      v1::Organization* resp) {
  return Run(ctx, authn_, "DirectoryService/CreateOrganization", [&](const Principal& p) -> absl::Status {
    const auto& o = req->organization();
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(o.region(), "regions", "organization.region"));
    ASSIGN_OR_RETURN(int64_t mun, ParseOptionalResourceName(o.municipality(), "municipalities",
                                                            "organization.municipality"));
    RETURN_IF_ERROR(CheckEnum(o.type(), v1::OrganizationType_descriptor(), "organization.type", EnumUse::kRequired));
    RETURN_IF_ERROR(RequireText(o.display_name(), "organization.display_name", 512));
    if (!o.short_name().empty()) RETURN_IF_ERROR(RequireText(o.short_name(), "organization.short_name", 255));
    RETURN_IF_ERROR(OptionalText(o.external_id(), "organization.external_id", 64));
    return db::IdempotentWrite(pool_, p.account_id, "CreateOrganization", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      // Access first, to every territory the request names: a missing municipality or region
      // must look like one out of scope. The region holds the municipality: a municipal grant
      // of that region names it.
      if (mun != 0) {
        RETURN_IF_ERROR(CheckRegionAccess(p, Action::kWriteOrganization, Repo::PlaceRegion(c, region)));
        auto mp = Repo::PlaceMunicipality(c, mun);
        RETURN_IF_ERROR(CheckAccess(p, Action::kWriteOrganization, mp));
        if (mp->region_id != region) {
          return absl::InvalidArgumentError("Поле organization.municipality: муниципалитет другого региона");
        }
      } else {
        RETURN_IF_ERROR(CheckAccess(p, Action::kWriteOrganization, Repo::PlaceRegion(c, region)));
      }
      if (!o.external_id().empty()) {
        if (Repo::OrganizationExternalIdTaken(c, region, o.external_id())) {
          return absl::AlreadyExistsError(absl::StrCat("Организация с external_id \"", o.external_id(),
                                                       "\" уже есть в регионе"));
        }
      }
      int64_t id = Repo::InsertOrganization(c, region, mun, o);
      ASSIGN_OR_RETURN(*resp, Repo::GetOrganization(c, id));
      db::WriteAudit(c, p.account_id, "CreateOrganization", resp->name(), nullptr, resp);
      db::WriteOutbox(c, region, "organization", resp->name(), federal::kCreate, *resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::UpdateOrganization(grpc::ServerContext* ctx,
                                                      const v1::UpdateOrganizationRequest* req,
                                                      v1::Organization* resp) {
  return Run(ctx, authn_, "DirectoryService/UpdateOrganization", [&](const Principal& p) -> absl::Status {
    const auto& o = req->organization();
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(o.name(), "organizations", "organization.name"));
    ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"type", "display_name", "short_name",
                                                                "municipality", "external_id"}));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateOrganization", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto placement = Repo::PlaceOrganization(c, id);
      RETURN_IF_ERROR(CheckAccess(p, Action::kWriteOrganization, placement));
      ASSIGN_OR_RETURN(v1::Organization current, Repo::GetOrganization(c, id, true));
      v1::Organization next = current;
      for (const auto& path : paths) {
        if (path == "type") {
          RETURN_IF_ERROR(
              CheckEnum(o.type(), v1::OrganizationType_descriptor(), "organization.type", EnumUse::kRequired));
          next.set_type(o.type());
        } else if (path == "display_name") {
          RETURN_IF_ERROR(RequireText(o.display_name(), "organization.display_name", 512));
          next.set_display_name(o.display_name());
        } else if (path == "short_name") {
          RETURN_IF_ERROR(RequireText(o.short_name(), "organization.short_name", 255));
          next.set_short_name(o.short_name());
        } else if (path == "municipality") {
          next.set_municipality(o.municipality());
        } else if (path == "external_id") {
          RETURN_IF_ERROR(OptionalText(o.external_id(), "organization.external_id", 64));
          next.set_external_id(o.external_id());
        }
      }
      ASSIGN_OR_RETURN(int64_t mun, ParseOptionalResourceName(next.municipality(), "municipalities",
                                                              "organization.municipality"));
      if (mun != 0 && next.municipality() != current.municipality()) {
        // Moving an organisation needs write access at the destination too, checked before it
        // is compared with anything.
        auto mp = Repo::PlaceMunicipality(c, mun);
        RETURN_IF_ERROR(CheckAccess(p, Action::kWriteOrganization, mp));
        if (mp->region_id != placement->region_id) {
          return absl::InvalidArgumentError("Поле organization.municipality: муниципалитет другого региона");
        }
      }
      RETURN_IF_ERROR(CheckVersion(o.version(), current.version()));
      Repo::UpdateOrganization(c, id, mun, next);
      ASSIGN_OR_RETURN(*resp, Repo::GetOrganization(c, id));
      db::WriteAudit(c, p.account_id, "UpdateOrganization", resp->name(), &current, resp);
      db::WriteOutbox(c, placement->region_id, "organization", resp->name(), federal::kUpdate, *resp);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- people

grpc::Status DirectoryServiceImpl::GetPerson(grpc::ServerContext* ctx, const v1::GetPersonRequest* req,
                                             v1::Person* resp) {
  return Run(ctx, authn_, "DirectoryService/GetPerson", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "people", "name"));
      // One read: the placement authorises, the card is answered only when allowed.
      auto found = db::GetPlacedPerson(c, id);
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadPerson,
                                  found.ok() ? absl::StatusOr<access::Placement>(found->place) : found.status()));
      *resp = std::move(found->person);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::ListPeople(grpc::ServerContext* ctx, const v1::ListPeopleRequest* req,
                                              v1::ListPeopleResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ListPeople", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      if (req->query().size() > 100 || req->position().size() > 255 || req->subject().size() > 100) {
        return absl::InvalidArgumentError("Слишком длинное условие поиска");
      }
      db::PeopleQuery q;
      ASSIGN_OR_RETURN(q.scope, ResolveListScope(c, p, Action::kReadPerson, req->parent(), "parent"));
      q.name_prefix = std::string(absl::StripAsciiWhitespace(req->query()));
      q.position = req->position();
      directory::PersonRecord subj;
      if (!req->subject().empty()) {
        subj.subjects = {req->subject()};
        directory::NormalizePerson(subj);
        if (subj.subjects.empty() || subj.subjects.front().empty()) {
          return absl::InvalidArgumentError("Поле subject: пустое название предмета");
        }
        q.subject = subj.subjects.front();
      }
      ASSIGN_OR_RETURN(q.page, Paging(*req, {KeyPart::kText, KeyPart::kText, KeyPart::kNumber}));
      db::Page page;
      for (auto& person : Repo::ListPeople(c, q, &page)) *resp->add_people() = std::move(person);
      resp->set_next_page_token(page.next_page_token);
      resp->set_total_size(page.total_size);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::CreatePerson(grpc::ServerContext* ctx, const v1::CreatePersonRequest* req,
                                                v1::Person* resp) {
  return Run(ctx, authn_, "DirectoryService/CreatePerson", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t org, ParseResourceName(req->person().organization(), "organizations",
                                                    "person.organization"));
    ASSIGN_OR_RETURN(directory::PersonRecord record, RecordFromProto(req->person()));
    RETURN_IF_ERROR(ValidRecord(record));
    return db::IdempotentWrite(pool_, p.account_id, "CreatePerson", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto where = Repo::PlaceOrganization(c, org);
      RETURN_IF_ERROR(CheckAccess(p, Action::kWritePerson, where));
      if (!record.external_id.empty() && Repo::FindPersonByExternalId(c, where->region_id, record.external_id)) {
        return absl::AlreadyExistsError(absl::StrCat("Человек с external_id \"", record.external_id,
                                                     "\" уже есть в регионе"));
      }
      int64_t id = Repo::InsertPerson(c, record, *where, TodayInRegion());
      ASSIGN_OR_RETURN(*resp, Repo::GetPerson(c, id));
      db::WriteAudit(c, p.account_id, "CreatePerson", resp->name(), nullptr, resp);
      PersonOutbox(c, *where, *resp, federal::kCreate);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::UpdatePerson(grpc::ServerContext* ctx, const v1::UpdatePersonRequest* req,
                                                v1::Person* resp) {
  return Run(ctx, authn_, "DirectoryService/UpdatePerson", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->person().name(), "people", "person.name"));
    ASSIGN_OR_RETURN(auto paths,
                     MaskPaths(req->update_mask(),
                               {"last_name", "first_name", "middle_name", "birth_date", "email", "phone",
                                "position", "subjects", "work_start_date", "qualification_category",
                                "education", "management_role", "external_id"}));
    ASSIGN_OR_RETURN(directory::PersonRecord incoming, RecordFromProto(req->person()));
    return db::IdempotentWrite(pool_, p.account_id, "UpdatePerson", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto where = Repo::PlacePerson(c, id);
      if (absl::Status school = CheckAccess(p, Action::kWritePerson, where); !school.ok()) {
        // Everyone keeps their own contacts (a teacher edits phone and e-mail in the app); the
        // rest of the card stays with the school.
        if (p.person_id == 0 || p.person_id != id || !where.ok()) return school;
        RETURN_IF_ERROR(directory::CheckSelfEdit(paths));
      }
      ASSIGN_OR_RETURN(v1::Person current, Repo::GetPerson(c, id, true));
      directory::PersonRecord next = Repo::ToRecord(current);
      for (const auto& path : paths) {
        if (path == "last_name") next.last_name = incoming.last_name;
        else if (path == "first_name") next.first_name = incoming.first_name;
        else if (path == "middle_name") next.middle_name = incoming.middle_name;
        else if (path == "birth_date") next.birth_date = incoming.birth_date;
        else if (path == "email") next.email = incoming.email;
        else if (path == "phone") next.phone = incoming.phone;
        else if (path == "position") next.position = incoming.position;
        else if (path == "subjects") next.subjects = incoming.subjects;
        else if (path == "work_start_date") next.work_start_date = incoming.work_start_date;
        else if (path == "qualification_category") next.qualification_category = incoming.qualification_category;
        else if (path == "education") next.education = incoming.education;
        else if (path == "management_role") next.management_role = incoming.management_role;
        else if (path == "external_id") next.external_id = incoming.external_id;
      }
      RETURN_IF_ERROR(ValidRecord(next));
      RETURN_IF_ERROR(CheckVersion(req->person().version(), current.version()));
      if (next.external_id != current.external_id() && !next.external_id.empty() &&
          Repo::FindPersonByExternalId(c, where->region_id, next.external_id)) {
        return absl::AlreadyExistsError(absl::StrCat("Человек с external_id \"", next.external_id,
                                                     "\" уже есть в регионе"));
      }
      Repo::UpdatePerson(c, id, next);
      ASSIGN_OR_RETURN(*resp, Repo::GetPerson(c, id));
      db::WriteAudit(c, p.account_id, "UpdatePerson", resp->name(), &current, resp);
      PersonOutbox(c, *where, *resp, federal::kUpdate);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- employments

grpc::Status DirectoryServiceImpl::ListEmployments(grpc::ServerContext* ctx,
                                                   const v1::ListEmploymentsRequest* req,
                                                   v1::ListEmploymentsResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ListEmployments", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(AnyName parent, ParseAnyName(req->parent(), "parent"));
      bool by_person = parent.collection == "people";
      if (!by_person && parent.collection != "organizations") {
        return absl::InvalidArgumentError("Поле parent: ожидается people/… или organizations/…");
      }
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadPerson,
                                  by_person ? Repo::PlacePerson(c, parent.id)
                                            : Repo::PlaceOrganization(c, parent.id)));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      std::string next;
      for (auto& e : TakePage(Repo::ListEmployments(c, by_person, parent.id, req->include_ended()), paging, &next)) {
        *resp->add_employments() = std::move(e);
      }
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::CreateEmployment(grpc::ServerContext* ctx,
                                                    const v1::CreateEmploymentRequest* req,
                                                    v1::Employment* resp) {
  return Run(ctx, authn_, "DirectoryService/CreateEmployment", [&](const Principal& p) -> absl::Status {
    const auto& e = req->employment();
    ASSIGN_OR_RETURN(int64_t person, ParseResourceName(e.person(), "people", "employment.person"));
    ASSIGN_OR_RETURN(int64_t org, ParseResourceName(e.organization(), "organizations", "employment.organization"));
    RETURN_IF_ERROR(RequireText(e.position(), "employment.position", 255));
    ASSIGN_OR_RETURN(auto start, FromProtoDate(e.start_date(), "employment.start_date"));
    if (!start) return absl::InvalidArgumentError("Поле employment.start_date обязательно");
    RETURN_IF_ERROR(CheckEnum(e.management_role(), v1::ManagementRole_descriptor(), "employment.management_role",
                              EnumUse::kOptional));
    RETURN_IF_ERROR(CheckEnum(e.position_category(), v1::PositionCategory_descriptor(), "employment.position_category",
                              EnumUse::kOptional));
    return db::IdempotentWrite(pool_, p.account_id, "CreateEmployment", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto person_place = Repo::PlacePerson(c, person);
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadPerson, person_place));
      auto org_place = Repo::PlaceOrganization(c, org);
      RETURN_IF_ERROR(CheckAccess(p, Action::kWritePerson, org_place));
      if (person_place->region_id != org_place->region_id) {
        return absl::InvalidArgumentError("Организация и человек из разных регионов");
      }
      int64_t id = Repo::InsertEmployment(c, e, person, org, *start);
      ASSIGN_OR_RETURN(*resp, Repo::GetEmployment(c, id));
      db::WriteAudit(c, p.account_id, "CreateEmployment", resp->name(), nullptr, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::EndEmployment(grpc::ServerContext* ctx, const v1::EndEmploymentRequest* req,
                                                 v1::Employment* resp) {
  return Run(ctx, authn_, "DirectoryService/EndEmployment", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "employments", "name"));
    ASSIGN_OR_RETURN(auto end, FromProtoDate(req->end_date(), "end_date"));
    if (!end) return absl::InvalidArgumentError("Поле end_date обязательно");
    return db::IdempotentWrite(pool_, p.account_id, "EndEmployment", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto current = Repo::GetEmployment(c, id, true);
      // StatusOr from an OK status aborts the process (absl): start from a placeholder placement.
      absl::StatusOr<Placement> where = current.ok() ? absl::StatusOr<Placement>(Placement{})
                                                     : absl::StatusOr<Placement>(current.status());
      if (current.ok()) {
        ASSIGN_OR_RETURN(int64_t org, ParseResourceName(current->organization(), "organizations", "organization"));
        where = Repo::PlaceOrganization(c, org);
      }
      RETURN_IF_ERROR(CheckAccess(p, Action::kWritePerson, where));
      ASSIGN_OR_RETURN(auto start, FromProtoDate(current->start_date(), "start_date"));
      if (start && *end < *start) {
        return absl::InvalidArgumentError("Поле end_date: раньше даты начала работы");
      }
      RETURN_IF_ERROR(CheckVersion(req->version(), current->version()));
      if (current->has_end_date() && current->end_date().year() != 0) {
        return absl::FailedPreconditionError("Место работы уже закрыто");
      }
      Repo::EndEmployment(c, id, *end);
      ASSIGN_OR_RETURN(*resp, Repo::GetEmployment(c, id));
      db::WriteAudit(c, p.account_id, "EndEmployment", resp->name(), &*current, resp);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- accounts and grants

grpc::Status DirectoryServiceImpl::CreateAccount(grpc::ServerContext* ctx, const v1::CreateAccountRequest* req,
                                                 v1::CreateAccountResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/CreateAccount", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t person, ParseResourceName(req->person(), "people", "person"));
    std::string login = absl::AsciiStrToLower(absl::StripAsciiWhitespace(req->login()));
    return db::IdempotentWrite(pool_, p.account_id, "CreateAccount", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageAccounts, Repo::PlacePerson(c, person)));
      ASSIGN_OR_RETURN(v1::Person card, Repo::GetPerson(c, person));
      if (login.empty()) login = card.email();
      if (login.empty()) {
        return absl::InvalidArgumentError("Поле login обязательно, если у человека не указан e-mail");
      }
      if (login.size() > 255 || login.find_first_of(" \t\r\n") != std::string::npos) {
        return absl::InvalidArgumentError("Поле login: без пробелов, не длиннее 255 символов");
      }
      if (Repo::AccountOfPerson(c, person)) {
        return absl::AlreadyExistsError("У этого человека уже есть учётная запись");
      }
      if (Repo::LoginTaken(c, login)) return absl::AlreadyExistsError(absl::StrCat("Логин \"", login, "\" уже занят"));
      std::string otp = auth::GenerateOneTimePassword();
      ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(otp));
      int64_t id = Repo::InsertAccount(c, person, login, hash);
      resp->set_account(ResourceName("accounts", id));
      resp->set_login(login);
      resp->set_one_time_password(otp);
      v1::CreateAccountResponse audit = *resp;
      audit.clear_one_time_password();
      db::WriteAudit(c, p.account_id, "CreateAccount", resp->account(), nullptr, &audit);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::ResetPassword(grpc::ServerContext* ctx, const v1::ResetPasswordRequest* req,
                                                 v1::ResetPasswordResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ResetPassword", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t account, ParseResourceName(req->account(), "accounts", "account"));
    return db::IdempotentWrite(pool_, p.account_id, "ResetPassword", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageAccounts, Repo::PlaceAccount(c, account)));
      std::string otp = auth::GenerateOneTimePassword();
      ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(otp));
      Repo::SetAccountPassword(c, account, hash);
      resp->set_one_time_password(otp);
      db::WriteAudit(c, p.account_id, "ResetPassword", req->account(), nullptr, nullptr);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::ListRoleGrants(grpc::ServerContext* ctx, const v1::ListRoleGrantsRequest* req,
                                                  v1::ListRoleGrantsResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ListRoleGrants", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t account, ParseOptionalResourceName(req->account(), "accounts", "account"));
      ASSIGN_OR_RETURN(db::ScopeFilter scope, ResolveListScope(c, p, Action::kManageAccounts, "", "parent"));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      std::string next;
      for (auto& g : TakePage(Repo::ListRoleGrants(c, scope, account), paging, &next)) {
        *resp->add_role_grants() = std::move(g);
      }
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::CreateRoleGrant(grpc::ServerContext* ctx,
                                                   const v1::CreateRoleGrantRequest* req, v1::RoleGrant* resp) {
  return Run(ctx, authn_, "DirectoryService/CreateRoleGrant", [&](const Principal& p) -> absl::Status {
    const auto& g = req->role_grant();
    ASSIGN_OR_RETURN(int64_t account, ParseResourceName(g.account(), "accounts", "role_grant.account"));
    RETURN_IF_ERROR(CheckEnum(g.role(), v1::Role_descriptor(), "role_grant.role", EnumUse::kRequired));
    ASSIGN_OR_RETURN(AnyName scope, ParseAnyName(g.scope(), "role_grant.scope"));
    access::ScopeKind kind;
    if (scope.collection == "regions") kind = access::ScopeKind::kRegion;
    else if (scope.collection == "municipalities") kind = access::ScopeKind::kMunicipality;
    else if (scope.collection == "organizations") kind = access::ScopeKind::kOrganization;
    else return absl::InvalidArgumentError("Поле role_grant.scope: regions/…, municipalities/… или organizations/…");
    // Each role lives at one level of the hierarchy.
    auto role = static_cast<access::Role>(g.role());
    bool level_ok = (role == access::Role::kTeacher || role == access::Role::kSchoolAdmin)
                        ? kind == access::ScopeKind::kOrganization
                    : role == access::Role::kMunicipalMethodist ? kind == access::ScopeKind::kMunicipality
                                                                : kind == access::ScopeKind::kRegion;
    if (!level_ok) {
      return absl::InvalidArgumentError(
          "Поле role_grant.scope: учитель и администратор ОО назначаются на организацию, "
          "муниципальный методист — на муниципалитет, региональные роли — на регион");
    }
    return db::IdempotentWrite(pool_, p.account_id, "CreateRoleGrant", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto target = Repo::PlaceAccount(c, account);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageAccounts, target));
      // A missing scope looks like one out of reach (NOT_FOUND only to region-wide roles).
      auto where = PlaceByName(c, g.scope(), "role_grant.scope");
      if (!where.ok()) return CheckAccess(p, Action::kManageAccounts, where);
      RETURN_IF_ERROR(access::AuthorizeRoleGrant(p, role, *where));
      if (role == access::Role::kTeacher && where->organization_id != target->organization_id) {
        return absl::InvalidArgumentError("Роль учителя назначается в организации основного места работы");
      }
      int64_t id = Repo::InsertRoleGrant(c, account, g.role(), kind, scope.id);
      ASSIGN_OR_RETURN(*resp, Repo::GetRoleGrant(c, id));
      db::WriteAudit(c, p.account_id, "CreateRoleGrant", resp->name(), nullptr, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DirectoryServiceImpl::DeleteRoleGrant(grpc::ServerContext* ctx,
                                                   const v1::DeleteRoleGrantRequest* req,
                                                   v1::DeleteRoleGrantResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/DeleteRoleGrant", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "roleGrants", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteRoleGrant", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto grant = Repo::GetRoleGrant(c, id);
      absl::StatusOr<Placement> where =
          grant.ok() ? PlaceByName(c, grant->scope(), "scope") : absl::StatusOr<Placement>(grant.status());
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageAccounts, where));
      RETURN_IF_ERROR(access::AuthorizeRoleGrant(p, static_cast<access::Role>(grant->role()), *where));
      if (grant->account() == ResourceName("accounts", p.account_id)) {
        return absl::FailedPreconditionError("Нельзя отозвать собственную роль");
      }
      Repo::DeleteRoleGrant(c, id);
      db::WriteAudit(c, p.account_id, "DeleteRoleGrant", grant->name(), &*grant, nullptr);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- CSV import

grpc::Status DirectoryServiceImpl::ImportTeachers(grpc::ServerContext* ctx,
                                                  const v1::ImportTeachersRequest* req,
                                                  v1::ImportTeachersResponse* resp) {
  return Run(ctx, authn_, "DirectoryService/ImportTeachers", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t org, ParseResourceName(req->organization(), "organizations", "organization"));
    if (req->csv().size() > kMaxCsvBytes) {
      return absl::InvalidArgumentError("Поле csv: файл больше 10 МБ; разделите его на части");
    }
    absl::CivilDay today = TodayInRegion();
    ASSIGN_OR_RETURN(auto parsed_rows, directory::ParseTeacherCsv(req->csv(), today));
    auto write = [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto rows = parsed_rows;  // a retried transaction starts from the parsed rows again
      auto where = Repo::PlaceOrganization(c, org);
      RETURN_IF_ERROR(CheckAccess(p, Action::kWritePerson, where));
      for (auto& row : rows) {
        auto* out = resp->add_rows();
        out->set_line(row.line);
        out->set_external_id(row.person.external_id);
        if (row.errors.empty()) {
          auto existing = Repo::FindPersonByExternalId(c, where->region_id, row.person.external_id);
          if (existing) {
            ASSIGN_OR_RETURN(v1::Person current, Repo::GetPerson(c, *existing, true));
            if (current.organization() != req->organization()) {
              row.errors.push_back(
                  "external_id принадлежит работнику другой организации; перевод оформляется через место работы");
            } else {
              out->set_person(current.name());
              directory::PersonRecord stored = Repo::ToRecord(current);
              if (stored == row.person) {
                out->set_outcome(v1::IMPORT_ROW_OUTCOME_UNCHANGED);
                resp->set_unchanged_count(resp->unchanged_count() + 1);
              } else {
                Repo::UpdatePerson(c, *existing, row.person);
                ASSIGN_OR_RETURN(v1::Person after, Repo::GetPerson(c, *existing));
                db::WriteAudit(c, p.account_id, "ImportTeachers.update", after.name(), &current, &after);
                PersonOutbox(c, *where, after, federal::kUpdate);
                out->set_outcome(v1::IMPORT_ROW_OUTCOME_UPDATED);
                resp->set_updated_count(resp->updated_count() + 1);
              }
            }
          } else {
            int64_t id = Repo::InsertPerson(c, row.person, *where, today);
            ASSIGN_OR_RETURN(v1::Person after, Repo::GetPerson(c, id));
            db::WriteAudit(c, p.account_id, "ImportTeachers.create", after.name(), nullptr, &after);
            PersonOutbox(c, *where, after, federal::kCreate);
            out->set_person(after.name());
            out->set_outcome(v1::IMPORT_ROW_OUTCOME_CREATED);
            resp->set_created_count(resp->created_count() + 1);
          }
          if (row.errors.empty() && req->create_accounts() && !row.person.email.empty()) {
            ASSIGN_OR_RETURN(int64_t person_id, ParseResourceName(out->person(), "people", "person"));
            if (!Repo::AccountOfPerson(c, person_id) && !Repo::LoginTaken(c, row.person.email)) {
              // No password yet: the school hands out a one-time password via ResetPassword.
              int64_t account = Repo::InsertAccount(c, person_id, row.person.email, "");
              Repo::InsertRoleGrant(c, account, v1::ROLE_TEACHER, access::ScopeKind::kOrganization, org);
            }
          }
        }
        if (!row.errors.empty()) {
          out->set_outcome(v1::IMPORT_ROW_OUTCOME_REJECTED);
          for (auto& e : row.errors) out->add_errors(e);
          resp->set_rejected_count(resp->rejected_count() + 1);
        }
      }
      return absl::OkStatus();
    };
    if (req->validate_only()) {
      // Run the whole import, then roll it back: the report is exact and nothing is kept.
      return db::InRolledBackTransaction(pool_, write);
    }
    return db::IdempotentWrite(pool_, p.account_id, "ImportTeachers", req->request_id(), *req, resp, write);
  });
}

}  // namespace nms::services
