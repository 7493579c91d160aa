// One browser TCP connection: reads HTTP/1.1 requests (keep-alive), routes each to the health
// check, CORS preflight, static files or a gRPC-web exchange (ProxySession), and writes the
// simple responses itself. Everything runs on the connection's strand.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "grpc_web_codec.h"
#include "proxy_context.h"
#include "request_log.h"

namespace nms::proxy {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(tcp::socket socket, std::shared_ptr<ProxyContext> ctx);
  ~HttpConnection();
  void Start();

  // For ProxySession, which borrows the stream and read buffer while it streams a response.
  beast::tcp_stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  // Called by ProxySession on the strand when its response is complete (or abandoned).
  void ExchangeFinished(bool keep_alive);

 private:
  using Request = http::request<http::string_body>;

  void ReadRequest();
  void OnHeader(beast::error_code ec);
  void OnRequest(beast::error_code ec);
  void Route(Request& req, RequestLog log);

  void HandlePreflight(const Request& req, RequestLog log);
  void HandleStatic(const Request& req, RequestLog log);
  void HandleGrpcWeb(Request& req, WireMode mode, RequestLog log);
  // A gRPC-web error made by the proxy itself: HTTP 200 (or `http_status`), status in the
  // headers (trailers-only) and a trailer frame in the body for clients that read only that.
  void SendGrpcError(const Request* req, std::optional<WireMode> mode, const absl::Status& status,
                     RequestLog log, http::status http_status = http::status::ok,
                     bool close = false);
  void SendText(const Request& req, http::status status, std::string body, RequestLog log);

  template <class Response>
  void Send(Response&& res, RequestLog log, int grpc_status = -1);
  void AddCorsHeaders(const Request& req, http::fields& out) const;

  // Half-close, then read and discard for a moment so the client sees our error response
  // instead of a reset caused by the request bytes we never read.
  void LingeringClose();
  void Close();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<ProxyContext> ctx_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string peer_ip_;
  bool linger_ = false;
  std::chrono::steady_clock::time_point request_start_;  // header arrival, for the log  // request body left unread: drain before closing
};

}  // namespace nms::proxy
