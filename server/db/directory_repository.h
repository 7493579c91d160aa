#pragma once
// SQL for the directory: territory, organisations, people, employments, accounts and grants.
// Every method runs on the caller's connection so the service decides the transaction
// boundary (one IdempotentWrite = one transaction with its audit and outbox rows).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/directory.pb.h"
#include "server/domain/access/principal.h"
#include "server/domain/common/page_token.h"
#include "server/domain/directory/person.h"
#include "server/domain/directory/region.h"

namespace nms::db {

// A list filter over the territory tree; exactly one level is set.
struct ScopeFilter {
  enum class Kind { kRegion, kDistrict, kMunicipality, kOrganization, kPerson };
  Kind kind = Kind::kRegion;
  int64_t id = 0;
};

struct PeopleQuery {
  ScopeFilter scope;
  std::string name_prefix;  // last-name prefix or exact external id
  std::string position;
  std::string subject;
  PageRequest page;  // key: last_name, first_name, id
};

struct Page {
  std::string next_page_token;
  int total_size = 0;
};

// WHERE fragment (one '?', bound to the scope's id) placing a person, table alias p, in `s`.
std::string PeopleScopeSql(const ScopeFilter& s);

class DirectoryRepository {
 public:
  // --- placements (NOT_FOUND when the row does not exist) ---
  static absl::StatusOr<access::Placement> PlaceRegion(sql::Connection& c, int64_t id);
  static absl::StatusOr<access::Placement> PlaceDistrict(sql::Connection& c, int64_t id);
  static absl::StatusOr<access::Placement> PlaceMunicipality(sql::Connection& c, int64_t id);
  static absl::StatusOr<access::Placement> PlaceOrganization(sql::Connection& c, int64_t id);
  static absl::StatusOr<access::Placement> PlacePerson(sql::Connection& c, int64_t id);
  static absl::StatusOr<access::Placement> PlaceAccount(sql::Connection& c, int64_t id);

  // --- territory ---
  static absl::StatusOr<nms::v1::Region> GetRegion(sql::Connection& c, int64_t id, bool for_update = false);
  static std::vector<nms::v1::Region> ListRegions(sql::Connection& c, const std::vector<int64_t>& ids);
  static void UpdateRegion(sql::Connection& c, const nms::v1::Region& r);
  static absl::StatusOr<nms::v1::District> GetDistrict(sql::Connection& c, int64_t id);
  static std::vector<nms::v1::District> ListDistricts(sql::Connection& c, int64_t region_id);
  static int64_t InsertDistrict(sql::Connection& c, int64_t region_id, const nms::v1::District& d);
  static absl::StatusOr<nms::v1::Municipality> GetMunicipality(sql::Connection& c, int64_t id, bool for_update = false);
  static std::vector<nms::v1::Municipality> ListMunicipalities(sql::Connection& c, const ScopeFilter& scope);
  static int64_t InsertMunicipality(sql::Connection& c, int64_t region_id, int64_t district_id,
                                    const nms::v1::Municipality& m);
  static void UpdateMunicipality(sql::Connection& c, int64_t id, int64_t district_id,
                                 const nms::v1::Municipality& m);

  // --- organisations ---
  static absl::StatusOr<nms::v1::Organization> GetOrganization(sql::Connection& c, int64_t id, bool for_update = false);
  static std::vector<nms::v1::Organization> ListOrganizations(sql::Connection& c, const ScopeFilter& scope,
                                                              int type, const std::string& query,
                                                              const PageRequest& paging, Page* page);
  static int64_t InsertOrganization(sql::Connection& c, int64_t region_id, int64_t municipality_id,
                                    const nms::v1::Organization& o);
  static bool OrganizationExternalIdTaken(sql::Connection& c, int64_t region_id, const std::string& external_id);
  static void UpdateOrganization(sql::Connection& c, int64_t id, int64_t municipality_id,
                                 const nms::v1::Organization& o);

  // --- people ---
  static absl::StatusOr<nms::v1::Person> GetPerson(sql::Connection& c, int64_t id, bool for_update = false);
  static std::optional<int64_t> FindPersonByExternalId(sql::Connection& c, int64_t region_id,
                                                       const std::string& external_id);
  static std::vector<nms::v1::Person> ListPeople(sql::Connection& c, const PeopleQuery& q, Page* page);
  // Inserts the person with a primary employment at `organization_id` (placement from it).
  static int64_t InsertPerson(sql::Connection& c, const directory::PersonRecord& p,
                              const access::Placement& org, absl::CivilDay today);
  // Overwrites the card and bumps the version.
  static void UpdatePerson(sql::Connection& c, int64_t id, const directory::PersonRecord& p);

  // --- employments ---
  static absl::StatusOr<nms::v1::Employment> GetEmployment(sql::Connection& c, int64_t id, bool for_update = false);
  static std::vector<nms::v1::Employment> ListEmployments(sql::Connection& c, bool by_person, int64_t id,
                                                          bool include_ended);
  static int64_t InsertEmployment(sql::Connection& c, const nms::v1::Employment& e,
                                  int64_t person_id, int64_t org_id,
                                  absl::CivilDay start);
  static void EndEmployment(sql::Connection& c, int64_t id, absl::CivilDay end);

  // --- accounts and grants ---
  static std::optional<int64_t> AccountOfPerson(sql::Connection& c, int64_t person_id);
  static bool LoginTaken(sql::Connection& c, const std::string& login);
  static int64_t InsertAccount(sql::Connection& c, int64_t person_id, const std::string& login,
                               const std::string& password_hash);
  static void SetAccountPassword(sql::Connection& c, int64_t account_id, const std::string& hash);
  static std::vector<nms::v1::RoleGrant> ListRoleGrants(sql::Connection& c, const ScopeFilter& scope,
                                                        int64_t account_id);
  static absl::StatusOr<nms::v1::RoleGrant> GetRoleGrant(sql::Connection& c, int64_t id);
  static int64_t InsertRoleGrant(sql::Connection& c, int64_t account_id, int role,
                                 access::ScopeKind kind, int64_t scope_id);
  static void DeleteRoleGrant(sql::Connection& c, int64_t id);

  // A new region with its first organisation, its first admin's card and account and the
  // ROLE_REGIONAL_ADMIN grant over it, on the caller's transaction; `r` is normalised
  // (directory::NormalizeNewRegion). ALREADY_EXISTS when the region's name or the login is taken.
  struct NewRegionIds {
    int64_t region = 0, organization = 0, person = 0, account = 0, role_grant = 0;
  };
  static absl::StatusOr<NewRegionIds> InsertRegionWithAdmin(sql::Connection& c, const directory::NewRegion& r,
                                                            const std::string& password_hash, absl::CivilDay today);

  // Converts a stored card back to the domain record (for field-mask updates and imports).
  static directory::PersonRecord ToRecord(const nms::v1::Person& p);
};

}  // namespace nms::db
