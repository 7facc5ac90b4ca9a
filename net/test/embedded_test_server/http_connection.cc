#include "net/test/embedded_test_server/http_connection.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string_view>
#include <utility>

#include "net/base/check.h"
#include "net/event/fd_watcher.h"
#include "net/test/embedded_test_server/no_sigpipe_socket_bio.h"
#include "openssl/bio.h"
#include "openssl/err.h"
#include "openssl/ssl.h"

namespace net::test_server {

namespace {

constexpr size_t kReadChunkSize = 16 * 1024;
// Requests bigger than this are answered with 400: test requests are small, and
// an unbounded buffer would let a broken client exhaust memory.
constexpr size_t kMaxRequestBytes = 1024 * 1024;

HttpConnection* FromParser(llhttp_t* parser) {
  return static_cast<HttpConnection*>(parser->data);
}

}  // namespace

HttpConnection::HttpConnection(int fd,
                               int id,
                               SSL_CTX* ssl_context,
                               absl::Duration idle_timeout,
                               const Http2ServerConfig& http2_config,
                               Delegate* delegate)
    : fd_(fd),
      id_(id),
      ssl_context_(ssl_context),
      idle_timeout_(idle_timeout),
      http2_config_(http2_config),
      delegate_(delegate),
      watcher_(std::make_unique<FdWatcher>(fd)) {
  CHECK(delegate_);
  llhttp_settings_init(&parser_settings_);
  parser_settings_.on_url = &HttpConnection::OnUrl;
  parser_settings_.on_header_field = &HttpConnection::OnHeaderField;
  parser_settings_.on_header_value = &HttpConnection::OnHeaderValue;
  parser_settings_.on_headers_complete = &HttpConnection::OnHeadersComplete;
  parser_settings_.on_body = &HttpConnection::OnBody;
  parser_settings_.on_message_complete = &HttpConnection::OnMessageComplete;
  llhttp_init(&parser_, HTTP_REQUEST, &parser_settings_);
  parser_.data = this;
  current_request_.connection_id = id_;
}

HttpConnection::~HttpConnection() {
  watcher_.reset();
  if (!closed_)
    close(fd_);
}

void HttpConnection::Start() {
  if (closed_)
    return;
  if (ssl_context_) {
    ssl_.reset(SSL_new(ssl_context_));
    CHECK(ssl_);
    // Not SSL_set_fd(): its socket BIO writes with write(), so a client that
    // has gone away would raise SIGPIPE in the hosting process.
    BIO* bio = NewNoSigpipeSocketBio(fd_).release();
    SSL_set_bio(ssl_.get(), bio, bio);  // Takes the one reference.
    SSL_set_accept_state(ssl_.get());
    DoHandshake();
    return;
  }
  handshake_done_ = true;
  StartIdleTimer();
  ReadMore();
}

void HttpConnection::DoHandshake() {
  ERR_clear_error();
  int ret = SSL_do_handshake(ssl_.get());
  if (ret == 1) {
    handshake_done_ = true;
    current_request_.sni_host =
        SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name)
            ? SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name)
            : "";
    delegate_->OnTlsHandshakeComplete(this, SSL_session_reused(ssl_.get()));
    const uint8_t* alpn = nullptr;
    unsigned alpn_length = 0;
    SSL_get0_alpn_selected(ssl_.get(), &alpn, &alpn_length);
    if (std::string_view(reinterpret_cast<const char*>(alpn), alpn_length) ==
        "h2") {
      http2_ = std::make_unique<Http2ServerSession>(
          http2_config_, current_request_,
          static_cast<Http2ServerSession::Delegate*>(this));
      OnHttp2OutputReady();  // The server's SETTINGS.
    }
    // BoringSSL holds TLS 1.3 tickets back until the server's first write; most
    // servers (OpenSSL, so nginx) send them right after the handshake. A
    // zero-length write flushes them now, so clients see tickets on idle
    // connections as they would in the field.
    SSL_write(ssl_.get(), "", 0);
    ERR_clear_error();
    StartIdleTimer();
    ReadMore();
    return;
  }
  switch (SSL_get_error(ssl_.get(), ret)) {
    case SSL_ERROR_WANT_READ:
      watcher_->WatchReadable([this] { DoHandshake(); });
      return;
    case SSL_ERROR_WANT_WRITE:
      watcher_->WatchWritable([this] { DoHandshake(); });
      return;
    default:
      // The client rejected us (bad certificate, no common version) or is not
      // TLS.
      ERR_clear_error();
      Close();
      return;
  }
}

void HttpConnection::ReadMore() {
  char buffer[kReadChunkSize];
  while (!closed_ && !reading_stopped_) {
    int result;
    bool would_block_on_write = false;
    if (ssl_) {
      ERR_clear_error();
      result = SSL_read(ssl_.get(), buffer, sizeof(buffer));
      if (result <= 0) {
        int ssl_error = SSL_get_error(ssl_.get(), result);
        if (ssl_error == SSL_ERROR_WANT_READ) {
          result = -1;
          errno = EAGAIN;
        } else if (ssl_error == SSL_ERROR_WANT_WRITE) {
          would_block_on_write = true;
        } else {
          ERR_clear_error();
          result =
              0;  // close_notify, EOF or a TLS error: the connection is over.
        }
      }
    } else {
      result = static_cast<int>(recv(fd_, buffer, sizeof(buffer), 0));
    }
    if (would_block_on_write) {
      watcher_->WatchWritable([this] { ReadMore(); });
      return;
    }
    if (result > 0) {
      ParseReceived(buffer, static_cast<size_t>(result));
      continue;
    }
    if (result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      watcher_->WatchReadable([this] { ReadMore(); });
      return;
    }
    if (result < 0 && errno == EINTR)
      continue;
    Close();
    return;
  }
}

void HttpConnection::ParseReceived(const char* data, size_t length) {
  if (http2_) {
    const bool more = http2_->Feed(data, length);
    if (http2_->open_stream_count() > 0)
      idle_timer_.Stop();
    if (!more)
      reading_stopped_ = true;
    QueueOutput(http2_->TakeOutput(), !more);
    return;
  }
  llhttp_errno_t error = llhttp_execute(&parser_, data, length);
  if (error != HPE_OK) {
    CloseAfterParseError(llhttp_get_error_reason(&parser_));
    return;
  }
  if (current_request_.content.size() + header_value_.size() +
          current_request_.relative_url.size() >
      kMaxRequestBytes) {
    CloseAfterParseError("request too large");
    return;
  }
  ProcessNextRequest();
}

void HttpConnection::CloseAfterParseError(const char* reason) {
  reading_stopped_ = true;
  pending_requests_.clear();
  if (responding_)
    return;  // The in-flight response finishes; nothing more is read.
  responding_ = true;
  idle_timer_.Stop();
  HttpResponse bad_request;
  bad_request.set_code(400);
  bad_request.set_content(reason ? reason : "bad request");
  bad_request.set_close_connection(true);
  Send(bad_request.ToString(), /*close_after=*/true);
}

void HttpConnection::ProcessNextRequest() {
  if (closed_ || responding_ || pending_requests_.empty())
    return;
  PendingRequest next = std::move(pending_requests_.front());
  pending_requests_.pop_front();
  responding_ = true;
  idle_timer_.Stop();
  HttpResponse response = delegate_->HandleRequest(next.request);
  const bool keep_alive = next.keep_alive;
  if (response.delay() > absl::ZeroDuration()) {
    delay_timer_.Start(response.delay(), [this, response, keep_alive] {
      SendResponse(response, keep_alive);
    });
    return;
  }
  SendResponse(response, keep_alive);
}

void HttpConnection::SendResponse(const HttpResponse& response,
                                  bool keep_alive) {
  switch (response.misbehavior()) {
    case HttpResponse::Misbehavior::kStall:
      // Keep reading so a client that gives up and closes is noticed.
      return;
    case HttpResponse::Misbehavior::kReset:
    case HttpResponse::Misbehavior::kHttp2ResetStream:
    case HttpResponse::Misbehavior::kHttp2RefuseStream:
    case HttpResponse::Misbehavior::kHttp2GoawayBeforeStream:
    case HttpResponse::Misbehavior::kHttp2BadFrame:
      Reset();
      return;
    case HttpResponse::Misbehavior::kGarbage:
      Send("garbage \xff not http\r\n\r\n", /*close_after=*/true);
      return;
    case HttpResponse::Misbehavior::kCloseAfterHeaders:
      Send(response.HeadersToString(), /*close_after=*/true);
      return;
    case HttpResponse::Misbehavior::kNone:
      break;
  }
  HttpResponse sent = response;
  if (!keep_alive)
    sent.set_close_connection(true);
  Send(sent.ToString(), sent.close_connection());
}

void HttpConnection::Send(std::string bytes, bool close_after) {
  output_ = std::move(bytes);
  output_offset_ = 0;
  close_after_output_ = close_after;
  Flush();
}

void HttpConnection::Flush() {
  write_blocked_ = false;
  while (!closed_ && output_offset_ < output_.size()) {
    const char* data = output_.data() + output_offset_;
    const size_t remaining = output_.size() - output_offset_;
    int result;
    if (ssl_) {
      ERR_clear_error();
      result = SSL_write(ssl_.get(), data, static_cast<int>(remaining));
      if (result <= 0) {
        int ssl_error = SSL_get_error(ssl_.get(), result);
        if (ssl_error == SSL_ERROR_WANT_WRITE) {
          write_blocked_ = true;
          watcher_->WatchWritable([this] { Flush(); });
          return;
        }
        if (ssl_error == SSL_ERROR_WANT_READ) {
          watcher_->WatchReadable([this] { Flush(); });
          return;
        }
        ERR_clear_error();
        Close();
        return;
      }
    } else {
      result = static_cast<int>(send(fd_, data, remaining, MSG_NOSIGNAL));
      if (result < 0) {
        if (errno == EINTR)
          continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          write_blocked_ = true;
          watcher_->WatchWritable([this] { Flush(); });
          return;
        }
        Close();
        return;
      }
    }
    output_offset_ += static_cast<size_t>(result);
  }
  if (closed_)
    return;
  if (http2_)
    OnHttp2Flushed();
  else
    OnResponseSent();
}

void HttpConnection::QueueOutput(std::string bytes, bool close_after) {
  if (closed_)
    return;
  output_ += bytes;
  close_after_output_ |= close_after;
  // A blocked write resumes from its watcher with the longer buffer.
  if (!write_blocked_)
    Flush();
}

void HttpConnection::OnHttp2Flushed() {
  output_.clear();
  output_offset_ = 0;
  if (close_after_output_ || http2_->IsDone()) {
    Close();
    return;
  }
  if (http2_->open_stream_count() == 0)
    StartIdleTimer();
}

HttpResponse HttpConnection::HandleHttp2Request(const HttpRequest& request) {
  return delegate_->HandleRequest(request);
}

void HttpConnection::OnHttp2OutputReady() {
  QueueOutput(http2_->TakeOutput(), false);
}

void HttpConnection::SendRawAndClose(std::string raw) {
  reading_stopped_ = true;
  QueueOutput(std::move(raw), true);
}

void HttpConnection::ResetConnection() {
  Reset();
}

void HttpConnection::OnResponseSent() {
  output_.clear();
  output_offset_ = 0;
  responding_ = false;
  if (close_after_output_) {
    Close();
    return;
  }
  if (pending_requests_.empty()) {
    StartIdleTimer();
    return;
  }
  ProcessNextRequest();
}

void HttpConnection::StartIdleTimer() {
  if (idle_timeout_ <= absl::ZeroDuration())
    return;
  idle_timer_.Start(idle_timeout_, [this] {
    if (!http2_) {
      Close();
      return;
    }
    // As nginx reaps an idle HTTP/2 connection: GOAWAY, then close.
    http2_->Shutdown();
    QueueOutput(http2_->TakeOutput(), true);
  });
}

void HttpConnection::Close() {
  if (closed_)
    return;
  closed_ = true;
  delay_timer_.Stop();
  idle_timer_.Stop();
  watcher_.reset();
  if (ssl_ && handshake_done_) {
    // Best effort close_notify; the socket is non-blocking, so this never
    // waits.
    SSL_shutdown(ssl_.get());
    ERR_clear_error();
  }
  ssl_.reset();
  close(fd_);
  delegate_->OnConnectionClosed(this);
}

void HttpConnection::Reset() {
  if (closed_)
    return;
  // Linger with a zero timeout turns close() into an abortive close: the peer
  // gets RST, and its pending or next read fails with ECONNRESET.
  linger abortive = {1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof(abortive));
  handshake_done_ = false;  // No close_notify before a reset.
  Close();
}

void HttpConnection::CommitHeader() {
  if (!header_field_.empty())
    current_request_.headers[header_field_] = header_value_;
  header_field_.clear();
  header_value_.clear();
  header_value_seen_ = false;
}

// static
int HttpConnection::OnUrl(llhttp_t* parser, const char* at, size_t length) {
  FromParser(parser)->current_request_.relative_url.append(at, length);
  return 0;
}

// static
int HttpConnection::OnHeaderField(llhttp_t* parser,
                                  const char* at,
                                  size_t length) {
  HttpConnection* self = FromParser(parser);
  if (self->header_value_seen_)
    self->CommitHeader();
  self->header_field_.append(at, length);
  return 0;
}

// static
int HttpConnection::OnHeaderValue(llhttp_t* parser,
                                  const char* at,
                                  size_t length) {
  HttpConnection* self = FromParser(parser);
  self->header_value_seen_ = true;
  self->header_value_.append(at, length);
  return 0;
}

// static
int HttpConnection::OnHeadersComplete(llhttp_t* parser) {
  HttpConnection* self = FromParser(parser);
  self->CommitHeader();
  self->current_request_.method =
      llhttp_method_name(static_cast<llhttp_method_t>(parser->method));
  return 0;
}

// static
int HttpConnection::OnBody(llhttp_t* parser, const char* at, size_t length) {
  FromParser(parser)->current_request_.content.append(at, length);
  return 0;
}

// static
int HttpConnection::OnMessageComplete(llhttp_t* parser) {
  HttpConnection* self = FromParser(parser);
  PendingRequest pending;
  pending.keep_alive = llhttp_should_keep_alive(parser);
  pending.request = std::move(self->current_request_);
  self->current_request_ = HttpRequest();
  self->current_request_.connection_id = self->id_;
  self->current_request_.sni_host = pending.request.sni_host;
  self->pending_requests_.push_back(std::move(pending));
  return 0;
}

}  // namespace net::test_server
