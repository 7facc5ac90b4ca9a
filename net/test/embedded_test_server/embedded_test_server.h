#ifndef NET_TEST_EMBEDDED_TEST_SERVER_EMBEDDED_TEST_SERVER_H_
#define NET_TEST_EMBEDDED_TEST_SERVER_EMBEDDED_TEST_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "net/base/host_port_pair.h"
#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"
#include "net/test/closing_connection_list.h"
#include "net/test/embedded_test_server/http2_server_session.h"
#include "net/test/embedded_test_server/http_connection.h"
#include "net/test/embedded_test_server/http_request.h"
#include "net/test/embedded_test_server/http_response.h"
#include "net/test/tcp_listener.h"
#include "net/test/test_certificate_authority.h"
#include "openssl/base.h"

namespace net::test_server {

// An HTTP/1.1 or HTTPS server for tests, in the manner of Chromium's
// EmbeddedTestServer. It listens on an ephemeral loopback port and answers
// requests through registered handlers (the first that returns a response wins;
// otherwise 404).
//
// Threading: unlike Chromium's, it runs on the *current* EventLoop, the same
// one the client under test uses. Everything is non-blocking, so client and
// server interleave on one thread: tests stay deterministic (mock time drives
// both the client's timers and the server's delays), and ASan/LSan see one
// thread with no races.
//
// HTTPS: BoringSSL server side with a runtime TestCertificateAuthority. The
// leaf is picked per connection by SNI - issued on first use for exactly the
// name the client asked for (or for the listen IP when there is no SNI) - so
// tests can use any host name that resolves (or is mapped) to 127.0.0.1.
// CertificateKind makes it serve expired, not-yet-valid, wrong-host or
// untrusted-issuer leaves instead. Clients trust root_certificate_pem().
//
// HTTP/2: EnableHttp2() adds "h2" to ALPN; connections that negotiate it are
// served by nghttp2's server side, with the limits and misbehaviours of
// Http2ServerConfig and HttpResponse::Misbehavior.
//
// Counters (accepted connections, TLS handshakes, resumed handshakes, requests)
// let tests prove socket reuse and session resumption. Misbehaviour: per
// response via HttpResponse::Misbehavior and delays; per connection via the
// idle timeout and stalling new connections. Destroying the server closes every
// connection.
class EmbeddedTestServer : private HttpConnection::Delegate {
 public:
  enum class Type { kHttp, kHttps };
  enum class CertificateKind {
    kValid,
    kExpired,
    kNotYetValid,
    kWrongHost,        // Valid, but for another name than the client asked for.
    kUntrustedIssuer,  // Valid, for the right name, from a CA nobody trusts.
  };
  struct SslServerConfig {
    SslServerConfig();
    SslServerConfig(const SslServerConfig&);
    SslServerConfig& operator=(const SslServerConfig&);
    ~SslServerConfig();

    uint16_t version_min = 0x0303;  // TLS 1.2
    uint16_t version_max = 0x0304;  // TLS 1.3
    // Protocols the server accepts, in its preference order; no overlap → no
    // ALPN.
    std::vector<std::string> alpn_protocols = {"http/1.1"};
    // Send a CertificateRequest in every full handshake (a client that sends
    // no certificate is still accepted).
    bool request_client_certificate = false;
  };
  // Returns a response to send, or nullopt to let the next handler decide.
  using HandleRequestCallback =
      absl::AnyInvocable<std::optional<HttpResponse>(const HttpRequest&)>;

  explicit EmbeddedTestServer(Type type = Type::kHttp);
  EmbeddedTestServer(const EmbeddedTestServer&) = delete;
  EmbeddedTestServer& operator=(const EmbeddedTestServer&) = delete;
  ~EmbeddedTestServer() override;

  // Configuration; call before Start().
  void SetCertificateKind(CertificateKind kind);
  // Valid leaves also name these hosts (a certificate shared by several
  // names, as HTTP/2 connection coalescing needs).
  void SetAdditionalCertificateNames(std::vector<std::string> names);
  void SetSslServerConfig(const SslServerConfig& config);
  // HTTPS: offer "h2" first in ALPN (then "http/1.1"), so clients that offer
  // it speak HTTP/2 with the server, behaving as `config` says.
  void EnableHttp2(const Http2ServerConfig& config = Http2ServerConfig());
  void RegisterRequestHandler(HandleRequestCallback handler);

  // Connection behaviour; applies to connections accepted afterwards.
  // Close a connection that waits this long for its next request (zero: never).
  void SetIdleConnectionTimeout(absl::Duration timeout);
  // Accept connections but never read, write or handshake on them.
  void SetStallNewConnections(bool stall);

  // Listens on `address`:0 and starts accepting. Returns OK or the socket
  // error.
  int Start(const IPAddress& address = IPAddress::IPv4Localhost());
  bool Started() const { return listener_.is_listening(); }

  uint16_t port() const { return endpoint().port(); }
  const IPEndPoint& endpoint() const { return listener_.endpoint(); }
  // The listen address and port as a HostPortPair ("127.0.0.1:port").
  HostPortPair host_port_pair() const;
  // "http(s)://127.0.0.1:port" + path; the second form puts `hostname` in the
  // URL.
  std::string GetUrl(std::string_view path) const;
  std::string GetUrl(std::string_view hostname, std::string_view path) const;

  // The root clients should trust (HTTPS).
  const std::string& root_certificate_pem() const {
    return certificate_authority_.root_certificate_pem();
  }
  const TestCertificateAuthority& certificate_authority() const {
    return certificate_authority_;
  }

  // Closes every open connection (FIN), as a server restarting would.
  void CloseAllConnections();

  int num_accepted_connections() const { return num_accepted_connections_; }
  int num_open_connections() const { return connections_.num_open(); }
  int num_tls_handshakes() const { return num_tls_handshakes_; }
  int num_resumed_tls_handshakes() const { return num_resumed_tls_handshakes_; }
  int num_requests() const { return num_requests_; }

 private:
  // HttpConnection::Delegate:
  HttpResponse HandleRequest(const HttpRequest& request) override;
  void OnTlsHandshakeComplete(HttpConnection* connection,
                              bool resumed) override;
  void OnConnectionClosed(HttpConnection* connection) override;

  int InitSslContext();
  void OnAccepted(int fd);
  static int SelectCertificate(SSL* ssl, void* server);
  static int SelectAlpn(SSL* ssl,
                        const uint8_t** out,
                        uint8_t* out_length,
                        const uint8_t* in,
                        unsigned in_length,
                        void* server);
  const TestCertificateAuthority::Leaf& LeafFor(const std::string& name);

  const Type type_;
  CertificateKind certificate_kind_ = CertificateKind::kValid;
  std::vector<std::string> additional_certificate_names_;
  SslServerConfig ssl_config_;
  Http2ServerConfig http2_config_;
  std::vector<HandleRequestCallback> handlers_;
  absl::Duration idle_timeout_ = absl::ZeroDuration();
  bool stall_new_connections_ = false;

  TestCertificateAuthority certificate_authority_;
  std::unique_ptr<TestCertificateAuthority> untrusted_authority_;
  absl::flat_hash_map<std::string, TestCertificateAuthority::Leaf> leaves_;
  bssl::UniquePtr<SSL_CTX> ssl_context_;

  // Declared before the listener: it accepts into the list.
  ClosingConnectionList<HttpConnection> connections_;
  TcpListener listener_{[this](int fd) { OnAccepted(fd); }};

  int num_accepted_connections_ = 0;
  int num_tls_handshakes_ = 0;
  int num_resumed_tls_handshakes_ = 0;
  int num_requests_ = 0;
};

}  // namespace net::test_server

#endif  // NET_TEST_EMBEDDED_TEST_SERVER_EMBEDDED_TEST_SERVER_H_
