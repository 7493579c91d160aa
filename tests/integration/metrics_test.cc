// The operators' metrics endpoint (--metrics_listen): scraped over HTTP like Prometheus does, it
// counts every call by method and code, times it, counts its DB statements and shows the pool;
// slow calls are logged with method, duration and statement count and nothing personal.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/match.h"
#include "nms/v1/directory.grpc.pb.h"
#include "tests/integration/harness.h"
#include "tests/support/local_stack.h"

namespace nms::testing {
namespace {

TEST(Metrics, EndpointCountsTimesAndCountsStatementsOfEveryCall) {
  constexpr char kDb[] = "it_metrics";
  ResetDatabase(kDb);
  Fixture f = SeedFixture(kDb);
  int metrics_port = FreePort();
  ServerProcess server(kDb, absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port, " --slow_call_threshold=1ns"));
  std::string token = SignIn(*server.Channel(), "regional.admin");
  auto dir = v1::DirectoryService::NewStub(server.Channel());
  constexpr int kReads = 5;
  for (int i = 0; i < kReads; ++i) {
    v1::GetPersonRequest req;
    req.set_name(absl::StrCat("people/", f.teacher_a1));
    v1::Person person;
    ASSERT_TRUE(dir->GetPerson(Ctx(token).get(), req, &person).ok());
  }
  v1::GetPersonRequest missing;
  missing.set_name("people/999999999");
  v1::Person none;
  grpc::Status st = dir->GetPerson(Ctx(token).get(), missing, &none);
  ASSERT_FALSE(st.ok());
  std::string code = absl::StatusCodeToString(static_cast<absl::StatusCode>(st.error_code()));

  std::string response = HttpGet(metrics_port, "/metrics");
  ASSERT_TRUE(absl::StartsWith(response, "HTTP/1.1 200 OK")) << response.substr(0, 200);
  EXPECT_TRUE(absl::StrContains(response, "Content-Type: text/plain; version=0.0.4"));
  std::string body = response.substr(response.find("\r\n\r\n") + 4);

  const std::string m = "method=\"nms.v1.DirectoryService/GetPerson\"";
  EXPECT_EQ(MetricSample(body, absl::StrCat("nms_rpc_calls_total{", m, ",code=\"OK\"}")), kReads);
  EXPECT_EQ(MetricSample(body, absl::StrCat("nms_rpc_calls_total{", m, ",code=\"", code, "\"}")), 1);
  EXPECT_EQ(MetricSample(body, absl::StrCat("nms_rpc_duration_seconds_count{", m, "}")), kReads + 1);
  EXPECT_EQ(MetricSample(body, absl::StrCat("nms_rpc_duration_seconds_bucket{", m, ",le=\"+Inf\"}")), kReads + 1);
  EXPECT_GT(MetricSample(body, absl::StrCat("nms_rpc_duration_seconds_sum{", m, "}")), 0);
  // Every GetPerson reads the database: at least one statement per call, and a small constant.
  double statements = MetricSample(body, absl::StrCat("nms_rpc_db_statements_sum{", m, "}"));
  EXPECT_GE(statements, kReads + 1);
  EXPECT_GT(MetricSample(body, "nms_db_pool_size"), 0);
  EXPECT_GT(MetricSample(body, "nms_db_pool_acquired_total"), 0);
  EXPECT_GE(MetricSample(body, "nms_streams_open"), 0);
  // Valid exposition format: comments, or `name{labels} value`.
  std::regex sample_line(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})? [-+0-9.eEInfa]+$)");
  for (absl::string_view line : absl::StrSplit(body, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "# HELP ") || absl::StartsWith(line, "# TYPE ")) continue;
    EXPECT_TRUE(std::regex_match(std::string(line), sample_line)) << line;
  }
  EXPECT_TRUE(absl::StartsWith(HttpGet(metrics_port, "/nothing"), "HTTP/1.1 404"));

  // Slow calls (all of them, with a 1 ns threshold) are logged with their technical fields only.
  std::ifstream log(server.log_path());
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_TRUE(absl::StrContains(text.str(), "slow rpc")) << "no slow-call line in " << server.log_path();
  EXPECT_TRUE(absl::StrContains(text.str(), "nms.v1.DirectoryService/GetPerson"));
  EXPECT_TRUE(absl::StrContains(text.str(), "\"statements\""));
}

}  // namespace
}  // namespace nms::testing
