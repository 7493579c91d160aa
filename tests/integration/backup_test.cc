// Online backup and restore (deploy/dev/backup.sh, `./nms backup` / `./nms restore`): a backup
// taken while acknowledged writes stream in, restored into a fresh MariaDB, holds every write
// acknowledged before the backup began exactly once, and a server started on it serves reads and
// new writes.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nms/v1/directory.grpc.pb.h"
#include "nms/v1/monitoring.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"
#include "tests/support/keyed_writes.h"
#include "tests/support/local_stack.h"

namespace nms::testing {
namespace {

TEST(Backup, OnlineBackupUnderWritesRestoresEveryAcknowledgedWrite) {
  constexpr char kDb[] = "it_backup";
  ResetDatabase(kDb);
  Fixture f = SeedFixture(kDb);
  ServerProcess server(kDb);
  const std::string token = SignIn(*server.Channel(), "regional.admin");

  std::mutex mu;
  std::set<std::string> acked;
  std::atomic<bool> stop{false};
  auto writer = [&](int t) {
    auto stub = v1::MonitoringService::NewStub(server.Channel());
    for (int i = 0; !stop; ++i) {
      std::string key = absl::StrCat("backup-", t, "-", i);
      v1::CreateTrainingCompletionResponse resp;
      if (stub->CreateTrainingCompletion(Ctx(token).get(), KeyedWrite(f.teacher_a1, key), &resp).ok()) {
        std::lock_guard<std::mutex> lock(mu);
        acked.insert(key);
      }
    }
  };
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) writers.emplace_back(writer, t);
  for (int i = 0; i < 400; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (acked.size() >= 60) break;
    }
    absl::SleepFor(absl::Milliseconds(25));
  }

  // Everything acknowledged before the backup starts must be in it; writes go on meanwhile.
  std::set<std::string> before;
  {
    std::lock_guard<std::mutex> lock(mu);
    before = acked;
  }
  ASSERT_GE(before.size(), 20u) << "too few writes were acknowledged before the backup";
  const std::string work = absl::StrCat(BinaryDir(), "/test-state/backup-test");
  const std::string out = work + "/backup", restored = work + "/restored-db";
  StopLocalDb(restored);
  ASSERT_EQ(Shell(absl::StrCat("rm -rf ", work, " && mkdir -p ", work)), 0);
  const std::string script = absl::StrCat(NMS_SOURCE_DIR, "/deploy/dev/backup.sh");
  int backup_rc = Shell(absl::StrCat(script, " backup ", TestStateDir(), " ", out));
  size_t during;
  {
    std::lock_guard<std::mutex> lock(mu);
    during = acked.size() - before.size();
  }
  absl::SleepFor(absl::Milliseconds(200));  // writes after the backup must not matter
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_EQ(backup_rc, 0) << "backup failed";
  ASSERT_EQ(Shell(absl::StrCat(script, " restore ", out, " ", restored)), 0) << "restore failed";

  auto port = StartLocalDb(restored);
  ASSERT_TRUE(port.ok()) << port.status();
  const std::string dsn = absl::StrCat("mysql://root@127.0.0.1:", *port, "/", kDb);
  auto config = db::ParseDsn(dsn);
  ASSERT_TRUE(config.ok());
  {
    db::ConnectionPool pool(*config);
    auto rows = KeyedRows(pool, "backup-");
    for (const auto& key : before) {
      ASSERT_EQ(rows[key].size(), 1u) << key << " was acknowledged before the backup began";
    }
    size_t kept_during = 0;
    for (const auto& [key, ids] : rows) {
      EXPECT_EQ(ids.size(), 1u) << key << " exists " << ids.size() << " times";
      if (!before.count(key)) ++kept_during;
    }
    std::printf("backup: %zu writes acknowledged before it, all restored; %zu acknowledged while it ran, "
                "%zu rows of writes after its start restored\n",
                before.size(), during, kept_during);
  }

  // The restored database serves: sign in, read, write.
  ServerChild restored_server(dsn, "", work + "/server.log");
  ASSERT_TRUE(restored_server.Start());
  std::string restored_token = SignInToken(*restored_server.Channel(), "regional.admin", "Passw0rd!");
  ASSERT_FALSE(restored_token.empty());
  auto dir = v1::DirectoryService::NewStub(restored_server.Channel());
  v1::GetPersonRequest get;
  get.set_name(absl::StrCat("people/", f.teacher_a1));
  v1::Person person;
  grpc::Status st = dir->GetPerson(Ctx(restored_token).get(), get, &person);
  EXPECT_TRUE(st.ok()) << st.error_message();
  auto monitoring = v1::MonitoringService::NewStub(restored_server.Channel());
  v1::CreateTrainingCompletionResponse created;
  st = monitoring->CreateTrainingCompletion(Ctx(restored_token).get(), KeyedWrite(f.teacher_a1, "after-restore"),
                                            &created);
  EXPECT_TRUE(st.ok()) << st.error_message();
  restored_server.Kill(SIGTERM);
  StopLocalDb(restored);
  Shell(absl::StrCat("rm -rf ", work));
}

}  // namespace
}  // namespace nms::testing
