// Change-feed export rate: FederalExchangeService.StreamChanges draining N outbox rows through
// a running nms-server (auth, gap-safe windowing, protobuf, gRPC) against a raw SELECT stream
// of the same rows straight from MariaDB, in the same run. Prints rows/s of both and the ratio.
//
//   build/nms-server --listen=127.0.0.1:50071 --db=DSN --token_secret_file=FILE &
//   build/change_feed_bench --db=DSN --server=127.0.0.1:50071 [--rows=100000]
// The bench database gets a region, a federal_sync account (bench.sync / bench-password) and
// the outbox rows on first use.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nms/v1/auth.grpc.pb.h"
#include "nms/v1/federal_exchange.grpc.pb.h"
#include "server/auth/password.h"
#include "server/db/migrations.h"
#include "server/db/pool.h"
#include "server/db/sql.h"

ABSL_FLAG(std::string, db, "mysql://root@127.0.0.1:3306/nms_bench_feed", "bench database DSN (same as the server's)");
ABSL_FLAG(std::string, server, "127.0.0.1:50071", "nms-server address");
ABSL_FLAG(int, rows, 100000, "outbox rows to export");
ABSL_FLAG(int, batch, 2000, "StreamChanges batch_size");
ABSL_FLAG(int, iterations, 3, "measured iterations (best reported)");

namespace {
using namespace nms;  // NOLINT

constexpr char kRegion[] = "Регион бенчмарка журнала изменений";

int64_t Prepare(db::ConnectionPool& pool, int rows) {
  int64_t region = 0;
  auto st = db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
    auto rs = db::Stmt(c, "SELECT id FROM regions WHERE display_name = ?").Str(kRegion).Query();
    if (rs->next()) {
      region = rs->getInt64(1);
    } else {
      db::Stmt(c, "INSERT INTO regions (display_name) VALUES (?)").Str(kRegion).Execute();
      region = db::LastInsertId(c);
      std::string hash = *auth::HashPassword("bench-password", 1000);
      db::Stmt(c, "INSERT INTO accounts (login, password_hash, is_service) VALUES ('bench.sync', ?, TRUE)").Str(hash).Execute();
      int64_t acc = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, 6, 1, ?)")
          .Int(acc).Int(region).Execute();
    }
    auto cnt = db::Stmt(c, "SELECT COUNT(*) FROM outbox").Query();
    cnt->next();
    int64_t have = cnt->getInt64(1);
    // A teacher record as the feed carries it (federal::PayloadFields("teacher"), schema 2).
    std::string payload =
        "{\"name\":\"people/1\",\"external_id\":\"T-1\",\"last_name\":\"Иванова\",\"first_name\":\"Анна\","
        "\"middle_name\":\"Петровна\",\"position\":\"учитель математики\",\"subjects\":[\"математика\"],"
        "\"organization\":\"organizations/1\"}";
    std::unique_ptr<sql::Statement> s(c.createStatement());
    std::string sql;
    int n = 0;
    for (int64_t i = have; i < rows; ++i) {
      absl::StrAppend(&sql, n ? "," : "", "(", region, ",'teacher','people/", i + 1, "','nms:", region, ":teacher:", i + 1,
                      "','create','", payload, "',2)");
      if (++n == 2000 || i + 1 == rows) {
        s->execute("INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, payload_json, "
                   "payload_schema_version) VALUES " + sql);
        sql.clear();
        n = 0;
      }
    }
    return absl::OkStatus();
  });
  if (!st.ok()) std::fprintf(stderr, "%s\n", std::string(st.message()).c_str());
  return region;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto config = db::ParseDsn(absl::GetFlag(FLAGS_db));
  if (!config.ok()) return 2;
  db::ConnectionPool pool(*config);
  if (!pool.EnsureDatabase().ok() || !db::ApplyMigrations(pool, NMS_SOURCE_DIR "/schema/migrations").ok()) {
    std::fprintf(stderr, "cannot prepare the bench database\n");
    return 1;
  }
  int64_t region = Prepare(pool, absl::GetFlag(FLAGS_rows));
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  auto channel = grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials(), args);
  auto auth = v1::AuthService::NewStub(channel);
  grpc::ClientContext sctx;
  v1::SignInRequest sreq;
  sreq.set_login("bench.sync");
  sreq.set_password("bench-password");
  v1::SignInResponse sresp;
  if (auto st = auth->SignIn(&sctx, sreq, &sresp); !st.ok()) {
    std::fprintf(stderr, "sign-in failed: %s (is nms-server running on this database?)\n", st.error_message().c_str());
    return 1;
  }
  auto feed = v1::FederalExchangeService::NewStub(channel);
  double best_raw = 1e18, best_feed = 1e18;
  int64_t raw_rows = 0, feed_rows = 0;
  size_t raw_bytes = 0;
  for (int it = 0; it < absl::GetFlag(FLAGS_iterations); ++it) {
    absl::Time t0 = absl::Now();
    raw_rows = 0;
    raw_bytes = 0;
    (void)db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
      auto rs = db::Stmt(c,
                         "SELECT seq, region_id, entity_type, resource, external_id, operation, payload_json, created_at "
                         "FROM outbox WHERE seq > 0 AND region_id = ? ORDER BY seq")
                    .Int(region)
                    .Query();
      while (rs->next()) {
        raw_bytes += rs->getString(7).length();
        ++raw_rows;
      }
      return absl::OkStatus();
    });
    best_raw = std::min(best_raw, absl::ToDoubleSeconds(absl::Now() - t0));

    absl::Time t1 = absl::Now();
    feed_rows = 0;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + sresp.tokens().access_token());
    v1::StreamChangesRequest req;
    req.set_region(absl::StrCat("regions/", region));
    req.set_batch_size(absl::GetFlag(FLAGS_batch));
    auto reader = feed->StreamChanges(&ctx, req);
    v1::StreamChangesResponse resp;
    while (reader->Read(&resp)) feed_rows += resp.changes_size();
    auto st = reader->Finish();
    if (!st.ok()) {
      std::fprintf(stderr, "StreamChanges failed: %s\n", st.error_message().c_str());
      return 1;
    }
    best_feed = std::min(best_feed, absl::ToDoubleSeconds(absl::Now() - t1));
  }
  std::printf("rows: raw SELECT %lld, StreamChanges %lld (payload %.1f MB)\n", static_cast<long long>(raw_rows),
              static_cast<long long>(feed_rows), raw_bytes / 1e6);
  std::printf("raw SELECT stream: %.0f rows/s (%.3f s)\n", raw_rows / best_raw, best_raw);
  std::printf("StreamChanges export: %.0f rows/s (%.3f s)\n", feed_rows / best_feed, best_feed);
  std::printf("ratio export / raw: %.2f\n", (feed_rows / best_feed) / (raw_rows / best_raw));
  return feed_rows == raw_rows ? 0 : 3;
}
