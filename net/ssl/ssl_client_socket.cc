#include "net/ssl/ssl_client_socket.h"

#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/log/net_log_values.h"
#include "net/log/net_log_with_source.h"
#include "net/ssl/pem_certificates.h"
#include "net/ssl/spki_hash.h"
#include "openssl/bio.h"
#include "openssl/err.h"
#include "openssl/pem.h"
#include "openssl/ssl.h"
#include "openssl/x509.h"
#include "openssl/x509v3.h"

namespace net {

namespace {

// One TLS record plus framing, as Chromium sizes its transport buffers.
constexpr size_t kTransportBufferSize = 17 * 1024;

int SocketExDataIndex() {
  static const int index =
      SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool IsIpLiteral(const std::string& host) {
  bssl::UniquePtr<ASN1_OCTET_STRING> ip(a2i_IPADDRESS(host.c_str()));
  return ip != nullptr;
}

std::string DescribeErrorQueue() {
  uint32_t packed = ERR_peek_error();
  if (packed == 0)
    return std::string();
  char buffer[256];
  ERR_error_string_n(packed, buffer, sizeof(buffer));
  return buffer;
}

}  // namespace

// static
SSL_CTX* SslClientSocket::GetClientContext() {
  // One process-wide client SSL_CTX, like Chromium's SSLContext singleton.
  // Everything that differs per connection (versions, ALPN, trusted roots,
  // host) is set on the SSL, so one context serves every socket. Intentionally
  // never freed.
  static SSL_CTX* const context = [] {
    SSL_CTX* ctx = SSL_CTX_new(TLS_method());
    CHECK(ctx);
    // Verification is never optional: the built-in verifier runs on every
    // handshake and a failure aborts it. If the system directory is missing the
    // store is simply empty and every public certificate fails as untrusted -
    // never accepted.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_load_verify_locations(ctx, nullptr, SslConfig::kSystemCaDirectory);
    ERR_clear_error();
    // The cache is ours (keyed by partition); BoringSSL only hands us new
    // sessions, including TLS 1.3 tickets that arrive after the handshake.
    SSL_CTX_set_session_cache_mode(
        ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_sess_set_new_cb(ctx, &SslClientSocket::NewSessionCallback);
    // On a client BoringSSL runs this only when the server sent a
    // CertificateRequest; we send no certificate but remember that it asked.
    SSL_CTX_set_cert_cb(ctx, &SslClientSocket::ClientCertificateCallback,
                        nullptr);
    // BoringSSL defines RELEASE_BUFFERS as 0 because it always frees its record
    // buffers when idle; set anyway so the intent survives a library switch.
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS |
                              SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_grease_enabled(ctx, 1);
    return ctx;
  }();
  return context;
}

SslClientSocket::SslClientSocket(std::unique_ptr<StreamSocket> transport,
                                 const SslConfig& config,
                                 const SslClientSessionCache::Key& session_key,
                                 SslClientSessionCache* session_cache,
                                 Binding binding)
    : transport_(std::move(transport)),
      config_(config),
      session_key_(session_key),
      session_cache_(session_cache),
      unbound_(binding == Binding::kUnbound) {
  CHECK(transport_);
}

SslClientSocket::~SslClientSocket() {
  Disconnect();
}

int SslClientSocket::Connect(CompletionOnceCallback callback) {
  DCHECK(!ssl_ && !connect_callback_);
  error_detail_.clear();
  NetLog().BeginEvent(NetLogEventType::SSL_CONNECT);
  int rv = Init();
  if (rv == OK)
    rv = DoHandshake();
  if (rv == ERR_IO_PENDING)
    connect_callback_ = std::move(callback);
  else
    LogHandshakeEnd(rv);
  return rv;
}

int SslClientSocket::Init() {
  const std::string& host = session_key_.server.host();
  if (host.empty() || host.find('\0') != std::string::npos) {
    error_detail_ = "TLS needs a non-empty host name to verify";
    return ERR_INVALID_ARGUMENT;
  }
  if (config_.version_min < SslConfig::kTls12 ||
      config_.version_max > SslConfig::kTls13) {
    error_detail_ = absl::StrCat(
        "unsupported TLS version range 0x", absl::Hex(config_.version_min),
        "-0x", absl::Hex(config_.version_max), " (TLS 1.2 and 1.3 only)");
    return ERR_INVALID_ARGUMENT;
  }
  if (config_.version_min > config_.version_max) {
    error_detail_ = "minimum TLS version is above the maximum";
    return ERR_NO_SSL_VERSIONS_ENABLED;
  }
  std::string alpn_wire;
  for (const std::string& protocol : config_.alpn_protocols) {
    if (protocol.empty() || protocol.size() > 255) {
      error_detail_ = absl::StrCat("invalid ALPN protocol \"", protocol, "\"");
      return ERR_INVALID_ARGUMENT;
    }
    alpn_wire.push_back(static_cast<char>(protocol.size()));
    alpn_wire += protocol;
  }

  bssl::UniquePtr<X509_STORE> trusted_roots;
  if (!config_.trusted_root_certificates_pem.empty() ||
      !config_.additional_trust_anchors_pem.empty()) {
    trusted_roots.reset(X509_STORE_new());
    if (config_.trusted_root_certificates_pem.empty()) {
      // Extra anchors join the system store instead of replacing it.
      X509_STORE_load_locations(trusted_roots.get(), nullptr,
                                SslConfig::kSystemCaDirectory);
      ERR_clear_error();
    } else if (AddPemCertificates(config_.trusted_root_certificates_pem,
                                  trusted_roots.get()) == 0) {
      error_detail_ = "trusted root PEM contains no certificate";
      return ERR_INVALID_ARGUMENT;
    }
    if (!config_.additional_trust_anchors_pem.empty() &&
        AddPemCertificates(config_.additional_trust_anchors_pem,
                           trusted_roots.get()) == 0) {
      error_detail_ = "the extra trust anchors' PEM contains no certificate";
      return ERR_INVALID_ARGUMENT;
    }
  }

  ssl_.reset(SSL_new(GetClientContext()));
  CHECK(ssl_);
  SSL_set_ex_data(ssl_.get(), SocketExDataIndex(), this);
  SSL_set_connect_state(ssl_.get());
  CHECK(SSL_set_min_proto_version(ssl_.get(), config_.version_min));
  CHECK(SSL_set_max_proto_version(ssl_.get(), config_.version_max));
  if (!alpn_wire.empty()) {
    CHECK(SSL_set_alpn_protos(
              ssl_.get(), reinterpret_cast<const uint8_t*>(alpn_wire.data()),
              alpn_wire.size()) == 0);
  }
  if (trusted_roots)
    CHECK(SSL_set0_verify_cert_store(ssl_.get(), trusted_roots.release()));
  SSL_set_verify(ssl_.get(), SSL_VERIFY_PEER, &SslClientSocket::VerifyCallback);

  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
  if (IsIpLiteral(host)) {
    // RFC 6066: no SNI for IP literals; the certificate must name the IP.
    CHECK(X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()));
  } else {
    X509_VERIFY_PARAM_set_hostflags(param,
                                    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS |
                                        X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    if (!X509_VERIFY_PARAM_set1_host(param, host.data(), host.size()) ||
        !SSL_set_tlsext_host_name(ssl_.get(), host.c_str())) {
      ERR_clear_error();
      error_detail_ = absl::StrCat("invalid host name \"", host, "\"");
      ssl_.reset();
      return ERR_INVALID_ARGUMENT;
    }
  }

  // An unbound socket never resumes: a session links it to the connection
  // that received the ticket, in the partition it was warmed for.
  if (session_cache_ && !unbound_) {
    if (bssl::UniquePtr<SSL_SESSION> session =
            session_cache_->Lookup(session_key_)) {
      SSL_set_session(ssl_.get(), session.get());
      session_offered_ = true;
      NetLog().AddEventWithStringParams(NetLogEventType::SSL_SESSION_CACHE_HIT,
                                        "session_cache_key",
                                        session_key_.ToDebugString());
    }
  }

  transport_adapter_ = std::make_unique<SocketBioAdapter>(
      transport_.get(), kTransportBufferSize, kTransportBufferSize,
      static_cast<SocketBioAdapter::Delegate*>(this));
  BIO* bio = transport_adapter_->bio();
  // With the same BIO for reading and writing, SSL_set_bio takes a single
  // reference; the adapter keeps its own.
  BIO_up_ref(bio);
  SSL_set_bio(ssl_.get(), bio, bio);
  return OK;
}

int SslClientSocket::DoHandshake() {
  ERR_clear_error();
  int ret = SSL_do_handshake(ssl_.get());
  if (ret == 1)
    return DidCompleteHandshake();
  int ssl_error = SSL_get_error(ssl_.get(), ret);
  if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE) {
    // A failed background write would otherwise leave the handshake waiting for
    // a read that may never come.
    if (transport_adapter_->write_error() != OK) {
      error_detail_ = "transport write failed during the TLS handshake";
      return transport_adapter_->write_error();
    }
    return ERR_IO_PENDING;
  }
  return MapSslError(ssl_error, /*in_handshake=*/true);
}

int SslClientSocket::DidCompleteHandshake() {
  completed_handshake_ = true;
  session_resumed_ = SSL_session_reused(ssl_.get());
  negotiated_version_ = SSL_version(ssl_.get());
  const uint8_t* alpn = nullptr;
  unsigned alpn_length = 0;
  SSL_get0_alpn_selected(ssl_.get(), &alpn, &alpn_length);
  negotiated_protocol_.assign(reinterpret_cast<const char*>(alpn), alpn_length);
  return OK;
}

// static
int SslClientSocket::VerifyCallback(int ok, X509_STORE_CTX* store_ctx) {
  SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(
      store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* socket =
      static_cast<SslClientSocket*>(SSL_get_ex_data(ssl, SocketExDataIndex()));
  if (socket->peer_spki_hashes_.empty()) {
    // The leaf, then what the server sent with it, for the allowlist and
    // for the error message (the user needs the digest to allow a key).
    if (X509* leaf = X509_STORE_CTX_get0_cert(store_ctx))
      socket->peer_spki_hashes_.push_back(SpkiSha256(leaf));
    if (STACK_OF(X509)* sent = X509_STORE_CTX_get0_untrusted(store_ctx)) {
      for (size_t i = 0; i < sk_X509_num(sent); ++i) {
        std::string hash = SpkiSha256(sk_X509_value(sent, i));
        if (absl::c_find(socket->peer_spki_hashes_, hash) ==
            socket->peer_spki_hashes_.end()) {
          socket->peer_spki_hashes_.push_back(std::move(hash));
        }
      }
    }
  }
  if (ok)
    return 1;
  for (const std::string& allowed :
       socket->config_.ignore_certificate_errors_spki_hashes) {
    if (absl::c_find(socket->peer_spki_hashes_, allowed) !=
        socket->peer_spki_hashes_.end()) {
      // As Chromium's IgnoreErrorsCertVerifier: the user vouched for this
      // key, so this error (and the rest of this chain's) is waived.
      socket->ignored_certificate_error_ = X509_STORE_CTX_get_error(store_ctx);
      return 1;
    }
  }
  return 0;
}

int SslClientSocket::MapCertificateVerifyResult(long verify_result) {
  error_detail_ = absl::StrCat(
      "certificate verification failed: ",
      X509_verify_cert_error_string(verify_result),
      peer_spki_hashes_.empty()
          ? ""
          : absl::StrCat(" (server key sha256/",
                         SpkiHashToBase64(peer_spki_hashes_[0]), ")"));
  switch (verify_result) {
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
      return ERR_CERT_DATE_INVALID;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return ERR_CERT_COMMON_NAME_INVALID;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_INVALID_CA:
      return ERR_CERT_AUTHORITY_INVALID;
    default:
      return ERR_CERT_INVALID;
  }
}

int SslClientSocket::MapSslError(int ssl_error, bool in_handshake) {
  if (ssl_error == SSL_ERROR_ZERO_RETURN)
    return in_handshake ? ERR_CONNECTION_CLOSED : 0;
  if (ssl_error == SSL_ERROR_SYSCALL || ssl_error == SSL_ERROR_WANT_READ ||
      ssl_error == SSL_ERROR_WANT_WRITE) {
    // The BIO failed: the transport's own error says why.
    if (transport_adapter_->read_error() != OK) {
      error_detail_ =
          absl::StrCat("transport read failed: ",
                       ErrorToShortString(transport_adapter_->read_error()));
      return transport_adapter_->read_error();
    }
    if (transport_adapter_->write_error() != OK) {
      error_detail_ =
          absl::StrCat("transport write failed: ",
                       ErrorToShortString(transport_adapter_->write_error()));
      return transport_adapter_->write_error();
    }
  }
  uint32_t packed = ERR_peek_error();
  if (ssl_error == SSL_ERROR_SYSCALL && packed == 0) {
    // End of stream without close_notify. Many servers skip close_notify, so
    // after the handshake this is an ordinary end of stream (HTTP checks its
    // own framing).
    if (in_handshake) {
      error_detail_ = "connection closed during the TLS handshake";
      return ERR_CONNECTION_CLOSED;
    }
    return 0;
  }
  std::string queue = DescribeErrorQueue();
  ERR_clear_error();
  if (ERR_GET_LIB(packed) == ERR_LIB_SSL) {
    switch (ERR_GET_REASON(packed)) {
      case SSL_R_CERTIFICATE_VERIFY_FAILED:
        return MapCertificateVerifyResult(SSL_get_verify_result(ssl_.get()));
      case SSL_R_UNSUPPORTED_PROTOCOL:
      case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
      case SSL_R_NO_SHARED_CIPHER:
      case SSL_R_NO_CIPHERS_AVAILABLE:
      case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
        error_detail_ =
            absl::StrCat("no common TLS version or cipher: ", queue);
        return ERR_SSL_VERSION_OR_CIPHER_MISMATCH;
      default:
        break;
    }
  }
  error_detail_ = queue.empty() ? "TLS protocol error"
                                : absl::StrCat("TLS protocol error: ", queue);
  return ERR_SSL_PROTOCOL_ERROR;
}

void SslClientSocket::LogHandshakeEnd(int result) {
  const NetLogWithSource& net_log = NetLog();
  if (result != OK) {
    net_log.EndEvent(NetLogEventType::SSL_CONNECT, [&] {
      google::protobuf::Struct params;
      SetNetLogInt(&params, "net_error", result);
      SetNetLogString(&params, "message", error_detail_);
      return params;
    });
    return;
  }
  net_log.EndEvent(NetLogEventType::SSL_CONNECT, [&] {
    google::protobuf::Struct params;
    SetNetLogString(&params, "version", SSL_get_version(ssl_.get()));
    if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get()))
      SetNetLogString(&params, "cipher", SSL_CIPHER_get_name(cipher));
    SetNetLogString(&params, "alpn", negotiated_protocol_);
    SetNetLogBool(&params, "resumed", session_resumed_);
    if (ignored_certificate_error_ != 0) {
      SetNetLogString(&params, "ignored_certificate_error",
                      absl::StrCat(X509_verify_cert_error_string(
                                       ignored_certificate_error_),
                                   " (--ignore-certificate-errors-spki-list)"));
    }
    return params;
  });
  if (session_resumed_) {
    net_log.AddEventWithStringParams(NetLogEventType::SSL_SESSION_RESUMED,
                                     "session_cache_key",
                                     session_key_.ToDebugString());
  }
}

void SslClientSocket::Disconnect() {
  if (connect_callback_)
    LogHandshakeEnd(ERR_ABORTED);
  completed_handshake_ = false;
  connect_callback_ = nullptr;
  read_callback_ = nullptr;
  write_callback_ = nullptr;
  user_read_buf_ = nullptr;
  user_write_buf_ = nullptr;
  weak_factory_.InvalidateWeakPtrs();
  ssl_.reset();
  transport_adapter_.reset();
  transport_->Disconnect();
}

bool SslClientSocket::IsConnected() const {
  if (!completed_handshake_ || !transport_adapter_)
    return false;
  // With a Read outstanding, BoringSSL is busy; ask the transport only.
  if (user_read_buf_)
    return transport_->IsConnected();
  return PeekTls() != TlsPeekResult::kClosed;
}

bool SslClientSocket::IsConnectedAndIdle() const {
  if (!completed_handshake_ || !transport_adapter_ || user_read_buf_)
    return false;
  return PeekTls() == TlsPeekResult::kIdle && transport_->IsConnectedAndIdle();
}

SslClientSocket::TlsPeekResult SslClientSocket::PeekTls() const {
  if (transport_adapter_->read_eof() ||
      transport_adapter_->read_error() != OK ||
      transport_adapter_->write_error() != OK) {
    return TlsPeekResult::kClosed;
  }
  // Raw bytes on the transport are not necessarily application data: TLS 1.3
  // session tickets and close_notify arrive unasked. Let BoringSSL consume what
  // is there, so an idle socket with only tickets stays idle (and the tickets
  // reach the cache) and a closed one reads as closed. Logically const: the
  // records consumed carry no application data.
  SSL* ssl = ssl_.get();
  ERR_clear_error();
  char byte;
  int ret = SSL_peek(ssl, &byte, 1);
  if (ret > 0)
    return TlsPeekResult::kHasData;
  int ssl_error = SSL_get_error(ssl, ret);
  ERR_clear_error();
  if (ssl_error == SSL_ERROR_WANT_READ &&
      transport_adapter_->read_error() == OK &&
      !transport_adapter_->read_eof()) {
    return TlsPeekResult::kIdle;
  }
  return TlsPeekResult::kClosed;
}

int SslClientSocket::Read(char* buf, int len, CompletionOnceCallback callback) {
  DCHECK(!user_read_buf_);
  if (!completed_handshake_)
    return ERR_SOCKET_NOT_CONNECTED;
  if (len <= 0)
    return ERR_INVALID_ARGUMENT;
  user_read_buf_ = buf;
  user_read_len_ = len;
  int rv = DoPayloadRead();
  if (rv == ERR_IO_PENDING) {
    read_callback_ = std::move(callback);
  } else {
    user_read_buf_ = nullptr;
    user_read_len_ = 0;
  }
  return rv;
}

int SslClientSocket::DoPayloadRead() {
  ERR_clear_error();
  int ret = SSL_read(ssl_.get(), user_read_buf_, user_read_len_);
  if (ret > 0) {
    was_ever_used_ = true;
    return ret;
  }
  int ssl_error = SSL_get_error(ssl_.get(), ret);
  if (ssl_error == SSL_ERROR_WANT_READ &&
      transport_adapter_->read_error() == OK)
    return ERR_IO_PENDING;
  return MapSslError(ssl_error, /*in_handshake=*/false);
}

int SslClientSocket::Write(const char* buf,
                           int len,
                           CompletionOnceCallback callback) {
  DCHECK(!user_write_buf_);
  if (!completed_handshake_)
    return ERR_SOCKET_NOT_CONNECTED;
  if (len <= 0)
    return ERR_INVALID_ARGUMENT;
  user_write_buf_ = buf;
  user_write_len_ = len;
  int rv = DoPayloadWrite();
  if (rv == ERR_IO_PENDING) {
    write_callback_ = std::move(callback);
  } else {
    user_write_buf_ = nullptr;
    user_write_len_ = 0;
  }
  return rv;
}

int SslClientSocket::DoPayloadWrite() {
  ERR_clear_error();
  int ret = SSL_write(ssl_.get(), user_write_buf_, user_write_len_);
  if (ret > 0) {
    was_ever_used_ = true;
    return ret;
  }
  int ssl_error = SSL_get_error(ssl_.get(), ret);
  if (ssl_error == SSL_ERROR_WANT_WRITE &&
      transport_adapter_->write_error() == OK) {
    return ERR_IO_PENDING;
  }
  return MapSslError(ssl_error, /*in_handshake=*/false);
}

void SslClientSocket::RetryHandshake() {
  if (!connect_callback_)
    return;
  int rv = DoHandshake();
  if (rv == ERR_IO_PENDING)
    return;
  LogHandshakeEnd(rv);
  RunStoredCallback(connect_callback_, rv);
}

void SslClientSocket::RetryRead() {
  if (!user_read_buf_)
    return;
  int rv = DoPayloadRead();
  if (rv == ERR_IO_PENDING)
    return;
  user_read_buf_ = nullptr;
  user_read_len_ = 0;
  RunStoredCallback(read_callback_, rv);
}

void SslClientSocket::RetryWrite() {
  if (!user_write_buf_)
    return;
  int rv = DoPayloadWrite();
  if (rv == ERR_IO_PENDING)
    return;
  user_write_buf_ = nullptr;
  user_write_len_ = 0;
  RunStoredCallback(write_callback_, rv);
}

void SslClientSocket::OnReadReady() {
  if (!completed_handshake_) {
    RetryHandshake();
    return;
  }
  RetryRead();
}

void SslClientSocket::OnWriteReady() {
  if (!completed_handshake_) {
    RetryHandshake();
    return;
  }
  // A read callback may destroy this socket; only continue if it did not.
  WeakPtr<SslClientSocket> weak = weak_factory_.GetWeakPtr();
  RetryWrite();
  // A write error will also fail a pending read; report it now rather than
  // wait.
  if (weak && transport_adapter_ && transport_adapter_->write_error() != OK)
    RetryRead();
}

bool SslClientSocket::WasEverUsed() const {
  return was_ever_used_;
}

int SslClientSocket::GetPeerAddress(IPEndPoint* address) const {
  return transport_->GetPeerAddress(address);
}

int SslClientSocket::GetLocalAddress(IPEndPoint* address) const {
  return transport_->GetLocalAddress(address);
}

bool SslClientSocket::IsCertificateValidForHost(const std::string& host) const {
  if (!completed_handshake_ || !ssl_ || host.empty())
    return false;
  // The chain was verified against the trusted roots in the handshake; what
  // is left is whether the verified leaf also names `host`, with the same
  // rules as the handshake's own check.
  bssl::UniquePtr<X509> leaf(SSL_get_peer_certificate(ssl_.get()));
  if (!leaf || SSL_get_verify_result(ssl_.get()) != X509_V_OK)
    return false;
  if (IsIpLiteral(host))
    return X509_check_ip_asc(leaf.get(), host.c_str(), 0) == 1;
  return X509_check_host(leaf.get(), host.data(), host.size(),
                         X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS |
                             X509_CHECK_FLAG_NEVER_CHECK_SUBJECT,
                         nullptr) == 1;
}

std::string SslClientSocket::GetNegotiatedProtocol() const {
  return negotiated_protocol_;
}

const NetLogWithSource& SslClientSocket::NetLog() const {
  return transport_->NetLog();
}

bool SslClientSocket::CanBindToOtherPrivacyMode() const {
  return !was_ever_used_ && !session_offered_ && !client_certificate_requested_;
}

void SslClientSocket::BindToPrivacyMode(PrivacyMode privacy_mode) {
  if (!unbound_)
    return;
  unbound_ = false;
  session_key_.privacy_mode = privacy_mode;
  std::vector<bssl::UniquePtr<SSL_SESSION>> held = std::move(held_sessions_);
  held_sessions_.clear();
  if (!session_cache_)
    return;
  for (bssl::UniquePtr<SSL_SESSION>& session : held) {
    session_cache_->Insert(session_key_, std::move(session));
    NetLog().AddEventWithStringParams(NetLogEventType::SSL_SESSION_CACHED,
                                      "session_cache_key",
                                      session_key_.ToDebugString());
  }
}

// static
int SslClientSocket::ClientCertificateCallback(SSL* ssl, void* arg) {
  auto* socket =
      static_cast<SslClientSocket*>(SSL_get_ex_data(ssl, SocketExDataIndex()));
  if (socket)
    socket->client_certificate_requested_ = true;
  return 1;  // Continue without a certificate.
}

// static
int SslClientSocket::NewSessionCallback(SSL* ssl, SSL_SESSION* session) {
  auto* socket =
      static_cast<SslClientSocket*>(SSL_get_ex_data(ssl, SocketExDataIndex()));
  if (!socket || !socket->session_cache_)
    return 0;  // BoringSSL keeps ownership and frees it.
  if (socket->unbound_) {
    // Kept until the socket is bound: stored under the warmed group, it would
    // link a later connection of that group to this one's requests.
    constexpr size_t kMaxHeldSessions = 2;
    if (socket->held_sessions_.size() >= kMaxHeldSessions)
      socket->held_sessions_.erase(socket->held_sessions_.begin());
    socket->held_sessions_.emplace_back(session);
    return 1;
  }
  socket->session_cache_->Insert(socket->session_key_,
                                 bssl::UniquePtr<SSL_SESSION>(session));
  socket->NetLog().AddEventWithStringParams(
      NetLogEventType::SSL_SESSION_CACHED, "session_cache_key",
      socket->session_key_.ToDebugString());
  return 1;  // We took ownership.
}

}  // namespace net
