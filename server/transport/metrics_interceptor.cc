#include "server/transport/metrics_interceptor.h"

#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/db/statement_counter.h"

namespace nms::transport {

using grpc::experimental::InterceptionHookPoints;

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(MetricsInterceptorFactory& factory, const char* method)
      : factory_(factory), method_(method != nullptr && method[0] == '/' ? method + 1 : (method ? method : "")) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = absl::Now();
      thread_ = std::this_thread::get_id();
      statements_at_start_ = db::StatementsOnThisThread();
      factory_.in_flight_.fetch_add(1, std::memory_order_relaxed);
      started_ = true;
    }
    if (started_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void Finish(const grpc::Status& status) {
    started_ = false;
    factory_.in_flight_.fetch_sub(1, std::memory_order_relaxed);
    absl::Duration latency = absl::Now() - start_;
    // The synchronous server runs a unary call on one thread; a call whose work moved to another
    // thread (none today) would have an unknown statement count rather than a wrong one.
    int64_t statements = -1;
    if (std::this_thread::get_id() == thread_) {
      db::StatementCount now = db::StatementsOnThisThread();
      statements = (now.prepares - statements_at_start_.prepares) + (now.executions - statements_at_start_.executions);
    }
    std::string code = absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
    factory_.registry_.RecordCall(method_, code, latency, statements);
    if (factory_.slow_call_ > absl::ZeroDuration() && latency >= factory_.slow_call_) {
      log::Warn("slow rpc", {{"method", method_},
                             {"code", code},
                             {"ms", absl::StrCat(absl::ToInt64Milliseconds(latency))},
                             {"statements", absl::StrCat(statements)}});
    }
  }

  MetricsInterceptorFactory& factory_;
  std::string method_;
  bool started_ = false;
  absl::Time start_;
  std::thread::id thread_;
  db::StatementCount statements_at_start_;
};

MetricsInterceptorFactory::MetricsInterceptorFactory(metrics::Registry& registry, absl::Duration slow_call)
    : registry_(registry), slow_call_(slow_call) {}

grpc::experimental::Interceptor* MetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MetricsInterceptor(*this, info->method());
}

}  // namespace nms::transport
