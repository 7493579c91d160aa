// proxy_test_server: the upstream gRPC server for nms-proxy's end-to-end tests and benchmark.
// Listens on --port (0 = pick one) and prints "LISTENING <port>" on stdout once ready.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "echo.grpc.pb.h"

ABSL_FLAG(int, port, 0, "port on 127.0.0.1; 0 picks a free one");

namespace {

using nms::testing::v1::EchoService;

class EchoServiceImpl final : public EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* ctx, const nms::testing::v1::EchoRequest* req,
                    nms::testing::v1::EchoResponse* resp) override {
    for (const auto& [k, v] : ctx->client_metadata()) {
      std::string key(k.data(), k.size());
      if (key == "authorization") resp->set_authorization(std::string(v.data(), v.size()));
      if (absl::StartsWith(key, "x-")) (*resp->mutable_metadata())[key] = std::string(v.data(), v.size());
    }
    auto deadline = ctx->deadline();
    resp->set_deadline_ms(
        deadline == std::chrono::system_clock::time_point::max()
            ? -1
            : std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::system_clock::now())
                  .count());
    resp->set_text(req->text());
    ctx->AddInitialMetadata("x-echo-initial", "hello");
    ctx->AddTrailingMetadata("x-echo-trailer", "bye");
    if (req->status_code() != 0) {
      return grpc::Status(static_cast<grpc::StatusCode>(req->status_code()), req->status_message());
    }
    return grpc::Status::OK;
  }

  grpc::Status ServerStream(grpc::ServerContext* ctx, const nms::testing::v1::StreamRequest* req,
                            grpc::ServerWriter<nms::testing::v1::StreamResponse>* writer) override {
    ++started_;
    for (int i = 0; i < req->count(); ++i) {
      // Sleep in small steps so a cancellation is noticed promptly.
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(req->delay_ms());
      while (std::chrono::steady_clock::now() < until && !ctx->IsCancelled()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      if (ctx->IsCancelled()) {
        ++cancelled_;
        return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      }
      nms::testing::v1::StreamResponse msg;
      msg.set_index(i);
      msg.set_text(req->tag());
      if (!writer->Write(msg)) {
        ++cancelled_;
        return grpc::Status(grpc::StatusCode::CANCELLED, "write failed");
      }
    }
    ++completed_;
    return grpc::Status::OK;
  }

  grpc::Status EchoLarge(grpc::ServerContext*, const nms::testing::v1::LargeRequest* req,
                         nms::testing::v1::LargeResponse* resp) override {
    if (req->response_size() > 0) {
      resp->set_payload(std::string(static_cast<size_t>(req->response_size()), 'z'));
    } else {
      resp->set_payload(req->payload());
    }
    return grpc::Status::OK;
  }

  grpc::Status Stats(grpc::ServerContext*, const nms::testing::v1::StatsRequest*,
                     nms::testing::v1::StatsResponse* resp) override {
    resp->set_streams_started(started_);
    resp->set_streams_completed(completed_);
    resp->set_streams_cancelled(cancelled_);
    return grpc::Status::OK;
  }

 private:
  std::atomic<int64_t> started_{0}, completed_{0}, cancelled_{0};
};

// Sessions of the fake AuthService: refresh token → access token, rotated on refresh.
class AuthServiceImpl final : public nms::testing::v1::AuthService::Service {
 public:
  grpc::Status SignIn(grpc::ServerContext*, const nms::testing::v1::SignInRequest* req,
                      nms::testing::v1::SignInResponse* resp) override {
    if (req->login() != "user" || req->password() != "secret") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "Неверный логин или пароль");
    }
    std::lock_guard<std::mutex> lock(mu_);
    Issue(resp->mutable_tokens());
    resp->mutable_principal()->set_account("accounts/1");
    resp->mutable_principal()->set_login("user");
    return grpc::Status::OK;
  }

  grpc::Status RefreshToken(grpc::ServerContext*, const nms::testing::v1::RefreshTokenRequest* req,
                            nms::testing::v1::RefreshTokenResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (req->refresh_token().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Поле refresh_token обязательно");
    }
    auto it = live_.find(req->refresh_token());
    if (it == live_.end()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "Токен обновления недействителен или истёк, войдите снова");
    }
    live_.erase(it);
    Issue(resp->mutable_tokens());
    return grpc::Status::OK;
  }

  grpc::Status SignOut(grpc::ServerContext* ctx, const nms::testing::v1::SignOutRequest*,
                       nms::testing::v1::SignOutResponse*) override {
    auto auth = ctx->client_metadata().find("authorization");
    if (auth == ctx->client_metadata().end()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "Требуется вход");
    }
    std::string bearer(auth->second.data(), auth->second.size());
    std::lock_guard<std::mutex> lock(mu_);
    // access-N belongs to refresh-N-<salt>: revoke that session.
    std::string n = bearer.substr(bearer.rfind('-') + 1);
    for (auto it = live_.begin(); it != live_.end();) {
      it = it->rfind("refresh-" + n + "-", 0) == 0 ? live_.erase(it) : std::next(it);
    }
    return grpc::Status::OK;
  }

 private:
  void Issue(nms::testing::v1::TokenPair* tokens) {
    int n = ++issued_;
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    std::string refresh = "refresh-" + std::to_string(n) + "-" + std::to_string(now % 9973);
    live_.insert(refresh);
    tokens->set_access_token("access-" + std::to_string(n));
    tokens->mutable_access_token_expire_time()->set_seconds(now + 900);
    tokens->set_refresh_token(refresh);
    tokens->mutable_refresh_token_expire_time()->set_seconds(now + 3600);
  }

  std::mutex mu_;
  std::set<std::string> live_;
  int issued_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  EchoServiceImpl service;
  AuthServiceImpl auth;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:" + std::to_string(absl::GetFlag(FLAGS_port)),
                           grpc::InsecureServerCredentials(), &port);
  // Larger than the proxy's limit, so size limits tested through the proxy are the proxy's.
  builder.SetMaxReceiveMessageSize(64 << 20);
  builder.SetMaxSendMessageSize(64 << 20);
  builder.RegisterService(&service);
  builder.RegisterService(&auth);
  auto server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::fprintf(stderr, "proxy_test_server: cannot listen\n");
    return 1;
  }
  std::printf("LISTENING %d\n", port);
  std::fflush(stdout);
  server->Wait();
  return 0;
}
