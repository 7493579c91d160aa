// nmsctl: operator and sync-job command line. Commands that change the schema or seed data
// talk to the database directly (they run before any account exists); everything else talks
// gRPC to nms-server like any other client.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/commands.h"

namespace {
std::string Env(const char* name, const char* def) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : def;
}
}  // namespace

ABSL_FLAG(std::string, db, Env("NMS_DB_DSN", "mysql://root@127.0.0.1:3306/nms"), "Database DSN");
ABSL_FLAG(std::string, server, Env("NMS_SERVER", "127.0.0.1:50051"), "nms-server address");
ABSL_FLAG(std::string, migrations_dir, Env("NMS_MIGRATIONS_DIR", NMS_SOURCE_DIR "/schema/migrations"),
          "Migrations folder");
ABSL_FLAG(std::string, login, Env("NMS_LOGIN", ""), "Login for commands that call the server");
ABSL_FLAG(std::string, password, Env("NMS_PASSWORD", ""), "Password for commands that call the server");
ABSL_FLAG(int, teachers, 6000, "demo: approximate number of teachers");
ABSL_FLAG(int, schools, 300, "demo: approximate number of organisations");
ABSL_FLAG(uint64_t, seed, 20261123, "demo: random seed (same seed, same data)");
ABSL_FLAG(bool, areas, true,
          "load-region: also a finished diagnostic campaign, routes and mentoring pairs (the demo's stages)");
ABSL_FLAG(std::string, time_zone, "", "region create: IANA time zone (default Europe/Moscow)");
ABSL_FLAG(std::string, org_name, "", "region create: full name of the region's first organisation (e.g. its ЦНППМ)");
ABSL_FLAG(std::string, org_short_name, "", "region create: short name of that organisation");
ABSL_FLAG(std::string, admin_name, "", "region create: the first admin, \"Фамилия Имя Отчество\"");
ABSL_FLAG(std::string, admin_birth_date, "", "region create: the first admin's birth date, YYYY-MM-DD");
ABSL_FLAG(std::string, admin_email, "", "region create: the first admin's e-mail (the login by default)");
ABSL_FLAG(std::string, admin_login, "", "region create: the first admin's login");
ABSL_FLAG(std::string, demo_password, Env("NMS_DEMO_PASSWORD", "demo12345"), "demo: password of demo accounts");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "nmsctl <command> [flags]\n"
      "  migrate                      apply schema migrations\n"
      "  demo                         load the demo region (idempotent: skipped if present)\n"
      "  load-region [TEACHERS] [NAME]  bulk-load a full-size region (default 100000 teachers)\n"
      "  health                       check the server's health service\n"
      "  import-teachers ORG FILE     import a teachers CSV into organizations/{id}\n"
      "  region create NAME --org_name … --admin_name … --admin_birth_date … --admin_email|--admin_login …\n"
      "                               a new region and its first regional admin (with --login: through the\n"
      "                               server as a regional admin; without: the operator's bootstrap into --db)\n"
      "  sync pull DIR | push-programmes FILE | push-completions FILE | status\n"
      "                               federal-portal sync job (see clients/cli/sync.h)\n");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::cerr << absl::ProgramUsageMessage() << "\n";
    return 2;
  }
  std::string cmd = args[1];
  nms::cli::Options o;
  o.db = absl::GetFlag(FLAGS_db);
  o.server = absl::GetFlag(FLAGS_server);
  o.migrations_dir = absl::GetFlag(FLAGS_migrations_dir);
  o.login = absl::GetFlag(FLAGS_login);
  o.password = absl::GetFlag(FLAGS_password);
  o.teachers = absl::GetFlag(FLAGS_teachers);
  o.schools = absl::GetFlag(FLAGS_schools);
  o.seed = absl::GetFlag(FLAGS_seed);
  o.demo_password = absl::GetFlag(FLAGS_demo_password);
  o.areas = absl::GetFlag(FLAGS_areas);
  o.region = {absl::GetFlag(FLAGS_time_zone),  absl::GetFlag(FLAGS_org_name),
              absl::GetFlag(FLAGS_org_short_name), absl::GetFlag(FLAGS_admin_name),
              absl::GetFlag(FLAGS_admin_birth_date), absl::GetFlag(FLAGS_admin_email),
              absl::GetFlag(FLAGS_admin_login)};
  for (size_t i = 2; i < args.size(); ++i) o.args.emplace_back(args[i]);
  return nms::cli::RunCommand(cmd, o);
}
