// The connection pool heals after a database restart: calls during the outage fail fast with
// UNAVAILABLE (never hang past their deadline), and succeed again once MariaDB is back,
// without restarting nms-server.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <csignal>
#include <cstdlib>
#include <fstream>

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

// Under load: while MariaDB is down every call ends by its deadline with UNAVAILABLE or
// DEADLINE_EXCEEDED, health reports NOT_SERVING, and afterwards the same server process serves
// reads and writes again; writes refused during the outage succeed once when retried with their
// keys.
#include <atomic>
#include <mutex>
#include <thread>

#include <grpcpp/health_check_service_interface.h>

#include "nms/v1/monitoring.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/support/api_surface.h"
#include "tests/support/keyed_writes.h"

namespace nms::testing {
namespace {

struct CallRecord {
  absl::Time start, end;
  grpc::StatusCode code;
  bool write;
  std::string key;
};

TEST(DbRestart, CallsDuringAnOutageUnderLoadEndByTheirDeadlineAndThePoolHeals) {
  constexpr char kDb[] = "it_outage";
  ResetDatabase(kDb);
  Fixture f = SeedFixture(kDb);
  ServerProcess server(kDb);
  std::string token = SignIn(*server.Channel(), "regional.admin");
  std::mutex mu;
  std::vector<CallRecord> calls;
  std::atomic<bool> stop{false};
  constexpr auto kDeadline = std::chrono::seconds(3);
  auto client = [&](int t) {
    auto dir = v1::DirectoryService::NewStub(server.Channel());
    auto mon = v1::MonitoringService::NewStub(server.Channel());
    for (int i = 0; !stop; ++i) {
      CallRecord r;
      r.write = t % 2 == 1;
      r.key = absl::StrCat("outage-", t, "-", i);
      auto ctx = Ctx(token);
      ctx->set_deadline(std::chrono::system_clock::now() + kDeadline);
      r.start = absl::Now();
      if (r.write) {
        v1::CreateTrainingCompletionResponse resp;
        r.code = mon->CreateTrainingCompletion(ctx.get(), KeyedWrite(f.teacher_a1, r.key), &resp).error_code();
      } else {
        v1::ListPeopleRequest req;
        req.set_page_size(20);
        v1::ListPeopleResponse resp;
        r.code = dir->ListPeople(ctx.get(), req, &resp).error_code();
      }
      r.end = absl::Now();
      {
        std::lock_guard<std::mutex> lock(mu);
        calls.push_back(r);
      }
      if (r.code != grpc::StatusCode::OK) absl::SleepFor(absl::Milliseconds(50));
    }
  };
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t) clients.emplace_back(client, t);
  absl::SleepFor(absl::Seconds(1));

  std::string port = std::to_string(std::stoi([&] {
    std::ifstream in(TestStateDir() + "/port");
    std::string p;
    in >> p;
    return p;
  }()));
  ASSERT_EQ(RunDbScript("stop"), 0);
  absl::Time down = absl::Now();
  bool not_serving = false;
  while (absl::Now() - down < absl::Seconds(5)) {
    not_serving |= !HealthServing(*server.Channel(), absl::Seconds(1));
    absl::SleepFor(absl::Milliseconds(250));
  }
  absl::Time restarting = absl::Now();
  ASSERT_EQ(std::system(absl::StrCat(NMS_SOURCE_DIR, "/deploy/dev/db.sh start ", TestStateDir(), " ", port,
                                     " >/dev/null 2>&1").c_str()), 0);
  absl::Time up = absl::Now();
  // Recovery: both kinds of call succeed again, from the same server process.
  bool read_ok = false, write_ok = false;
  while (absl::Now() - up < absl::Seconds(30) && !(read_ok && write_ok)) {
    absl::SleepFor(absl::Milliseconds(200));
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& c : calls) {
      if (c.start > up && c.code == grpc::StatusCode::OK) (c.write ? write_ok : read_ok) = true;
    }
  }
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_TRUE(read_ok && write_ok) << "the pool did not recover without a server restart";
  EXPECT_TRUE(server.Running());
  EXPECT_TRUE(not_serving) << "health should report NOT_SERVING while the database is down";
  EXPECT_TRUE(HealthServing(*server.Channel()) || [&] {
    absl::SleepFor(absl::Seconds(3));  // the health probe runs every second
    return HealthServing(*server.Channel());
  }());

  int during = 0;
  for (const auto& c : calls) {
    EXPECT_LT(c.end - c.start, absl::Seconds(4)) << "a call outlived its 3 s deadline";
    if (c.start > down + absl::Milliseconds(100) && c.end < restarting) {
      ++during;
      EXPECT_TRUE(c.code == grpc::StatusCode::UNAVAILABLE || c.code == grpc::StatusCode::DEADLINE_EXCEEDED)
          << "during the outage: " << c.code;
    }
  }
  EXPECT_GT(during, 10) << "the clients should have kept calling during the outage";

  // Every write, acknowledged or not, retried with its key: exactly one row each.
  auto mon = v1::MonitoringService::NewStub(server.Channel());
  db::ConnectionPool pool(*db::ParseDsn(TestDsn(kDb)));
  for (const auto& c : calls) {
    if (!c.write) continue;
    v1::CreateTrainingCompletionResponse resp;
    ASSERT_TRUE(mon->CreateTrainingCompletion(Ctx(token).get(), KeyedWrite(f.teacher_a1, c.key), &resp).ok()) << c.key;
    EXPECT_EQ(KeyedRows(pool, c.key)[c.key].size(), 1u) << c.key;
  }
  std::printf("outage under load: %zu calls, %d during the outage (all UNAVAILABLE/DEADLINE_EXCEEDED)\n",
              calls.size(), during);
}

// Resumes a stopped process even when an assertion ends the test early.
class Frozen {
 public:
  explicit Frozen(pid_t pid) : pid_(pid) { kill(pid_, SIGSTOP); }
  ~Frozen() { Thaw(); }
  void Thaw() {
    if (pid_ > 0) kill(pid_, SIGCONT);
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

TEST(DbFreeze, CallsEndAtTheirDeadlineEvenWaitingForAConnection) {
  constexpr char kDb[] = "it_freeze";
  ResetDatabase(kDb);
  Fixture f = SeedFixture(kDb);
  ServerProcess server(kDb, "--db_pool_size=2 --max_threads=16 --log_level=info");
  std::string token = SignIn(*server.Channel(), "regional.admin");
  pid_t db_pid = 0;
  {
    std::ifstream in(TestStateDir() + "/mariadb.pid");
    in >> db_pid;
  }
  ASSERT_GT(db_pid, 0);
  // Warm up so both pooled connections exist.
  auto mon = v1::MonitoringService::NewStub(server.Channel());
  v1::CreateTrainingCompletionResponse warm;
  ASSERT_TRUE(mon->CreateTrainingCompletion(Ctx(token).get(), KeyedWrite(f.teacher_a1, "freeze-warm"), &warm).ok());

  std::vector<std::string> keys;
  std::vector<grpc::StatusCode> codes(6);
  std::vector<absl::Duration> took(6);
  {
    Frozen frozen(db_pid);
    std::vector<std::thread> calls;
    for (int i = 0; i < 6; ++i) {
      keys.push_back(absl::StrCat("freeze-", i));
      calls.emplace_back([&, i] {
        auto ctx = Ctx(token);
        ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
        v1::CreateTrainingCompletionResponse resp;
        absl::Time start = absl::Now();
        codes[i] = mon->CreateTrainingCompletion(ctx.get(), KeyedWrite(f.teacher_a1, keys[i]), &resp).error_code();
        took[i] = absl::Now() - start;
      });
      absl::SleepFor(absl::Milliseconds(50));
    }
    for (auto& c : calls) c.join();
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(codes[i], grpc::StatusCode::DEADLINE_EXCEEDED) << keys[i];
      EXPECT_LT(took[i], absl::Seconds(3)) << keys[i] << " outlived its 2 s deadline";
    }
    // The server gives up on the calls that waited for one of the two connections at their
    // own deadline too (not after the pool's 5 s), so its threads are free again.
    absl::SleepFor(absl::Milliseconds(500));
    std::ifstream log(server.log_path());
    std::string line;
    int gave_up = 0;
    while (std::getline(log, line)) {
      if (line.find("CreateTrainingCompletion\",\"code\":\"DEADLINE_EXCEEDED\"") == std::string::npos) continue;
      auto at = line.find("\"ms\":\"");
      double ms = std::stod(line.substr(at + 6));
      EXPECT_LT(ms, 2600) << line;
      ++gave_up;
    }
    EXPECT_GE(gave_up, 3) << "the calls waiting for a connection should end at their deadline on the server";
    frozen.Thaw();
  }
  // Calls whose queries were stuck in the frozen database may have committed after their
  // clients gave up: a retry with the same key answers from the first, never writes twice.
  db::ConnectionPool pool(*db::ParseDsn(TestDsn(kDb)));
  for (const auto& key : keys) {
    v1::CreateTrainingCompletionResponse resp;
    grpc::Status st;
    for (int attempt = 0; attempt < 20; ++attempt) {
      st = mon->CreateTrainingCompletion(Ctx(token).get(), KeyedWrite(f.teacher_a1, key), &resp);
      if (st.ok()) break;
      absl::SleepFor(absl::Milliseconds(250));
    }
    ASSERT_TRUE(st.ok()) << key << ": " << st.error_message();
    EXPECT_EQ(KeyedRows(pool, key)[key].size(), 1u) << key;
  }
  EXPECT_TRUE(server.Running());
}

}  // namespace
}  // namespace nms::testing
