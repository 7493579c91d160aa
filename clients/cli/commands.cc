#include "clients/cli/commands.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nms/v1/auth.grpc.pb.h"
#include "nms/v1/directory.grpc.pb.h"
#include "clients/cli/sync.h"
#include "server/db/migrations.h"
#include "server/db/pool.h"

namespace nms::cli {

int RunCommand(const std::string& name, const Options& o) {
  if (name == "migrate") return Migrate(o);
  if (name == "demo") return Demo(o);
  if (name == "health") return Health(o);
  if (name == "import-teachers") return ImportTeachers(o);
  if (name == "sync") return Sync(o);
  if (name == "load-region") return LoadRegion(o);
  if (name == "region") return Region(o);
  std::cerr << "nmsctl: неизвестная команда " << name << " (см. nmsctl --help)\n";
  return 2;
}

std::unique_ptr<db::ConnectionPool> OpenMigratedDatabase(const Options& o, int pool_size) {
  auto config = db::ParseDsn(o.db);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return nullptr;
  }
  config->pool_size = pool_size;
  auto pool = std::make_unique<db::ConnectionPool>(*config);
  if (auto st = pool->EnsureDatabase(); !st.ok()) {
    std::cerr << st.message() << "\n";
    return nullptr;
  }
  if (auto m = db::ApplyMigrations(*pool, o.migrations_dir); !m.ok()) {
    std::cerr << m.status().message() << "\n";
    return nullptr;
  }
  return pool;
}

int Migrate(const Options& o) {
  auto config = db::ParseDsn(o.db);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  db::ConnectionPool pool(*config);
  if (auto st = pool.EnsureDatabase(); !st.ok()) {
    std::cerr << st.message() << "\n";
    return 1;
  }
  auto r = db::ApplyMigrations(pool, o.migrations_dir);
  if (!r.ok()) {
    std::cerr << r.status().message() << "\n";
    return 1;
  }
  std::cout << "applied " << r->applied.size() << ", already present " << r->present.size() << "\n";
  return 0;
}

int Health(const Options& o) {
  auto channel = grpc::CreateChannel(o.server, grpc::InsecureChannelCredentials());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  // grpc.health.v1.HealthCheckRequest{service: ""} is an empty message: one empty slice.
  grpc::Slice empty("", 0);
  grpc::ByteBuffer req(&empty, 1), resp;
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::Status status;
  auto call = stub.PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", req, &cq);
  call->StartCall();
  call->Finish(&resp, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  if (!status.ok()) {
    std::cerr << "unhealthy: " << status.error_message() << "\n";
    return 1;
  }
  std::vector<grpc::Slice> slices;
  (void)resp.Dump(&slices);
  std::string body;
  for (auto& s : slices) body.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse{status = 1 (SERVING)} encodes as 08 01.
  bool serving = body.size() >= 2 && body[0] == 0x08 && body[1] == 0x01;
  std::cout << (serving ? "SERVING" : "NOT_SERVING") << "\n";
  return serving ? 0 : 1;
}

int ImportTeachers(const Options& o) {
  if (o.args.size() != 2) {
    std::cerr << "usage: nmsctl import-teachers organizations/ID FILE.csv --login L --password P\n";
    return 2;
  }
  auto channel = grpc::CreateChannel(o.server, grpc::InsecureChannelCredentials());
  auto auth = nms::v1::AuthService::NewStub(channel);
  grpc::ClientContext sctx;
  nms::v1::SignInRequest sreq;
  sreq.set_login(o.login);
  sreq.set_password(o.password);
  nms::v1::SignInResponse sresp;
  if (auto st = auth->SignIn(&sctx, sreq, &sresp); !st.ok()) {
    std::cerr << "вход не выполнен: " << st.error_message() << "\n";
    return 1;
  }
  std::ifstream in(o.args[1], std::ios::binary);
  if (!in) {
    std::cerr << "не удалось открыть " << o.args[1] << "\n";
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  nms::v1::ImportTeachersRequest req;
  req.set_organization(o.args[0]);
  req.set_csv(ss.str());
  req.set_request_id(absl::StrCat("nmsctl-import-", std::hash<std::string>{}(ss.str())));
  nms::v1::ImportTeachersResponse resp;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + sresp.tokens().access_token());
  auto dir = nms::v1::DirectoryService::NewStub(channel);
  if (auto st = dir->ImportTeachers(&ctx, req, &resp); !st.ok()) {
    std::cerr << "импорт отклонён: " << st.error_message() << "\n";
    return 1;
  }
  for (const auto& row : resp.rows()) {
    if (row.outcome() == nms::v1::IMPORT_ROW_OUTCOME_REJECTED) {
      std::cout << "строка " << row.line() << ": ";
      for (const auto& e : row.errors()) std::cout << e << "; ";
      std::cout << "\n";
    }
  }
  std::cout << "создано " << resp.created_count() << ", обновлено " << resp.updated_count()
            << ", без изменений " << resp.unchanged_count() << ", отклонено " << resp.rejected_count() << "\n";
  return resp.rejected_count() > 0 ? 3 : 0;
}

}  // namespace nms::cli
