// One gRPC-web exchange on a browser connection: starts the generic upstream call, streams each
// upstream message to the browser as an HTTP/1.1 chunk as soon as it arrives, ends with the
// trailer frame, and cancels the upstream call if the browser goes away.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/http.hpp>

#include "grpc_web_codec.h"
#include "http_connection.h"
#include "request_log.h"
#include "session_cookie.h"
#include "upstream_call.h"

namespace nms::proxy {

class ProxySession : public UpstreamObserver,
                     public std::enable_shared_from_this<ProxySession> {
 public:
  struct Options {
    WireMode mode = WireMode::kBinary;
    bool keep_alive = true;
    bool http10 = false;        // raw body ended by closing, instead of HTTP/1.1 chunks
    http::fields cors_headers;  // copied onto the response header
    AuthMethod auth_method = AuthMethod::kNone;  // session cookie handling (session_cookie.h)
    bool cookie_secure = true;
  };
  ProxySession(std::shared_ptr<HttpConnection> conn, std::shared_ptr<ProxyContext> ctx,
               Options options, RequestLog log);

  // On the connection's strand, after the whole request body was read.
  void Start(UpstreamRequest request);

  // UpstreamObserver: called on gRPC threads, hop to the strand.
  void OnUpstreamHeaders(Metadata headers) override;
  void OnUpstreamMessage(std::string message) override;
  void OnUpstreamDone(grpc::Status status, Metadata trailers) override;

 private:
  struct Output {
    enum class Kind { kData, kEnd } kind;
    std::string bytes;         // framed (and base64'd in text mode)
    std::string chunk_prefix;  // HTTP/1.1 chunk size line, filled when written
  };

  void HandleHeaders(Metadata headers);
  void HandleMessage(std::string message);
  void HandleDone(grpc::Status status, Metadata trailers);
  void Pump();
  std::string FormatHeader() const;
  void OnWritten(beast::error_code ec, bool had_message, bool had_end);
  void WatchDisconnect();
  void Abort(std::string_view why);
  void MaybeFinish();
  std::string Encode(uint8_t flags, std::string_view payload) const;
  // SignIn/RefreshToken: moves the refresh token from the message into set_cookie_.
  bool TakeTokenIntoCookie(std::string& message);

  std::shared_ptr<HttpConnection> conn_;
  net::any_io_executor executor_;  // the connection's strand
  std::shared_ptr<ProxyContext> ctx_;
  Options options_;
  RequestLog log_;
  std::shared_ptr<UpstreamCall> call_;

  std::optional<Metadata> upstream_headers_;
  std::deque<Output> queue_;
  // What the current write sends; kept alive until it completes.
  std::string header_bytes_;
  std::vector<Output> inflight_;
  std::vector<net::const_buffer> buffers_;
  bool header_sent_ = false;
  bool writing_ = false;
  bool end_written_ = false;
  bool watching_ = false;
  bool aborted_ = false;
  bool finished_ = false;
  bool resume_pending_ = false;  // a delivered upstream message awaits ResumeReading
  int grpc_status_ = -1;          // set when the upstream call is over
  std::string note_;              // why the exchange was abandoned, for the log
  std::string set_cookie_;        // Set-Cookie of the response header, if any
  std::optional<grpc::Status> replaced_status_;  // a response the proxy must not forward
};

}  // namespace nms::proxy
