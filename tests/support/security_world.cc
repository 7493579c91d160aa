#include "tests/support/security_world.h"

#include "absl/strings/str_cat.h"
#include "server/auth/password.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/common/status_macros.h"

namespace nms::testing {
namespace {

using access::Role;
using access::ScopeKind;

int64_t IdOf(sql::Connection& c, const std::string& query, const std::string& key) {
  auto rs = db::Stmt(c, query).Str(key).Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

}  // namespace

absl::StatusOr<SecurityWorld> SeedSecurityWorld(const std::string& dsn, const Fixture& f) {
  ASSIGN_OR_RETURN(db::DbConfig config, db::ParseDsn(dsn));
  db::ConnectionPool pool(config);
  ASSIGN_OR_RETURN(std::string hash, auth::HashPassword("Passw0rd!", 1000));
  SecurityWorld w;
  Place a1, a1c, a1t, a2t, b1t, r2t;
  RETURN_IF_ERROR(db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    auto id = [&] { return db::LastInsertId(c); };
    // The other region: a district, a municipality, a school, a ЦНППМ and its own admin.
    db::Stmt(c, "INSERT INTO regions (display_name) VALUES ('Другая область')").Execute();
    int64_t r2 = id();
    db::Stmt(c, "INSERT INTO districts (region_id, display_name) VALUES (?, 'Дальний округ')").Int(r2).Execute();
    int64_t d2 = id();
    db::Stmt(c, "INSERT INTO municipalities (region_id, district_id, display_name) VALUES (?, ?, 'Город В')")
        .Int(r2).Int(d2).Execute();
    int64_t m2 = id();
    auto org = [&](int64_t region, int64_t mun, int type, const char* name) {
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) "
                  "VALUES (?, ?, ?, ?, ?)")
          .Int(region).OptInt(mun).Int(type).Str(name).Str(name).Execute();
      return id();
    };
    int64_t s2 = org(r2, m2, 1, "Школа В1");
    int64_t cnppm2 = org(r2, 0, 5, "ЦНППМ другой области");
    // Target people: ordinary teachers without any role beyond their own teacher grant.
    auto person = [&](int64_t region, int64_t mun, int64_t org_id, const std::string& last, const std::string& ext) {
      db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, external_id, last_name, "
                  "first_name, middle_name, birth_date, position, work_start_date, email) "
                  "VALUES (?, ?, ?, ?, ?, 'Ольга', 'Игоревна', '1988-03-12', 'учитель', '2012-09-01', ?)")
          .Int(region).OptInt(mun).Int(org_id).Str(ext).Str(last).Str(absl::StrCat(ext, "@target.test")).Execute();
      int64_t pid = id();
      db::Stmt(c, "INSERT INTO employments (person_id, organization_id, position, is_primary, start_date) "
                  "VALUES (?, ?, 'учитель', TRUE, '2012-09-01')")
          .Int(pid).Int(org_id).Execute();
      return pid;
    };
    auto account = [&](const std::string& login, int64_t person_id, int role, int kind, int64_t scope) {
      db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash, is_service) VALUES (?, ?, ?, FALSE)")
          .Str(login).Int(person_id).Str(hash).Execute();
      int64_t acc = id();
      db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)")
          .Int(acc).Int(role).Int(kind).Int(scope).Execute();
      return acc;
    };
    int64_t staff = IdOf(c, "SELECT id FROM people WHERE external_id = ?", "EXT-STAFF");
    auto place = [&](const std::string& label, int64_t region, int64_t mun, int64_t org_id, int64_t district,
                     int64_t cnppm, int64_t methodist, const std::string& last, const std::string& login) {
      Place p;
      p.label = label;
      p.region = region;
      p.municipality = mun;
      p.organization = org_id;
      p.district = district;
      p.cnppm = cnppm;
      p.methodist_person = methodist;
      p.login = login;
      p.person = person(region, mun, org_id, last, absl::StrCat("TGT-", login));
      p.last_name = last;
      p.account = account(login, p.person, 1, 3, org_id);
      return p;
    };
    int64_t r2_methodist = person(r2, 0, cnppm2, "Методистова-В", "R2-METHODIST");
    account("r2.admin", person(r2, 0, cnppm2, "Админова-В", "R2-ADMIN"), 5, 1, r2);
    account("r2.methodist", r2_methodist, 4, 1, r2);
    a1c = place("colleague in school A1", f.region, f.mun_a, f.school_a1, f.district, f.cnppm, staff, "Коллегова", "t.a1c");
    a1t = place("teacher of school A1", f.region, f.mun_a, f.school_a1, f.district, f.cnppm, staff, "Целевая", "t.a1t");
    a2t = place("teacher of school A2", f.region, f.mun_a, f.school_a2, f.district, f.cnppm, staff, "Соседова", "t.a2t");
    b1t = place("teacher of school B1", f.region, f.mun_b, f.school_b1, f.district, f.cnppm, staff, "Дальнова", "t.b1t");
    r2t = place("teacher of the other region", r2, m2, s2, d2, cnppm2, r2_methodist, "Чужова", "t.r2t");
    // The teacher's own person is a target too (teacher.a1 acting on itself).
    a1 = Place{"teacher.a1 itself", f.region, f.mun_a, f.school_a1, f.teacher_a1, f.district, f.cnppm,
               IdOf(c, "SELECT id FROM accounts WHERE login = ?", "teacher.a1"), staff, 0, "teacher.a1"};
    // Colleagues in the same organisation: the other party of pairs, constraints and the like.
    auto last_name = [&](int64_t person_id) {
      auto rs = db::Stmt(c, "SELECT last_name FROM people WHERE id = ?").Int(person_id).Query();
      return rs->next() ? std::string(rs->getString(1)) : std::string();
    };
    a1.last_name = last_name(a1.person);
    auto peer = [&](Place& p, int64_t person_id, const std::string& login) {
      p.peer = person_id;
      p.peer_login = login;
      p.peer_last_name = last_name(person_id);
    };
    peer(a1, a1c.person, a1c.login);
    peer(a1c, a1t.person, a1t.login);  // not teacher.a1: its colleague's pairs must not be its own
    peer(a1t, a1c.person, a1c.login);
    int64_t a2_peer = person(f.region, f.mun_a, f.school_a2, "Соседкина", "TGT-A2-PEER");
    account("t.a2peer", a2_peer, 1, 3, f.school_a2);
    peer(a2t, a2_peer, "t.a2peer");
    int64_t b1_peer = person(f.region, f.mun_b, f.school_b1, "Дальняя", "TGT-B1-PEER");
    account("t.b1peer", b1_peer, 1, 3, f.school_b1);
    peer(b1t, b1_peer, "t.b1peer");
    int64_t r2_peer = person(r2, m2, s2, "Коллегина-В", "R2-PEER");
    account("t.r2peer", r2_peer, 1, 3, s2);
    peer(r2t, r2_peer, "t.r2peer");

    // The six callers, as stored.
    for (const char* login : {"teacher.a1", "school.a1", "mun.a", "regional.methodist", "regional.admin",
                              "federal.sync"}) {
      RoleCase rc;
      rc.login = login;
      auto rs = db::Stmt(c, "SELECT a.id, IFNULL(a.person_id, 0) AS person_id, g.role, g.scope_kind, g.scope_id, "
                            "IFNULL(p.organization_id, 0) AS own_org FROM accounts a "
                            "JOIN role_grants g ON g.account_id = a.id LEFT JOIN people p ON p.id = a.person_id "
                            "WHERE a.login = ?")
                    .Str(login)
                    .Query();
      while (rs->next()) {
        rc.principal.account_id = rs->getInt64("id");
        rc.principal.person_id = rs->getInt64("person_id");
        rc.own_organization = rs->getInt64("own_org");
        access::Grant g;
        g.role = static_cast<Role>(rs->getInt("role"));
        g.scope_kind = static_cast<ScopeKind>(rs->getInt("scope_kind"));
        g.scope_id = rs->getInt64("scope_id");
        g.region_id = f.region;  // every fixture grant lies in the first region
        rc.principal.grants.push_back(g);
      }
      w.roles.push_back(std::move(rc));
    }
    return absl::OkStatus();
  }));
  // In and out of scope per role: the nearest neighbour outside the role's reach.
  auto set = [&](const char* login, const Place& in, const Place& out) {
    for (auto& r : w.roles) {
      if (r.login == login) {
        r.in = in;
        r.out = out;
      }
    }
  };
  set("teacher.a1", a1, a1c);
  set("school.a1", a1t, a2t);
  set("mun.a", a2t, b1t);
  set("regional.methodist", b1t, r2t);
  set("regional.admin", b1t, r2t);
  set("federal.sync", b1t, r2t);
  w.places = {a1, a1c, a1t, a2t, b1t, r2t};
  w.region_admin[f.region] = "regional.admin";
  w.region_admin[r2t.region] = "r2.admin";
  w.region_methodist[f.region] = "regional.methodist";
  w.region_methodist[r2t.region] = "r2.methodist";
  for (const auto& p : w.places) {
    for (auto n : {absl::StrCat("regions/", p.region), absl::StrCat("municipalities/", p.municipality),
                   absl::StrCat("organizations/", p.organization), absl::StrCat("people/", p.person),
                   absl::StrCat("districts/", p.district), absl::StrCat("accounts/", p.account)}) {
      if (std::find(w.names.begin(), w.names.end(), n) == w.names.end()) w.names.push_back(n);
    }
  }
  return w;
}

}  // namespace nms::testing
