#pragma once
// nmsctl commands, one function each, dispatched by name.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nms::db {
class ConnectionPool;
}

namespace nms::cli {

struct Options {
  std::string db, server, migrations_dir, login, password, demo_password;
  int teachers = 6000, schools = 300;
  uint64_t seed = 1;
  bool areas = true;  // load-region: also campaigns, routes and mentoring (the demo's stages)
  std::vector<std::string> args;
  struct RegionFlags {  // region create
    std::string time_zone, org_name, org_short_name, admin_name, admin_birth_date, admin_email, admin_login;
  } region;
};

int RunCommand(const std::string& name, const Options& o);

// A pool on o.db with the database created and the migrations applied; nullptr (after printing
// why) when that fails. For the commands that write straight into the database.
std::unique_ptr<db::ConnectionPool> OpenMigratedDatabase(const Options& o, int pool_size = 8);

int Migrate(const Options& o);
int Demo(const Options& o);
int Health(const Options& o);
int ImportTeachers(const Options& o);
// A full-size region (default 100 000 teachers) written in bulk; see load_region.cc.
int LoadRegion(const Options& o);
// region create: a new region and its first admin (region.cc).
int Region(const Options& o);

}  // namespace nms::cli
