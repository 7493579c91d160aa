// RPC throughput and latency of main calls against a no-op RPC (grpc.health.v1 Check) on the
// same running server, at rising concurrency. The ratio shows what our handler (auth, SQL,
// serialisation) costs on top of gRPC itself.
//
// Run against a stack started by `./nms up`:
//   build/rpc_bench --server=127.0.0.1:50051 --login=school@demo.nms --password=demo12345 --seconds=3
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "nms/v1/auth.grpc.pb.h"
#include "nms/v1/directory.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "nms-server address");
ABSL_FLAG(std::string, login, "school@demo.nms", "account to call as");
ABSL_FLAG(std::string, password, "demo12345", "password");
ABSL_FLAG(double, seconds, 3, "seconds per measurement");
ABSL_FLAG(std::string, concurrency, "1,4,16", "client threads per step");

namespace {

struct Result {
  double rps = 0, p50_ms = 0, p99_ms = 0;
  int errors = 0;
};

// Runs `call` from `threads` threads, each on its own channel (own HTTP/2 connection).
Result Measure(int threads, const std::function<bool(int)>& call) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> lat(threads);
  std::atomic<int> errors{0};
  std::vector<std::thread> pool;
  absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      while (!stop.load(std::memory_order_relaxed)) {
        absl::Time s = absl::Now();
        if (!call(t)) errors++;
        lat[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - s));
      }
    });
  }
  absl::SleepFor(absl::Seconds(absl::GetFlag(FLAGS_seconds)));
  stop = true;
  for (auto& th : pool) th.join();
  double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Result r;
  r.rps = all.size() / elapsed;
  r.p50_ms = all.empty() ? 0 : all[all.size() / 2];
  r.p99_ms = all.empty() ? 0 : all[std::min(all.size() - 1, all.size() * 99 / 100)];
  r.errors = errors;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<int> steps;
  for (auto s : absl::StrSplit(absl::GetFlag(FLAGS_concurrency), ',')) steps.push_back(std::stoi(std::string(s)));
  int max_threads = *std::max_element(steps.begin(), steps.end());
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < max_threads; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("bench.channel", i);  // distinct args -> distinct connections
    channels.push_back(grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials(), args));
  }
  auto auth = nms::v1::AuthService::NewStub(channels[0]);
  nms::v1::SignInRequest sreq;
  sreq.set_login(absl::GetFlag(FLAGS_login));
  sreq.set_password(absl::GetFlag(FLAGS_password));
  nms::v1::SignInResponse sresp;
  grpc::ClientContext sctx;
  if (auto st = auth->SignIn(&sctx, sreq, &sresp); !st.ok()) {
    std::fprintf(stderr, "sign-in failed: %s\n", st.error_message().c_str());
    return 1;
  }
  std::string bearer = "Bearer " + sresp.tokens().access_token();
  std::vector<std::unique_ptr<nms::v1::DirectoryService::Stub>> dirs;
  std::vector<std::unique_ptr<grpc::GenericStub>> generic;
  for (auto& ch : channels) {
    dirs.push_back(nms::v1::DirectoryService::NewStub(ch));
    generic.push_back(std::make_unique<grpc::GenericStub>(ch));
  }
  std::string person = sresp.principal().person();

  auto noop = [&](int t) {
    grpc::ClientContext ctx;
    grpc::Slice empty("", 0);
    grpc::ByteBuffer req(&empty, 1), resp;
    grpc::CompletionQueue cq;
    grpc::Status st;
    auto call = generic[t]->PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", req, &cq);
    call->StartCall();
    call->Finish(&resp, &st, reinterpret_cast<void*>(1));
    void* tag;
    bool ok;
    cq.Next(&tag, &ok);
    return st.ok();
  };
  auto get_person = [&](int t) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    nms::v1::GetPersonRequest req;
    req.set_name(person);
    nms::v1::Person resp;
    return dirs[t]->GetPerson(&ctx, req, &resp).ok();
  };
  auto list_people = [&](int t) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    nms::v1::ListPeopleRequest req;
    req.set_page_size(50);
    nms::v1::ListPeopleResponse resp;
    return dirs[t]->ListPeople(&ctx, req, &resp).ok();
  };

  std::printf("%-12s %5s %10s %9s %9s %7s %16s\n", "rpc", "conc", "req/s", "p50 ms", "p99 ms", "errors",
              "vs no-op req/s");
  for (int c : steps) {
    Result base = Measure(c, noop);
    std::printf("%-12s %5d %10.0f %9.2f %9.2f %7d %16s\n", "no-op", c, base.rps, base.p50_ms, base.p99_ms,
                base.errors, "1.00");
    for (auto& [name, fn] : std::vector<std::pair<const char*, std::function<bool(int)>>>{
             {"GetPerson", get_person}, {"ListPeople50", list_people}}) {
      Result r = Measure(c, fn);
      std::printf("%-12s %5d %10.0f %9.2f %9.2f %7d %16.2f\n", name, c, r.rps, r.p50_ms, r.p99_ms, r.errors,
                  r.rps / base.rps);
    }
  }
  return 0;
}
