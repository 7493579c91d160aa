#include "server.h"

#include <thread>
#include <vector>

#include <boost/asio/strand.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "http_connection.h"
#include "request_log.h"
#include "upstream_call.h"

namespace nms::proxy {
namespace net = boost::asio;
using tcp = net::ip::tcp;

ProxyServer::ProxyServer(std::shared_ptr<ProxyContext> ctx, ServerOptions options)
    : ctx_(std::move(ctx)),
      options_(std::move(options)),
      ioc_(options_.threads),
      acceptor_(ioc_),
      signals_(ioc_, SIGINT, SIGTERM),
      drain_timer_(ioc_) {}

absl::Status ProxyServer::Listen() {
  const std::string& spec = options_.listen;
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos) return absl::InvalidArgumentError("--listen expects host:port");
  std::string host = spec.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  if (!absl::SimpleAtoi(spec.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("bad port in --listen=", spec));
  }
  boost::system::error_code ec;
  tcp::resolver resolver(ioc_);
  auto results = resolver.resolve(host.empty() ? "0.0.0.0" : host, std::to_string(port),
                                  tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("cannot resolve ", host, ": ", ec.message()));
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot listen on ", spec, ": ", ec.message()));
  return absl::OkStatus();
}

tcp::endpoint ProxyServer::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void ProxyServer::Accept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(ioc_), [this](boost::system::error_code ec,
                                                        tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);  // small gRPC-web frames must not wait
      std::make_shared<HttpConnection>(std::move(socket), ctx_)->Start();
    }
    Accept();
  });
}

void ProxyServer::Run() {
  signals_.async_wait([this](boost::system::error_code ec, int sig) {
    if (!ec) BeginShutdown(sig);
  });
  Accept();
  std::vector<std::thread> pool;
  for (int i = 1; i < options_.threads; ++i) pool.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : pool) t.join();
}

void ProxyServer::BeginShutdown(int signal_number) {
  LogLine(absl::StrCat("signal ", signal_number, ": draining ", ctx_->requests_in_flight.load(),
                       " request(s)"));
  ctx_->draining = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  PollDrain(std::chrono::steady_clock::now() + options_.drain_timeout, false);
}

void ProxyServer::PollDrain(std::chrono::steady_clock::time_point deadline, bool cancelled) {
  const auto now = std::chrono::steady_clock::now();
  if (!cancelled && (ctx_->requests_in_flight <= 0 || now >= deadline)) {
    // Whatever is still streaming gets CANCELLED upstream, not abandoned mid-call.
    UpstreamCall::CancelAll();
    cancelled = true;
    deadline = now + std::chrono::seconds(2);
  }
  if (cancelled && (UpstreamCall::ActiveCount() == 0 || now >= deadline)) {
    LogLine("stopped");
    ioc_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(50));
  drain_timer_.async_wait([this, deadline, cancelled](boost::system::error_code ec) {
    if (!ec) PollDrain(deadline, cancelled);
  });
}

}  // namespace nms::proxy
