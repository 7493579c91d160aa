// Generic fuzzing of every RPC of the API over a real socket: ≥ 10 000 seeded, reproducible cases
// (tests/support/request_fuzzer.h, fuzz_runner.h) round-robin over every method of every nms.v1
// service found in the descriptor set, as each of the six roles and anonymously, mutating the
// valid requests of the authorisation matrix table or generating hostile ones from scratch.
//
// Asserts: the server process never dies; every answer carries a precise status code (never
// UNKNOWN; INTERNAL only where gRPC itself refuses bytes that do not parse as the request type,
// before any handler runs; no unary call runs into its deadline); the server still answers the
// health check and an ordinary call at the end; its log has no error line.
//
//   NMS_FUZZ_SEED=<n>   seed (printed; default fixed so CI is reproducible)
//   NMS_FUZZ_CASES=<n>  number of cases (default 10000)
//   NMS_FUZZ_CASE=<i>   replay only case i of the seed and print its request
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "tests/integration/harness.h"
#include "tests/integration/security_stack.h"
#include "tests/support/api_surface.h"
#include "tests/support/authz_table.h"
#include "tests/support/fuzz_runner.h"
#include "tests/support/security_world.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_fuzz";

uint64_t EnvU64(const char* name, uint64_t def) {
  const char* v = std::getenv(name);
  uint64_t out = def;
  if (v != nullptr && *v != '\0' && !absl::SimpleAtoi(v, &out)) out = def;
  return out;
}

TEST(Fuzz, EveryRpcSurvivesHostileRequests) {
  FuzzOptions options;
  options.seed = EnvU64("NMS_FUZZ_SEED", options.seed);
  options.cases = EnvU64("NMS_FUZZ_CASES", options.cases);
  std::printf("fuzz seed %llu, %llu cases (replay one: NMS_FUZZ_SEED=%llu NMS_FUZZ_CASE=<index>)\n",
              static_cast<unsigned long long>(options.seed), static_cast<unsigned long long>(options.cases),
              static_cast<unsigned long long>(options.seed));
  SecurityStack stack;
  ASSERT_NO_FATAL_FAILURE(StartSecurityStack(kDb, "--log_level=info", &stack));
  ServerProcess& server = *stack.server;
  const MatrixTable* table = &stack.table;
  const SecurityWorld* world = &stack.world;

  if (const char* only = std::getenv("NMS_FUZZ_CASE"); only != nullptr) {
    uint64_t index = 0;
    ASSERT_TRUE(absl::SimpleAtoi(only, &index));
    std::printf("%s\n", DescribeFuzzCase(*table, *world, server.Channel(), options, index).c_str());
    options.first_case = index;
    options.cases = 1;
    options.threads = 1;
  }
  FuzzReport report = RunFuzz(*table, *world, server.Channel(), TestDsn(kDb), options);
  std::printf("%llu cases over %zu methods %s\n", static_cast<unsigned long long>(options.cases),
              ApiSurface::Get().methods().size(), report.Summary().c_str());
  for (size_t k = 0; k < report.findings.size() && k < 30; ++k) {
    const auto& fnd = report.findings[k];
    ADD_FAILURE() << "case " << fnd.index << " (NMS_FUZZ_SEED=" << options.seed << " NMS_FUZZ_CASE=" << fnd.index
                  << "): " << fnd.method << " as " << fnd.caller << ", " << fnd.strategy << " -> " << fnd.status;
  }
  EXPECT_TRUE(report.findings.empty()) << report.findings.size() << " findings";

  // The server is alive, healthy and still serves an ordinary call.
  EXPECT_TRUE(server.Running()) << "nms-server died; see " << server.log_path();
  EXPECT_TRUE(HealthServing(*server.Channel()));
  MatrixDriver after(*table, *world, server.Channel());
  const RpcMethod* who = ApiSurface::Get().Find("AuthService/GetCurrentPrincipal");
  CallOptions call;
  call.bearer_token = after.Token("regional.methodist");
  EXPECT_TRUE(Call(*server.Channel(), *who, *ApiSurface::Get().NewRequest(*who), call).status.ok());

  // No error line in the server's log: every refusal was an expected, precise one.
  std::ifstream log(server.log_path());
  std::string line;
  std::vector<std::string> errors;
  while (std::getline(log, line)) {
    if (line.find("\"level\":\"error\"") != std::string::npos) errors.push_back(line.substr(0, 300));
  }
  EXPECT_TRUE(errors.empty()) << errors.size() << " error lines in " << server.log_path() << ", e.g.\n"
                              << absl::StrJoin(errors.begin(), errors.begin() + std::min<size_t>(errors.size(), 10), "\n");
}

}  // namespace
}  // namespace nms::testing
