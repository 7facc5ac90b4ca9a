#include "net/ssl/ssl_client_socket.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_source_type.h"
#include "net/log/net_log_with_source.h"
#include "net/log/recording_net_log_observer.h"
#include "net/socket/tcp_client_socket.h"
#include "net/ssl/spki_hash.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_config.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/stream_socket_test_util.h"
#include "net/test/test_certificate_authority.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

using test_server::EmbeddedTestServer;
using test_server::HttpRequest;
using test_server::HttpResponse;

NetworkAnonymizationKey Nak(const char* top_frame_url) {
  return NetworkAnonymizationKey::CreateSameSite(
      SchemefulSite(Url::Parse(top_frame_url)));
}

class SslClientSocketTest : public testing::Test {
 protected:
  SslClientSocketTest()
      : server_(EmbeddedTestServer::Type::kHttps),
        session_cache_(loop_.clock()) {
    server_.RegisterRequestHandler(
        [this](const HttpRequest& request) -> std::optional<HttpResponse> {
          last_request_ = request;
          HttpResponse response;
          response.set_content("secure " + request.relative_url);
          if (request.relative_url == "/reset")
            response.set_misbehavior(HttpResponse::Misbehavior::kReset);
          return response;
        });
  }

  SslConfig TrustingConfig() {
    SslConfig config;
    config.trusted_root_certificates_pem = server_.root_certificate_pem();
    return config;
  }

  // Connects TCP to the server, then TLS for `host` in partition (nak,
  // privacy_mode).
  int Connect(
      const std::string& host,
      const SslConfig& config,
      std::unique_ptr<SslClientSocket>* out,
      const NetworkAnonymizationKey& nak = NetworkAnonymizationKey(),
      PrivacyMode privacy_mode = PrivacyMode::kDisabled,
      SslClientSessionCache* cache = nullptr,
      SslClientSocket::Binding binding = SslClientSocket::Binding::kBound) {
    auto transport = std::make_unique<TcpClientSocket>(
        std::vector<IPEndPoint>{server_.endpoint()}, TcpClientSocket::Options(),
        NetLogWithSource());
    TestCompletionCallback callback;
    int rv = callback.GetResult(transport->Connect(callback.callback()));
    if (rv != OK)
      return rv;
    SslClientSessionCache::Key key{HostPortPair(host, server_.port()), nak,
                                   privacy_mode};
    *out = std::make_unique<SslClientSocket>(std::move(transport), config, key,
                                             cache, binding);
    return callback.GetResult((*out)->Connect(callback.callback()));
  }

  int ConnectWithCache(const std::string& host,
                       std::unique_ptr<SslClientSocket>* out,
                       const NetworkAnonymizationKey& nak,
                       PrivacyMode privacy_mode = PrivacyMode::kDisabled) {
    return Connect(host, TrustingConfig(), out, nak, privacy_mode,
                   &session_cache_);
  }

  // GETs `path` and reads the whole (known-length) response; "" and `error` on
  // failure.
  std::string Fetch(StreamSocket* socket,
                    const std::string& path,
                    int* error = nullptr) {
    int rv = WriteAll(socket, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    if (rv != OK) {
      if (error)
        *error = rv;
      return "";
    }
    HttpResponse expected;
    expected.set_content("secure " + path);
    return ReadUpTo(socket, expected.ToString().size(), error);
  }

  // A guessed preconnect's socket (docs/pool-selection.md section 9).
  int ConnectUnbound(const std::string& host,
                     std::unique_ptr<SslClientSocket>* out,
                     const NetworkAnonymizationKey& nak,
                     PrivacyMode privacy_mode) {
    return Connect(host, TrustingConfig(), out, nak, privacy_mode,
                   &session_cache_, SslClientSocket::Binding::kUnbound);
  }

  // Runs the loop until the server finished `n` handshakes (bounded, so a
  // broken server fails the test instead of hanging it) and the client has
  // processed what came after them.
  void WaitForServerHandshakes(int n, StreamSocket* socket) {
    for (int i = 0; i < 1000 && server_.num_tls_handshakes() < n; ++i)
      loop_.RunUntilIdle();
    ASSERT_EQ(n, server_.num_tls_handshakes());
    EXPECT_TRUE(socket->IsConnectedAndIdle());
  }

  EventLoop loop_;
  EmbeddedTestServer server_;
  SslClientSessionCache session_cache_;
  std::optional<HttpRequest> last_request_;
};

TEST_F(SslClientSocketTest, Tls13HandshakeNegotiatesHttp11AndCarriesRequests) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  EXPECT_EQ(SslConfig::kTls13, socket->negotiated_version());
  EXPECT_EQ("http/1.1", socket->GetNegotiatedProtocol());
  EXPECT_FALSE(socket->session_resumed());
  EXPECT_TRUE(socket->IsConnected());
  EXPECT_FALSE(socket->WasEverUsed());

  HttpResponse expected;
  expected.set_content("secure /one");
  EXPECT_EQ(expected.ToString(), Fetch(socket.get(), "/one"));
  EXPECT_TRUE(socket->WasEverUsed());
  ASSERT_TRUE(last_request_);
  EXPECT_EQ("a.test", last_request_->sni_host);
  // Keep-alive: a second request on the same TLS connection.
  expected.set_content("secure /two");
  EXPECT_EQ(expected.ToString(), Fetch(socket.get(), "/two"));
  EXPECT_EQ(1, server_.num_accepted_connections());
  EXPECT_EQ(1, server_.num_tls_handshakes());
  // Everything sent was read: idle and reusable.
  EXPECT_TRUE(socket->IsConnectedAndIdle());
}

TEST_F(SslClientSocketTest, Tls12CanBeForced) {
  ASSERT_EQ(OK, server_.Start());
  SslConfig config = TrustingConfig();
  config.version_max = SslConfig::kTls12;
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", config, &socket));
  EXPECT_EQ(SslConfig::kTls12, socket->negotiated_version());
}

TEST_F(SslClientSocketTest, IpLiteralIsVerifiedAgainstIpAddressName) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("127.0.0.1", TrustingConfig(), &socket));
  ASSERT_TRUE(Fetch(socket.get(), "/ip").size() > 0);
  EXPECT_EQ("", last_request_->sni_host);  // No SNI for IP literals.
}

TEST_F(SslClientSocketTest, SystemRootsDoNotTrustTheTestCa) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(ERR_CERT_AUTHORITY_INVALID,
            Connect("a.test", SslConfig(), &socket));
  EXPECT_NE(std::string::npos, socket->error_detail().find("certificate"));
  EXPECT_FALSE(socket->IsConnected());
}

TEST_F(SslClientSocketTest, ExpiredCertificateIsDateInvalid) {
  server_.SetCertificateKind(EmbeddedTestServer::CertificateKind::kExpired);
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(ERR_CERT_DATE_INVALID,
            Connect("a.test", TrustingConfig(), &socket));
  EXPECT_NE(std::string::npos, socket->error_detail().find("expired"));
}

TEST_F(SslClientSocketTest, NotYetValidCertificateIsDateInvalid) {
  server_.SetCertificateKind(EmbeddedTestServer::CertificateKind::kNotYetValid);
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(ERR_CERT_DATE_INVALID,
            Connect("a.test", TrustingConfig(), &socket));
}

TEST_F(SslClientSocketTest, CertificateForAnotherHostIsCommonNameInvalid) {
  server_.SetCertificateKind(EmbeddedTestServer::CertificateKind::kWrongHost);
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(ERR_CERT_COMMON_NAME_INVALID,
            Connect("a.test", TrustingConfig(), &socket));
  EXPECT_EQ(ERR_CERT_COMMON_NAME_INVALID,
            Connect("127.0.0.1", TrustingConfig(), &socket));
}

TEST_F(SslClientSocketTest, UntrustedIssuerIsAuthorityInvalid) {
  server_.SetCertificateKind(
      EmbeddedTestServer::CertificateKind::kUntrustedIssuer);
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(ERR_CERT_AUTHORITY_INVALID,
            Connect("a.test", TrustingConfig(), &socket));
}

TEST_F(SslClientSocketTest, ExtraTrustAnchorIsTrustedAlongsideTheSystemStore) {
  ASSERT_EQ(OK, server_.Start());
  SslConfig config;
  config.additional_trust_anchors_pem = server_.root_certificate_pem();
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(OK, Connect("a.test", config, &socket));
  EXPECT_EQ(0, socket->ignored_certificate_error());
  // Verification stays on: the host is still checked.
  EXPECT_EQ(ERR_CERT_COMMON_NAME_INVALID,
            Connect("127.0.0.2", config, &socket));
}

TEST_F(SslClientSocketTest,
       WrongExtraTrustAnchorIsAuthorityInvalidNamingTheKey) {
  ASSERT_EQ(OK, server_.Start());
  TestCertificateAuthority other("another CA");
  SslConfig config;
  config.additional_trust_anchors_pem = other.root_certificate_pem();
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(ERR_CERT_AUTHORITY_INVALID, Connect("a.test", config, &socket));
  ASSERT_FALSE(socket->peer_spki_hashes().empty());
  EXPECT_NE(std::string::npos,
            socket->error_detail().find(
                "sha256/" + SpkiHashToBase64(socket->peer_spki_hashes()[0])))
      << socket->error_detail();

  SslConfig no_certificate;
  no_certificate.additional_trust_anchors_pem = "-----BEGIN nothing";
  EXPECT_EQ(ERR_INVALID_ARGUMENT, Connect("a.test", no_certificate, &socket));
  EXPECT_NE(std::string::npos, socket->error_detail().find("extra trust"));
}

TEST_F(SslClientSocketTest, SpkiAllowlistWaivesErrorsOnlyForTheNamedKey) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(ERR_CERT_AUTHORITY_INVALID,
            Connect("a.test", SslConfig(), &socket));
  ASSERT_FALSE(socket->peer_spki_hashes().empty());
  const std::string leaf_key = socket->peer_spki_hashes()[0];

  TestCertificateAuthority other("another CA");
  SslConfig other_key;
  other_key.ignore_certificate_errors_spki_hashes = {
      SpkiSha256(other.root_certificate())};
  EXPECT_EQ(ERR_CERT_AUTHORITY_INVALID, Connect("a.test", other_key, &socket));

  SslConfig allowed;
  allowed.ignore_certificate_errors_spki_hashes = {
      SpkiSha256(other.root_certificate()), leaf_key};
  ASSERT_EQ(OK, Connect("a.test", allowed, &socket));
  EXPECT_NE(0, socket->ignored_certificate_error());
  EXPECT_NE(std::string::npos,
            Fetch(socket.get(), "/spki").find("secure /spki"));
}

TEST(SpkiHashListTest, ParsesBase64DigestsAndRejectsAnythingElse) {
  TestCertificateAuthority authority;
  const std::string digest = SpkiSha256(authority.root_certificate());
  ASSERT_EQ(32u, digest.size());
  const std::string base64 = SpkiHashToBase64(digest);
  EXPECT_EQ(44u, base64.size());

  std::vector<std::string> hashes;
  std::string message;
  ASSERT_EQ(OK,
            ParseSpkiHashList(" " + base64 + " ," + base64, &hashes, &message));
  EXPECT_EQ((std::vector<std::string>{digest, digest}), hashes);
  ASSERT_EQ(OK, ParseSpkiHashList("  ", &hashes, &message));
  EXPECT_TRUE(hashes.empty());

  hashes = {digest};
  EXPECT_EQ(ERR_INVALID_ARGUMENT,
            ParseSpkiHashList(base64 + ",not base64!", &hashes, &message));
  EXPECT_NE(std::string::npos, message.find("'not base64!'")) << message;
  EXPECT_EQ(std::vector<std::string>{digest}, hashes);
  // Base64, but of 3 bytes.
  EXPECT_EQ(ERR_INVALID_ARGUMENT, ParseSpkiHashList("AAAA", &hashes, &message));
  EXPECT_EQ(ERR_INVALID_ARGUMENT, ParseSpkiHashList(",", &hashes, &message));
}

TEST_F(SslClientSocketTest, PlainHttpServerIsProtocolError) {
  EmbeddedTestServer http_server(EmbeddedTestServer::Type::kHttp);
  ASSERT_EQ(OK, http_server.Start());
  auto transport = std::make_unique<TcpClientSocket>(
      std::vector<IPEndPoint>{http_server.endpoint()},
      TcpClientSocket::Options(), NetLogWithSource());
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(transport->Connect(callback.callback())));
  SslClientSocket socket(std::move(transport), TrustingConfig(),
                         {HostPortPair("a.test", http_server.port()),
                          NetworkAnonymizationKey(), PrivacyMode::kDisabled},
                         nullptr);
  EXPECT_EQ(ERR_SSL_PROTOCOL_ERROR,
            callback.GetResult(socket.Connect(callback.callback())));
  EXPECT_FALSE(socket.error_detail().empty());
}

TEST_F(SslClientSocketTest, ServerWithOnlyOldTlsIsVersionMismatch) {
  EmbeddedTestServer::SslServerConfig server_config;
  server_config.version_min = 0x0301;  // TLS 1.0
  server_config.version_max = 0x0302;  // TLS 1.1
  server_.SetSslServerConfig(server_config);
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  EXPECT_EQ(ERR_SSL_VERSION_OR_CIPHER_MISMATCH,
            Connect("a.test", TrustingConfig(), &socket));
}

TEST_F(SslClientSocketTest, NoCommonAlpnProtocolConnectsWithoutAlpn) {
  EmbeddedTestServer::SslServerConfig server_config;
  server_config.alpn_protocols = {"spdy/3.1"};
  server_.SetSslServerConfig(server_config);
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  EXPECT_EQ("", socket->GetNegotiatedProtocol());
}

TEST_F(SslClientSocketTest, OffersH2FirstAndTakesWhatTheServerPicks) {
  server_.EnableHttp2();
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  EXPECT_EQ("h2", socket->GetNegotiatedProtocol());
}

TEST_F(SslClientSocketTest, Http11OnlyServerNegotiatesHttp11) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  EXPECT_EQ("http/1.1", socket->GetNegotiatedProtocol());
}

TEST_F(SslClientSocketTest, CertificateCoversOnlyTheNamesItLists) {
  server_.SetAdditionalCertificateNames({"b.test", "*.c.test"});
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  EXPECT_TRUE(socket->IsCertificateValidForHost("a.test"));
  EXPECT_TRUE(socket->IsCertificateValidForHost("b.test"));
  EXPECT_TRUE(socket->IsCertificateValidForHost("x.c.test"));
  EXPECT_FALSE(socket->IsCertificateValidForHost("y.x.c.test"));
  EXPECT_FALSE(socket->IsCertificateValidForHost("d.test"));
  EXPECT_FALSE(socket->IsCertificateValidForHost("127.0.0.1"));
  EXPECT_FALSE(socket->IsCertificateValidForHost(""));
}

TEST_F(SslClientSocketTest, BadConfigurationFailsWithClearError) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;

  SslConfig bad_roots;
  bad_roots.trusted_root_certificates_pem = "not a certificate";
  EXPECT_EQ(ERR_INVALID_ARGUMENT, Connect("a.test", bad_roots, &socket));
  EXPECT_NE(std::string::npos, socket->error_detail().find("no certificate"));

  SslConfig old_versions = TrustingConfig();
  old_versions.version_min = 0x0301;
  EXPECT_EQ(ERR_INVALID_ARGUMENT, Connect("a.test", old_versions, &socket));

  SslConfig inverted = TrustingConfig();
  inverted.version_min = SslConfig::kTls13;
  inverted.version_max = SslConfig::kTls12;
  EXPECT_EQ(ERR_NO_SSL_VERSIONS_ENABLED, Connect("a.test", inverted, &socket));

  SslConfig empty_alpn = TrustingConfig();
  empty_alpn.alpn_protocols = {""};
  EXPECT_EQ(ERR_INVALID_ARGUMENT, Connect("a.test", empty_alpn, &socket));

  EXPECT_EQ(ERR_INVALID_ARGUMENT, Connect("", TrustingConfig(), &socket));
  EXPECT_EQ(ERR_INVALID_ARGUMENT,
            Connect(std::string("a\0b.test", 8), TrustingConfig(), &socket));
}

TEST_F(SslClientSocketTest, ResetDuringReadIsConnectionReset) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  int error = OK;
  EXPECT_EQ("", Fetch(socket.get(), "/reset", &error));
  EXPECT_EQ(ERR_CONNECTION_RESET, error);
  EXPECT_FALSE(socket->IsConnected());
}

TEST_F(SslClientSocketTest, PeerClosingIdleConnectionIsNoticed) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  ASSERT_FALSE(Fetch(socket.get(), "/x").empty());
  ASSERT_TRUE(socket->IsConnectedAndIdle());
  server_.CloseAllConnections();
  EXPECT_FALSE(socket->IsConnected());
  EXPECT_FALSE(socket->IsConnectedAndIdle());
}

TEST_F(SslClientSocketTest, UnusedSocketWithOnlyTicketsWaitingIsIdle) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK,
            ConnectWithCache("a.test", &socket, Nak("https://top.example/")));
  // Let the server finish its side of the handshake; it sends its TLS 1.3
  // tickets then.
  // Bounded, so a broken server fails the test instead of hanging it.
  for (int i = 0; i < 1000 && server_.num_tls_handshakes() == 0; ++i)
    loop_.RunUntilIdle();
  ASSERT_FALSE(server_.num_tls_handshakes() == 0);
  EXPECT_EQ(0u, session_cache_.size());
  // The tickets are bytes on the wire but not application data: a preconnected
  // socket stays idle, and checking it files the tickets in the cache.
  EXPECT_TRUE(socket->IsConnectedAndIdle());
  EXPECT_GT(session_cache_.size(), 0u);
  EXPECT_FALSE(socket->WasEverUsed());
}

TEST_F(SslClientSocketTest,
       UnreadResponseIsConnectedButNotIdleAndStillReadable) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &socket));
  ASSERT_EQ(OK, WriteAll(socket.get(), "GET /u HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Bounded, so a broken server fails the test instead of hanging it.
  for (int i = 0; i < 1000 && server_.num_requests() == 0; ++i)
    loop_.RunUntilIdle();
  ASSERT_FALSE(server_.num_requests() == 0);
  EXPECT_TRUE(socket->IsConnected());
  EXPECT_FALSE(socket->IsConnectedAndIdle());

  HttpResponse expected;
  expected.set_content("secure /u");
  const std::string wire = expected.ToString();
  std::string data;
  TestCompletionCallback callback;
  char buffer[4096];
  while (data.size() < wire.size()) {
    int rv = callback.GetResult(
        socket->Read(buffer, sizeof(buffer), callback.callback()));
    ASSERT_GT(rv, 0);
    data.append(buffer, static_cast<size_t>(rv));
  }
  EXPECT_EQ(wire, data);
  EXPECT_TRUE(socket->IsConnectedAndIdle());
}

TEST_F(SslClientSocketTest, SessionResumesWithinThePartition) {
  ASSERT_EQ(OK, server_.Start());
  const NetworkAnonymizationKey nak = Nak("https://top.example/");
  std::unique_ptr<SslClientSocket> first;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &first, nak));
  EXPECT_FALSE(first->session_resumed());
  // TLS 1.3 tickets arrive after the handshake; the first read processes them.
  ASSERT_FALSE(Fetch(first.get(), "/").empty());
  EXPECT_GT(session_cache_.size(), 0u);

  std::unique_ptr<SslClientSocket> second;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &second, nak));
  EXPECT_TRUE(second->session_resumed());
  ASSERT_FALSE(Fetch(second.get(), "/").empty());
  EXPECT_EQ(2, server_.num_tls_handshakes());
  EXPECT_EQ(1, server_.num_resumed_tls_handshakes());
}

TEST_F(SslClientSocketTest, NetLogShowsTicketCachedThenResumed) {
  ASSERT_EQ(OK, server_.Start());
  RecordingNetLogObserver observer;
  const NetworkAnonymizationKey nak = Nak("https://top.example/");
  auto connect = [&](std::unique_ptr<SslClientSocket>* out) {
    auto transport = std::make_unique<TcpClientSocket>(
        std::vector<IPEndPoint>{server_.endpoint()}, TcpClientSocket::Options(),
        NetLogWithSource::Make(NetLogSourceType::SOCKET));
    TestCompletionCallback callback;
    ASSERT_EQ(OK, callback.GetResult(transport->Connect(callback.callback())));
    *out = std::make_unique<SslClientSocket>(
        std::move(transport), TrustingConfig(),
        SslClientSessionCache::Key{HostPortPair("a.test", server_.port()), nak,
                                   PrivacyMode::kDisabled},
        &session_cache_);
    ASSERT_EQ(OK, callback.GetResult((*out)->Connect(callback.callback())));
  };
  std::unique_ptr<SslClientSocket> first;
  connect(&first);
  ASSERT_FALSE(Fetch(first.get(), "/").empty());
  std::unique_ptr<SslClientSocket> second;
  connect(&second);

  auto count = [&](const StreamSocket& socket, NetLogEventType type) {
    int n = 0;
    for (const NetLogEntry& entry :
         observer.GetEntriesForSource(socket.NetLog().source())) {
      n += entry.type == type;
    }
    return n;
  };
  EXPECT_GE(count(*first, NetLogEventType::SSL_SESSION_CACHED), 1);
  EXPECT_EQ(0, count(*first, NetLogEventType::SSL_SESSION_RESUMED));
  EXPECT_EQ(1, count(*second, NetLogEventType::SSL_SESSION_CACHE_HIT));
  EXPECT_EQ(1, count(*second, NetLogEventType::SSL_SESSION_RESUMED));

  bool saw_resumed_end = false;
  for (const NetLogEntry& entry :
       observer.GetEntriesForSource(second->NetLog().source())) {
    if (entry.type == NetLogEventType::SSL_CONNECT &&
        entry.phase == NetLogEventPhase::END) {
      const auto& fields = entry.params.fields();
      EXPECT_EQ("TLSv1.3", fields.at("version").string_value());
      EXPECT_EQ("http/1.1", fields.at("alpn").string_value());
      EXPECT_TRUE(fields.at("resumed").bool_value());
      saw_resumed_end = true;
    }
  }
  EXPECT_TRUE(saw_resumed_end);
}

TEST_F(SslClientSocketTest, NetLogExplainsCertificateFailure) {
  server_.SetCertificateKind(EmbeddedTestServer::CertificateKind::kExpired);
  ASSERT_EQ(OK, server_.Start());
  RecordingNetLogObserver observer;
  auto transport = std::make_unique<TcpClientSocket>(
      std::vector<IPEndPoint>{server_.endpoint()}, TcpClientSocket::Options(),
      NetLogWithSource::Make(NetLogSourceType::SOCKET));
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(transport->Connect(callback.callback())));
  SslClientSocket socket(std::move(transport), TrustingConfig(),
                         {HostPortPair("a.test", server_.port()),
                          NetworkAnonymizationKey(), PrivacyMode::kDisabled},
                         nullptr);
  ASSERT_EQ(ERR_CERT_DATE_INVALID,
            callback.GetResult(socket.Connect(callback.callback())));
  std::vector<NetLogEntry> ends;
  for (const NetLogEntry& entry :
       observer.GetEntriesWithType(NetLogEventType::SSL_CONNECT)) {
    if (entry.phase == NetLogEventPhase::END)
      ends.push_back(entry);
  }
  ASSERT_EQ(1u, ends.size());
  const auto& fields = ends[0].params.fields();
  EXPECT_EQ(ERR_CERT_DATE_INVALID,
            static_cast<int>(fields.at("net_error").number_value()));
  EXPECT_EQ(socket.error_detail(), fields.at("message").string_value());
}

TEST_F(SslClientSocketTest, SessionDoesNotCrossNetworkAnonymizationKeys) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> first;
  ASSERT_EQ(OK,
            ConnectWithCache("a.test", &first, Nak("https://one.example/")));
  ASSERT_FALSE(Fetch(first.get(), "/").empty());

  std::unique_ptr<SslClientSocket> second;
  ASSERT_EQ(OK,
            ConnectWithCache("a.test", &second, Nak("https://two.example/")));
  EXPECT_FALSE(second->session_resumed());
  std::unique_ptr<SslClientSocket> cross_site;
  ASSERT_EQ(OK, ConnectWithCache(
                    "a.test", &cross_site,
                    NetworkAnonymizationKey::CreateCrossSite(
                        SchemefulSite(Url::Parse("https://one.example/")))));
  EXPECT_FALSE(cross_site->session_resumed());
  EXPECT_EQ(0, server_.num_resumed_tls_handshakes());
}

TEST_F(SslClientSocketTest, SessionDoesNotCrossPrivacyModes) {
  ASSERT_EQ(OK, server_.Start());
  const NetworkAnonymizationKey nak = Nak("https://top.example/");
  std::unique_ptr<SslClientSocket> first;
  ASSERT_EQ(OK,
            ConnectWithCache("a.test", &first, nak, PrivacyMode::kDisabled));
  ASSERT_FALSE(Fetch(first.get(), "/").empty());

  std::unique_ptr<SslClientSocket> second;
  ASSERT_EQ(OK,
            ConnectWithCache("a.test", &second, nak, PrivacyMode::kEnabled));
  EXPECT_FALSE(second->session_resumed());
  EXPECT_EQ(0, server_.num_resumed_tls_handshakes());

  // The original partition still resumes: its ticket was not spent by the
  // others.
  std::unique_ptr<SslClientSocket> third;
  ASSERT_EQ(OK,
            ConnectWithCache("a.test", &third, nak, PrivacyMode::kDisabled));
  EXPECT_TRUE(third->session_resumed());
}

TEST_F(SslClientSocketTest, WithoutACacheNothingResumes) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> first;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &first));
  ASSERT_FALSE(Fetch(first.get(), "/").empty());
  std::unique_ptr<SslClientSocket> second;
  ASSERT_EQ(OK, Connect("a.test", TrustingConfig(), &second));
  EXPECT_FALSE(second->session_resumed());
}

TEST_F(SslClientSocketTest, UnboundSocketOffersNoSessionAndHoldsItsTickets) {
  ASSERT_EQ(OK, server_.Start());
  const NetworkAnonymizationKey nak = Nak("https://top.example/");
  std::unique_ptr<SslClientSocket> earlier;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &earlier, nak,
                                 PrivacyMode::kEnabledWithoutClientCerts));
  ASSERT_FALSE(Fetch(earlier.get(), "/").empty());
  ASSERT_EQ(1u, session_cache_.size());

  // A ticket of its own partition is there, but an unbound socket never
  // resumes.
  std::unique_ptr<SslClientSocket> unbound;
  ASSERT_EQ(OK, ConnectUnbound("a.test", &unbound, nak,
                               PrivacyMode::kEnabledWithoutClientCerts));
  EXPECT_FALSE(unbound->session_offered());
  EXPECT_FALSE(unbound->session_resumed());
  EXPECT_EQ(0, server_.num_resumed_tls_handshakes());
  WaitForServerHandshakes(2, unbound.get());
  EXPECT_TRUE(unbound->is_unbound());
  EXPECT_GT(unbound->held_session_count(), 0u);
  EXPECT_TRUE(unbound->CanBindToOtherPrivacyMode());
  EXPECT_FALSE(unbound->client_certificate_requested());
  // Nothing new in the cache: the credentialed partition has no ticket.
  std::unique_ptr<SslClientSocket> credentialed;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &credentialed, nak,
                                 PrivacyMode::kDisabled));
  EXPECT_FALSE(credentialed->session_resumed());
}

TEST_F(SslClientSocketTest, BindingFilesHeldTicketsUnderTheBoundPrivacyMode) {
  ASSERT_EQ(OK, server_.Start());
  const NetworkAnonymizationKey nak = Nak("https://top.example/");
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, ConnectUnbound("a.test", &socket, nak,
                               PrivacyMode::kEnabledWithoutClientCerts));
  WaitForServerHandshakes(1, socket.get());
  EXPECT_EQ(0u, session_cache_.size());
  socket->BindToPrivacyMode(PrivacyMode::kDisabled);
  EXPECT_FALSE(socket->is_unbound());
  EXPECT_EQ(0u, socket->held_session_count());
  EXPECT_EQ(PrivacyMode::kDisabled, socket->session_key().privacy_mode);
  EXPECT_EQ(1u, session_cache_.size());

  // The warmed mode learned nothing; the bound one resumes.
  std::unique_ptr<SslClientSocket> warmed_mode;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &warmed_mode, nak,
                                 PrivacyMode::kEnabledWithoutClientCerts));
  EXPECT_FALSE(warmed_mode->session_resumed());
  std::unique_ptr<SslClientSocket> bound_mode;
  ASSERT_EQ(
      OK, ConnectWithCache("a.test", &bound_mode, nak, PrivacyMode::kDisabled));
  EXPECT_TRUE(bound_mode->session_resumed());
  // Tickets that arrive after binding go to the bound key directly.
  ASSERT_FALSE(Fetch(socket.get(), "/").empty());
}

TEST_F(SslClientSocketTest, UnboundSocketDestroyedUnboundDropsItsTickets) {
  ASSERT_EQ(OK, server_.Start());
  const NetworkAnonymizationKey nak = Nak("https://top.example/");
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, ConnectUnbound("a.test", &socket, nak,
                               PrivacyMode::kEnabledWithoutClientCerts));
  WaitForServerHandshakes(1, socket.get());
  ASSERT_GT(socket->held_session_count(), 0u);
  socket.reset();
  EXPECT_EQ(0u, session_cache_.size());
  std::unique_ptr<SslClientSocket> next;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &next, nak,
                                 PrivacyMode::kEnabledWithoutClientCerts));
  EXPECT_FALSE(next->session_resumed());
}

TEST_F(SslClientSocketTest, ResumedSocketCanNeverChangePrivacyMode) {
  ASSERT_EQ(OK, server_.Start());
  const NetworkAnonymizationKey nak = Nak("https://top.example/");
  std::unique_ptr<SslClientSocket> first;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &first, nak));
  ASSERT_FALSE(Fetch(first.get(), "/").empty());
  std::unique_ptr<SslClientSocket> resumed;
  ASSERT_EQ(OK, ConnectWithCache("a.test", &resumed, nak));
  ASSERT_TRUE(resumed->session_resumed());
  EXPECT_TRUE(resumed->session_offered());
  EXPECT_FALSE(resumed->WasEverUsed());
  EXPECT_FALSE(resumed->CanBindToOtherPrivacyMode());
}

TEST_F(SslClientSocketTest, SocketThatCarriedDataCanNeverChangePrivacyMode) {
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, ConnectUnbound("a.test", &socket, Nak("https://top.example/"),
                               PrivacyMode::kEnabledWithoutClientCerts));
  EXPECT_TRUE(socket->CanBindToOtherPrivacyMode());
  ASSERT_FALSE(Fetch(socket.get(), "/").empty());
  EXPECT_FALSE(socket->CanBindToOtherPrivacyMode());
}

TEST_F(SslClientSocketTest, CertificateRequestIsRecordedAndPinsThePrivacyMode) {
  EmbeddedTestServer::SslServerConfig config;
  config.request_client_certificate = true;
  server_.SetSslServerConfig(config);
  ASSERT_EQ(OK, server_.Start());
  std::unique_ptr<SslClientSocket> socket;
  ASSERT_EQ(OK, ConnectUnbound("a.test", &socket, Nak("https://top.example/"),
                               PrivacyMode::kEnabledWithoutClientCerts));
  EXPECT_TRUE(socket->client_certificate_requested());
  EXPECT_FALSE(socket->session_offered());
  EXPECT_FALSE(socket->CanBindToOtherPrivacyMode());
  // The server accepted the handshake without a certificate.
  EXPECT_NE(std::string::npos, Fetch(socket.get(), "/").find("secure /"));
}

TEST_F(SslClientSocketTest, ServerThatAsksForNothingIsNotRecordedAsAsking) {
  ASSERT_EQ(OK, server_.Start());
  for (auto version : {SslConfig::kTls12, SslConfig::kTls13}) {
    SslConfig config = TrustingConfig();
    config.version_min = config.version_max = version;
    std::unique_ptr<SslClientSocket> socket;
    ASSERT_EQ(OK, Connect("a.test", config, &socket));
    EXPECT_FALSE(socket->client_certificate_requested());
  }
}

}  // namespace
}  // namespace net
