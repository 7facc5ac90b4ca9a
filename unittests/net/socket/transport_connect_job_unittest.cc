#include "net/socket/transport_connect_job.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/base/schemeful_site.h"
#include "net/dns/host_resolver.h"
#include "net/event/event_loop.h"
#include "net/http/http_basic_stream.h"
#include "net/log/net_log.h"
#include "net/log/recording_net_log_observer.h"
#include "net/socket/stream_socket.h"
#include "net/socket/transport_connect_job_factory.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_client_socket.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/full_backlog_listener.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

using test_server::EmbeddedTestServer;
using test_server::HttpRequest;
using test_server::HttpResponse;
using ::testing::HasSubstr;

// Records the job's completion and ends the RunLoop waiting for it.
class TestConnectJobDelegate : public ConnectJob::Delegate {
 public:
  void OnConnectJobComplete(int result, ConnectJob* job) override {
    EXPECT_FALSE(result_.has_value()) << "completed twice";
    result_ = result;
    if (run_loop_)
      run_loop_->Quit();
  }

  // Returns `rv` if the job completed synchronously, else waits for the
  // delegate.
  int GetResult(int rv) {
    if (rv != ERR_IO_PENDING)
      return rv;
    if (!result_) {
      RunLoop run_loop;
      run_loop_ = &run_loop;
      if (!run_loop.RunWithTimeout(TestCompletionCallback::kSafetyTimeout))
        return ERR_TIMED_OUT;
      run_loop_ = nullptr;
    }
    return *result_;
  }

  bool completed() const { return result_.has_value(); }

 private:
  std::optional<int> result_;
  RunLoop* run_loop_ = nullptr;
};

NetworkAnonymizationKey Nak(const std::string& top_frame_url,
                            bool cross_site = false) {
  return NetworkAnonymizationKey(
      SchemefulSite(Origin::Create(Url::Parse(top_frame_url))), cross_site);
}

class TransportConnectJobTest : public testing::Test {
 protected:
  explicit TransportConnectJobTest(
      EventLoop::TimeSource time_source = EventLoop::TimeSource::kSystemTime)
      : loop_(time_source), session_cache_(loop_.clock()) {}

  // A resolver whose connect-to overrides send every `logical_host` port to
  // `endpoint`, plus `rules` ("MAP ..." in Chromium syntax).
  void MakeResolver(const std::string& connect_to,
                    const std::string& rules = "") {
    HostResolver::Options options;
    std::string message;
    ASSERT_EQ(OK, ConnectToOverrides::Parse(connect_to, &options.connect_to,
                                            &message))
        << message;
    ASSERT_EQ(OK, HostResolverRules::Parse(rules, &options.rules, &message))
        << message;
    int error = OK;
    resolver_ = HostResolver::Create(std::move(options), &error, &message);
    ASSERT_TRUE(resolver_) << message;
  }

  static ConnectJobParams Params(const std::string& scheme,
                                 const std::string& host,
                                 uint16_t port) {
    ConnectJobParams params;
    params.scheme = scheme;
    params.destination = HostPortPair(host, port);
    return params;
  }

  std::unique_ptr<TransportConnectJob> MakeJob(
      const ConnectJobParams& params,
      TestConnectJobDelegate* delegate,
      TransportConnectJob::Options options = {}) {
    return std::make_unique<TransportConnectJob>(params, resolver_.get(),
                                                 &session_cache_, ssl_config_,
                                                 options, &net_log_, delegate);
  }

  // Connects and, on success, runs one GET so TLS 1.3 tickets (sent after the
  // handshake) reach the session cache. Returns the connect result.
  int ConnectAndFetch(const ConnectJobParams& params,
                      bool* resumed = nullptr,
                      std::string* body = nullptr) {
    TestConnectJobDelegate delegate;
    std::unique_ptr<TransportConnectJob> job = MakeJob(params, &delegate);
    int rv = delegate.GetResult(job->Connect());
    if (rv != OK)
      return rv;
    if (resumed)
      *resumed = job->ssl_session_resumed();
    std::unique_ptr<StreamSocket> socket = job->PassSocket();
    HttpBasicStream stream(socket.get());
    HttpRequestInfo request;
    request.url =
        Url::Parse(params.scheme + "://" + params.destination.ToString() + "/");
    TestCompletionCallback callback;
    std::string ignored;
    EXPECT_EQ(OK, callback.GetResult(
                      stream.SendRequest(request, callback.callback())));
    EXPECT_EQ(OK, callback.GetResult(
                      stream.ReadResponseHeaders(callback.callback())));
    EXPECT_EQ(OK, callback.GetResult(stream.ReadResponseBodyToEnd(
                      body ? body : &ignored, callback.callback())));
    return OK;
  }

  // An HTTPS EmbeddedTestServer whose root the SslConfig trusts; it answers
  // "sni=<server name>".
  void StartHttpsServer() {
    https_server_ =
        std::make_unique<EmbeddedTestServer>(EmbeddedTestServer::Type::kHttps);
    https_server_->RegisterRequestHandler(
        [](const HttpRequest& request) -> std::optional<HttpResponse> {
          HttpResponse response;
          response.set_content("sni=" + request.sni_host);
          return response;
        });
    ASSERT_EQ(OK, https_server_->Start());
    ssl_config_.trusted_root_certificates_pem =
        https_server_->root_certificate_pem();
    MakeResolver("a.test:443:127.0.0.1:" +
                 std::to_string(https_server_->port()));
  }

  EventLoop loop_;
  NetLog net_log_;
  SslClientSessionCache session_cache_;
  SslConfig ssl_config_;
  std::unique_ptr<HostResolver> resolver_;
  std::unique_ptr<EmbeddedTestServer> https_server_;
};

TEST_F(TransportConnectJobTest, HttpsConnectsWithLogicalServerNameAndTiming) {
  StartHttpsServer();
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("https", "a.test", 443), &delegate);
  ASSERT_EQ(OK, delegate.GetResult(job->Connect()));

  const LoadTimingInfo::ConnectTiming& timing = job->connect_timing();
  EXPECT_NE(absl::InfinitePast(), timing.domain_lookup_start);
  EXPECT_LE(timing.domain_lookup_start, timing.domain_lookup_end);
  EXPECT_LE(timing.domain_lookup_end, timing.connect_start);
  EXPECT_LE(timing.connect_start, timing.ssl_start);
  EXPECT_LE(timing.ssl_start, timing.ssl_end);
  EXPECT_EQ(timing.ssl_end, timing.connect_end);

  std::unique_ptr<StreamSocket> socket = job->PassSocket();
  ASSERT_TRUE(socket);
  EXPECT_TRUE(socket->IsConnected());
  EXPECT_EQ("http/1.1", socket->GetNegotiatedProtocol());
  EXPECT_FALSE(job->PassSocket());

  // The server saw SNI for the logical host, not the address connected to.
  HttpBasicStream stream(socket.get());
  HttpRequestInfo request;
  request.url = Url::Parse("https://a.test/");
  TestCompletionCallback callback;
  std::string body;
  ASSERT_EQ(
      OK, callback.GetResult(stream.SendRequest(request, callback.callback())));
  ASSERT_EQ(
      OK, callback.GetResult(stream.ReadResponseHeaders(callback.callback())));
  ASSERT_EQ(OK, callback.GetResult(
                    stream.ReadResponseBodyToEnd(&body, callback.callback())));
  EXPECT_EQ("sni=a.test", body);
}

TEST_F(TransportConnectJobTest, HttpIsPlainTcpWithoutSslTiming) {
  EmbeddedTestServer server;
  ASSERT_EQ(OK, server.Start());
  MakeResolver("plain.test:80:127.0.0.1:" + std::to_string(server.port()));
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("http", "plain.test", 80), &delegate);
  ASSERT_EQ(OK, delegate.GetResult(job->Connect()));
  EXPECT_EQ(absl::InfinitePast(), job->connect_timing().ssl_start);
  EXPECT_LE(job->connect_timing().connect_start,
            job->connect_timing().connect_end);
  std::unique_ptr<StreamSocket> socket = job->PassSocket();
  ASSERT_TRUE(socket);
  EXPECT_EQ("", socket->GetNegotiatedProtocol());
  EXPECT_EQ(1, server.num_accepted_connections());
}

TEST_F(TransportConnectJobTest, SessionResumesOnlyWithinItsPartition) {
  StartHttpsServer();
  ConnectJobParams first = Params("https", "a.test", 443);
  first.network_anonymization_key = Nak("https://top.example");
  bool resumed = true;
  ASSERT_EQ(OK, ConnectAndFetch(first, &resumed));
  EXPECT_FALSE(resumed);

  // Same partition: resumes.
  ASSERT_EQ(OK, ConnectAndFetch(first, &resumed));
  EXPECT_TRUE(resumed);

  // Another top-frame site, the cross-site bit, or another privacy mode: a full
  // handshake each time, never the other partition's ticket.
  ConnectJobParams other_site = first;
  other_site.network_anonymization_key = Nak("https://other.example");
  ConnectJobParams cross_site = first;
  cross_site.network_anonymization_key = Nak("https://top.example", true);
  ConnectJobParams private_mode = first;
  private_mode.privacy_mode = PrivacyMode::kEnabled;
  for (const ConnectJobParams& params :
       {other_site, cross_site, private_mode}) {
    ASSERT_EQ(OK, ConnectAndFetch(params, &resumed));
    EXPECT_FALSE(resumed);
  }
  EXPECT_EQ(5, https_server_->num_tls_handshakes());
  EXPECT_EQ(1, https_server_->num_resumed_tls_handshakes());
}

TEST_F(TransportConnectJobTest, UnresolvableHostIsNameNotResolved) {
  MakeResolver("", "MAP missing.test ~NOTFOUND");
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("https", "missing.test", 443), &delegate);
  EXPECT_EQ(ERR_NAME_NOT_RESOLVED, delegate.GetResult(job->Connect()));
  EXPECT_THAT(job->error_message(), HasSubstr("missing.test"));
  EXPECT_FALSE(job->PassSocket());
  EXPECT_NE(absl::InfinitePast(), job->connect_timing().domain_lookup_end);
  EXPECT_EQ(absl::InfinitePast(), job->connect_timing().connect_start);
}

TEST_F(TransportConnectJobTest, ClosedPortIsConnectionRefused) {
  uint16_t closed_port;
  {
    EmbeddedTestServer server;
    ASSERT_EQ(OK, server.Start());
    closed_port = server.port();
  }
  MakeResolver("");
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("http", "127.0.0.1", closed_port), &delegate);
  EXPECT_EQ(ERR_CONNECTION_REFUSED, delegate.GetResult(job->Connect()));
  EXPECT_THAT(job->error_message(), HasSubstr("TCP connect"));
}

TEST_F(TransportConnectJobTest, UntrustedCertificateIsAuthorityInvalid) {
  StartHttpsServer();
  // Trust some other CA than the server's.
  TestCertificateAuthority other_authority("another root");
  ssl_config_.trusted_root_certificates_pem =
      other_authority.root_certificate_pem();
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("https", "a.test", 443), &delegate);
  EXPECT_EQ(ERR_CERT_AUTHORITY_INVALID, delegate.GetResult(job->Connect()));
  EXPECT_THAT(job->error_message(), HasSubstr("TLS handshake"));
  EXPECT_FALSE(job->PassSocket());
}

TEST_F(TransportConnectJobTest, UnknownSchemeFailsSynchronously) {
  MakeResolver("");
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("ftp", "a.test", 21), &delegate);
  EXPECT_EQ(ERR_DISALLOWED_URL_SCHEME, job->Connect());
  EXPECT_THAT(job->error_message(), HasSubstr("ftp"));
  loop_.RunUntilIdle();
  EXPECT_FALSE(delegate.completed());
}

TEST_F(TransportConnectJobTest, DestroyingTheJobDuringTheHandshakeCancelsIt) {
  StartHttpsServer();
  https_server_->SetStallNewConnections(true);
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("https", "a.test", 443), &delegate);
  ASSERT_EQ(ERR_IO_PENDING, job->Connect());
  // Let TCP connect and the ClientHello go out.
  for (int i = 0;
       i < 20 && job->connect_timing().ssl_start == absl::InfinitePast(); ++i) {
    loop_.RunUntilIdle();
  }
  EXPECT_NE(absl::InfinitePast(), job->connect_timing().ssl_start);
  job.reset();
  loop_.RunUntilIdle();
  EXPECT_FALSE(delegate.completed());
}

TEST_F(TransportConnectJobTest, NetLogHasJobAndResolvePhases) {
  RecordingNetLogObserver observer(&net_log_);
  StartHttpsServer();
  TestConnectJobDelegate delegate;
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("https", "a.test", 443), &delegate);
  ASSERT_EQ(OK, delegate.GetResult(job->Connect()));
  std::vector<NetLogEntry> entries =
      observer.GetEntriesForSource(job->net_log().source());
  std::vector<std::pair<NetLogEventType, NetLogEventPhase>> seen;
  bool resolver_logged_into_the_job = false;
  for (const NetLogEntry& entry : entries) {
    // The resolver logs its request (and the connect-to rule) into the job's
    // source too.
    if (std::string_view(NetLogEventTypeToString(entry.type))
            .starts_with("HOST_RESOLVER_")) {
      resolver_logged_into_the_job = true;
      continue;
    }
    seen.emplace_back(entry.type, entry.phase);
  }
  EXPECT_TRUE(resolver_logged_into_the_job);
  using T = NetLogEventType;
  using P = NetLogEventPhase;
  EXPECT_THAT(seen,
              ::testing::ElementsAre(
                  std::pair(T::TRANSPORT_CONNECT_JOB_CONNECT, P::BEGIN),
                  std::pair(T::TRANSPORT_CONNECT_JOB_RESOLVE_HOST, P::BEGIN),
                  std::pair(T::TRANSPORT_CONNECT_JOB_RESOLVE_HOST, P::END),
                  std::pair(T::CONNECT_JOB_SET_SOCKET, P::NONE),
                  std::pair(T::TRANSPORT_CONNECT_JOB_CONNECT, P::END)));
}

TEST_F(TransportConnectJobTest, FactoryMakesJobsWithItsDependencies) {
  StartHttpsServer();
  TransportConnectJobFactory factory(resolver_.get(), &session_cache_,
                                     ssl_config_, nullptr);
  TestConnectJobDelegate delegate;
  std::unique_ptr<ConnectJob> job =
      factory.CreateConnectJob(Params("https", "a.test", 443), &delegate);
  ASSERT_EQ(OK, delegate.GetResult(job->Connect()));
  EXPECT_TRUE(job->PassSocket());
}

class TransportConnectJobMockTimeTest : public TransportConnectJobTest {
 protected:
  TransportConnectJobMockTimeTest()
      : TransportConnectJobTest(EventLoop::TimeSource::kMockTime) {}
};

TEST_F(TransportConnectJobMockTimeTest, HangingConnectTimesOut) {
  FullBacklogListener listener;
  ASSERT_EQ(OK, listener.Start());
  MakeResolver("");
  TestConnectJobDelegate delegate;
  TransportConnectJob::Options options;
  options.timeout = absl::Seconds(10);
  std::unique_ptr<TransportConnectJob> job =
      MakeJob(Params("http", "127.0.0.1", listener.endpoint().port()),
              &delegate, options);
  ASSERT_EQ(ERR_IO_PENDING, job->Connect());
  loop_.FastForwardBy(absl::Seconds(9));
  EXPECT_FALSE(delegate.completed());
  loop_.FastForwardBy(absl::Seconds(1));
  ASSERT_TRUE(delegate.completed());
  EXPECT_EQ(ERR_TIMED_OUT, delegate.GetResult(ERR_IO_PENDING));
  EXPECT_THAT(job->error_message(), HasSubstr("took over"));
  EXPECT_FALSE(job->PassSocket());
}

}  // namespace
}  // namespace net
