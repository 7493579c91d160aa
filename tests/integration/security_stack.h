#pragma once
// What the security and fault tests share: the authorisation matrix table (whose valid requests
// they start from), a fresh database with the security world (tests/support/security_world.h),
// and a server on it. Header-only: the integration build compiles only *_test.cc and harness.cc.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/integration/harness.h"
#include "tests/support/authz_table.h"
#include "tests/support/security_world.h"

namespace nms::testing {

struct SecurityStack {
  MatrixTable table;
  Fixture fixture;
  SecurityWorld world;
  std::unique_ptr<ServerProcess> server;

  const RoleCase& Role(const std::string& login) const {
    for (const auto& r : world.roles) {
      if (r.login == login) return r;
    }
    return world.roles.front();
  }
};

// Use as ASSERT_NO_FATAL_FAILURE(StartSecurityStack("it_x", "--log_level=info", &stack)).
inline void StartSecurityStack(const std::string& database, const std::string& server_args, SecurityStack* out) {
  auto table = LoadMatrixTable(DefaultMatrixPath());
  ASSERT_TRUE(table.ok()) << table.status();
  out->table = std::move(*table);
  ResetDatabase(database);
  out->fixture = SeedFixture(database);
  auto world = SeedSecurityWorld(TestDsn(database), out->fixture);
  ASSERT_TRUE(world.ok()) << world.status();
  out->world = std::move(*world);
  out->server = std::make_unique<ServerProcess>(database, server_args);
}

}  // namespace nms::testing
