// Late privacy binding over real TLS (docs/pool-selection.md section 9): a
// SocketPoolManager with the real connect jobs (resolve -> TCP -> BoringSSL)
// against an HTTPS EmbeddedTestServer. What the server sees (handshakes,
// resumptions) is the evidence: a guessed preconnect never resumes, its
// ticket is filed only under the group it is bound to, and a server that
// asked for a client certificate pins the socket to its warmed group.

#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "net/dns/host_resolver.h"
#include "net/event/event_loop.h"
#include "net/http/http_basic_stream.h"
#include "net/http/http_request_info.h"
#include "net/socket/transport_connect_job_factory.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/test_completion_callback.h"
#include "socket_pool/socket_pool_manager.h"
#include "unittests/socket_pool/socket_pool_test_base.h"

namespace net {
namespace {

using test_server::EmbeddedTestServer;
using test_server::HttpRequest;
using test_server::HttpResponse;

constexpr PrivacyMode kAnonymous = PrivacyMode::kEnabledWithoutClientCerts;
constexpr PrivacyMode kCredentialed = PrivacyMode::kDisabled;

class LateBindingTlsTest : public testing::Test {
 protected:
  LateBindingTlsTest()
      : server_(EmbeddedTestServer::Type::kHttps),
        session_cache_(loop_.clock()) {
    server_.RegisterRequestHandler(
        [](const HttpRequest& request) -> std::optional<HttpResponse> {
          HttpResponse response;
          response.set_content("ok");
          return response;
        });
  }

  void Start(bool request_client_certificate = false) {
    EmbeddedTestServer::SslServerConfig config;
    config.request_client_certificate = request_client_certificate;
    server_.SetSslServerConfig(config);
    ASSERT_EQ(OK, server_.Start());
    HostResolver::Options options;
    std::string message;
    ASSERT_EQ(OK, ConnectToOverrides::Parse("cdn.example:443:127.0.0.1:" +
                                                std::to_string(server_.port()),
                                            &options.connect_to, &message))
        << message;
    int error = OK;
    resolver_ = HostResolver::Create(std::move(options), &error, &message);
    ASSERT_TRUE(resolver_) << message;
    SslConfig ssl_config;
    ssl_config.trusted_root_certificates_pem = server_.root_certificate_pem();
    factory_ = std::make_unique<TransportConnectJobFactory>(
        resolver_.get(), &session_cache_, ssl_config, nullptr);
    manager_ = std::make_unique<SocketPoolManager>(SocketPoolConfig(),
                                                   factory_.get(), &observer_);
  }

  static GroupId Key(PrivacyMode mode) {
    return GroupId("https", HostPortPair("cdn.example", 443), mode,
                   NetworkAnonymizationKey::CreateSameSite(
                       SchemefulSite(Url::Parse("https://news.example/"))));
  }

  void PreconnectGuessed(PrivacyMode mode) {
    ASSERT_EQ(1u, manager_
                      ->RequestSockets(Key(mode), 1, NetLogWithSource(),
                                       PreconnectBinding::kUnbound)
                      .preconnect_ids.size());
  }

  // Runs the loop (bounded) until `done`.
  template <typename Predicate>
  bool RunUntil(Predicate done) {
    for (int i = 0; i < 2000 && !done(); ++i) {
      RunLoop run_loop;
      run_loop.RunWithTimeout(absl::Milliseconds(5));
    }
    return done();
  }

  // Gets a socket of `key` and runs one GET on it (the response carries
  // nothing but "ok"; TLS 1.3 tickets are processed on the way). Returns the
  // handle's preconnect id.
  uint64_t RequestAndFetch(PrivacyMode mode) {
    ClientSocketHandle handle;
    TestCompletionCallback callback;
    int rv = callback.GetResult(manager_->RequestSocket(
        Key(mode), MEDIUM, &handle, callback.callback(), NetLogWithSource()));
    EXPECT_EQ(OK, rv);
    if (rv != OK)
      return 0;
    HttpBasicStream stream(handle.socket());
    HttpRequestInfo request;
    request.url = Url::Parse("https://cdn.example/");
    std::string body;
    EXPECT_EQ(OK, callback.GetResult(
                      stream.SendRequest(request, callback.callback())));
    EXPECT_EQ(OK, callback.GetResult(
                      stream.ReadResponseHeaders(callback.callback())));
    EXPECT_EQ(OK, callback.GetResult(stream.ReadResponseBodyToEnd(
                      &body, callback.callback())));
    EXPECT_EQ("ok", body);
    return handle.preconnect_id();
  }

  EventLoop loop_;
  EmbeddedTestServer server_;
  SslClientSessionCache session_cache_;
  std::unique_ptr<HostResolver> resolver_;
  std::unique_ptr<TransportConnectJobFactory> factory_;
  RecordingSocketPoolObserver observer_;
  std::unique_ptr<SocketPoolManager> manager_;
};

TEST_F(LateBindingTlsTest, TicketGoesOnlyToTheGroupTheSocketIsBoundTo) {
  Start();
  PreconnectGuessed(kAnonymous);
  ASSERT_TRUE(RunUntil(
      [&] { return manager_->IdleSocketCountInGroup(Key(kAnonymous)) == 1; }));
  ASSERT_TRUE(RunUntil([&] { return server_.num_tls_handshakes() == 1; }));
  // Topping up checks the idle socket, which processes the tickets that
  // arrived; the cache holds none while the socket is unbound.
  EXPECT_TRUE(manager_
                  ->RequestSockets(Key(kAnonymous), 1, NetLogWithSource(),
                                   PreconnectBinding::kUnbound)
                  .preconnect_ids.empty());
  EXPECT_EQ(0u, session_cache_.size());

  EXPECT_NE(0u, RequestAndFetch(kCredentialed));
  EXPECT_EQ(1, server_.num_tls_handshakes());
  EXPECT_EQ(1, manager_->preconnect_counters().late_bound);
  ASSERT_EQ(1u, observer_.late_bindings.size());

  // A new connection of the bound group resumes; one of the warmed group
  // has nothing to resume (its key never got the ticket).
  manager_->CloseIdleSockets();
  EXPECT_EQ(0u, RequestAndFetch(kCredentialed));
  EXPECT_EQ(1, server_.num_resumed_tls_handshakes());
  EXPECT_EQ(0u, RequestAndFetch(kAnonymous));
  EXPECT_EQ(3, server_.num_tls_handshakes());
  EXPECT_EQ(1, server_.num_resumed_tls_handshakes());
}

TEST_F(LateBindingTlsTest, GuessedPreconnectNeverResumes) {
  Start();
  RequestAndFetch(kAnonymous);
  ASSERT_EQ(1u, session_cache_.size());
  manager_->CloseIdleSockets();
  PreconnectGuessed(kAnonymous);
  ASSERT_TRUE(RunUntil([&] { return server_.num_tls_handshakes() == 2; }));
  EXPECT_EQ(0, server_.num_resumed_tls_handshakes());
  // An explicit (bound) preconnect resumes from the same cache.
  manager_->CloseIdleSockets();
  manager_->RequestSockets(Key(kAnonymous), 1, NetLogWithSource(),
                           PreconnectBinding::kBound);
  ASSERT_TRUE(RunUntil([&] { return server_.num_tls_handshakes() == 3; }));
  EXPECT_EQ(1, server_.num_resumed_tls_handshakes());
}

TEST_F(LateBindingTlsTest, UnboundSocketNeverBoundDropsItsTicket) {
  Start();
  PreconnectGuessed(kAnonymous);
  ASSERT_TRUE(RunUntil([&] { return server_.num_tls_handshakes() == 1; }));
  ASSERT_TRUE(RunUntil(
      [&] { return manager_->IdleSocketCountInGroup(Key(kAnonymous)) == 1; }));
  // Checked (tickets processed, held), then closed unbound.
  EXPECT_TRUE(manager_
                  ->RequestSockets(Key(kAnonymous), 1, NetLogWithSource(),
                                   PreconnectBinding::kUnbound)
                  .preconnect_ids.empty());
  manager_->CloseIdleSockets();
  EXPECT_EQ(0u, session_cache_.size());
  RequestAndFetch(kAnonymous);
  EXPECT_EQ(0, server_.num_resumed_tls_handshakes());
}

TEST_F(LateBindingTlsTest, IdleSocketWhoseServerAskedForACertificateStays) {
  Start(/*request_client_certificate=*/true);
  PreconnectGuessed(kAnonymous);
  ASSERT_TRUE(RunUntil(
      [&] { return manager_->IdleSocketCountInGroup(Key(kAnonymous)) == 1; }));
  EXPECT_EQ(0, manager_->UnboundSocketCountInGroup(Key(kAnonymous)));
  EXPECT_EQ(0u, RequestAndFetch(kCredentialed));
  EXPECT_EQ(2, server_.num_tls_handshakes());
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Key(kAnonymous)));
  EXPECT_EQ(0, manager_->preconnect_counters().late_bound);
  // Its own group may still use it.
  EXPECT_NE(0u, RequestAndFetch(kAnonymous));
}

TEST_F(LateBindingTlsTest, SocketTakenWhileConnectingReturnsIfAskedForACert) {
  Start(/*request_client_certificate=*/true);
  PreconnectGuessed(kAnonymous);
  // Taken before its handshake ran; the CertificateRequest comes later.
  EXPECT_EQ(0u, RequestAndFetch(kCredentialed));
  EXPECT_EQ(2, server_.num_tls_handshakes());
  EXPECT_EQ(0, manager_->preconnect_counters().late_bound);
  EXPECT_TRUE(observer_.late_bindings.empty());
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Key(kAnonymous)));
  EXPECT_NE(0u, RequestAndFetch(kAnonymous));
  EXPECT_EQ(2, server_.num_tls_handshakes());
}

TEST_F(LateBindingTlsTest, SocketTakenWhileConnectingIsBoundWhenItConnects) {
  Start();
  PreconnectGuessed(kAnonymous);
  EXPECT_NE(0u, RequestAndFetch(kCredentialed));
  EXPECT_EQ(1, server_.num_tls_handshakes());
  EXPECT_EQ(1, manager_->preconnect_counters().late_bound);
  manager_->CloseIdleSockets();
  RequestAndFetch(kCredentialed);
  EXPECT_EQ(1, server_.num_resumed_tls_handshakes());
}

}  // namespace
}  // namespace net
