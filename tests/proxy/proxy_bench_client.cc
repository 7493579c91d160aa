// proxy_bench_client: closed-loop load for bench/proxy_bench.sh. Runs unary Echo calls for a fixed
// time with N concurrent workers, either through nms-proxy (gRPC-web over HTTP/1.1 keep-alive, one
// connection per worker, as browsers do) or directly over gRPC (one HTTP/2 channel, as the proxy
// itself uses). Prints one line: "mode=... requests=... rps=... p50_us=... p99_us=... errors=...".
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "echo.grpc.pb.h"
#include "grpc_web_codec.h"

ABSL_FLAG(std::string, mode, "proxy", "proxy (gRPC-web via nms-proxy) or direct (gRPC)");
ABSL_FLAG(std::string, target, "127.0.0.1:8080", "host:port of the proxy or the gRPC server");
ABSL_FLAG(int, concurrency, 8, "concurrent workers");
ABSL_FLAG(double, duration_s, 5, "measurement time");
ABSL_FLAG(int, payload_bytes, 64, "size of the echoed text");

namespace {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

struct Result {
  int64_t requests = 0;
  int64_t errors = 0;
  std::vector<int64_t> latencies_us;
};

std::string SerializedRequest(int payload) {
  nms::testing::v1::EchoRequest req;
  req.set_text(std::string(payload, 'a'));
  return req.SerializeAsString();
}

void ProxyWorker(const std::string& host, const std::string& port, Clock::time_point until,
                 Result& out) {
  const std::string body = nms::proxy::EncodeFrame(nms::proxy::kDataFrame,
                                                   SerializedRequest(absl::GetFlag(FLAGS_payload_bytes)));
  net::io_context ioc;
  net::ip::tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  bool connected = false;
  while (Clock::now() < until) {
    try {
      if (!connected) {
        stream.connect(resolver.resolve(host, port));
        stream.socket().set_option(net::ip::tcp::no_delay(true));
        connected = true;
      }
      http::request<http::string_body> req{http::verb::post, "/nms.testing.v1.EchoService/Echo", 11};
      req.set(http::field::host, host);
      req.set(http::field::content_type, "application/grpc-web+proto");
      req.set("x-grpc-web", "1");
      req.body() = body;
      req.prepare_payload();
      auto t0 = Clock::now();
      http::write(stream, req);
      http::response<http::string_body> res;
      http::read(stream, buffer, res);
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
      auto frames = nms::proxy::DecodeAllFrames(res.body());
      bool ok = res.result() == http::status::ok && frames.ok() && frames->size() == 2 &&
                frames->back().payload.rfind("grpc-status: 0\r\n", 0) == 0;
      ++out.requests;
      if (!ok) ++out.errors;
      out.latencies_us.push_back(us);
      if (!res.keep_alive()) {
        stream.close();
        connected = false;
      }
    } catch (const std::exception&) {
      ++out.errors;
      stream.close();
      connected = false;
    }
  }
}

void DirectWorker(nms::testing::v1::EchoService::Stub& stub, Clock::time_point until, Result& out) {
  nms::testing::v1::EchoRequest req;
  req.set_text(std::string(absl::GetFlag(FLAGS_payload_bytes), 'a'));
  while (Clock::now() < until) {
    grpc::ClientContext ctx;
    nms::testing::v1::EchoResponse resp;
    auto t0 = Clock::now();
    grpc::Status st = stub.Echo(&ctx, req, &resp);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    ++out.requests;
    if (!st.ok()) ++out.errors;
    out.latencies_us.push_back(us);
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  const std::string target = absl::GetFlag(FLAGS_target);
  const int n = std::max(1, absl::GetFlag(FLAGS_concurrency));
  const auto duration = std::chrono::duration<double>(absl::GetFlag(FLAGS_duration_s));
  if (mode != "proxy" && mode != "direct") {
    std::fprintf(stderr, "--mode must be proxy or direct\n");
    return 2;
  }
  std::vector<Result> results(n);
  std::vector<std::thread> workers;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<nms::testing::v1::EchoService::Stub> stub;
  if (mode == "direct") {
    channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
    channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5));
    stub = nms::testing::v1::EchoService::NewStub(channel);
  }
  const std::string host = target.substr(0, target.rfind(':'));
  const std::string port = target.substr(target.rfind(':') + 1);
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration_cast<Clock::duration>(duration);
  for (int i = 0; i < n; ++i) {
    workers.emplace_back([&, i] {
      if (mode == "proxy") {
        ProxyWorker(host, port, until, results[i]);
      } else {
        DirectWorker(*stub, until, results[i]);
      }
    });
  }
  for (auto& w : workers) w.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  Result total;
  for (auto& r : results) {
    total.requests += r.requests;
    total.errors += r.errors;
    total.latencies_us.insert(total.latencies_us.end(), r.latencies_us.begin(),
                              r.latencies_us.end());
  }
  std::sort(total.latencies_us.begin(), total.latencies_us.end());
  auto pct = [&](double p) -> int64_t {
    if (total.latencies_us.empty()) return 0;
    return total.latencies_us[std::min(total.latencies_us.size() - 1,
                                       static_cast<size_t>(p * total.latencies_us.size()))];
  };
  std::printf("mode=%s requests=%lld rps=%.1f p50_us=%lld p99_us=%lld errors=%lld concurrency=%d\n",
              mode.c_str(), static_cast<long long>(total.requests), total.requests / secs,
              static_cast<long long>(pct(0.50)), static_cast<long long>(pct(0.99)),
              static_cast<long long>(total.errors), n);
  return total.errors == 0 && total.requests > 0 ? 0 : 1;
}
