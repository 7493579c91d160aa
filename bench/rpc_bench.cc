// RPC throughput and latency (p50/p95/p99) of the main calls — get ИОМ, save an answer, list
// teachers, compute indicators, read a person card — at rising concurrency, each against the
// no-op RPC (grpc.health.v1.Health/Check) on the same server in the same run. Calls go through
// the generic API surface, so a method whose service has not landed (UNIMPLEMENTED) or whose data
// the region lacks is skipped with a note instead of failing the run.
//
// Self-contained by default: starts a MariaDB in build/bench-state/db (kept for the next run),
// loads a full-size region once with `nmsctl load-region` (100 000 teachers), starts nms-server
// on a free port, and measures:
//   build/rpc_bench [--teachers=100000] [--concurrency=1,2,4,8,16,32] [--seconds=3]
// Or against a running stack (e.g. `./nms up`):
//   build/rpc_bench --server=127.0.0.1:50051 --admin=admin@demo.nms --school=school@demo.nms ...
// The server's pid is printed, so `perf record -e cpu-clock -g -p PID` can profile a run.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <google/protobuf/text_format.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/support/api_surface.h"
#include "tests/support/local_stack.h"

ABSL_FLAG(std::string, server, "", "nms-server to measure (default: start a self-contained stack)");
ABSL_FLAG(int, teachers, 100000, "teachers of the region the self-contained stack loads");
ABSL_FLAG(std::string, admin, "admin@load.nms", "regional admin sign-in");
ABSL_FLAG(std::string, municipal, "mun@load.nms", "municipal methodist sign-in");
ABSL_FLAG(std::string, school, "school@load.nms", "school admin sign-in");
ABSL_FLAG(std::string, teacher, "teacher@load.nms", "teacher sign-in");
ABSL_FLAG(std::string, password, "demo12345", "password of those sign-ins");
ABSL_FLAG(double, seconds, 3, "seconds per measurement");
ABSL_FLAG(std::string, concurrency, "1,2,4,8,16,32", "client threads per step");
ABSL_FLAG(std::string, only, "", "comma-separated call names to run (default all)");
ABSL_FLAG(std::string, server_args, "", "extra nms-server flags for the self-contained stack");

namespace {

// At most `bytes` bytes of s, never ending inside a UTF-8 sequence (the server's messages are Russian).
std::string Utf8Prefix(const std::string& s, size_t bytes) {
  if (s.size() <= bytes) return s;
  while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) --bytes;
  return s.substr(0, bytes);
}

using nms::testing::ApiSurface;
using nms::testing::CallOptions;
using nms::testing::CallRaw;
using nms::testing::CallResult;
using nms::testing::RpcMethod;

struct Result {
  double rps = 0, p50 = 0, p95 = 0, p99 = 0;
  int errors = 0;
  std::string first_error;
};

// `call(t)` from `threads` threads, each on its own channel (its own HTTP/2 connection).
Result Measure(int threads, const std::function<grpc::Status(int)>& call) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> lat(threads);
  std::atomic<int> errors{0};
  std::string first_error;
  std::mutex mu;
  std::vector<std::thread> pool;
  absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      while (!stop.load(std::memory_order_relaxed)) {
        absl::Time s = absl::Now();
        grpc::Status st = call(t);
        lat[t].push_back(absl::ToDoubleMilliseconds(absl::Now() - s));
        if (!st.ok()) {
          if (errors++ == 0) {
            std::lock_guard<std::mutex> lock(mu);
            first_error = absl::StrCat(st.error_code(), " ", st.error_message());
          }
        }
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
  auto pct = [&](double p) { return all.empty() ? 0 : all[std::min(all.size() - 1, static_cast<size_t>(all.size() * p))]; };
  r.rps = all.size() / elapsed;
  r.p50 = pct(0.50);
  r.p95 = pct(0.95);
  r.p99 = pct(0.99);
  r.errors = errors;
  r.first_error = first_error;
  return r;
}

// One measured call: a method, its caller and its request (text format).
struct Workload {
  std::string name, method, login, request;
  std::string note;  // why it is skipped, when it is
  std::string goal;  // the performance goal (issue tracker), printed beside the figure
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace nms::testing;  // NOLINT
  std::unique_ptr<ServerChild> own;
  int metrics_port = 0;  // the own server's metrics endpoint: statements per call
  std::string address = absl::GetFlag(FLAGS_server);
  if (address.empty()) {
    auto port = StartLocalDb(NMS_BINARY_DIR "/bench-state/db");
    if (!port.ok()) {
      std::fprintf(stderr, "%s\n", std::string(port.status().message()).c_str());
      return 1;
    }
    std::string dsn = absl::StrCat("mysql://root@127.0.0.1:", *port, "/bench_rpc");
    std::fprintf(stderr, "loading the region (once; later runs reuse it)...\n");
    if (Shell(absl::StrCat(NMS_BINARY_DIR, "/nmsctl load-region ", absl::GetFlag(FLAGS_teachers), " --db=", dsn,
                           " >/dev/null")) != 0) {
      std::fprintf(stderr, "nmsctl load-region failed\n");
      return 1;
    }
    metrics_port = FreeLoopbackPort();
    own = std::make_unique<ServerChild>(dsn,
                                        absl::StrCat("--log_level=warn --metrics_listen=127.0.0.1:", metrics_port, " ",
                                                     absl::GetFlag(FLAGS_server_args)),
                                        NMS_BINARY_DIR "/bench-state/rpc_bench_server.log");
    if (!own->Start()) {
      std::fprintf(stderr, "nms-server did not start; see build/bench-state/rpc_bench_server.log\n");
      return 1;
    }
    address = own->address();
    std::printf("nms-server pid %d on %s (region of %d teachers)\n", own->pid(), address.c_str(),
                absl::GetFlag(FLAGS_teachers));
  }
  std::vector<int> steps;
  for (auto s : absl::StrSplit(absl::GetFlag(FLAGS_concurrency), ',')) steps.push_back(std::stoi(std::string(s)));
  int max_threads = *std::max_element(steps.begin(), steps.end());
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < max_threads; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("bench.channel", i);  // distinct args -> distinct connections
    args.SetMaxReceiveMessageSize(64 << 20);
    channels.push_back(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }
  const ApiSurface& api = ApiSurface::Get();
  std::map<std::string, std::string> tokens;
  auto token = [&](const std::string& login) {
    if (!tokens.count(login)) tokens[login] = SignInToken(*channels[0], login, absl::GetFlag(FLAGS_password));
    return tokens[login];
  };
  // First results of lists, to name the resources the Get calls read.
  auto first = [&](const std::string& method, const std::string& login, const std::string& request,
                   const std::string& path) -> std::string {
    const RpcMethod* m = api.Find(method);
    auto req = api.ParseRequest(*m, request);
    CallOptions o;
    o.bearer_token = token(login);
    CallResult r = CallRaw(*channels[0], *m, (*req)->SerializeAsString(), o);
    if (!r.status.ok() || r.responses.empty()) return "";
    auto resp = api.NewResponse(*m);
    resp->ParseFromString(r.responses[0]);
    return FieldPathValue(*resp, path);
  };
  std::string admin = absl::GetFlag(FLAGS_admin), mun = absl::GetFlag(FLAGS_municipal),
              school = absl::GetFlag(FLAGS_school), teacher = absl::GetFlag(FLAGS_teacher);
  std::string region = first("DirectoryService/ListRegions", admin, "", "regions[0].name");
  std::string municipality = first("DirectoryService/ListMunicipalities", admin,
                                   absl::StrCat("parent: \"", region, "\" page_size: 1"), "municipalities[0].name");
  std::string person = first("DirectoryService/ListPeople", school, "page_size: 1", "people[0].name");
  std::string route = first("RouteService/ListRoutes", admin, "page_size: 1", "routes[0].name");
  // The teacher's open campaign (the loaded region's municipal autumn wave): a session started
  // (or resumed) in it takes the answers. The demo instrument's B1-05 is a Likert item.
  // A kept bench database outlives a session's time limit: each run starts (or resumes) one with
  // a fresh key, and when the teacher's attempts are used up the admin grants a retake first.
  std::string session;
  const std::string run_key = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  std::string me = first("DiagnosticsService/ListSessions", teacher, "page_size: 1", "sessions[0].person");
  for (int i = 0; i < 10 && session.empty(); ++i) {
    std::string campaign = first("DiagnosticsService/ListCampaigns", teacher, "page_size: 10",
                                 absl::StrCat("campaigns[", i, "].name"));
    if (campaign.empty()) break;
    auto start = [&](const std::string& key) {
      return first("DiagnosticsService/StartSession", teacher,
                   absl::StrCat("campaign: \"", campaign, "\" request_id: \"rpc-bench-", key, "\""), "session.name");
    };
    session = start(absl::StrCat(campaign, "-", run_key));
    if (session.empty() && !me.empty()) {
      first("DiagnosticsService/GrantRetake", admin,
            absl::StrCat("campaign: \"", campaign, "\" person: \"", me, "\" comment: \"rpc_bench\" request_id: \"rpc-bench-retake-",
                         run_key, "\""),
            "campaign");
      session = start(absl::StrCat(campaign, "-retaken-", run_key));
    }
  }

  std::vector<Workload> work = {
      {"GetRoute", "RouteService/GetRoute", admin, absl::StrCat("name: \"", route, "\""),
       route.empty() ? "no route in the region (loaded with --areas=false?)" : "", "goal ≥ 0.4 of no-op"},
      {"SaveAnswer", "DiagnosticsService/SaveAnswer", teacher,
       absl::StrCat("session: \"", session, "\" answer { item_id: \"B1-05\" likert_value: 3 }"),
       session.empty() ? "the teacher has no open campaign (loaded with --areas=false?)" : "",
       "goal ≥ 1000 req/s at 16–32"},
      {"ListPeople50", "DirectoryService/ListPeople", mun, "page_size: 50", "", "goal ≥ 0.3 of no-op"},
      {"ListPeopleRegion", "DirectoryService/ListPeople", admin, "page_size: 50 query: \"Ивано\"", ""},
      {"GetPerson", "DirectoryService/GetPerson", school, absl::StrCat("name: \"", person, "\""), "",
       "goal ≥ 0.5 of no-op"},
      {"IndicatorsMun", "MonitoringService/ComputeIndicators", mun, absl::StrCat("scope: \"", municipality, "\""), ""},
      {"IndicatorsRegion", "MonitoringService/ComputeIndicators", admin, absl::StrCat("scope: \"", region, "\""), ""},
  };
  std::set<std::string> only;
  for (auto s : absl::StrSplit(absl::GetFlag(FLAGS_only), ',', absl::SkipEmpty())) only.insert(std::string(s));

  RpcMethod health;
  health.path = "/grpc.health.v1.Health/Check";
  auto noop = [&](int t) { return CallRaw(*channels[t], health, "", CallOptions{}).status; };
  std::printf("%-17s %5s %9s %8s %8s %8s %7s %13s\n", "rpc", "conc", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors",
              "vs no-op req/s");
  for (int c : steps) {
    Result base = Measure(c, noop);
    std::printf("%-17s %5d %9.0f %8.2f %8.2f %8.2f %7d %13s\n", "no-op", c, base.rps, base.p50, base.p95, base.p99,
                base.errors, "1.00");
    for (auto& w : work) {
      if (!only.empty() && !only.count(w.name)) continue;
      const RpcMethod* m = api.Find(w.method);
      auto req = api.ParseRequest(*m, w.request);
      std::string bytes = (*req)->SerializeAsString();
      CallOptions o;
      o.bearer_token = token(w.login);
      if (w.note.empty()) {
        CallResult probe = CallRaw(*channels[0], *m, bytes, o);
        if (probe.status.error_code() == grpc::StatusCode::UNIMPLEMENTED) w.note = "service not implemented yet";
        else if (!probe.status.ok()) w.note = absl::StrCat("probe failed: ", probe.status.error_message());
      }
      if (!w.note.empty()) {
        if (c == steps.front()) std::printf("%-17s skipped: %s\n", w.name.c_str(), w.note.c_str());
        continue;
      }
      Result r = Measure(c, [&](int t) { return CallRaw(*channels[t], *m, bytes, o).status; });
      std::printf("%-17s %5d %9.0f %8.2f %8.2f %8.2f %7d %13.3f  %s%s%s\n", w.name.c_str(), c, r.rps, r.p50, r.p95,
                  r.p99, r.errors, r.rps / base.rps, w.goal.c_str(), r.errors ? "  first error: " : "",
                  Utf8Prefix(r.first_error, 120).c_str());
    }
  }
  // Round trips to the database per call, from the server's own metrics (prepares + executions):
  // a read should cost a small constant whatever the number of items it returns.
  if (metrics_port != 0) {
    std::string body = HttpGet(metrics_port, "/metrics");
    std::printf("\n%-17s %s\n", "rpc", "DB statements per call (server metrics)");
    std::set<std::string> seen;
    for (const auto& w : work) {
      if (!w.note.empty() || !seen.insert(w.method).second) continue;
      std::string m = absl::StrCat("{method=\"nms.v1.", w.method, "\"}");
      double sum = MetricSample(body, absl::StrCat("nms_rpc_db_statements_sum", m));
      double count = MetricSample(body, absl::StrCat("nms_rpc_db_statements_count", m));
      if (count > 0) std::printf("%-17s %.1f\n", w.method.c_str(), sum / count);
    }
  }
  return 0;
}
