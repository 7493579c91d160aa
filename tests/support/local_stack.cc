#include "tests/support/local_stack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nms/v1/auth.grpc.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"

namespace nms::testing {

int Shell(const std::string& command) {
  int st = std::system(command.c_str());
  return st == -1 ? -1 : WEXITSTATUS(st);
}

absl::StatusOr<int> StartLocalDb(const std::string& dir) {
  if (Shell(absl::StrCat(NMS_SOURCE_DIR, "/deploy/dev/db.sh start ", dir, " >/dev/null")) != 0) {
    return absl::UnavailableError(absl::StrCat("MariaDB did not start in ", dir));
  }
  std::ifstream in(dir + "/port");
  int port = 0;
  in >> port;
  if (port == 0) return absl::UnavailableError("no port file");
  return port;
}

void StopLocalDb(const std::string& dir) {
  Shell(absl::StrCat(NMS_SOURCE_DIR, "/deploy/dev/db.sh stop ", dir, " >/dev/null"));
}

absl::Status RecreateDatabase(const std::string& dsn_base, const std::string& database) {
  auto config = db::ParseDsn(dsn_base + "/mysql");
  if (!config.ok()) return config.status();
  db::ConnectionPool pool(*config);
  return db::WithConnection(pool, [&](sql::Connection& c) {
    db::Stmt(c, absl::StrCat("DROP DATABASE IF EXISTS `", database, "`")).Execute();
    db::Stmt(c, absl::StrCat("CREATE DATABASE `", database, "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
        .Execute();
    return absl::OkStatus();
  });
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

ServerChild::ServerChild(std::string dsn, std::string extra_args, std::string log_path, std::string listen)
    : dsn_(std::move(dsn)), extra_(std::move(extra_args)), log_(std::move(log_path)),
      address_(listen.empty() ? absl::StrCat("127.0.0.1:", FreeLoopbackPort()) : std::move(listen)) {}

ServerChild::~ServerChild() { Kill(SIGTERM); }

bool ServerChild::Start(absl::Duration wait) {
  pid_ = fork();
  if (pid_ == 0) {
    std::string cmd = absl::StrCat("exec ", NMS_BINARY_DIR, "/nms-server --listen=", address_, " --db=", dsn_, " ",
                                   extra_, " >>", log_, " 2>&1");
    execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  auto ch = Channel();
  return ch->WaitForConnected(absl::ToChronoTime(absl::Now() + wait));
}

void ServerChild::Kill(int sig) {
  if (pid_ <= 0) return;
  kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool ServerChild::Running() const { return pid_ > 0 && kill(pid_, 0) == 0; }

std::shared_ptr<grpc::Channel> ServerChild::Channel(int distinct) const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  args.SetInt("nms.distinct_channel", distinct);  // distinct args: a connection of its own
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
}

std::string SignInToken(grpc::Channel& channel, const std::string& login, const std::string& password) {
  auto stub = nms::v1::AuthService::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  nms::v1::SignInRequest req;
  req.set_login(login);
  req.set_password(password);
  nms::v1::SignInResponse resp;
  return stub->SignIn(&ctx, req, &resp).ok() ? resp.tokens().access_token() : "";
}

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  std::string req = absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  (void)!write(fd, req.data(), req.size());
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) out.append(buf, n);
  close(fd);
  return out;
}

double MetricSample(const std::string& body, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    if (absl::StartsWith(line, series + " ")) {
      double v = -1;
      return absl::SimpleAtod(line.substr(series.size() + 1), &v) ? v : -1;
    }
  }
  return -1;
}

}  // namespace nms::testing
