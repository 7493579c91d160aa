#include "server/services/rpc.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/db/call_deadline.h"
#include "server/domain/common/text.h"

namespace nms::services {
namespace {

grpc::Status Finish(absl::string_view method, absl::Time start, int64_t account,
                    const absl::Status& st) {
  grpc::Status out = ToGrpcStatus(st);
  if (st.message().size() > kMaxStatusMessageBytes) {
    // A message that long quotes the request somewhere: worth finding and bounding at its source.
    log::Info("status message cut", {{"method", std::string(method)}, {"bytes", absl::StrCat(st.message().size())},
                                     {"start", ShortenUtf8(st.message(), 120)}});
  }
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
  // The message travels in an HTTP/2 header (grpc-message, percent-encoded: up to 3× longer), and
  // clients refuse headers beyond 8 KiB by closing the whole connection; a message that quotes a
  // long value from the request is cut so every other call on that connection survives.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), ShortenUtf8(status.message(), kMaxStatusMessageBytes));
}

namespace {

// A call whose client has already given up (cancelled, or its deadline passed while it waited
// for a thread) is not started: its work would be thrown away, and under overload that work
// is what keeps the queue long.
absl::Status Abandoned(const grpc::ServerContext& ctx) {
  if (ctx.IsCancelled()) return absl::CancelledError("Запрос отменён клиентом");
  if (absl::FromChrono(ctx.deadline()) <= absl::Now()) {
    return absl::DeadlineExceededError("Время ожидания запроса истекло");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status Run(grpc::ServerContext* ctx, auth::Authenticator& auth, absl::string_view method,
                 absl::FunctionRef<absl::Status(const access::Principal&)> handler) {
  absl::Time start = absl::Now();
  int64_t account = 0;
  if (absl::Status gone = Abandoned(*ctx); !gone.ok()) return Finish(method, start, 0, gone);
  db::ScopedCallDeadline deadline(absl::FromChrono(ctx->deadline()));
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
  absl::Time start = absl::Now();
  if (absl::Status gone = Abandoned(*ctx); !gone.ok()) return Finish(method, start, 0, gone);
  db::ScopedCallDeadline deadline(absl::FromChrono(ctx->deadline()));
  return Finish(method, start, 0, Guard(handler));
}

}  // namespace nms::services
