// The connection pool heals after a database restart: calls during the outage fail fast with
// UNAVAILABLE (never hang past their deadline), and succeed again once MariaDB is back,
// without restarting nms-server.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <csignal>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

int RunDbScript(const std::string& args) {
  std::string cmd = absl::StrCat(NMS_SOURCE_DIR, "/deploy/dev/db.sh ", args, " ", TestStateDir());
  return std::system((cmd + " >/dev/null 2>&1").c_str());
}

TEST(DbRestart, PoolRecoversWithoutServerRestart) {
  ResetDatabase("it_restart");
  Fixture f = SeedFixture("it_restart");
  ServerProcess server("it_restart");
  std::string token = SignIn(*server.Channel(), "regional.admin");
  auto dir = v1::DirectoryService::NewStub(server.Channel());
  v1::GetRegionRequest req;
  req.set_name(absl::StrCat("regions/", f.region));
  v1::Region region;
  ASSERT_TRUE(dir->GetRegion(Ctx(token).get(), req, &region).ok());

  std::string port_file = TestStateDir() + "/port";
  FILE* pf = std::fopen(port_file.c_str(), "r");
  ASSERT_NE(pf, nullptr);
  int port = 0;
  ASSERT_EQ(std::fscanf(pf, "%d", &port), 1);
  std::fclose(pf);

  ASSERT_EQ(RunDbScript("stop"), 0);
  absl::Time start = absl::Now();
  auto ctx = Ctx(token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(8));
  grpc::Status down = dir->GetRegion(ctx.get(), req, &region);
  EXPECT_FALSE(down.ok());
  EXPECT_TRUE(down.error_code() == grpc::StatusCode::UNAVAILABLE ||
              down.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
      << down.error_code() << " " << down.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(9)) << "a call must not hang past its deadline";

  // Same data dir, same port: the server's pool must find it again by itself.
  std::string data = TestStateDir();
  ASSERT_EQ(std::system(absl::StrCat(NMS_SOURCE_DIR, "/deploy/dev/db.sh start ", data, " ", port,
                                     " >/dev/null 2>&1").c_str()), 0);
  bool recovered = false;
  for (int i = 0; i < 40 && !recovered; ++i) {
    recovered = dir->GetRegion(Ctx(token).get(), req, &region).ok();
    if (!recovered) absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_TRUE(recovered);
  EXPECT_TRUE(server.Running());
}

}  // namespace
}  // namespace nms::testing

namespace nms::testing {
namespace {

TEST(ServerLifecycle, SigtermShutsDownGracefullyWithExitCodeZero) {
  ResetDatabase("it_lifecycle");
  SeedFixture("it_lifecycle");
  ServerProcess server("it_lifecycle");
  SignIn(*server.Channel(), "teacher.a1");
  absl::Time start = absl::Now();
  int status = server.Kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(15));
}

}  // namespace
}  // namespace nms::testing
