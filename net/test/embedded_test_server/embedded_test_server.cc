#include "net/test/embedded_test_server/embedded_test_server.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "openssl/err.h"
#include "openssl/ssl.h"

namespace net::test_server {

namespace {

// The name a kWrongHost leaf is issued for: never what a test client asks for.
constexpr char kWrongHostName[] = "wrong-host.invalid";

}  // namespace

EmbeddedTestServer::SslServerConfig::SslServerConfig() = default;
EmbeddedTestServer::SslServerConfig::SslServerConfig(const SslServerConfig&) =
    default;
EmbeddedTestServer::SslServerConfig&
EmbeddedTestServer::SslServerConfig::operator=(const SslServerConfig&) =
    default;
EmbeddedTestServer::SslServerConfig::~SslServerConfig() = default;

EmbeddedTestServer::EmbeddedTestServer(Type type)
    : type_(type),
      certificate_authority_("prewarm EmbeddedTestServer Root CA") {}

// Members go in reverse order: the listener first, then the connections,
// which close their fds without calling back into us.
EmbeddedTestServer::~EmbeddedTestServer() = default;

void EmbeddedTestServer::SetCertificateKind(CertificateKind kind) {
  DCHECK(!Started());
  certificate_kind_ = kind;
}

void EmbeddedTestServer::SetSslServerConfig(const SslServerConfig& config) {
  DCHECK(!Started());
  ssl_config_ = config;
}

void EmbeddedTestServer::SetAdditionalCertificateNames(
    std::vector<std::string> names) {
  additional_certificate_names_ = std::move(names);
}

void EmbeddedTestServer::EnableHttp2(const Http2ServerConfig& config) {
  ssl_config_.alpn_protocols = {"h2", "http/1.1"};
  http2_config_ = config;
}

void EmbeddedTestServer::RegisterRequestHandler(HandleRequestCallback handler) {
  DCHECK(!Started());
  handlers_.push_back(std::move(handler));
}

void EmbeddedTestServer::SetIdleConnectionTimeout(absl::Duration timeout) {
  idle_timeout_ = timeout;
}

void EmbeddedTestServer::SetStallNewConnections(bool stall) {
  stall_new_connections_ = stall;
}

int EmbeddedTestServer::Start(const IPAddress& address) {
  DCHECK(!Started());
  if (type_ == Type::kHttps) {
    int rv = InitSslContext();
    if (rv != OK)
      return rv;
  }
  return listener_.Listen(address);
}

int EmbeddedTestServer::InitSslContext() {
  ssl_context_.reset(SSL_CTX_new(TLS_method()));
  CHECK(ssl_context_);
  if (!SSL_CTX_set_min_proto_version(ssl_context_.get(),
                                     ssl_config_.version_min) ||
      !SSL_CTX_set_max_proto_version(ssl_context_.get(),
                                     ssl_config_.version_max)) {
    ERR_clear_error();
    return ERR_INVALID_ARGUMENT;
  }
  SSL_CTX_set_cert_cb(ssl_context_.get(),
                      &EmbeddedTestServer::SelectCertificate, this);
  if (ssl_config_.request_client_certificate) {
    // Ask, accept whatever comes (nothing, from prewarm's clients).
    SSL_CTX_set_custom_verify(ssl_context_.get(), SSL_VERIFY_PEER,
                              [](SSL*, uint8_t*) { return ssl_verify_ok; });
  }
  SSL_CTX_set_alpn_select_cb(ssl_context_.get(),
                             &EmbeddedTestServer::SelectAlpn, this);
  SSL_CTX_set_mode(ssl_context_.get(), SSL_MODE_ENABLE_PARTIAL_WRITE |
                                           SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return OK;
}

HostPortPair EmbeddedTestServer::host_port_pair() const {
  return HostPortPair(endpoint().address().ToString(), endpoint().port());
}

std::string EmbeddedTestServer::GetUrl(std::string_view path) const {
  return GetUrl(host_port_pair().HostForUrl(), path);
}

std::string EmbeddedTestServer::GetUrl(std::string_view hostname,
                                       std::string_view path) const {
  return absl::StrCat(type_ == Type::kHttps ? "https://" : "http://",
                      absl::string_view(hostname.data(), hostname.size()), ":",
                      endpoint().port(),
                      absl::string_view(path.data(), path.size()));
}

void EmbeddedTestServer::CloseAllConnections() {
  // Close() calls OnConnectionClosed, which only schedules deletion, so
  // iterating is safe.
  for (const auto& connection : connections_)
    connection->Close();
}

void EmbeddedTestServer::OnAccepted(int fd) {
  // Without this, Nagle holds a response back behind the client's delayed ACK
  // of the tickets sent just before it, adding ~40 ms per exchange.
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
  ++num_accepted_connections_;
  HttpConnection* connection =
      connections_.Add(std::make_unique<HttpConnection>(
          fd, num_accepted_connections_,
          type_ == Type::kHttps ? ssl_context_.get() : nullptr, idle_timeout_,
          http2_config_, static_cast<HttpConnection::Delegate*>(this)));
  if (!stall_new_connections_)
    connection->Start();
}

HttpResponse EmbeddedTestServer::HandleRequest(const HttpRequest& request) {
  ++num_requests_;
  for (HandleRequestCallback& handler : handlers_) {
    if (std::optional<HttpResponse> response = handler(request))
      return *std::move(response);
  }
  HttpResponse not_found;
  not_found.set_code(404);
  not_found.set_content(absl::StrCat("no handler for ", request.relative_url));
  return not_found;
}

void EmbeddedTestServer::OnTlsHandshakeComplete(HttpConnection* connection,
                                                bool resumed) {
  ++num_tls_handshakes_;
  if (resumed)
    ++num_resumed_tls_handshakes_;
}

void EmbeddedTestServer::OnConnectionClosed(HttpConnection* connection) {
  connections_.OnConnectionClosed();
}

const TestCertificateAuthority::Leaf& EmbeddedTestServer::LeafFor(
    const std::string& name) {
  auto it = leaves_.find(name);
  if (it != leaves_.end())
    return it->second;
  const TestCertificateAuthority* issuer = &certificate_authority_;
  std::vector<std::string> names = {name};
  TestCertificateAuthority::Validity validity =
      TestCertificateAuthority::Validity::kValid;
  switch (certificate_kind_) {
    case CertificateKind::kValid:
      for (const std::string& extra : additional_certificate_names_) {
        if (extra != name)
          names.push_back(extra);
      }
      break;
    case CertificateKind::kExpired:
      validity = TestCertificateAuthority::Validity::kExpired;
      break;
    case CertificateKind::kNotYetValid:
      validity = TestCertificateAuthority::Validity::kNotYetValid;
      break;
    case CertificateKind::kWrongHost:
      names = {kWrongHostName};
      break;
    case CertificateKind::kUntrustedIssuer:
      if (!untrusted_authority_) {
        untrusted_authority_ = std::make_unique<TestCertificateAuthority>(
            "prewarm Untrusted Root CA");
      }
      issuer = untrusted_authority_.get();
      break;
  }
  return leaves_.emplace(name, issuer->IssueLeaf(names, validity))
      .first->second;
}

// static
int EmbeddedTestServer::SelectCertificate(SSL* ssl, void* server) {
  auto* self = static_cast<EmbeddedTestServer*>(server);
  const char* server_name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  // No SNI means the client connected by IP literal: certify the listen
  // address.
  const std::string name =
      server_name ? server_name : self->endpoint().address().ToString();
  const TestCertificateAuthority::Leaf& leaf = self->LeafFor(name);
  if (!SSL_use_certificate(ssl, leaf.certificate.get()) ||
      !SSL_use_PrivateKey(ssl, leaf.private_key.get())) {
    return 0;
  }
  return 1;
}

// static
int EmbeddedTestServer::SelectAlpn(SSL* ssl,
                                   const uint8_t** out,
                                   uint8_t* out_length,
                                   const uint8_t* in,
                                   unsigned in_length,
                                   void* server) {
  auto* self = static_cast<EmbeddedTestServer*>(server);
  for (const std::string& preferred : self->ssl_config_.alpn_protocols) {
    unsigned offset = 0;
    while (offset < in_length) {
      const uint8_t length = in[offset];
      if (offset + 1 + length > in_length)
        break;
      if (std::string_view(reinterpret_cast<const char*>(in + offset + 1),
                           length) == preferred) {
        *out = in + offset + 1;
        *out_length = length;
        return SSL_TLSEXT_ERR_OK;
      }
      offset += 1 + length;
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace net::test_server
