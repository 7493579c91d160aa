#include "http_connection.h"

#include <array>

#include <boost/asio/dispatch.hpp>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "proxy_session.h"
#include "string_view_bridge.h"

namespace nms::proxy {
namespace {

std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

const char* ChannelStateName(grpc_connectivity_state s) {
  switch (s) {
    case GRPC_CHANNEL_IDLE: return "IDLE";
    case GRPC_CHANNEL_CONNECTING: return "CONNECTING";
    case GRPC_CHANNEL_READY: return "READY";
    case GRPC_CHANNEL_TRANSIENT_FAILURE: return "TRANSIENT_FAILURE";
    case GRPC_CHANNEL_SHUTDOWN: return "SHUTDOWN";
  }
  return "UNKNOWN";
}

// Headers every document-ish answer (files, plain-text errors) carries.
void AddSecurityHeaders(const ProxyContext& ctx, http::fields& out) {
  if (!ctx.content_security_policy.empty()) {
    out.set("Content-Security-Policy", ctx.content_security_policy);
  }
  out.set("X-Content-Type-Options", "nosniff");
  out.set("Referrer-Policy", "no-referrer");
  out.set("X-Frame-Options", "DENY");  // for browsers without CSP frame-ancestors
  out.set("Cross-Origin-Opener-Policy", "same-origin");
}

bool IsQuietDisconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::operation_aborted ||
         ec == beast::error::timeout || ec == net::error::bad_descriptor;
}

}  // namespace

HttpConnection::HttpConnection(tcp::socket socket, std::shared_ptr<ProxyContext> ctx)
    : stream_(std::move(socket)), ctx_(std::move(ctx)) {
  ++ctx_->connections_open;
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) peer_ip_ = ep.address().to_string();
}

HttpConnection::~HttpConnection() { --ctx_->connections_open; }

void HttpConnection::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadRequest(); });
}

void HttpConnection::ReadRequest() {
  if (ctx_->draining) return Close();
  parser_.emplace();
  parser_->header_limit(64 * 1024);  // room for long bearer tokens
  parser_->body_limit(ctx_->BodyLimit());
  stream_.expires_after(ctx_->idle_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            self->OnHeader(ec);
                          });
}

void HttpConnection::OnHeader(beast::error_code ec) {
  request_start_ = std::chrono::steady_clock::now();
  if (ec == http::error::body_limit) {
    // Content-Length alone already exceeds the limit.
    ++ctx_->requests_in_flight;
    return OnRequest(ec);
  }
  if (ec) {
    if (IsQuietDisconnect(ec)) return Close();
    ++ctx_->requests_in_flight;
    Request bad;
    bad.keep_alive(false);
    return SendText(bad, http::status::bad_request, "bad request\n", RequestLog{"?", "?"});
  }
  auto read_body = [self = shared_from_this()] {
    self->stream_.expires_after(self->ctx_->idle_timeout);
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     [self](beast::error_code ec, size_t) {
                       ++self->ctx_->requests_in_flight;
                       self->OnRequest(ec);
                     });
  };
  // curl and some libraries wait for this before sending large bodies.
  if (absl::EqualsIgnoreCase(ToAbsl(parser_->get()[http::field::expect]),
                             "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this(), read_body](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       read_body();
                     });
    return;
  }
  read_body();
}

void HttpConnection::OnRequest(beast::error_code ec) {
  Request& req = parser_->get();
  RequestLog log{std::string(req.method_string()), std::string(PathOf(req.target())),
                 request_start_, ctx_->metrics};
  if (ec == http::error::body_limit) {
    linger_ = true;
    return SendGrpcError(&req, ParseContentType(req[http::field::content_type]),
                         absl::ResourceExhaustedError(absl::StrCat(
                             "request body exceeds the limit of ", ctx_->BodyLimit(), " bytes")),
                         std::move(log), http::status::ok, /*close=*/true);
  }
  if (ec) {
    if (IsQuietDisconnect(ec)) {
      --ctx_->requests_in_flight;  // no response, so no ExchangeFinished
      return Close();
    }
    linger_ = true;
    req.keep_alive(false);
    return SendText(req, http::status::bad_request, "bad request\n", std::move(log));
  }
  Route(req, std::move(log));
}

void HttpConnection::Route(Request& req, RequestLog log) {
  switch (req.method()) {
    case http::verb::options:
      return HandlePreflight(req, std::move(log));
    case http::verb::post: {
      std::string_view content_type = req[http::field::content_type];
      if (auto mode = ParseContentType(content_type)) {
        return HandleGrpcWeb(req, *mode, std::move(log));
      }
      // A gRPC-ish type we do not speak (e.g. +json) is a gRPC error; anything else is not
      // a gRPC request at all.
      bool grpcish = absl::StartsWithIgnoreCase(ToAbsl(content_type), "application/grpc");
      return SendGrpcError(
          &req, std::nullopt,
          absl::UnimplementedError(absl::StrCat("Тип содержимого '", ToAbsl(content_type),
                                                "' не поддерживается: ожидается "
                                                "application/grpc-web или application/grpc-web-text")),
          std::move(log), grpcish ? http::status::ok : http::status::unsupported_media_type);
    }
    case http::verb::get:
    case http::verb::head:
      if (PathOf(req.target()) == "/healthz") {
        return SendText(req, http::status::ok,
                        absl::StrCat("ok upstream=", ChannelStateName(ctx_->channel->GetState(true)),
                                     "\n"),
                        std::move(log));
      }
      return HandleStatic(req, std::move(log));
    default:
      return SendText(req, http::status::method_not_allowed, "method not allowed\n",
                      std::move(log));
  }
}

void HttpConnection::HandlePreflight(const Request& req, RequestLog log) {
  http::response<http::empty_body> res{http::status::no_content, req.version()};
  std::string_view origin = req[http::field::origin];
  std::string allowed = ctx_->cors.AllowedOrigin(origin, req[http::field::host]);
  if (!origin.empty() && allowed.empty()) {
    res.result(http::status::forbidden);
  } else if (!allowed.empty()) {
    res.set(http::field::access_control_allow_origin, allowed);
    res.set(http::field::vary, "Origin");
    res.set(http::field::access_control_allow_methods, kCorsAllowMethods);
    // Exactly the requested headers the proxy reads or forwards; a header it would drop is not
    // allowed, so the browser refuses the call instead of sending it without that header.
    std::string headers =
        CorsPolicy::AllowHeadersFor(req[http::field::access_control_request_headers]);
    if (!headers.empty()) res.set(http::field::access_control_allow_headers, headers);
    res.set(http::field::access_control_expose_headers, kCorsExposeHeaders);
    res.set(http::field::access_control_max_age, "86400");
  } else {
    res.set(http::field::allow, "GET, HEAD, POST, OPTIONS");
  }
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  Send(std::move(res), std::move(log));
}

void HttpConnection::HandleStatic(const Request& req, RequestLog log) {
  using Kind = StaticResolution::Kind;
  StaticResolution r = ctx_->static_files.Resolve(req.target());
  switch (r.kind) {
    case Kind::kNotMounted:
    case Kind::kNotFound:
      return SendText(req, http::status::not_found, "not found\n", std::move(log));
    case Kind::kForbidden:
      return SendText(req, http::status::forbidden, "forbidden\n", std::move(log));
    case Kind::kRedirect: {
      http::response<http::empty_body> res{http::status::moved_permanently, req.version()};
      res.set(http::field::location, r.location);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      return Send(std::move(res), std::move(log));
    }
    case Kind::kFile:
      break;
  }
  // Built clients come with .br/.gz siblings (written at build time): send one when accepted.
  std::optional<Precompressed> variant =
      PrecompressedFor(r.file, req[http::field::accept_encoding]);
  const bool varies = variant || HasPrecompressed(r.file);
  beast::error_code ec;
  http::file_body::value_type body;
  body.open(variant ? variant->file.c_str() : r.file.c_str(), beast::file_mode::scan, ec);
  if (ec) return SendText(req, http::status::not_found, "not found\n", std::move(log));
  const uint64_t size = body.size();
  auto set_common = [&](auto& res) {
    res.set(http::field::content_type, MimeTypeFor(r.file));
    res.set(http::field::cache_control, CacheControlFor(r.file));
    if (variant) res.set(http::field::content_encoding, variant->encoding);
    AddSecurityHeaders(*ctx_, res.base());
    AddCorsHeaders(req, res.base());
    if (varies) {
      // Caches must keep the encodings apart; CORS (when on) already set Vary: Origin.
      auto vary = res.base()[http::field::vary];
      res.set(http::field::vary,
              vary.empty() ? std::string("Accept-Encoding") : absl::StrCat(ToAbsl(vary), ", Accept-Encoding"));
    }
    res.keep_alive(req.keep_alive());
  };
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    set_common(res);
    res.content_length(size);
    return Send(std::move(res), std::move(log));
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                      std::make_tuple(http::status::ok, req.version())};
  set_common(res);
  res.content_length(size);
  Send(std::move(res), std::move(log));
}

void HttpConnection::HandleGrpcWeb(Request& req, WireMode mode, RequestLog log) {
  std::string_view path = PathOf(req.target());
  if (!IsGrpcMethodPath(path)) {
    return SendGrpcError(
        &req, mode,
        absl::UnimplementedError(absl::StrCat("Адрес '", ToAbsl(path),
                                              "' не метод gRPC: ожидается /пакет.Сервис/Метод")),
        std::move(log));
  }
  std::string body = std::move(req.body());
  if (mode == WireMode::kText) {
    auto decoded = Base64DecodeChunks(body);
    if (!decoded.ok()) return SendGrpcError(&req, mode, decoded.status(), std::move(log));
    body = std::move(*decoded);
  }
  auto messages = DecodeRequestFrames(body, ctx_->max_message_bytes);
  if (!messages.ok()) return SendGrpcError(&req, mode, messages.status(), std::move(log));

  const SessionCookie& cookie = ctx_->session_cookie;
  const AuthMethod auth =
      cookie.enabled() ? ClassifyAuthMethod(path, cookie.auth_service) : AuthMethod::kNone;
  if (auth == AuthMethod::kRefreshToken && messages->size() == 1) {
    // The browser's refresh token comes from its HttpOnly cookie. SameSite=Strict keeps other
    // sites' requests from carrying it; an Origin we would not answer does not get it either.
    std::optional<std::string> token;
    std::string_view origin = req[http::field::origin];
    if (origin.empty() || !ctx_->cors.AllowedOrigin(origin, req[http::field::host]).empty()) {
      auto [from, to] = req.equal_range(http::field::cookie);
      for (auto it = from; it != to && !token; ++it) token = cookie.Find(it->value());
    }
    std::string& message = (*messages)[0];
    if (token) {
      auto edited = WithRefreshToken(message, *token);
      if (!edited.ok()) {
        return SendGrpcError(&req, mode,
                             absl::InvalidArgumentError("Запрос обновления сеанса не разобран"),
                             std::move(log));
      }
      message = *std::move(edited);
    } else if (auto own = RefreshTokenOf(message); own.ok() && own->empty()) {
      // Neither a cookie nor a token of its own: nothing the server could renew.
      return SendGrpcError(
          &req, mode, absl::UnauthenticatedError("Сеанс не найден или истёк, войдите снова"),
          std::move(log));
    }
  }

  UpstreamRequest up;
  up.method = std::string(path);
  up.messages = std::move(*messages);
  for (const auto& field : req) {
    std::string key = absl::AsciiStrToLower(ToAbsl(field.name_string()));
    std::string_view value = field.value();
    if (key == "grpc-timeout") {
      up.timeout = ParseGrpcTimeout(value);
      if (!up.timeout) {
        return SendGrpcError(&req, mode, absl::InvalidArgumentError("malformed grpc-timeout"),
                             std::move(log));
      }
      continue;
    }
    // The browser must not pick its own client address.
    if (key == "x-forwarded-for" || !ShouldForwardRequestHeader(key)) continue;
    if (absl::EndsWith(key, "-bin")) {
      if (auto raw = Base64DecodeChunks(value); raw.ok()) up.metadata.emplace_back(key, *raw);
      continue;
    }
    if (IsValidAsciiMetadataValue(value)) up.metadata.emplace_back(key, std::string(value));
  }
  if (!peer_ip_.empty()) up.metadata.emplace_back("x-forwarded-for", peer_ip_);

  ProxySession::Options options;
  options.mode = mode;
  // HTTP/1.0 has no chunked encoding: the body streams raw and ends when we close.
  options.http10 = req.version() < 11;
  options.keep_alive = req.keep_alive() && !ctx_->draining && !options.http10;
  options.auth_method = auth;
  options.cookie_secure =
      cookie.SecureFor(req[http::field::host], req["X-Forwarded-Proto"]);
  AddCorsHeaders(req, options.cors_headers);
  auto session = std::make_shared<ProxySession>(shared_from_this(), ctx_, std::move(options),
                                                std::move(log));
  session->Start(std::move(up));
}

void HttpConnection::SendGrpcError(const Request* req, std::optional<WireMode> mode,
                                   const absl::Status& status, RequestLog log,
                                   http::status http_status, bool close) {
  http::response<http::string_body> res{http_status, req ? req->version() : 11};
  int code = static_cast<int>(status.code());
  std::string_view type = mode ? ResponseContentType(*mode)
                          : http_status == http::status::ok ? "application/grpc-web+proto"
                                                            : "text/plain; charset=utf-8";
  res.set(http::field::content_type, type);
  res.set("grpc-status", std::to_string(code));
  res.set("grpc-message", PercentEncodeGrpcMessage(ToStd(status.message())));
  if (mode) {
    std::string frame = EncodeFrame(kTrailerFrame, EncodeTrailerBlock(code, ToStd(status.message()), {}));
    res.body() = *mode == WireMode::kText ? Base64Encode(frame) : std::move(frame);
  } else if (http_status != http::status::ok) {
    res.body() = absl::StrCat(status.message(), "\n");
  }
  if (req) AddCorsHeaders(*req, res.base());
  res.keep_alive(!close && req && req->keep_alive());
  res.prepare_payload();
  Send(std::move(res), std::move(log), code);
}

void HttpConnection::SendText(const Request& req, http::status status, std::string body,
                              RequestLog log) {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  AddSecurityHeaders(*ctx_, res.base());
  AddCorsHeaders(req, res.base());
  res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::head) res.body() = std::move(body);
  res.prepare_payload();
  if (req.method() == http::verb::head) res.content_length(body.size());
  Send(std::move(res), std::move(log));
}

template <class Response>
void HttpConnection::Send(Response&& res, RequestLog log, int grpc_status) {
  using R = std::decay_t<Response>;
  auto sp = std::make_shared<R>(std::forward<Response>(res));
  if (ctx_->draining) sp->keep_alive(false);
  const int code = sp->result_int();
  const bool keep = sp->keep_alive();
  stream_.expires_after(ctx_->write_timeout);
  http::async_write(stream_, *sp,
                    [self = shared_from_this(), sp, log = std::move(log), code, grpc_status,
                     keep](beast::error_code ec, size_t) {
                      log.Write(code, grpc_status, ec ? "write-failed" : "");
                      self->ExchangeFinished(!ec && keep);
                    });
}

void HttpConnection::AddCorsHeaders(const Request& req, http::fields& out) const {
  std::string allowed = ctx_->cors.AllowedOrigin(req[http::field::origin], req[http::field::host]);
  if (allowed.empty()) return;
  out.set(http::field::access_control_allow_origin, allowed);
  out.set(http::field::vary, "Origin");
  out.set(http::field::access_control_expose_headers, kCorsExposeHeaders);
}

void HttpConnection::ExchangeFinished(bool keep_alive) {
  --ctx_->requests_in_flight;
  if (linger_) return LingeringClose();
  if (keep_alive && !ctx_->draining) return ReadRequest();
  Close();
}

void HttpConnection::LingeringClose() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(std::chrono::seconds(2));
  auto sink = std::make_shared<std::array<char, 16384>>();
  auto self = shared_from_this();
  auto drain = std::make_shared<std::function<void()>>();
  *drain = [self, sink, drain] {
    self->stream_.async_read_some(net::buffer(*sink), [self, sink, drain](beast::error_code ec,
                                                                          size_t) {
      if (ec) {
        self->Close();
        *drain = nullptr;  // break the self-reference
        return;
      }
      (*drain)();
    });
  };
  (*drain)();
}

void HttpConnection::Close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.close();
}

}  // namespace nms::proxy
