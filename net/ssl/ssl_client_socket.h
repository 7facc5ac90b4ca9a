#ifndef NET_SSL_SSL_CLIENT_SOCKET_H_
#define NET_SSL_SSL_CLIENT_SOCKET_H_

#include <memory>
#include <string>
#include <vector>

#include "net/base/completion_once_callback.h"
#include "net/event/weak_ptr.h"
#include "net/socket/stream_socket.h"
#include "net/ssl/socket_bio_adapter.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_config.h"
#include "openssl/base.h"

namespace net {

// A TLS client connection (BoringSSL) over an already-connected StreamSocket,
// like Chromium's SSLClientSocketImpl. Connect() performs the handshake: SNI
// for DNS names, ALPN from the config, and certificate verification that is
// always on - against the system roots (/etc/ssl/certs) or the config's trusted
// roots, plus its extra anchors - including the host check (DNS name, or IP
// address for IP literals; the subject CN is never consulted). A certificate
// error is waived only when the server's key is on the config's SPKI
// allowlist (Chromium's --ignore-certificate-errors-spki-list).
//
// Failures map to Chromium's errors: expired or not-yet-valid certificate →
// ERR_CERT_DATE_INVALID, wrong host → ERR_CERT_COMMON_NAME_INVALID, unknown
// issuer → ERR_CERT_AUTHORITY_INVALID, no common version or cipher →
// ERR_SSL_VERSION_OR_CIPHER_MISMATCH, anything else in the handshake →
// ERR_SSL_PROTOCOL_ERROR; transport errors pass through. error_detail() then
// says what BoringSSL reported.
//
// Sessions: the socket offers a session from `session_cache` under
// `session_key` (the destination and its partition) and stores the tickets the
// server sends into the same key, including TLS 1.3 tickets that arrive after
// the handshake (they are processed by the first Read). It owns the transport;
// `session_cache` is not owned, may be null (no resumption) and must outlive
// the socket. NetLog() is the transport's.
//
// Binding::kUnbound (a guessed preconnect, docs/pool-selection.md section 9):
// the handshake offers no session, and tickets the server sends are kept with
// the socket instead of stored; BindToPrivacyMode() files them under the
// privacy mode of the group the socket is bound to at its first use, and a
// socket destroyed unbound drops them. The socket records whether the server
// sent a CertificateRequest (BoringSSL's certificate callback runs only then);
// such a socket can never change privacy mode.
class SslClientSocket : public StreamSocket,
                        private SocketBioAdapter::Delegate {
 public:
  enum class Binding { kBound, kUnbound };

  SslClientSocket(std::unique_ptr<StreamSocket> transport,
                  const SslConfig& config,
                  const SslClientSessionCache::Key& session_key,
                  SslClientSessionCache* session_cache,
                  Binding binding = Binding::kBound);
  SslClientSocket(const SslClientSocket&) = delete;
  SslClientSocket& operator=(const SslClientSocket&) = delete;
  ~SslClientSocket() override;

  // StreamSocket:
  int Connect(CompletionOnceCallback callback) override;
  void Disconnect() override;
  bool IsConnected() const override;
  bool IsConnectedAndIdle() const override;
  int Read(char* buf, int len, CompletionOnceCallback callback) override;
  int Write(const char* buf, int len, CompletionOnceCallback callback) override;
  bool WasEverUsed() const override;
  bool CanBindToOtherPrivacyMode() const override;
  void BindToPrivacyMode(PrivacyMode privacy_mode) override;
  int GetPeerAddress(IPEndPoint* address) const override;
  int GetLocalAddress(IPEndPoint* address) const override;
  std::string GetNegotiatedProtocol() const override;
  bool IsCertificateValidForHost(const std::string& host) const override;
  const NetLogWithSource& NetLog() const override;

  // After a successful handshake: whether it resumed a cached session, and the
  // TLS version (SslConfig::kTls12 / kTls13).
  bool session_resumed() const { return session_resumed_; }
  uint16_t negotiated_version() const { return negotiated_version_; }
  const SslClientSessionCache::Key& session_key() const { return session_key_; }
  // Whether the handshake offered a cached session (never for kUnbound).
  bool session_offered() const { return session_offered_; }
  // Whether the server asked for a client certificate (a CertificateRequest).
  bool client_certificate_requested() const {
    return client_certificate_requested_;
  }
  // Still waiting for BindToPrivacyMode(), and the tickets held until then.
  bool is_unbound() const { return unbound_; }
  size_t held_session_count() const { return held_sessions_.size(); }
  // SHA-256 digests of the SubjectPublicKeyInfo of the leaf (first) and of
  // the certificates the server sent with it, once the handshake verified
  // them (a resumed session verifies nothing: empty).
  const std::vector<std::string>& peer_spki_hashes() const {
    return peer_spki_hashes_;
  }
  // The X509_V_ERR_* code that config's SPKI allowlist waived, or 0.
  int ignored_certificate_error() const { return ignored_certificate_error_; }
  // What went wrong in the last failed operation, in words; "" if nothing did.
  const std::string& error_detail() const { return error_detail_; }

 private:
  // Sets up the SSL object from the config; OK or a config error.
  int Init();
  int DoHandshake();
  int DidCompleteHandshake();
  // Ends the SSL_CONNECT NetLog event with the outcome.
  void LogHandshakeEnd(int result);
  int DoPayloadRead();
  int DoPayloadWrite();
  // Maps a failed SSL_* call (its SSL_get_error code) to a net error and fills
  // error_detail_.
  int MapSslError(int ssl_error, bool in_handshake);
  int MapCertificateVerifyResult(long verify_result);

  enum class TlsPeekResult { kIdle, kHasData, kClosed };
  // Processes whatever TLS records are waiting (tickets, alerts, close_notify)
  // and says what is left. Only while no Read is pending.
  TlsPeekResult PeekTls() const;

  void RetryHandshake();
  void RetryRead();
  void RetryWrite();

  // SocketBioAdapter::Delegate:
  void OnReadReady() override;
  void OnWriteReady() override;

  static SSL_CTX* GetClientContext();
  static int NewSessionCallback(SSL* ssl, SSL_SESSION* session);
  static int ClientCertificateCallback(SSL* ssl, void* arg);
  // BoringSSL's per-certificate verification hook: records the peer's SPKI
  // digests and waives an error when one of them is allowlisted.
  static int VerifyCallback(int ok, X509_STORE_CTX* store_ctx);

  std::unique_ptr<StreamSocket> transport_;
  const SslConfig config_;
  SslClientSessionCache::Key session_key_;
  SslClientSessionCache* const session_cache_;
  bool unbound_;
  std::vector<bssl::UniquePtr<SSL_SESSION>> held_sessions_;

  std::unique_ptr<SocketBioAdapter> transport_adapter_;
  bssl::UniquePtr<SSL> ssl_;

  bool completed_handshake_ = false;
  bool session_resumed_ = false;
  bool session_offered_ = false;
  bool client_certificate_requested_ = false;
  bool was_ever_used_ = false;
  uint16_t negotiated_version_ = 0;
  std::string negotiated_protocol_;
  std::string error_detail_;
  // SHA-256 SPKI digests of the leaf and the certificates sent with it.
  std::vector<std::string> peer_spki_hashes_;
  // The X509_V_ERR_* the SPKI allowlist waived (first one), or 0.
  int ignored_certificate_error_ = 0;

  CompletionOnceCallback connect_callback_;
  char* user_read_buf_ = nullptr;
  int user_read_len_ = 0;
  CompletionOnceCallback read_callback_;
  const char* user_write_buf_ = nullptr;
  int user_write_len_ = 0;
  CompletionOnceCallback write_callback_;

  WeakPtrFactory<SslClientSocket> weak_factory_{this};
};

}  // namespace net

#endif  // NET_SSL_SSL_CLIENT_SOCKET_H_
