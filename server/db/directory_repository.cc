#include "server/db/directory_repository.h"
#include "server/db/hot_path_repository.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/db/sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/mapping/proto_time.h"

namespace nms::db {
namespace {

using access::Placement;

absl::Status NotFound(absl::string_view what, int64_t id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " не найден(а)"));
}

std::optional<absl::CivilDay> FromDate(const nms::v1::Date& d) {
  if (d.year() == 0) return std::nullopt;
  return absl::CivilDay(d.year(), d.month(), d.day());
}

// Keyset page tokens: base64url of '\x1f'-joined sort keys. Opaque to clients.

std::string OrgScopeSql(const ScopeFilter& s) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: return "o.region_id = ?";
    case ScopeFilter::Kind::kDistrict:
      return "o.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)";
    case ScopeFilter::Kind::kMunicipality: return "o.municipality_id = ?";
    case ScopeFilter::Kind::kOrganization: return "o.id = ?";
    case ScopeFilter::Kind::kPerson:
      return "o.id = (SELECT organization_id FROM people WHERE id = ?)";
  }
  return "FALSE";
}

constexpr char kPersonSelect[] =
    "SELECT p.id, p.external_id, p.last_name, p.first_name, p.middle_name, p.birth_date, "
    "p.email, p.phone, p.position, p.subjects, p.work_start_date, p.qualification_category, "
    "p.education, p.management_role, p.organization_id, p.version, "
    "UNIX_TIMESTAMP(p.updated_at) AS updated_unix, a.id AS account_id, p.region_id, p.municipality_id "
    "FROM people p LEFT JOIN accounts a ON a.person_id = p.id ";

nms::v1::Person ReadPerson(sql::ResultSet& rs) {
  nms::v1::Person p;
  p.set_name(ResourceName("people", rs.getInt64("id")));
  p.set_external_id(GetStr(rs, "external_id"));
  p.set_last_name(GetStr(rs, "last_name"));
  p.set_first_name(GetStr(rs, "first_name"));
  p.set_middle_name(GetStr(rs, "middle_name"));
  p.set_allocated_birth_date(mapping::NewProtoDate(GetDay(rs, "birth_date")));
  p.set_email(GetStr(rs, "email"));
  p.set_phone(GetStr(rs, "phone"));
  p.set_position(GetStr(rs, "position"));
  for (auto s : absl::StrSplit(GetStr(rs, "subjects"), '|', absl::SkipEmpty())) {
    p.add_subjects(std::string(s));
  }
  p.set_allocated_work_start_date(mapping::NewProtoDate(GetDay(rs, "work_start_date")));
  p.set_qualification_category(static_cast<nms::v1::QualificationCategory>(rs.getInt("qualification_category")));
  p.set_education(static_cast<nms::v1::EducationLevel>(rs.getInt("education")));
  p.set_management_role(static_cast<nms::v1::ManagementRole>(rs.getInt("management_role")));
  if (int64_t org = GetInt(rs, "organization_id")) p.set_organization(ResourceName("organizations", org));
  p.set_version(rs.getInt64("version"));
  p.mutable_update_time()->set_seconds(GetInt(rs, "updated_unix"));
  if (int64_t acc = GetInt(rs, "account_id")) p.set_account(ResourceName("accounts", acc));
  return p;
}

constexpr char kOrgSelect[] =
    "SELECT o.id, o.type, o.display_name, o.short_name, o.region_id, o.municipality_id, "
    "m.district_id, o.external_id, o.version, "
    "(SELECT COUNT(*) FROM employments e WHERE e.organization_id = o.id AND e.end_date IS NULL) AS staff "
    "FROM organizations o LEFT JOIN municipalities m ON m.id = o.municipality_id ";

nms::v1::Organization ReadOrg(sql::ResultSet& rs) {
  nms::v1::Organization o;
  o.set_name(ResourceName("organizations", rs.getInt64("id")));
  o.set_type(static_cast<nms::v1::OrganizationType>(rs.getInt("type")));
  o.set_display_name(GetStr(rs, "display_name"));
  o.set_short_name(GetStr(rs, "short_name"));
  o.set_region(ResourceName("regions", rs.getInt64("region_id")));
  if (int64_t m = GetInt(rs, "municipality_id")) o.set_municipality(ResourceName("municipalities", m));
  if (int64_t d = GetInt(rs, "district_id")) o.set_district(ResourceName("districts", d));
  o.set_external_id(GetStr(rs, "external_id"));
  o.set_version(rs.getInt64("version"));
  o.set_staff_count(static_cast<int>(rs.getInt64("staff")));
  return o;
}

nms::v1::Municipality ReadMunicipality(sql::ResultSet& rs) {
  nms::v1::Municipality m;
  m.set_name(ResourceName("municipalities", rs.getInt64("id")));
  m.set_region(ResourceName("regions", rs.getInt64("region_id")));
  if (int64_t d = GetInt(rs, "district_id")) m.set_district(ResourceName("districts", d));
  m.set_display_name(GetStr(rs, "display_name"));
  m.set_external_id(GetStr(rs, "external_id"));
  m.set_version(rs.getInt64("version"));
  return m;
}

nms::v1::District ReadDistrict(sql::ResultSet& rs) {
  nms::v1::District d;
  d.set_name(ResourceName("districts", rs.getInt64("id")));
  d.set_region(ResourceName("regions", rs.getInt64("region_id")));
  d.set_display_name(GetStr(rs, "display_name"));
  if (int64_t o = GetInt(rs, "base_organization_id")) d.set_base_organization(ResourceName("organizations", o));
  d.set_version(rs.getInt64("version"));
  return d;
}

nms::v1::Employment ReadEmployment(sql::ResultSet& rs) {
  nms::v1::Employment e;
  e.set_name(ResourceName("employments", rs.getInt64("id")));
  e.set_person(ResourceName("people", rs.getInt64("person_id")));
  e.set_organization(ResourceName("organizations", rs.getInt64("organization_id")));
  e.set_position(GetStr(rs, "position"));
  e.set_primary(rs.getBoolean("is_primary"));
  e.set_management_role(static_cast<nms::v1::ManagementRole>(rs.getInt("management_role")));
  e.set_position_category(static_cast<nms::v1::PositionCategory>(rs.getInt("position_category")));
  e.set_allocated_start_date(mapping::NewProtoDate(GetDay(rs, "start_date")));
  e.set_allocated_end_date(mapping::NewProtoDate(GetDay(rs, "end_date")));
  e.set_version(rs.getInt64("version"));
  return e;
}

absl::StatusOr<Placement> PlaceBy(sql::Connection& c, const std::string& query, int64_t id,
                                  absl::string_view what) {
  auto rs = Stmt(c, query).Int(id).Query();
  if (!rs->next()) return NotFound(what, id);
  Placement p;
  p.region_id = GetInt(*rs, "region_id");
  p.municipality_id = GetInt(*rs, "municipality_id");
  p.organization_id = GetInt(*rs, "organization_id");
  p.person_id = GetInt(*rs, "person_id");
  return p;
}

}  // namespace

std::string PeopleScopeSql(const ScopeFilter& s) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: return "p.region_id = ?";
    case ScopeFilter::Kind::kDistrict:
      return "p.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)";
    case ScopeFilter::Kind::kMunicipality: return "p.municipality_id = ?";
    case ScopeFilter::Kind::kOrganization: return "p.organization_id = ?";
    case ScopeFilter::Kind::kPerson: return "p.id = ?";
  }
  return "FALSE";
}

absl::StatusOr<Placement> DirectoryRepository::PlaceRegion(sql::Connection& c, int64_t id) {
  return PlaceBy(c, "SELECT id AS region_id, 0 AS municipality_id, 0 AS organization_id, 0 AS person_id FROM regions WHERE id = ?", id, "Регион");
}
absl::StatusOr<Placement> DirectoryRepository::PlaceDistrict(sql::Connection& c, int64_t id) {
  return PlaceBy(c, "SELECT region_id, 0 AS municipality_id, 0 AS organization_id, 0 AS person_id FROM districts WHERE id = ?", id, "Округ");
}
absl::StatusOr<Placement> DirectoryRepository::PlaceMunicipality(sql::Connection& c, int64_t id) {
  return PlaceBy(c, "SELECT region_id, id AS municipality_id, 0 AS organization_id, 0 AS person_id FROM municipalities WHERE id = ?", id,
                 "Муниципалитет");
}
absl::StatusOr<Placement> DirectoryRepository::PlaceOrganization(sql::Connection& c, int64_t id) {
  return PlaceBy(c,
                 "SELECT region_id, municipality_id, id AS organization_id, 0 AS person_id "
                 "FROM organizations WHERE id = ?",
                 id, "Организация");
}
absl::StatusOr<Placement> DirectoryRepository::PlacePerson(sql::Connection& c, int64_t id) {
  return PlaceBy(c,
                 "SELECT region_id, municipality_id, organization_id, id AS person_id FROM people "
                 "WHERE id = ?",
                 id, "Человек");
}
absl::StatusOr<Placement> DirectoryRepository::PlaceAccount(sql::Connection& c, int64_t id) {
  return PlaceBy(c,
                 "SELECT p.region_id, p.municipality_id, p.organization_id, p.id AS person_id "
                 "FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.id = ?",
                 id, "Учётная запись");
}

absl::StatusOr<nms::v1::Region> DirectoryRepository::GetRegion(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT id, display_name, time_zone, version FROM regions WHERE id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return NotFound("Регион", id);
  nms::v1::Region r;
  r.set_name(ResourceName("regions", id));
  r.set_display_name(GetStr(*rs, "display_name"));
  r.set_time_zone(GetStr(*rs, "time_zone"));
  r.set_version(rs->getInt64("version"));
  return r;
}

std::vector<nms::v1::Region> DirectoryRepository::ListRegions(sql::Connection& c,
                                                              const std::vector<int64_t>& ids) {
  std::vector<nms::v1::Region> out;
  for (int64_t id : ids) {
    auto r = GetRegion(c, id);
    if (r.ok()) out.push_back(*r);
  }
  return out;
}

void DirectoryRepository::UpdateRegion(sql::Connection& c, const nms::v1::Region& r) {
  auto id = ParseResourceName(r.name(), "regions", "region.name");
  Stmt(c, "UPDATE regions SET display_name = ?, time_zone = ?, version = version + 1, "
          "updated_at = UTC_TIMESTAMP(6) WHERE id = ?")
      .Str(r.display_name())
      .Str(r.time_zone())
      .Int(*id)
      .Execute();
}

absl::StatusOr<nms::v1::District> DirectoryRepository::GetDistrict(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, "SELECT * FROM districts WHERE id = ?").Int(id).Query();
  if (!rs->next()) return NotFound("Округ", id);
  return ReadDistrict(*rs);
}

std::vector<nms::v1::District> DirectoryRepository::ListDistricts(sql::Connection& c, int64_t region_id) {
  std::vector<nms::v1::District> out;
  auto rs = Stmt(c, "SELECT * FROM districts WHERE region_id = ? ORDER BY display_name, id")
                .Int(region_id)
                .Query();
  while (rs->next()) out.push_back(ReadDistrict(*rs));
  return out;
}

int64_t DirectoryRepository::InsertDistrict(sql::Connection& c, int64_t region_id,
                                            const nms::v1::District& d) {
  auto base = ParseOptionalResourceName(d.base_organization(), "organizations", "district.base_organization");
  Stmt(c, "INSERT INTO districts (region_id, display_name, base_organization_id) VALUES (?, ?, ?)")
      .Int(region_id)
      .Str(d.display_name())
      .OptInt(base.value_or(0))
      .Execute();
  return LastInsertId(c);
}

absl::StatusOr<nms::v1::Municipality> DirectoryRepository::GetMunicipality(sql::Connection& c, int64_t id,
                                                                          bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT * FROM municipalities WHERE id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return NotFound("Муниципалитет", id);
  return ReadMunicipality(*rs);
}

std::vector<nms::v1::Municipality> DirectoryRepository::ListMunicipalities(sql::Connection& c,
                                                                          const ScopeFilter& scope) {
  std::string where = scope.kind == ScopeFilter::Kind::kRegion     ? "region_id = ?"
                      : scope.kind == ScopeFilter::Kind::kDistrict ? "district_id = ?"
                                                                   : "id = ?";
  std::vector<nms::v1::Municipality> out;
  auto rs = Stmt(c, absl::StrCat("SELECT * FROM municipalities WHERE ", where,
                                 " ORDER BY display_name, id"))
                .Int(scope.id)
                .Query();
  while (rs->next()) out.push_back(ReadMunicipality(*rs));
  return out;
}

int64_t DirectoryRepository::InsertMunicipality(sql::Connection& c, int64_t region_id,
                                                int64_t district_id, const nms::v1::Municipality& m) {
  Stmt(c, "INSERT INTO municipalities (region_id, district_id, display_name, external_id) VALUES (?, ?, ?, ?)")
      .Int(region_id)
      .OptInt(district_id)
      .Str(m.display_name())
      .OptStr(m.external_id())
      .Execute();
  return LastInsertId(c);
}

void DirectoryRepository::UpdateMunicipality(sql::Connection& c, int64_t id, int64_t district_id,
                                             const nms::v1::Municipality& m) {
  Stmt(c, "UPDATE municipalities SET district_id = ?, display_name = ?, external_id = ?, "
          "version = version + 1 WHERE id = ?")
      .OptInt(district_id)
      .Str(m.display_name())
      .OptStr(m.external_id())
      .Int(id)
      .Execute();
}

absl::StatusOr<nms::v1::Organization> DirectoryRepository::GetOrganization(sql::Connection& c, int64_t id,
                                                                          bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kOrgSelect, "WHERE o.id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return NotFound("Организация", id);
  return ReadOrg(*rs);
}

std::vector<nms::v1::Organization> DirectoryRepository::ListOrganizations(
    sql::Connection& c, const ScopeFilter& scope, int type, const std::string& query,
    const PageRequest& paging, Page* page) {
  std::string where = OrgScopeSql(scope);
  if (type != 0) where += " AND o.type = ?";
  if (!query.empty()) where += " AND (o.short_name LIKE ? OR o.display_name LIKE ?)";
  auto bind = [&](Stmt& st) {
    st.Int(scope.id);
    if (type != 0) st.Int(type);
    if (!query.empty()) {
      std::string like = absl::StrCat("%", query, "%");
      st.Str(like).Str(like);
    }
  };
  {
    Stmt count(c, absl::StrCat("SELECT COUNT(*) FROM organizations o WHERE ", where));
    bind(count);
    auto rs = count.Query();
    rs->next();
    page->total_size = static_cast<int>(rs->getInt64(1));
  }
  const auto& keys = paging.after();
  std::string after;
  if (!keys.empty()) after = " AND (o.short_name > ? OR (o.short_name = ? AND o.id > ?))";
  Stmt st(c, absl::StrCat(kOrgSelect, "WHERE ", where, after, " ORDER BY o.short_name, o.id LIMIT ?"));
  bind(st);
  if (!keys.empty()) st.Str(keys[0]).Str(keys[0]).Int(paging.AfterNumber(1));
  st.Int(paging.size() + 1);
  auto rs = st.Query();
  std::vector<nms::v1::Organization> out;
  while (rs->next()) out.push_back(ReadOrg(*rs));
  if (static_cast<int>(out.size()) > paging.size()) {
    out.pop_back();
    const auto& last = out.back();
    page->next_page_token = paging.Next({last.short_name(), last.name().substr(14)});
  }
  return out;
}

int64_t DirectoryRepository::InsertOrganization(sql::Connection& c, int64_t region_id,
                                                int64_t municipality_id, const nms::v1::Organization& o) {
  Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name, "
          "external_id) VALUES (?, ?, ?, ?, ?, ?)")
      .Int(region_id)
      .OptInt(municipality_id)
      .Int(o.type())
      .Str(o.display_name())
      .Str(o.short_name().empty() ? o.display_name() : o.short_name())
      .OptStr(o.external_id())
      .Execute();
  return LastInsertId(c);
}

void DirectoryRepository::UpdateOrganization(sql::Connection& c, int64_t id, int64_t municipality_id,
                                             const nms::v1::Organization& o) {
  Stmt(c, "UPDATE organizations SET municipality_id = ?, type = ?, display_name = ?, short_name = ?, "
          "external_id = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ?")
      .OptInt(municipality_id)
      .Int(o.type())
      .Str(o.display_name())
      .Str(o.short_name())
      .OptStr(o.external_id())
      .Int(id)
      .Execute();
  // Keep the denormalised placement of people in step with their organisation.
  Stmt(c, "UPDATE people SET municipality_id = ? WHERE organization_id = ?")
      .OptInt(municipality_id)
      .Int(id)
      .Execute();
}

absl::StatusOr<nms::v1::Person> DirectoryRepository::GetPerson(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kPersonSelect, "WHERE p.id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return NotFound("Человек", id);
  return ReadPerson(*rs);
}

absl::StatusOr<PlacedPerson> GetPlacedPerson(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, absl::StrCat(kPersonSelect, "WHERE p.id = ?")).Int(id).Query();
  if (!rs->next()) return NotFound("Человек", id);
  PlacedPerson out;
  out.place = Placement{GetInt(*rs, "region_id"), GetInt(*rs, "municipality_id"), GetInt(*rs, "organization_id"), id};
  out.person = ReadPerson(*rs);
  return out;
}

std::optional<int64_t> DirectoryRepository::FindPersonByExternalId(sql::Connection& c, int64_t region_id,
                                                                  const std::string& external_id) {
  auto rs = Stmt(c, "SELECT id FROM people WHERE region_id = ? AND external_id = ?")
                .Int(region_id)
                .Str(external_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

namespace {
// A LIKE pattern matching names that start with `prefix` literally.
std::string LikePrefix(absl::string_view prefix) {
  std::string out;
  for (char ch : prefix) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}
}  // namespace

std::vector<nms::v1::Person> DirectoryRepository::ListPeople(sql::Connection& c, const PeopleQuery& q,
                                                            Page* page) {
  std::string where = PeopleScopeSql(q.scope);
  if (!q.name_prefix.empty()) where += " AND (p.last_name LIKE ? OR p.external_id = ?)";
  if (!q.position.empty()) where += " AND p.position = ?";
  if (!q.subject.empty()) {
    where += " AND EXISTS (SELECT 1 FROM person_subjects s WHERE s.person_id = p.id AND s.subject = ?)";
  }
  auto bind = [&](Stmt& st) {
    st.Int(q.scope.id);
    if (!q.name_prefix.empty()) st.Str(LikePrefix(q.name_prefix)).Str(q.name_prefix);
    if (!q.position.empty()) st.Str(q.position);
    if (!q.subject.empty()) st.Str(q.subject);
  };
  // Counting a region's people is a scan of its index (~100 000 rows); it runs once, on the first
  // page, and the later pages' tokens carry the figure (AIP-158 allows an estimate).
  if (q.page.first()) {
    Stmt count(c, absl::StrCat("SELECT COUNT(*) FROM people p WHERE ", where));
    bind(count);
    auto rs = count.Query();
    rs->next();
    page->total_size = static_cast<int>(rs->getInt64(1));
  } else {
    page->total_size = static_cast<int>(q.page.AfterNumber(3));
  }
  const auto& keys = q.page.after();
  std::string after;
  if (!keys.empty()) {
    after = " AND (p.last_name > ? OR (p.last_name = ? AND (p.first_name > ? OR "
            "(p.first_name = ? AND p.id > ?))))";
  }
  auto bind_after = [&](Stmt& st) {
    if (keys.empty()) return;
    st.Str(keys[0]).Str(keys[0]).Str(keys[1]).Str(keys[1]).Int(q.page.AfterNumber(2));
  };
  std::unique_ptr<sql::ResultSet> rs;
  if (q.name_prefix.empty()) {
    Stmt st(c, absl::StrCat(kPersonSelect, "WHERE ", where, after,
                            " ORDER BY p.last_name, p.first_name, p.id LIMIT ?"));
    bind(st);
    bind_after(st);
    st.Int(q.page.size() + 1);
    rs = st.Query();
  } else {
    // "Surname prefix OR external id" as one condition makes the optimiser walk the scope's
    // name index row by row (a region: ~50 000 rows per page); as a union each branch is one
    // index range, and the prefix branch is already in page order.
    std::string scope = PeopleScopeSql(q.scope), filters;
    if (!q.position.empty()) filters += " AND p.position = ?";
    if (!q.subject.empty()) {
      filters += " AND EXISTS (SELECT 1 FROM person_subjects s WHERE s.person_id = p.id AND s.subject = ?)";
    }
    Stmt st(c, absl::StrCat("SELECT * FROM ((", kPersonSelect, "WHERE ", scope, " AND p.last_name LIKE ?", filters,
                            after, " ORDER BY p.last_name, p.first_name, p.id LIMIT ?) UNION (", kPersonSelect,
                            "WHERE ", scope, " AND p.external_id = ?", filters, after,
                            ")) u ORDER BY u.last_name, u.first_name, u.id LIMIT ?"));
    for (int branch = 0; branch < 2; ++branch) {
      st.Int(q.scope.id);
      st.Str(branch == 0 ? LikePrefix(q.name_prefix) : q.name_prefix);
      if (!q.position.empty()) st.Str(q.position);
      if (!q.subject.empty()) st.Str(q.subject);
      bind_after(st);
      if (branch == 0) st.Int(q.page.size() + 1);
    }
    st.Int(q.page.size() + 1);
    rs = st.Query();
  }
  std::vector<nms::v1::Person> out;
  while (rs->next()) out.push_back(ReadPerson(*rs));
  if (static_cast<int>(out.size()) > q.page.size()) {
    out.pop_back();
    const auto& last = out.back();
    page->next_page_token = q.page.Next(
        {last.last_name(), last.first_name(), last.name().substr(7), absl::StrCat(page->total_size)});
  }
  return out;
}

namespace {
void WriteSubjects(sql::Connection& c, int64_t person_id, const std::vector<std::string>& subjects) {
  Stmt(c, "DELETE FROM person_subjects WHERE person_id = ?").Int(person_id).Execute();
  for (const auto& s : subjects) {
    Stmt(c, "INSERT IGNORE INTO person_subjects (person_id, subject) VALUES (?, ?)")
        .Int(person_id)
        .Str(s)
        .Execute();
  }
}
}  // namespace

int64_t DirectoryRepository::InsertPerson(sql::Connection& c, const directory::PersonRecord& p,
                                          const Placement& org, absl::CivilDay today) {
  Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, external_id, last_name, "
          "first_name, middle_name, birth_date, email, phone, position, subjects, work_start_date, "
          "qualification_category, education, management_role) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Int(org.region_id)
      .OptInt(org.municipality_id)
      .Int(org.organization_id)
      .OptStr(p.external_id)
      .Str(p.last_name)
      .Str(p.first_name)
      .Str(p.middle_name)
      .Day(p.birth_date)
      .OptStr(p.email)
      .OptStr(p.phone)
      .Str(p.position)
      .Str(absl::StrJoin(p.subjects, "|"))
      .Day(p.work_start_date)
      .Int(p.qualification_category)
      .Int(p.education)
      .Int(p.management_role)
      .Execute();
  int64_t id = LastInsertId(c);
  WriteSubjects(c, id, p.subjects);
  Stmt(c, "INSERT INTO employments (person_id, organization_id, position, is_primary, management_role, "
          "position_category, start_date) VALUES (?, ?, ?, TRUE, ?, ?, ?)")
      .Int(id)
      .Int(org.organization_id)
      .Str(p.position)
      .Int(p.management_role)
      .Int(p.management_role > 0 ? nms::v1::POSITION_CATEGORY_MANAGER : nms::v1::POSITION_CATEGORY_PEDAGOGICAL)
      .Day(p.work_start_date.value_or(today))
      .Execute();
  return id;
}

void DirectoryRepository::UpdatePerson(sql::Connection& c, int64_t id, const directory::PersonRecord& p) {
  Stmt(c, "UPDATE people SET external_id = ?, last_name = ?, first_name = ?, middle_name = ?, "
          "birth_date = ?, email = ?, phone = ?, position = ?, subjects = ?, work_start_date = ?, "
          "qualification_category = ?, education = ?, management_role = ?, version = version + 1, "
          "updated_at = UTC_TIMESTAMP(6) WHERE id = ?")
      .OptStr(p.external_id)
      .Str(p.last_name)
      .Str(p.first_name)
      .Str(p.middle_name)
      .Day(p.birth_date)
      .OptStr(p.email)
      .OptStr(p.phone)
      .Str(p.position)
      .Str(absl::StrJoin(p.subjects, "|"))
      .Day(p.work_start_date)
      .Int(p.qualification_category)
      .Int(p.education)
      .Int(p.management_role)
      .Int(id)
      .Execute();
  WriteSubjects(c, id, p.subjects);
  // A management role makes the primary employment a manager's; losing it makes a manager's
  // employment pedagogical again (other staff stay other staff).
  Stmt(c, "UPDATE employments SET position = ?, management_role = ?, position_category = CASE WHEN ? > 0 THEN 2 "
          "WHEN position_category = 2 THEN 1 ELSE position_category END WHERE person_id = ? AND is_primary "
          "AND end_date IS NULL")
      .Str(p.position)
      .Int(p.management_role)
      .Int(p.management_role)
      .Int(id)
      .Execute();
}

absl::StatusOr<nms::v1::Employment> DirectoryRepository::GetEmployment(sql::Connection& c, int64_t id,
                                                                      bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT * FROM employments WHERE id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return NotFound("Место работы", id);
  return ReadEmployment(*rs);
}

std::vector<nms::v1::Employment> DirectoryRepository::ListEmployments(sql::Connection& c, bool by_person,
                                                                     int64_t id, bool include_ended) {
  std::vector<nms::v1::Employment> out;
  auto rs = Stmt(c, absl::StrCat("SELECT * FROM employments WHERE ",
                                 by_person ? "person_id" : "organization_id", " = ?",
                                 include_ended ? "" : " AND end_date IS NULL",
                                 " ORDER BY start_date DESC, id LIMIT 5000"))
                .Int(id)
                .Query();
  while (rs->next()) out.push_back(ReadEmployment(*rs));
  return out;
}

int64_t DirectoryRepository::InsertEmployment(sql::Connection& c, const nms::v1::Employment& e,
                                              int64_t person_id, int64_t org_id, absl::CivilDay start) {
  int category = e.position_category() != nms::v1::POSITION_CATEGORY_UNSPECIFIED ? e.position_category()
                 : e.management_role() > 0                                    ? nms::v1::POSITION_CATEGORY_MANAGER
                                                                              : nms::v1::POSITION_CATEGORY_PEDAGOGICAL;
  Stmt(c, "INSERT INTO employments (person_id, organization_id, position, is_primary, management_role, "
          "position_category, start_date) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .Int(person_id)
      .Int(org_id)
      .Str(e.position())
      .Bool(e.primary())
      .Int(e.management_role())
      .Int(category)
      .Day(start)
      .Execute();
  int64_t id = LastInsertId(c);
  if (e.primary()) {
    // A new primary place of work moves the person (and so their scope) to it.
    Stmt(c, "UPDATE employments SET is_primary = FALSE WHERE person_id = ? AND id <> ?")
        .Int(person_id)
        .Int(id)
        .Execute();
    Stmt(c, "UPDATE people p JOIN organizations o ON o.id = ? SET p.organization_id = o.id, "
            "p.municipality_id = o.municipality_id, p.position = ?, p.management_role = ?, "
            "p.version = p.version + 1 WHERE p.id = ?")
        .Int(org_id)
        .Str(e.position())
        .Int(e.management_role())
        .Int(person_id)
        .Execute();
  }
  return id;
}

void DirectoryRepository::EndEmployment(sql::Connection& c, int64_t id, absl::CivilDay end) {
  Stmt(c, "UPDATE employments SET end_date = ?, version = version + 1 WHERE id = ?")
      .Day(end)
      .Int(id)
      .Execute();
}

std::optional<int64_t> DirectoryRepository::AccountOfPerson(sql::Connection& c, int64_t person_id) {
  auto rs = Stmt(c, "SELECT id FROM accounts WHERE person_id = ?").Int(person_id).Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

bool DirectoryRepository::LoginTaken(sql::Connection& c, const std::string& login) {
  return Stmt(c, "SELECT 1 FROM accounts WHERE login = ?").Str(login).Query()->next();
}

bool DirectoryRepository::OrganizationExternalIdTaken(sql::Connection& c, int64_t region_id,
                                                      const std::string& external_id) {
  return Stmt(c, "SELECT 1 FROM organizations WHERE region_id = ? AND external_id = ?")
      .Int(region_id)
      .Str(external_id)
      .Query()
      ->next();
}

int64_t DirectoryRepository::InsertAccount(sql::Connection& c, int64_t person_id, const std::string& login,
                                           const std::string& password_hash) {
  Stmt(c, "INSERT INTO accounts (login, person_id, password_hash) VALUES (?, ?, ?)")
      .Str(login)
      .Int(person_id)
      .Str(password_hash)
      .Execute();
  return LastInsertId(c);
}

void DirectoryRepository::SetAccountPassword(sql::Connection& c, int64_t account_id, const std::string& hash) {
  Stmt(c, "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?")
      .Str(hash)
      .Int(account_id)
      .Execute();
  Stmt(c, "UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE account_id = ? AND revoked_at IS NULL")
      .Int(account_id)
      .Execute();
}

namespace {
nms::v1::RoleGrant ReadGrant(sql::ResultSet& rs) {
  nms::v1::RoleGrant g;
  g.set_name(ResourceName("roleGrants", rs.getInt64("id")));
  g.set_account(ResourceName("accounts", rs.getInt64("account_id")));
  g.set_role(static_cast<nms::v1::Role>(rs.getInt("role")));
  int kind = rs.getInt("scope_kind");
  g.set_scope(ResourceName(kind == 1 ? "regions" : kind == 2 ? "municipalities" : "organizations",
                           rs.getInt64("scope_id")));
  g.mutable_create_time()->set_seconds(GetInt(rs, "created_unix"));
  return g;
}
constexpr char kGrantSelect[] =
    "SELECT g.id, g.account_id, g.role, g.scope_kind, g.scope_id, UNIX_TIMESTAMP(g.created_at) AS created_unix "
    "FROM role_grants g ";
}  // namespace

std::vector<nms::v1::RoleGrant> DirectoryRepository::ListRoleGrants(sql::Connection& c, const ScopeFilter& scope,
                                                                   int64_t account_id) {
  // A grant is in scope when its own scope lies inside the filter's territory.
  std::string where;
  switch (scope.kind) {
    case ScopeFilter::Kind::kRegion:
      where = "((g.scope_kind = 1 AND g.scope_id = ?1) OR (g.scope_kind = 2 AND g.scope_id IN "
              "(SELECT id FROM municipalities WHERE region_id = ?1)) OR (g.scope_kind = 3 AND "
              "g.scope_id IN (SELECT id FROM organizations WHERE region_id = ?1)))";
      break;
    case ScopeFilter::Kind::kMunicipality:
      where = "((g.scope_kind = 2 AND g.scope_id = ?1) OR (g.scope_kind = 3 AND g.scope_id IN "
              "(SELECT id FROM organizations WHERE municipality_id = ?1)))";
      break;
    default:
      where = "(g.scope_kind = 3 AND g.scope_id = ?1)";
  }
  // Connector/C++ has no numbered placeholders: expand ?1 into repeated '?'.
  int repeats = 0;
  std::string sql_where;
  for (size_t i = 0; i < where.size(); ++i) {
    if (where[i] == '?' && i + 1 < where.size() && where[i + 1] == '1') {
      sql_where += '?';
      ++repeats;
      ++i;
    } else {
      sql_where += where[i];
    }
  }
  if (account_id != 0) sql_where += " AND g.account_id = ?";
  Stmt st(c, absl::StrCat(kGrantSelect, "WHERE ", sql_where, " ORDER BY g.id LIMIT 5000"));
  for (int i = 0; i < repeats; ++i) st.Int(scope.id);
  if (account_id != 0) st.Int(account_id);
  std::vector<nms::v1::RoleGrant> out;
  auto rs = st.Query();
  while (rs->next()) out.push_back(ReadGrant(*rs));
  return out;
}

absl::StatusOr<nms::v1::RoleGrant> DirectoryRepository::GetRoleGrant(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, absl::StrCat(kGrantSelect, "WHERE g.id = ?")).Int(id).Query();
  if (!rs->next()) return NotFound("Назначение роли", id);
  return ReadGrant(*rs);
}

int64_t DirectoryRepository::InsertRoleGrant(sql::Connection& c, int64_t account_id, int role,
                                             access::ScopeKind kind, int64_t scope_id) {
  Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)")
      .Int(account_id)
      .Int(role)
      .Int(static_cast<int>(kind))
      .Int(scope_id)
      .Execute();
  return LastInsertId(c);
}

absl::StatusOr<DirectoryRepository::NewRegionIds> DirectoryRepository::InsertRegionWithAdmin(
    sql::Connection& c, const directory::NewRegion& r, const std::string& password_hash, absl::CivilDay today) {
  if (Stmt(c, "SELECT id FROM regions WHERE display_name = ? FOR UPDATE").Str(r.display_name).Query()->next()) {
    return absl::AlreadyExistsError(absl::StrCat("Регион «", r.display_name, "» уже есть"));
  }
  if (LoginTaken(c, r.login)) return absl::AlreadyExistsError(absl::StrCat("Логин \"", r.login, "\" уже занят"));
  NewRegionIds ids;
  Stmt(c, "INSERT INTO regions (display_name, time_zone) VALUES (?, ?)").Str(r.display_name).Str(r.time_zone).Execute();
  ids.region = LastInsertId(c);
  nms::v1::Organization org;
  org.set_type(static_cast<nms::v1::OrganizationType>(r.organization_type));
  org.set_display_name(r.organization_display_name);
  org.set_short_name(r.organization_short_name);
  org.set_external_id(r.organization_external_id);
  ids.organization = InsertOrganization(c, ids.region, 0, org);
  ids.person = InsertPerson(c, r.admin, access::Placement{ids.region, 0, ids.organization, 0}, today);
  // A ministry official is other staff: the indicators never count them.
  Stmt(c, "UPDATE employments SET position_category = ? WHERE person_id = ?")
      .Int(nms::v1::POSITION_CATEGORY_OTHER)
      .Int(ids.person)
      .Execute();
  ids.account = InsertAccount(c, ids.person, r.login, password_hash);
  ids.role_grant = InsertRoleGrant(c, ids.account, nms::v1::ROLE_REGIONAL_ADMIN, access::ScopeKind::kRegion, ids.region);
  return ids;
}

void DirectoryRepository::DeleteRoleGrant(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM role_grants WHERE id = ?").Int(id).Execute();
}

directory::PersonRecord DirectoryRepository::ToRecord(const nms::v1::Person& p) {
  directory::PersonRecord r;
  r.external_id = p.external_id();
  r.last_name = p.last_name();
  r.first_name = p.first_name();
  r.middle_name = p.middle_name();
  r.birth_date = FromDate(p.birth_date());
  r.email = p.email();
  r.phone = p.phone();
  r.position = p.position();
  r.subjects.assign(p.subjects().begin(), p.subjects().end());
  r.work_start_date = FromDate(p.work_start_date());
  r.qualification_category = p.qualification_category();
  r.education = p.education();
  r.management_role = p.management_role();
  return r;
}

}  // namespace nms::db
