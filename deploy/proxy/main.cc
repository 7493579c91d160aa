// nms-proxy: a generic gRPC-web → gRPC proxy that also serves the built web clients.
//
//   nms-proxy --listen=127.0.0.1:8080 --upstream=127.0.0.1:50051 \
//             --static=/=clients/web/dist --static=/m/=clients/mobile/dist
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "proxy_context.h"
#include "request_log.h"
#include "server/common/metrics.h"
#include "server/transport/metrics_http.h"
#include "server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080", "host:port to accept browsers on (port 0: any)");
ABSL_FLAG(std::string, upstream, "127.0.0.1:50051", "gRPC server to forward to");
ABSL_FLAG(std::string, upstream_ca, "",
          "PEM file with the CA that signed the upstream's certificate; enables TLS");
ABSL_FLAG(bool, upstream_tls, false, "TLS to upstream with the system roots");
ABSL_FLAG(std::string, upstream_tls_name, "",
          "expected TLS name of the upstream when it differs from the --upstream host");
ABSL_FLAG(std::string, cors_origins, "",
          "comma-separated browser origins allowed besides the proxy's own ('*': any origin, "
          "only for development); empty: the proxy's own origin only");
ABSL_FLAG(std::string, session_cookie, "nms_refresh",
          "name of the HttpOnly cookie that holds browsers' refresh tokens; empty: tokens pass "
          "through in message bodies");
ABSL_FLAG(std::string, auth_service, "nms.v1.AuthService",
          "gRPC service whose SignIn/RefreshToken/SignOut the session cookie belongs to");
ABSL_FLAG(std::string, cookie_secure, "auto",
          "Secure attribute of the session cookie: auto (except plain-HTTP loopback hosts), "
          "always, never");
ABSL_FLAG(std::string, csp,
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; "
          "manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          "frame-ancestors 'none'",
          "Content-Security-Policy of served files; empty: none");
ABSL_FLAG(std::vector<std::string>, static, {},
          "/prefix=dir to serve static files from; repeatable (--static=/=web --static=/m/=pwa)");
ABSL_FLAG(int64_t, max_message_bytes, 4 << 20, "largest gRPC message in either direction");
ABSL_FLAG(int, threads, 2, "HTTP worker threads");
ABSL_FLAG(int, idle_timeout_s, 60, "close keep-alive connections idle this long");
ABSL_FLAG(int, drain_timeout_ms, 10000, "on SIGTERM, wait this long for requests in flight");
ABSL_FLAG(bool, log_requests, true, "one stderr line per request");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port of the Prometheus metrics endpoint (GET /metrics); empty = off");

namespace {

// absl keeps only the last value of a repeated flag; --static is meant to be repeated, so its
// occurrences are collected before absl parses the rest.
std::vector<std::string> TakeRepeatedFlag(int& argc, char** argv, const std::string& name) {
  std::vector<std::string> values;
  const std::string eq = absl::StrCat("--", name, "=");
  const std::string bare = absl::StrCat("--", name);
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {  // keep everything after "--" untouched
      while (i < argc) argv[out++] = argv[i++];
      break;
    }
    if (arg.substr(0, eq.size()) == eq) {
      values.emplace_back(arg.substr(eq.size()));
    } else if (arg == bare && i + 1 < argc) {
      values.emplace_back(argv[++i]);
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  return values;
}

std::shared_ptr<grpc::ChannelCredentials> UpstreamCredentials() {
  std::string ca_path = absl::GetFlag(FLAGS_upstream_ca);
  if (ca_path.empty() && !absl::GetFlag(FLAGS_upstream_tls)) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  if (!ca_path.empty()) {
    std::ifstream in(ca_path);
    if (!in) {
      nms::proxy::LogLine(absl::StrCat("cannot read --upstream_ca ", ca_path));
      std::exit(2);
    }
    std::stringstream pem;
    pem << in.rdbuf();
    ssl.pem_root_certs = pem.str();
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nms::proxy;
  absl::SetProgramUsageMessage("gRPC-web proxy and static file server for NMS");
  std::vector<std::string> static_specs = TakeRepeatedFlag(argc, argv, "static");
  absl::ParseCommandLine(argc, argv);
  for (auto& s : absl::GetFlag(FLAGS_static)) static_specs.push_back(s);

  SetRequestLogEnabled(absl::GetFlag(FLAGS_log_requests));
  auto ctx = std::make_shared<ProxyContext>();
  int64_t max_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  if (max_bytes <= 0 || max_bytes > (int64_t{1} << 30)) {
    LogLine("--max_message_bytes must be in (0, 1 GiB]");
    return 2;
  }
  ctx->max_message_bytes = static_cast<size_t>(max_bytes);
  ctx->cors = CorsPolicy(absl::GetFlag(FLAGS_cors_origins));
  if (ctx->cors.any()) LogLine("--cors_origins='*': any web site may call the API from a browser");
  ctx->session_cookie.name = absl::GetFlag(FLAGS_session_cookie);
  ctx->session_cookie.auth_service = absl::GetFlag(FLAGS_auth_service);
  const std::string secure = absl::GetFlag(FLAGS_cookie_secure);
  if (secure == "auto") {
    ctx->session_cookie.secure = SessionCookie::Secure::kAuto;
  } else if (secure == "always") {
    ctx->session_cookie.secure = SessionCookie::Secure::kAlways;
  } else if (secure == "never") {
    ctx->session_cookie.secure = SessionCookie::Secure::kNever;
  } else {
    LogLine("--cookie_secure must be auto, always or never");
    return 2;
  }
  ctx->content_security_policy = absl::GetFlag(FLAGS_csp);
  ctx->idle_timeout = std::chrono::seconds(absl::GetFlag(FLAGS_idle_timeout_s));

  std::vector<StaticMount> mounts;
  for (const auto& spec : static_specs) {
    auto mount = ParseStaticMount(spec);
    if (!mount.ok()) {
      LogLine(mount.status().ToString());
      return 2;
    }
    LogLine(absl::StrCat("static ", mount->prefix, " -> ", mount->root.string()));
    mounts.push_back(*std::move(mount));
  }
  ctx->static_files = StaticFiles(std::move(mounts));

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(max_bytes));
  args.SetMaxSendMessageSize(static_cast<int>(max_bytes));
  if (!absl::GetFlag(FLAGS_upstream_tls_name).empty()) {
    args.SetSslTargetNameOverride(absl::GetFlag(FLAGS_upstream_tls_name));
  }
  ctx->channel =
      grpc::CreateCustomChannel(absl::GetFlag(FLAGS_upstream), UpstreamCredentials(), args);
  ctx->stub = std::make_unique<grpc::GenericStub>(ctx->channel);

  // Calls by method and code with latency histograms, plus connection and upstream gauges, on a
  // port of its own so that browsers on the public port never see them.
  nms::metrics::Registry metrics("nms_proxy");
  std::unique_ptr<nms::transport::MetricsHttpServer> metrics_http;
  if (!absl::GetFlag(FLAGS_metrics_listen).empty()) {
    ctx->metrics = &metrics;
    metrics.AddSource([ctx] {
      return std::vector<nms::metrics::Registry::Sample>{
          {"nms_proxy_requests_in_flight", "Requests received and not yet answered.", "gauge",
           double(ctx->requests_in_flight.load())},
          {"nms_proxy_connections_open", "Browser connections open now.", "gauge",
           double(ctx->connections_open.load())},
          {"nms_proxy_upstream_ready", "1 while the channel to the gRPC server is connected.", "gauge",
           ctx->channel->GetState(false) == GRPC_CHANNEL_READY ? 1.0 : 0.0},
      };
    });
    auto started = nms::transport::MetricsHttpServer::Start(absl::GetFlag(FLAGS_metrics_listen),
                                                            [&metrics] { return metrics.Render(); });
    if (!started.ok()) {
      LogLine(absl::StrCat("cannot serve metrics: ", started.status().ToString()));
      return 1;
    }
    metrics_http = *std::move(started);
    LogLine(absl::StrCat("metrics on port ", metrics_http->port()));
  }

  ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.threads = std::max(1, absl::GetFlag(FLAGS_threads));
  options.drain_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_drain_timeout_ms));
  ProxyServer server(ctx, options);
  if (auto st = server.Listen(); !st.ok()) {
    LogLine(st.ToString());
    return 1;
  }
  auto ep = server.local_endpoint();
  LogLine(absl::StrCat("listening on ", ep.address().to_string(), ":", ep.port(), ", upstream ",
                       absl::GetFlag(FLAGS_upstream),
                       absl::GetFlag(FLAGS_upstream_ca).empty() && !absl::GetFlag(FLAGS_upstream_tls)
                           ? " (plaintext)"
                           : " (TLS)"));
  server.Run();
  return 0;
}
