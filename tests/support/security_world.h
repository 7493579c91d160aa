#pragma once
// The territory the security tests (authorisation matrix, fuzzer, SQL injection, log privacy)
// run in: the harness fixture plus a second region, target people without roles in every corner
// (a teacher's colleague, a neighbouring school, the other municipality, the other region), and
// for each of the six roles one target inside its scope and one just outside it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/access/principal.h"
#include "tests/integration/harness.h"

namespace nms::testing {

// One corner of the territory, down to a person, with the names the matrix placeholders use.
struct Place {
  std::string label;
  int64_t region = 0, municipality = 0, organization = 0, person = 0;
  int64_t district = 0;          // a district of the region
  int64_t cnppm = 0;             // the region's ЦНППМ
  int64_t account = 0;           // the person's account
  int64_t methodist_person = 0;  // a methodist of the region (not the target)
  int64_t peer = 0;              // a colleague in the same organisation (a mentor, a second party)
  std::string login;             // the person's sign-in (password Passw0rd!)
  std::string peer_login;        // the colleague's sign-in
  std::string last_name, peer_last_name;  // what an answer about them must not tell outsiders
};

struct RoleCase {
  std::string login;              // password Passw0rd!
  access::Principal principal;    // as stored: person and grants
  int64_t own_organization = 0;   // organisation of the caller's own person (0 for service accounts)
  Place in, out;                  // a target inside the scope and one just outside it
};

struct SecurityWorld {
  std::vector<RoleCase> roles;
  std::vector<Place> places;                    // every distinct target
  std::map<int64_t, std::string> region_admin;      // region id -> login of its regional admin
  std::map<int64_t, std::string> region_methodist;  // region id -> login of its regional methodist
  std::vector<std::string> names;               // resource names of the territory (for fuzzing)
};

// Extends the harness fixture (already seeded in `database`) into the world above.
absl::StatusOr<SecurityWorld> SeedSecurityWorld(const std::string& dsn, const Fixture& f);

}  // namespace nms::testing
