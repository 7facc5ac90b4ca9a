#ifndef NET_TEST_EMBEDDED_TEST_SERVER_HTTP_CONNECTION_H_
#define NET_TEST_EMBEDDED_TEST_SERVER_HTTP_CONNECTION_H_

#include <deque>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "llhttp.h"
#include "net/event/timer.h"
#include "net/test/embedded_test_server/http2_server_session.h"
#include "net/test/embedded_test_server/http_request.h"
#include "net/test/embedded_test_server/http_response.h"
#include "openssl/base.h"

namespace net {
class FdWatcher;
}

namespace net::test_server {

// One accepted connection of the EmbeddedTestServer: optional server-side TLS
// (BoringSSL directly on the non-blocking fd), HTTP/1.1 request parsing with
// llhttp, keep-alive, and the response misbehaviours of HttpResponse. Requests
// are answered one at a time in arrival order; a malformed request gets a 400
// and the connection closes. When TLS negotiated "h2" an Http2ServerSession
// speaks HTTP/2 instead, with `http2_config`. It owns the fd. When the
// connection ends it calls Delegate::OnConnectionClosed once; the delegate must
// not destroy it from inside that call (it defers deletion). Runs on the
// current EventLoop; single-threaded.
class HttpConnection : private Http2ServerSession::Delegate {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    virtual HttpResponse HandleRequest(const HttpRequest& request) = 0;
    virtual void OnTlsHandshakeComplete(HttpConnection* connection,
                                        bool resumed) = 0;
    virtual void OnConnectionClosed(HttpConnection* connection) = 0;
  };

  // `ssl_context` null means plain HTTP. A non-zero `idle_timeout` closes the
  // connection when it waits that long for a request.
  HttpConnection(int fd,
                 int id,
                 SSL_CTX* ssl_context,
                 absl::Duration idle_timeout,
                 const Http2ServerConfig& http2_config,
                 Delegate* delegate);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;
  ~HttpConnection() override;

  // Starts the TLS handshake or reading. A connection that is never started
  // holds the fd and does nothing: the "stall on accept" behaviour.
  void Start();
  // Closes now (FIN; close_notify first for TLS).
  void Close();
  // Aborts with a TCP RST.
  void Reset();

  int id() const { return id_; }
  bool closed() const { return closed_; }

 private:
  struct PendingRequest {
    HttpRequest request;
    bool keep_alive = true;
  };

  void DoHandshake();
  void ReadMore();
  void ParseReceived(const char* data, size_t length);
  void ProcessNextRequest();
  void SendResponse(const HttpResponse& response, bool keep_alive);
  void Send(std::string bytes, bool close_after);
  void Flush();
  void OnResponseSent();
  void StartIdleTimer();
  void CloseAfterParseError(const char* reason);
  // HTTP/2: output is appended as nghttp2 produces it.
  void QueueOutput(std::string bytes, bool close_after);
  void OnHttp2Flushed();

  // Http2ServerSession::Delegate:
  HttpResponse HandleHttp2Request(const HttpRequest& request) override;
  void OnHttp2OutputReady() override;
  void SendRawAndClose(std::string raw) override;
  void ResetConnection() override;

  static int OnUrl(llhttp_t* parser, const char* at, size_t length);
  static int OnHeaderField(llhttp_t* parser, const char* at, size_t length);
  static int OnHeaderValue(llhttp_t* parser, const char* at, size_t length);
  static int OnHeadersComplete(llhttp_t* parser);
  static int OnBody(llhttp_t* parser, const char* at, size_t length);
  static int OnMessageComplete(llhttp_t* parser);
  void CommitHeader();

  const int fd_;
  const int id_;
  SSL_CTX* const ssl_context_;
  const absl::Duration idle_timeout_;
  const Http2ServerConfig http2_config_;
  Delegate* const delegate_;
  std::unique_ptr<Http2ServerSession> http2_;
  bool write_blocked_ = false;

  bssl::UniquePtr<SSL> ssl_;
  std::unique_ptr<FdWatcher> watcher_;
  bool closed_ = false;
  bool handshake_done_ = false;
  bool reading_stopped_ = false;

  llhttp_settings_t parser_settings_;
  llhttp_t parser_;
  HttpRequest current_request_;
  std::string header_field_;
  std::string header_value_;
  bool header_value_seen_ = false;
  std::deque<PendingRequest> pending_requests_;

  bool responding_ = false;
  std::string output_;
  size_t output_offset_ = 0;
  bool close_after_output_ = false;
  OneShotTimer delay_timer_;
  OneShotTimer idle_timer_;
};

}  // namespace net::test_server

#endif  // NET_TEST_EMBEDDED_TEST_SERVER_HTTP_CONNECTION_H_
