// nms-server: wires configuration, the database pool, migrations and the gRPC services.
// The synchronous gRPC API is used on purpose: Connector/C++ blocks, so each handler thread
// holds one DB connection for its transaction, and the thread cap stays near the pool size.

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>

#include <algorithm>
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "server/auth/authenticator.h"
#include "server/auth/password.h"
#include "server/common/log.h"
#include "server/db/auth_repository.h"
#include "server/db/migrations.h"
#include "server/db/monitoring_facts_cache.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/services/auth_service.h"
#include "server/services/calibration_worker.h"
#include "server/services/diagnostics_service.h"
#include "server/services/directory_service.h"
#include "server/services/factories.h"
#include "server/services/reflection_v1.h"
#include "server/services/stream_limit.h"
#include "server/common/metrics.h"
#include "server/common/thread_pool.h"
#include "server/transport/metrics_http.h"
#include "server/transport/metrics_interceptor.h"

namespace {
std::string Env(const char* name, const char* def) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : def;
}
absl::Duration EnvDuration(const char* name, absl::Duration def) {
  absl::Duration d;
  return absl::ParseDuration(Env(name, ""), &d) ? d : def;
}
}  // namespace

ABSL_FLAG(std::string, listen, Env("NMS_LISTEN", "127.0.0.1:50051"), "Address for gRPC clients (env NMS_LISTEN)");
ABSL_FLAG(std::string, mtls_listen, Env("NMS_MTLS_LISTEN", ""),
          "Optional second address that requires client certificates (sync jobs); needs TLS flags");
ABSL_FLAG(std::string, db, Env("NMS_DB_DSN", "mysql://root@127.0.0.1:3306/nms"), "Database DSN (env NMS_DB_DSN)");
ABSL_FLAG(int, db_pool_size, std::atoi(Env("NMS_DB_POOL_SIZE", "16").c_str()), "Database connections");
// Handler threads beyond the pool size wait for a DB connection (bounded by the call's deadline)
// instead of being refused: with the cap near the pool size, a burst of a few dozen calls from
// the proxy got RESOURCE_EXHAUSTED ("Server Threadpool Exhausted", measured by bench/rpc_bench).
ABSL_FLAG(int, max_threads, std::atoi(Env("NMS_MAX_THREADS", "96").c_str()), "gRPC handler thread cap");
ABSL_FLAG(std::string, tls_cert, Env("NMS_TLS_CERT", ""), "Server certificate (PEM); empty = plaintext");
ABSL_FLAG(std::string, tls_key, Env("NMS_TLS_KEY", ""), "Server private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca, Env("NMS_TLS_CLIENT_CA", ""), "CA that signs sync-job client certificates");
ABSL_FLAG(std::string, token_secret_file, Env("NMS_TOKEN_SECRET_FILE", ""),
          "File with the token signing secret shared by all replicas");
ABSL_FLAG(std::string, migrations_dir, Env("NMS_MIGRATIONS_DIR", NMS_SOURCE_DIR "/schema/migrations"),
          "Folder of NNNN_name.sql migrations");
ABSL_FLAG(bool, migrate, true, "Apply pending migrations at start");
ABSL_FLAG(std::string, log_level, Env("NMS_LOG_LEVEL", "info"), "debug, info, warn or error");
ABSL_FLAG(absl::Duration, facts_cache_ttl, EnvDuration("NMS_FACTS_CACHE_TTL", absl::Seconds(60)),
          "Longest reuse of a region's indicator facts while no write changed them (0 = no cache)");
ABSL_FLAG(int, worker_threads, std::atoi(Env("NMS_WORKER_THREADS", "2").c_str()),
          "Threads one call may use for independent pieces of work (matching); 1 = the call's own only");
ABSL_FLAG(absl::Duration, feed_gap_timeout, EnvDuration("NMS_FEED_GAP_TIMEOUT", absl::Seconds(5)),
          "The change feed holds rows back behind a missing sequence number (a transaction still "
          "committing) for at most this long, then treats the gap as a rollback");
ABSL_FLAG(int, max_message_bytes, 8 * 1024 * 1024, "Largest request or response message");
ABSL_FLAG(int, max_concurrent_streams, std::atoi(Env("NMS_MAX_CONCURRENT_STREAMS", "100").c_str()),
          "HTTP/2 calls in flight per connection");
ABSL_FLAG(int, max_streams, std::atoi(Env("NMS_MAX_STREAMS", "0").c_str()),
          "Long-lived server streams (change feed) at once; 0 = a quarter of --max_threads, at most half "
          "of --db_pool_size");
ABSL_FLAG(int, max_streams_per_account, std::atoi(Env("NMS_MAX_STREAMS_PER_ACCOUNT", "2").c_str()),
          "Long-lived server streams per account");
ABSL_FLAG(absl::Duration, handshake_timeout, EnvDuration("NMS_HANDSHAKE_TIMEOUT", absl::Seconds(10)),
          "Connections that do not finish the HTTP/2 (and TLS) handshake in time are closed");
ABSL_FLAG(absl::Duration, max_connection_idle, EnvDuration("NMS_MAX_CONNECTION_IDLE", absl::Minutes(5)),
          "Connections without calls for this long are closed with GOAWAY");
ABSL_FLAG(absl::Duration, max_connection_age, EnvDuration("NMS_MAX_CONNECTION_AGE", absl::Minutes(30)),
          "Connections are recycled after this age (calls in flight get a minute of grace), so "
          "clients behind a load balancer spread over new replicas");
ABSL_FLAG(absl::Duration, keepalive_time, EnvDuration("NMS_KEEPALIVE_TIME", absl::Minutes(1)),
          "The server pings quiet connections this often to find dead peers");
ABSL_FLAG(absl::Duration, keepalive_timeout, EnvDuration("NMS_KEEPALIVE_TIMEOUT", absl::Seconds(20)),
          "A connection whose ping is not answered within this is closed");
ABSL_FLAG(std::string, metrics_listen, Env("NMS_METRICS_LISTEN", ""),
          "host:port of the Prometheus metrics endpoint (GET /metrics); empty = off");
ABSL_FLAG(absl::Duration, slow_call_threshold, EnvDuration("NMS_SLOW_CALL_THRESHOLD", absl::Seconds(1)),
          "Calls at least this slow are logged with method, duration and statement count; 0 = off");
ABSL_FLAG(absl::Duration, access_token_ttl, EnvDuration("NMS_ACCESS_TOKEN_TTL", absl::Minutes(15)),
          "Lifetime of access tokens (env NMS_ACCESS_TOKEN_TTL); refresh tokens renew them");
ABSL_FLAG(absl::Duration, auth_cache_ttl, EnvDuration("NMS_AUTH_CACHE_TTL", absl::Seconds(5)),
          "How long a replica reuses a checked session and its grants; a sign-out, password reset or "
          "disabled account elsewhere reaches this replica within it");

namespace {

// SIGTERM and SIGINT are blocked in every thread and taken by one thread with sigwait(), so the
// shutdown runs as ordinary code instead of inside a signal handler (where even a mutex is unsafe).
sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts, so that every thread inherits the mask.
  sigset_t stop_signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  absl::ParseCommandLine(argc, argv);
  nms::log::Level level;
  if (nms::log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) nms::log::SetLevel(level);

  auto db_config = nms::db::ParseDsn(absl::GetFlag(FLAGS_db));
  if (!db_config.ok()) {
    nms::log::Error("bad --db", {{"error", std::string(db_config.status().message())}});
    return 2;
  }
  db_config->pool_size = absl::GetFlag(FLAGS_db_pool_size);
  nms::db::ConnectionPool pool(*db_config);

  if (absl::GetFlag(FLAGS_migrate)) {
    // The database may still be starting: retry for a while instead of failing the boot.
    absl::Status st;
    for (int attempt = 0; attempt < 30; ++attempt) {
      st = pool.EnsureDatabase();
      if (st.ok()) break;
      absl::SleepFor(absl::Seconds(1));
    }
    if (!st.ok()) {
      nms::log::Error("database unreachable", {{"error", std::string(st.message())}});
      return 3;
    }
    auto applied = nms::db::ApplyMigrations(pool, absl::GetFlag(FLAGS_migrations_dir));
    if (!applied.ok()) {
      nms::log::Error("migrations failed", {{"error", std::string(applied.status().message())}});
      return 3;
    }
    nms::log::Info("migrations", {{"applied", absl::StrCat(applied->applied.size())},
                                  {"present", absl::StrCat(applied->present.size())}});
  }

  std::string secret;
  if (!absl::GetFlag(FLAGS_token_secret_file).empty()) secret = ReadFile(absl::GetFlag(FLAGS_token_secret_file));
  if (secret.size() < 32) {
    nms::log::Warn("no token secret file (>= 32 bytes); using a random one: tokens die with this process");
    secret = nms::auth::RandomToken(48);
  }
  nms::auth::TokenSigner signer(secret);
  nms::db::AuthRepository auth_repo(pool);
  nms::auth::Authenticator authn(auth_repo, signer, absl::GetFlag(FLAGS_auth_cache_ttl));

  nms::services::AuthSettings auth_settings;
  auth_settings.access_ttl = absl::GetFlag(FLAGS_access_token_ttl);
  nms::services::AuthServiceImpl auth_service(auth_repo, authn, signer, auth_settings);
  nms::services::DirectoryServiceImpl directory_service(pool, authn);
  nms::db::MonitoringFactsCache facts_cache(absl::GetFlag(FLAGS_facts_cache_ttl), 8);
  int max_streams = absl::GetFlag(FLAGS_max_streams);
  if (max_streams <= 0) {
    // Each stream holds a thread and, while it reads, a DB connection: leave most of both to calls.
    max_streams = std::max(1, std::min(absl::GetFlag(FLAGS_max_threads) / 4, absl::GetFlag(FLAGS_db_pool_size) / 2));
  }
  nms::services::StreamLimiter streams(max_streams, absl::GetFlag(FLAGS_max_streams_per_account));
  // Background work lives here, not in the services: the workers for parallel pieces of a call
  // (matching), the bulk-route worker and the housekeeping sweep of abandoned test sessions.
  nms::ThreadPool workers(std::max(0, absl::GetFlag(FLAGS_worker_threads) - 1));  // + the calling thread
  nms::services::RouteBulkWorker route_worker(pool);
  // Item calibration runs in its own thread of this process (started below; services only wake it).
  nms::services::CalibrationWorker calibration_worker(pool);
  nms::PeriodicTask session_sweep(absl::Seconds(30), [&pool] { nms::services::SweepAbandonedSessions(pool); });
  nms::services::ServiceDeps deps{.pool = pool,
                                  .authn = authn,
                                  .max_message_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_message_bytes)),
                                  .streams = streams,
                                  .facts_cache = facts_cache,
                                  .feed_gap_timeout = absl::GetFlag(FLAGS_feed_gap_timeout),
                                  .parallel = workers,
                                  .route_worker = &route_worker,
                                  .calibration = &calibration_worker};
  std::vector<std::unique_ptr<grpc::Service>> domain_services;
  domain_services.push_back(nms::services::MakeDiagnosticsService(deps));
  domain_services.push_back(nms::services::MakeRouteService(deps));
  domain_services.push_back(nms::services::MakeMentoringService(deps));
  domain_services.push_back(nms::services::MakeYoungTeacherService(deps));
  domain_services.push_back(nms::services::MakeMonitoringService(deps));
  domain_services.push_back(nms::services::MakeFederalExchangeService(deps));
  domain_services.push_back(nms::services::MakeInboxService(deps));
  domain_services.push_back(nms::services::MakeNotificationService(deps));
  domain_services.push_back(nms::services::MakePracticeService(deps));
  domain_services.push_back(nms::services::MakeEventService(deps));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();  // grpc.reflection.v1alpha
  grpc::ServerBuilder builder;
  nms::services::EnableReflectionV1(builder);                  // grpc.reflection.v1
  grpc::ResourceQuota quota("nms-server");
  quota.SetMaxThreads(absl::GetFlag(FLAGS_max_threads));
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  builder.SetMaxSendMessageSize(absl::GetFlag(FLAGS_max_message_bytes));
  // Connection hygiene against slow or abusive clients: bounded calls per connection, a
  // handshake deadline (slow-loris), idle and age limits, keepalive to find dead peers, and
  // tolerance for client pings no more often than every 10 s.
  auto ms = [](absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); };
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, absl::GetFlag(FLAGS_max_concurrent_streams));
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, ms(absl::GetFlag(FLAGS_handshake_timeout)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, ms(absl::GetFlag(FLAGS_max_connection_idle)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, ms(absl::GetFlag(FLAGS_max_connection_age)));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, ms(absl::GetFlag(FLAGS_keepalive_time)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, ms(absl::GetFlag(FLAGS_keepalive_timeout)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10 * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);

  std::shared_ptr<grpc::ServerCredentials> creds = grpc::InsecureServerCredentials();
  if (!absl::GetFlag(FLAGS_tls_cert).empty()) {
    grpc::SslServerCredentialsOptions opts;
    opts.pem_key_cert_pairs.push_back(
        {ReadFile(absl::GetFlag(FLAGS_tls_key)), ReadFile(absl::GetFlag(FLAGS_tls_cert))});
    creds = grpc::SslServerCredentials(opts);
    if (!absl::GetFlag(FLAGS_mtls_listen).empty() && !absl::GetFlag(FLAGS_tls_client_ca).empty()) {
      grpc::SslServerCredentialsOptions mopts(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
      mopts.pem_root_certs = ReadFile(absl::GetFlag(FLAGS_tls_client_ca));
      mopts.pem_key_cert_pairs = opts.pem_key_cert_pairs;
      builder.AddListeningPort(absl::GetFlag(FLAGS_mtls_listen), grpc::SslServerCredentials(mopts));
    }
  }
  // Every call is counted and timed by an interceptor, so no handler has to remember to.
  nms::metrics::Registry metrics;
  auto* metrics_factory = new nms::transport::MetricsInterceptorFactory(metrics, absl::GetFlag(FLAGS_slow_call_threshold));
  {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.emplace_back(metrics_factory);  // owned by the builder, then the server
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  metrics.AddSource([&pool, &streams, metrics_factory] {
    auto p = pool.GetStats();
    return std::vector<nms::metrics::Registry::Sample>{
        {"nms_db_pool_size", "Connections the pool may open (--db_pool_size).", "gauge", double(p.size)},
        {"nms_db_pool_open", "Connections open now (idle and in use).", "gauge", double(p.open)},
        {"nms_db_pool_in_use", "Connections leased to calls now.", "gauge", double(p.open - p.idle)},
        {"nms_db_pool_acquired_total", "Connections handed to calls.", "counter", double(p.acquired)},
        {"nms_db_pool_waits_total", "Acquisitions that had to wait for a free connection.", "counter",
         double(p.waited)},
        {"nms_db_pool_wait_seconds_total", "Time calls spent waiting for a connection.", "counter", p.wait_seconds},
        {"nms_rpc_in_flight", "Calls received and not yet answered.", "gauge", double(metrics_factory->in_flight())},
        {"nms_streams_open", "Long-lived change-feed streams open now.", "gauge", double(streams.open())},
        {"nms_streams_limit", "Most change-feed streams at once (--max_streams).", "gauge", double(streams.limit())},
    };
  });

  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), creds, &port);
  builder.RegisterService(&auth_service);
  builder.RegisterService(&directory_service);
  for (auto& service : domain_services) builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    nms::log::Error("cannot listen", {{"address", absl::GetFlag(FLAGS_listen)}});
    return 4;
  }
  nms::log::Info("listening", {{"address", absl::GetFlag(FLAGS_listen)}, {"port", absl::StrCat(port)}});
  std::unique_ptr<nms::transport::MetricsHttpServer> metrics_http;
  if (!absl::GetFlag(FLAGS_metrics_listen).empty()) {
    auto started = nms::transport::MetricsHttpServer::Start(absl::GetFlag(FLAGS_metrics_listen),
                                                            [&metrics] { return metrics.Render(); });
    if (!started.ok()) {
      nms::log::Error("cannot serve metrics", {{"error", std::string(started.status().message())}});
      return 4;
    }
    metrics_http = std::move(*started);
    nms::log::Info("metrics", {{"address", absl::GetFlag(FLAGS_metrics_listen)},
                               {"port", absl::StrCat(metrics_http->port())}});
  }

  std::thread calibration_thread([&calibration_worker] { calibration_worker.Loop(); });
  absl::Notification stop;
  std::thread signals([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    nms::log::Info("signal", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    stop.Notify();
  });

  // Health follows the database: NOT_SERVING while it is unreachable, so a load balancer
  // stops sending traffic to a replica that cannot answer. Two failed probes in a row, not one:
  // a database failover breaks every pooled connection once, and a single failed probe would
  // take all replicas out of the balancer together for the length of their checks.
  std::thread health([&] {
    bool serving = true;
    int failures = 0;
    while (!stop.WaitForNotificationWithTimeout(absl::Seconds(1))) {
      bool ok = nms::db::WithConnection(pool, [](sql::Connection& c) {
                  nms::db::Stmt(c, "SELECT 1").Query();
                  return absl::OkStatus();
                }).ok();
      failures = ok ? 0 : failures + 1;
      bool next = ok || (serving && failures < 2);
      if (next != serving) {
        server->GetHealthCheckService()->SetServingStatus(next);
        nms::log::Warn(next ? "database reachable again" : "database unreachable");
        serving = next;
      }
    }
  });

  stop.WaitForNotification();
  signals.join();
  nms::log::Info("shutting down");
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  health.join();
  calibration_worker.Stop();
  calibration_thread.join();
  metrics_http.reset();
  nms::log::Info("stopped");
  return 0;
}
