#include "server/services/rpc.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"

namespace nms::services {
namespace {

grpc::Status Finish(absl::string_view method, absl::Time start, int64_t account,
                    const absl::Status& st) {
  grpc::Status out = ToGrpcStatus(st);
  auto level = st.ok() ? log::Level::kDebug
               : (st.code() == absl::StatusCode::kInternal || st.code() == absl::StatusCode::kUnknown)
                   ? log::Level::kError
                   : log::Level::kInfo;
  if (log::Enabled(level)) {
    log::Write(level, "rpc",
               {{"method", std::string(method)},
                {"code", absl::StatusCodeToString(st.code())},
                {"ms", absl::StrCat(absl::ToDoubleMilliseconds(absl::Now() - start))},
                {"account", absl::StrCat(account)}});
  }
  return out;
}

absl::Status Guard(absl::FunctionRef<absl::Status()> fn) {
  // The server never dies on input: anything thrown below is an internal error of this call.
  try {
    return fn();
  } catch (const std::exception& e) {
    log::Error("unhandled exception", {{"what", e.what()}});
    return absl::InternalError("Внутренняя ошибка сервера");
  } catch (...) {
    return absl::InternalError("Внутренняя ошибка сервера");
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

grpc::Status Run(grpc::ServerContext* ctx, auth::Authenticator& auth, absl::string_view method,
                 absl::FunctionRef<absl::Status(const access::Principal&)> handler) {
  absl::Time start = absl::Now();
  int64_t account = 0;
  absl::Status st = Guard([&]() -> absl::Status {
    auto principal = auth.Authenticate(*ctx);
    if (!principal.ok()) return principal.status();
    account = principal->account_id;
    return handler(*principal);
  });
  return Finish(method, start, account, st);
}

grpc::Status RunPublic(grpc::ServerContext* ctx, absl::string_view method,
                       absl::FunctionRef<absl::Status()> handler) {
  (void)ctx;
  absl::Time start = absl::Now();
  return Finish(method, start, 0, Guard(handler));
}

}  // namespace nms::services
