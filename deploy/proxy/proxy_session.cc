#include "proxy_session.h"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "string_view_bridge.h"

namespace nms::proxy {

ProxySession::ProxySession(std::shared_ptr<HttpConnection> conn, std::shared_ptr<ProxyContext> ctx,
                           Options options, RequestLog log)
    : conn_(std::move(conn)),
      executor_(conn_->stream().get_executor()),
      ctx_(std::move(ctx)),
      options_(std::move(options)),
      log_(std::move(log)) {
  // Signing out ends the browser's session whatever the server says (it may be unreachable or
  // the access token already expired): the cookie goes.
  if (options_.auth_method == AuthMethod::kSignOut) {
    set_cookie_ = ctx_->session_cookie.ClearValue(options_.cookie_secure);
  }
}

void ProxySession::Start(UpstreamRequest request) {
  // Streams may be idle for a long time between messages; timeouts apply per write instead.
  conn_->stream().expires_never();
  call_ = UpstreamCall::Start(*ctx_->stub, std::move(request), shared_from_this());
  WatchDisconnect();
}

// ---- upstream events (gRPC threads) → strand ------------------------------------------------

void ProxySession::OnUpstreamHeaders(Metadata headers) {
  net::post(executor_, [self = shared_from_this(), h = std::move(headers)]() mutable {
    self->HandleHeaders(std::move(h));
  });
}

void ProxySession::OnUpstreamMessage(std::string message) {
  net::post(executor_, [self = shared_from_this(), m = std::move(message)]() mutable {
    self->HandleMessage(std::move(m));
  });
}

void ProxySession::OnUpstreamDone(grpc::Status status, Metadata trailers) {
  net::post(executor_, [self = shared_from_this(), s = std::move(status),
                        t = std::move(trailers)]() mutable {
    self->HandleDone(std::move(s), std::move(t));
  });
}

// ---- strand ----------------------------------------------------------------------------------

void ProxySession::HandleHeaders(Metadata headers) {
  // Sent with the first message or the trailers (see Pump), not on their own.
  upstream_headers_ = std::move(headers);
}

void ProxySession::HandleMessage(std::string message) {
  resume_pending_ = true;
  if (aborted_ || replaced_status_ || !TakeTokenIntoCookie(message)) {
    // Nobody to deliver to, or nothing we may deliver: let the call run to its end.
    resume_pending_ = false;
    call_->ResumeReading();
    return;
  }
  queue_.push_back({Output::Kind::kData, Encode(kDataFrame, message)});
  Pump();
}

bool ProxySession::TakeTokenIntoCookie(std::string& message) {
  if (options_.auth_method != AuthMethod::kSignIn &&
      options_.auth_method != AuthMethod::kRefreshToken) {
    return true;
  }
  auto taken = TakeRefreshToken(message);
  if (!taken.ok()) {
    // Unparseable: it may still hold the token, so the script gets an error instead.
    replaced_status_ = grpc::Status(grpc::StatusCode::INTERNAL, "Ответ сервера входа не разобран");
    return false;
  }
  message = std::move(taken->message);
  if (!taken->token.empty()) {
    int64_t max_age = -1;
    if (taken->expire_unix_s) {
      max_age = std::max<int64_t>(0, *taken->expire_unix_s - absl::ToUnixSeconds(absl::Now()));
    }
    set_cookie_ = ctx_->session_cookie.SetValue(taken->token, max_age, options_.cookie_secure);
  }
  return true;
}

void ProxySession::HandleDone(grpc::Status status, Metadata trailers) {
  if (replaced_status_) {
    status = *replaced_status_;
    trailers.clear();
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED && status.error_message().empty()) {
    // gRPC's own answer to an unknown method says nothing; say what was not found.
    status = grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                          absl::StrCat("Метод ", log_.path, " не поддерживается сервером"));
  }
  // A refused refresh leaves the cookie alone: another tab may have just rotated it (its new
  // value is what the browser holds now), and a dead token is useless to anyone anyway.
  grpc_status_ = static_cast<int>(status.error_code());
  if (aborted_) return MaybeFinish();
  queue_.push_back({Output::Kind::kEnd,
                    Encode(kTrailerFrame, EncodeTrailerBlock(grpc_status_, status.error_message(),
                                                             trailers))});
  Pump();
}

std::string ProxySession::Encode(uint8_t flags, std::string_view payload) const {
  std::string frame = EncodeFrame(flags, payload);
  // Text mode: each chunk is its own padded base64 run; clients decode the concatenation.
  return options_.mode == WireMode::kText ? Base64Encode(frame) : frame;
}

void ProxySession::Pump() {
  if (writing_ || aborted_ || end_written_ || queue_.empty()) return;
  // One gather-write for everything queued: the HTTP header goes out with the first message (or
  // the trailers), and a message queued together with the trailers shares their write. Fewer
  // writes means fewer syscalls and packets per unary call.
  inflight_.clear();
  buffers_.clear();
  if (!header_sent_) {
    header_bytes_ = FormatHeader();
    buffers_.push_back(net::buffer(header_bytes_));
  }
  while (!queue_.empty()) {
    inflight_.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  static constexpr std::string_view kCrlf = "\r\n";
  static constexpr std::string_view kLastChunk = "0\r\n\r\n";
  bool had_message = false;
  bool had_end = false;
  for (auto& out : inflight_) {
    if (options_.http10) {
      buffers_.push_back(net::buffer(out.bytes));
    } else {
      out.chunk_prefix = absl::StrCat(absl::Hex(out.bytes.size()), "\r\n");
      buffers_.push_back(net::buffer(out.chunk_prefix));
      buffers_.push_back(net::buffer(out.bytes));
      buffers_.push_back(net::buffer(kCrlf.data(), kCrlf.size()));
    }
    if (out.kind == Output::Kind::kEnd) {
      if (!options_.http10) buffers_.push_back(net::buffer(kLastChunk.data(), kLastChunk.size()));
      had_end = true;
    } else {
      had_message = true;
    }
  }
  writing_ = true;
  header_sent_ = true;
  auto& stream = conn_->stream();
  stream.expires_after(ctx_->write_timeout);
  net::async_write(stream, buffers_,
                   [self = shared_from_this(), had_message, had_end](beast::error_code ec, size_t) {
                     self->OnWritten(ec, had_message, had_end);
                   });
}

std::string ProxySession::FormatHeader() const {
  http::fields fields;
  fields.set(http::field::content_type, ResponseContentType(options_.mode));
  std::string expose;
  if (upstream_headers_) {
    for (const auto& [k, v] : *upstream_headers_) {
      fields.insert(k, v);
      absl::StrAppend(&expose, ",", k);
    }
  }
  for (const auto& f : options_.cors_headers) fields.set(f.name_string(), f.value());
  // Let browser code read the upstream's response metadata too, not only the status.
  if (!expose.empty() && fields.count(http::field::access_control_expose_headers) > 0) {
    fields.set(http::field::access_control_expose_headers,
               absl::StrCat(ToAbsl(kCorsExposeHeaders), expose));
  }
  fields.set(http::field::cache_control, "no-store");
  if (!set_cookie_.empty()) fields.set(http::field::set_cookie, set_cookie_);
  if (!options_.http10) fields.set(http::field::transfer_encoding, "chunked");
  if (!options_.keep_alive || ctx_->draining) fields.set(http::field::connection, "close");
  std::string out = options_.http10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n";
  for (const auto& f : fields) {
    absl::StrAppend(&out, ToAbsl(f.name_string()), ": ", ToAbsl(f.value()), "\r\n");
  }
  out += "\r\n";
  return out;
}

void ProxySession::OnWritten(beast::error_code ec, bool had_message, bool had_end) {
  writing_ = false;
  if (had_message && resume_pending_) {
    // Flow control: ask upstream for the next message only once this one left.
    resume_pending_ = false;
    call_->ResumeReading();
  }
  if (ec) return Abort("write-failed");
  if (aborted_) return MaybeFinish();
  conn_->stream().expires_never();
  if (had_end) {
    end_written_ = true;
    return MaybeFinish();
  }
  Pump();
}

void ProxySession::WatchDisconnect() {
  // While streaming, a browser sends nothing; a read completing with EOF or an error is the only
  // reliable sign that it went away (tab closed, fetch aborted) before the next write would fail.
  if (watching_ || end_written_ || aborted_) return;
  auto& buffer = conn_->buffer();
  if (buffer.size() > 64 * 1024) return;  // pipelining client: stop buffering its requests
  watching_ = true;
  conn_->stream().async_read_some(
      buffer.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t n) {
        self->watching_ = false;
        if (!ec) {
          self->conn_->buffer().commit(n);  // a pipelined next request: keep it
          if (self->end_written_ || self->aborted_) return self->MaybeFinish();
          return self->WatchDisconnect();
        }
        if (self->end_written_ || self->aborted_) return self->MaybeFinish();
        self->Abort("client-gone");
      });
}

void ProxySession::Abort(std::string_view why) {
  if (aborted_ || finished_) return;
  aborted_ = true;
  note_ = std::string(why);
  queue_.clear();
  call_->Cancel();
  if (resume_pending_ && !writing_) {
    resume_pending_ = false;
    call_->ResumeReading();
  }
  conn_->stream().close();  // completes any pending read/write with an error
  MaybeFinish();
}

void ProxySession::MaybeFinish() {
  if (finished_) return;
  if (aborted_) {
    // Wait for the cancelled call and our socket operations to wind down.
    if (grpc_status_ < 0 || writing_ || watching_) return;
  } else {
    if (!end_written_) return;
    if (watching_) {
      conn_->stream().cancel();  // stop the watcher; its handler calls us again
      return;
    }
  }
  finished_ = true;
  log_.Write(200, grpc_status_, note_);
  conn_->ExchangeFinished(!aborted_ && options_.keep_alive);
}

}  // namespace nms::proxy
