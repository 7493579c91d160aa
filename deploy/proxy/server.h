// The listening side: accepts browser connections on an Asio thread pool and shuts down
// gracefully on SIGTERM/SIGINT (stop accepting, let requests in flight finish for a while,
// then cancel what is left upstream).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "absl/status/status.h"
#include "proxy_context.h"

namespace nms::proxy {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port, [v6]:port; port 0 picks a free one
  int threads = 2;
  std::chrono::milliseconds drain_timeout{10000};
};

class ProxyServer {
 public:
  ProxyServer(std::shared_ptr<ProxyContext> ctx, ServerOptions options);
  absl::Status Listen();
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void Run();  // blocks until shut down

 private:
  void Accept();
  void BeginShutdown(int signal_number);
  void PollDrain(std::chrono::steady_clock::time_point deadline, bool cancelled);

  std::shared_ptr<ProxyContext> ctx_;
  ServerOptions options_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_timer_;
};

}  // namespace nms::proxy
