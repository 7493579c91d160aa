// Faults and abuse, bounded in time and on loopback only:
//  - kill -9 of the server during a stream of acknowledged idempotent writes: after a restart every
//    acknowledged write is there exactly once, and retries of the unacknowledged ones with the same
//    keys do not duplicate anything;
//  - long-lived streams are capped per account and in total, and ordinary calls go on meanwhile;
//  - slow-loris connections (no or a partial HTTP/2 preface) are closed after the handshake
//    timeout and never keep others from being served; idle connections are closed;
//  - every RPC honours a deadline that has already passed and a cancellation.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nms/v1/federal_exchange.grpc.pb.h"
#include "nms/v1/monitoring.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"
#include "tests/integration/security_stack.h"
#include "tests/support/api_surface.h"
#include "tests/support/authz_table.h"
#include "tests/support/keyed_writes.h"
#include "tests/support/security_world.h"

namespace nms::testing {
namespace {

TEST(Faults, KillDashNineDuringAcknowledgedWritesLosesAndDuplicatesNothing) {
  constexpr char kDb[] = "it_crash";
  ResetDatabase(kDb);
  Fixture f = SeedFixture(kDb);
  ServerProcess server(kDb);
  std::string token = SignIn(*server.Channel(), "regional.admin");

  std::mutex mu;
  std::map<std::string, std::string> acked;  // key -> resource name from the acknowledgement
  std::set<std::string> attempted;
  std::atomic<bool> stop{false};
  auto writer = [&](int t) {
    auto stub = v1::MonitoringService::NewStub(server.Channel());
    for (int i = 0; !stop; ++i) {
      std::string key = absl::StrCat("crash-", t, "-", i);
      {
        std::lock_guard<std::mutex> lock(mu);
        attempted.insert(key);
      }
      auto ctx = Ctx(token);
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
      v1::CreateTrainingCompletionResponse resp;
      grpc::Status st = stub->CreateTrainingCompletion(ctx.get(), KeyedWrite(f.teacher_a1, key), &resp);
      if (st.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        acked[key] = resp.completion().name();
      } else {
        absl::SleepFor(absl::Milliseconds(20));  // the server is gone: keep trying until told to stop
      }
    }
  };
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) writers.emplace_back(writer, t);
  for (int i = 0; i < 300; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (acked.size() >= 200) break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  int status = server.Kill(SIGKILL);  // writes are in flight right now
  EXPECT_TRUE(WIFSIGNALED(status));
  absl::SleepFor(absl::Milliseconds(300));
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_GE(acked.size(), 50u) << "too few writes were acknowledged before the kill";
  size_t unacked = attempted.size() - acked.size();
  std::printf("before kill -9: %zu writes acknowledged, %zu attempted without acknowledgement\n", acked.size(), unacked);

  server.Start();  // same address, same database
  auto config = db::ParseDsn(TestDsn(kDb));
  db::ConnectionPool pool(*config);
  auto rows = KeyedRows(pool, "crash-");
  for (const auto& [key, name] : acked) {
    ASSERT_EQ(rows[key].size(), 1u) << key << " was acknowledged as " << name;
    EXPECT_EQ(name, absl::StrCat("trainingCompletions/", rows[key][0]));
  }

  // Retries of everything with the same keys: acknowledged ones answer as before, the others
  // are written now (or were committed before the kill and answer from the key); nothing twice.
  auto stub = v1::MonitoringService::NewStub(server.Channel());
  token = SignIn(*server.Channel(), "regional.admin");
  for (const auto& key : attempted) {
    v1::CreateTrainingCompletionResponse resp;
    grpc::Status st = stub->CreateTrainingCompletion(Ctx(token).get(), KeyedWrite(f.teacher_a1, key), &resp);
    ASSERT_TRUE(st.ok()) << key << ": " << st.error_message();
    if (acked.count(key)) EXPECT_EQ(resp.completion().name(), acked[key]) << key;
  }
  rows = KeyedRows(pool, "crash-");
  EXPECT_EQ(rows.size(), attempted.size());
  for (const auto& [key, ids] : rows) EXPECT_EQ(ids.size(), 1u) << key << " exists " << ids.size() << " times";
}

// A follow stream of the change feed, held open by this object (cancelled on destruction).
class FollowStream {
 public:
  FollowStream(std::shared_ptr<grpc::Channel> ch, const std::string& token, int64_t region) {
    ctx_.AddMetadata("authorization", "Bearer " + token);
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::StreamChangesRequest req;
    req.set_region(absl::StrCat("regions/", region));
    req.set_follow(true);
    stub_ = v1::FederalExchangeService::NewStub(ch);
    reader_ = stub_->StreamChanges(&ctx_, req);
    v1::StreamChangesResponse first;
    open_ = reader_->Read(&first);  // the first batch arrives at once when the stream is admitted
    if (!open_) status_ = reader_->Finish();
  }
  ~FollowStream() {
    ctx_.TryCancel();
    if (open_) reader_->Finish();
  }
  bool open() const { return open_; }
  grpc::StatusCode code() const { return status_.error_code(); }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<v1::FederalExchangeService::Stub> stub_;
  std::unique_ptr<grpc::ClientReader<v1::StreamChangesResponse>> reader_;
  bool open_ = false;
  grpc::Status status_;
};

TEST(Faults, LongLivedStreamsAreCappedAndOrdinaryCallsGoOn) {
  constexpr char kDb[] = "it_stream_caps";
  ResetDatabase(kDb);
  Fixture f = SeedFixture(kDb);
  ServerProcess server(kDb, "--max_threads=16 --max_streams=3 --max_streams_per_account=2");
  std::string sync = SignIn(*server.Channel(), "federal.sync");
  std::string admin = SignIn(*server.Channel(), "regional.admin");
  auto region = [&] {
    auto dir = v1::DirectoryService::NewStub(server.Channel());
    v1::GetRegionRequest req;
    req.set_name(absl::StrCat("regions/", f.region));
    v1::Region out;
    return dir->GetRegion(Ctx(admin).get(), req, &out).error_code();
  };
  {
    FollowStream s1(server.Channel(), sync, f.region), s2(server.Channel(), sync, f.region);
    ASSERT_TRUE(s1.open());
    ASSERT_TRUE(s2.open());
    FollowStream s3(server.Channel(), sync, f.region);
    EXPECT_FALSE(s3.open());
    EXPECT_EQ(s3.code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << "per-account cap";
    FollowStream a1(server.Channel(), admin, f.region);
    EXPECT_TRUE(a1.open());
    FollowStream a2(server.Channel(), admin, f.region);
    EXPECT_FALSE(a2.open());
    EXPECT_EQ(a2.code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << "server-wide cap";
    for (int i = 0; i < 20; ++i) EXPECT_EQ(region(), grpc::StatusCode::OK) << "ordinary calls go on";
  }
  // Cancelled streams give their slots back (their handlers notice the cancellation).
  bool reopened = false;
  for (int i = 0; i < 50 && !reopened; ++i) {
    FollowStream again(server.Channel(), sync, f.region);
    reopened = again.open();
    if (!reopened) absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_TRUE(reopened);
}

int RawConnect(const std::string& address) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  int port = 0;
  EXPECT_TRUE(absl::SimpleAtoi(address.substr(address.find(':') + 1), &port));
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True when the peer closes the socket (EOF or reset) before `end`; what it sends first (its
// SETTINGS, a GOAWAY) is read and dropped.
bool ClosedByPeer(int fd, absl::Time end) {
  char buf[256];
  while (absl::Now() < end) {
    pollfd p{fd, POLLIN, 0};
    int wait = static_cast<int>(std::max<int64_t>(1, absl::ToInt64Milliseconds(end - absl::Now())));
    if (poll(&p, 1, wait) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
  }
  return false;
}

TEST(Faults, SlowLorisAndIdleConnectionsAreClosedAndOthersAreServed) {
  constexpr char kDb[] = "it_slowloris";
  ResetDatabase(kDb);
  SeedFixture(kDb);
  ServerProcess server(kDb, "--handshake_timeout=1s --max_connection_idle=1s");
  std::vector<int> loris;
  for (int i = 0; i < 200; ++i) {
    int fd = RawConnect(server.address());
    ASSERT_GE(fd, 0);
    if (i % 2 == 1) {  // half send a partial HTTP/2 preface and stall
      const char partial[] = "PRI * HTTP/2.0\r\n";
      ASSERT_GT(send(fd, partial, sizeof(partial) - 1, 0), 0);
    }
    loris.push_back(fd);
  }
  // While 200 connections stall, a real client is served.
  auto auth = v1::AuthService::NewStub(server.Channel());
  std::string token = SignIn(*server.Channel(), "school.a1");
  v1::GetCurrentPrincipalResponse me;
  EXPECT_TRUE(auth->GetCurrentPrincipal(Ctx(token).get(), {}, &me).ok());
  // The server closes every stalled connection after the handshake timeout.
  int closed = 0;
  absl::Time end = absl::Now() + absl::Seconds(15);
  for (int fd : loris) {
    closed += ClosedByPeer(fd, end);
    close(fd);
  }
  EXPECT_EQ(closed, 200) << "stalled connections left open";

  // An idle client connection is closed (GOAWAY) and the channel reconnects on the next call.
  auto ch = server.Channel();
  auto stub = v1::AuthService::NewStub(ch);
  ASSERT_TRUE(stub->GetCurrentPrincipal(Ctx(token).get(), {}, &me).ok());
  bool idle = false;
  for (int i = 0; i < 50 && !idle; ++i) {
    absl::SleepFor(absl::Milliseconds(200));
    idle = ch->GetState(false) == GRPC_CHANNEL_IDLE;
  }
  EXPECT_TRUE(idle) << "the server should have closed the idle connection";
  EXPECT_TRUE(stub->GetCurrentPrincipal(Ctx(token).get(), {}, &me).ok());
}

TEST(Faults, EveryRpcHonoursPassedDeadlinesAndCancellation) {
  SecurityStack stack;
  ASSERT_NO_FATAL_FAILURE(StartSecurityStack("it_deadlines", "", &stack));
  ServerProcess& server = *stack.server;
  MatrixDriver driver(stack.table, stack.world, server.Channel());
  driver.PrepareObjects();
  const RoleCase& admin = stack.Role("regional.admin");
  int checked = 0, expired = 0;
  for (const auto& row : stack.table.rows) {
    MatrixDriver::Expansion how;
    auto req = driver.Request(row, admin.in, false, &how);
    if (req == nullptr) continue;
    const RpcMethod* m = ApiSurface::Get().Find(row.method);
    for (bool cancel : {false, true}) {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + driver.Token(admin.login));
      ctx.set_deadline(std::chrono::system_clock::now() + (cancel ? std::chrono::seconds(30) : std::chrono::microseconds(1)));
      if (cancel) ctx.TryCancel();
      grpc::GenericStub stub(server.Channel());
      grpc::CompletionQueue cq;
      grpc::Slice slice(req->SerializeAsString());
      grpc::ByteBuffer buf(&slice, 1), resp;
      grpc::Status st;
      absl::Time start = absl::Now();
      if (m->server_streaming) {
        auto call = stub.PrepareCall(&ctx, m->path, &cq);
        call->StartCall(reinterpret_cast<void*>(1));
        void* tag;
        bool ok;
        cq.Next(&tag, &ok);
        call->Finish(&st, reinterpret_cast<void*>(2));
        while (cq.Next(&tag, &ok) && tag != reinterpret_cast<void*>(2)) {
        }
      } else {
        auto call = stub.PrepareUnaryCall(&ctx, m->path, buf, &cq);
        call->StartCall();
        call->Finish(&resp, &st, reinterpret_cast<void*>(1));
        void* tag;
        bool ok;
        cq.Next(&tag, &ok);
      }
      cq.Shutdown();
      void* tag;
      bool ok;
      while (cq.Next(&tag, &ok)) {
      }
      if (st.error_code() == grpc::StatusCode::UNIMPLEMENTED) break;  // not landed yet
      ++checked;
      if (cancel) {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::CANCELLED) << row.method << " cancelled";
      } else {
        // The deadline travels as a rounded-up timeout: a fast refusal may still beat it.
        EXPECT_TRUE(st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
                    (st.error_code() != grpc::StatusCode::INTERNAL && st.error_code() != grpc::StatusCode::UNKNOWN &&
                     st.error_code() != grpc::StatusCode::UNAVAILABLE))
            << row.method << " past its deadline: " << st.error_code();
        expired += st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
      }
      EXPECT_LT(absl::Now() - start, absl::Seconds(5)) << row.method << " did not end promptly";
    }
  }
  std::printf("deadlines and cancellation: %d calls, %d ended DEADLINE_EXCEEDED\n", checked, expired);
  EXPECT_TRUE(HealthServing(*server.Channel()));
}

}  // namespace
}  // namespace nms::testing
