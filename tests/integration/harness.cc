#include "tests/integration/harness.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/auth/password.h"
#include "server/db/migrations.h"
#include "server/db/sql.h"
#include "tests/support/local_stack.h"

namespace nms::testing {
namespace {

std::string DbDir() { return TestStateDir(); }

int DbPort() {
  std::ifstream in(DbDir() + "/port");
  int port = 0;
  in >> port;
  if (port == 0) {
    ADD_FAILURE() << "test MariaDB is not running: start it with deploy/dev/db.sh start " << DbDir();
  }
  return port;
}

}  // namespace

std::string BinaryDir() {
  const char* dir = std::getenv("NMS_BINARY_DIR");
  return dir != nullptr && *dir != '\0' ? dir : NMS_BINARY_DIR;
}

std::string TestStateDir() {
  const char* dir = std::getenv("NMS_TEST_DB_DIR");
  return dir != nullptr && *dir != '\0' ? dir : NMS_BINARY_DIR "/test-state/db";
}

std::string TestDsn(const std::string& database) {
  return absl::StrCat("mysql://root@127.0.0.1:", DbPort(), "/", database);
}

void ResetDatabase(const std::string& database) {
  auto config = db::ParseDsn(TestDsn(database));
  ASSERT_TRUE(config.ok());
  config->database = "mysql";
  db::ConnectionPool pool(*config);
  auto st = db::WithConnection(pool, [&](sql::Connection& c) {
    db::Stmt(c, absl::StrCat("DROP DATABASE IF EXISTS `", database, "`")).Execute();
    db::Stmt(c, absl::StrCat("CREATE DATABASE `", database, "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
        .Execute();
    return absl::OkStatus();
  });
  ASSERT_TRUE(st.ok()) << st;
}

int FreePort() { return FreeLoopbackPort(); }

ServerProcess::ServerProcess(const std::string& database, const std::string& extra_args)
    : database_(database), extra_(extra_args) {
  address_ = absl::StrCat("127.0.0.1:", FreePort());
  log_ = absl::StrCat(DbDir(), "/server-", database, "-", address_.substr(10), ".log");
  secret_file_ = absl::StrCat(DbDir(), "/token-secret");
  {
    std::ofstream s(secret_file_);
    s << "integration-test-secret-integration-test-secret";
  }
  Start();
}

void ServerProcess::Start() {
  pid_ = fork();
  if (pid_ == 0) {
    std::string cmd = absl::StrCat("exec ", BinaryDir(), "/nms-server --listen=", address_,
                                   " --db=", TestDsn(database_), " --token_secret_file=", secret_file_,
                                   " --db_pool_size=8 --max_threads=16 ", extra_, " >>", log_, " 2>&1");
    execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  // Ready when the channel connects (migrations run before the port opens).
  auto ch = Channel();
  bool up = ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(30));
  EXPECT_TRUE(up) << "nms-server did not start; log: " << log_;
}

bool ServerProcess::Running() const { return pid_ > 0 && kill(pid_, 0) == 0; }

int ServerProcess::Kill(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

ServerProcess::~ServerProcess() { Kill(SIGTERM); }

std::shared_ptr<grpc::Channel> ServerProcess::Channel() const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
}

Fixture SeedFixture(const std::string& database) {
  Fixture f;
  auto config = db::ParseDsn(TestDsn(database));
  db::ConnectionPool pool(*config);
  EXPECT_TRUE(pool.EnsureDatabase().ok());
  auto migrated = db::ApplyMigrations(pool, NMS_SOURCE_DIR "/schema/migrations");
  EXPECT_TRUE(migrated.ok()) << migrated.status();
  std::string hash = *auth::HashPassword("Passw0rd!", 1000);
  auto st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    auto id = [&] { return db::LastInsertId(c); };
    db::Stmt(c, "INSERT INTO regions (display_name) VALUES ('Тестовая область')").Execute();
    f.region = id();
    db::Stmt(c, "INSERT INTO districts (region_id, display_name) VALUES (?, 'Северный округ')").Int(f.region).Execute();
    f.district = id();
    db::Stmt(c, "INSERT INTO municipalities (region_id, district_id, display_name) VALUES (?, ?, 'Город А')")
        .Int(f.region).Int(f.district).Execute();
    f.mun_a = id();
    db::Stmt(c, "INSERT INTO municipalities (region_id, display_name) VALUES (?, 'Город Б')").Int(f.region).Execute();
    f.mun_b = id();
    auto org = [&](int64_t mun, int type, const char* name) {
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name) "
                  "VALUES (?, ?, ?, ?, ?)")
          .Int(f.region).OptInt(mun).Int(type).Str(name).Str(name).Execute();
      return id();
    };
    f.school_a1 = org(f.mun_a, 1, "Школа А1");
    f.school_a2 = org(f.mun_a, 1, "Школа А2");
    f.school_b1 = org(f.mun_b, 1, "Школа Б1");
    f.cnppm = org(0, 5, "ЦНППМ");
    auto person = [&](int64_t org_id, int64_t mun, const char* last, const char* ext) {
      db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, external_id, last_name, "
                  "first_name, middle_name, birth_date, position, work_start_date) "
                  "VALUES (?, ?, ?, ?, ?, 'Анна', 'Петровна', '1990-05-01', 'учитель', '2015-09-01')")
          .Int(f.region).OptInt(mun).Int(org_id).Str(ext).Str(last).Execute();
      int64_t pid = id();
      db::Stmt(c, "INSERT INTO employments (person_id, organization_id, position, is_primary, start_date) "
                  "VALUES (?, ?, 'учитель', TRUE, '2015-09-01')")
          .Int(pid).Int(org_id).Execute();
      return pid;
    };
    f.teacher_a1 = person(f.school_a1, f.mun_a, "Иванова", "EXT-A1");
    f.teacher_a2 = person(f.school_a2, f.mun_a, "Петрова", "EXT-A2");
    f.teacher_b1 = person(f.school_b1, f.mun_b, "Сидорова", "EXT-B1");
    int64_t staff = person(f.cnppm, 0, "Смирнова", "EXT-STAFF");
    auto account = [&](const char* login, int64_t person_id, int role, int kind, int64_t scope) {
      db::Stmt(c, "INSERT INTO accounts (login, person_id, password_hash, is_service) VALUES (?, ?, ?, ?)")
          .Str(login).OptInt(person_id).Str(hash).Bool(person_id == 0).Execute();
      int64_t acc = id();
      db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)")
          .Int(acc).Int(role).Int(kind).Int(scope).Execute();
    };
    account("teacher.a1", f.teacher_a1, 1, 3, f.school_a1);
    account("teacher.b1", f.teacher_b1, 1, 3, f.school_b1);
    account("school.a1", person(f.school_a1, f.mun_a, "Директорова", "EXT-HEAD-A1"), 2, 3, f.school_a1);
    account("mun.a", person(f.cnppm, 0, "Методистова", "EXT-MM"), 3, 2, f.mun_a);
    account("regional.methodist", staff, 4, 1, f.region);
    account("regional.admin", person(f.cnppm, 0, "Админова", "EXT-RA"), 5, 1, f.region);
    account("federal.sync", 0, 6, 1, f.region);
    return absl::OkStatus();
  });
  EXPECT_TRUE(st.ok()) << st;
  return f;
}

std::string SignIn(grpc::Channel& ch, const std::string& login, const std::string& password) {
  auto stub = nms::v1::AuthService::NewStub(std::shared_ptr<grpc::Channel>(&ch, [](grpc::Channel*) {}));
  grpc::ClientContext ctx;
  nms::v1::SignInRequest req;
  req.set_login(login);
  req.set_password(password);
  nms::v1::SignInResponse resp;
  auto st = stub->SignIn(&ctx, req, &resp);
  EXPECT_TRUE(st.ok()) << login << ": " << st.error_message();
  return resp.tokens().access_token();
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

}  // namespace nms::testing
