#include "net/test/nginx_server.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/base/schemeful_site.h"
#include "net/dns/host_resolver.h"
#include "net/event/event_loop.h"
#include "net/event/timer.h"
#include "net/http/http_basic_stream.h"
#include "net/socket/stream_socket.h"
#include "net/socket/transport_connect_job.h"
#include "net/spdy/http2_session.h"
#include "net/spdy/http2_stream.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_client_socket.h"
#include "net/test/test_certificate_authority.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

using ::testing::HasSubstr;

class CompletionDelegate : public ConnectJob::Delegate {
 public:
  CompletionOnceCallback callback;
  void OnConnectJobComplete(int result, ConnectJob*) override {
    std::move(callback)(result);
  }
};

// Interop with a real nginx: the fixture itself, then the connect job and the
// HTTP stream against it.
class NginxServerTest : public testing::Test {
 protected:
  NginxServerTest() : session_cache_(loop_.clock()) {}

  void StartNginx(NginxServer::Options options) {
    options.certificate_names.push_back("nginx.test");
    nginx_ = std::make_unique<NginxServer>(std::move(options), &authority_);
    std::string error;
    ASSERT_TRUE(nginx_->Start(&error)) << error;
    HostResolver::Options resolver_options;
    std::string message;
    std::string connect_to =
        "nginx.test:443:127.0.0.1:" + std::to_string(nginx_->https_port());
    if (nginx_->http_port()) {
      connect_to +=
          ",nginx.test:80:127.0.0.1:" + std::to_string(nginx_->http_port());
    }
    ASSERT_EQ(OK, ConnectToOverrides::Parse(
                      connect_to, &resolver_options.connect_to, &message))
        << message;
    int rv = OK;
    resolver_ =
        HostResolver::Create(std::move(resolver_options), &rv, &message);
    ASSERT_TRUE(resolver_) << message;
    ssl_config_.trusted_root_certificates_pem =
        authority_.root_certificate_pem();
  }

  // Runs a TransportConnectJob to nginx.test; returns the socket or null.
  std::unique_ptr<StreamSocket> Connect(
      const std::string& scheme,
      const NetworkAnonymizationKey& nak = NetworkAnonymizationKey(),
      bool* resumed = nullptr) {
    if (!resolver_) {
      ADD_FAILURE() << "nginx did not start";
      return nullptr;
    }
    ConnectJobParams params;
    params.scheme = scheme;
    params.destination =
        HostPortPair("nginx.test", scheme == "https" ? 443 : 80);
    params.network_anonymization_key = nak;
    CompletionDelegate delegate;
    TestCompletionCallback callback;
    delegate.callback = callback.callback();
    TransportConnectJob job(params, resolver_.get(), &session_cache_,
                            ssl_config_, {}, nullptr, &delegate);
    int rv = callback.GetResult(job.Connect());
    EXPECT_EQ(OK, rv) << job.error_message();
    if (resumed)
      *resumed = job.ssl_session_resumed();
    return job.PassSocket();
  }

  // One GET of `path` over `socket`; returns the body, or "error N".
  std::string Get(StreamSocket* socket,
                  const std::string& url,
                  bool* reusable = nullptr) {
    HttpBasicStream stream(socket);
    HttpRequestInfo request;
    request.url = Url::Parse(url);
    TestCompletionCallback callback;
    std::string body;
    int rv =
        callback.GetResult(stream.SendRequest(request, callback.callback()));
    if (rv == OK)
      rv = callback.GetResult(stream.ReadResponseHeaders(callback.callback()));
    if (rv == OK) {
      rv = callback.GetResult(
          stream.ReadResponseBodyToEnd(&body, callback.callback()));
    }
    if (reusable)
      *reusable = stream.CanReuseConnection();
    return rv == OK ? body : "error " + ErrorToShortString(rv);
  }

  static NetworkAnonymizationKey Nak(const std::string& top_frame_url) {
    return NetworkAnonymizationKey(
        SchemefulSite(Origin::Create(Url::Parse(top_frame_url))), false);
  }

  EventLoop loop_;
  TestCertificateAuthority authority_;
  SslClientSessionCache session_cache_;
  SslConfig ssl_config_;
  std::unique_ptr<NginxServer> nginx_;
  std::unique_ptr<HostResolver> resolver_;
};

TEST_F(NginxServerTest, ServesFixedBodyAndStaticFilesOverHttpsAndHttp) {
  NginxServer::Options options;
  options.enable_http = true;
  options.fixed_body = "fixed\nbody";
  options.static_files = {{"a.txt", "static file"}};
  StartNginx(options);
  std::string directory = nginx_->directory();
  EXPECT_THAT(directory, HasSubstr("/tmp/prewarm-nginx-"));

  std::unique_ptr<StreamSocket> tls = Connect("https");
  ASSERT_TRUE(tls);
  EXPECT_EQ("fixed\nbody", Get(tls.get(), "https://nginx.test/"));
  EXPECT_EQ("static file", Get(tls.get(), "https://nginx.test/static/a.txt"));
  std::unique_ptr<StreamSocket> plain = Connect("http");
  ASSERT_TRUE(plain);
  EXPECT_EQ("fixed\nbody", Get(plain.get(), "http://nginx.test/"));

  std::vector<NginxServer::AccessLogEntry> log = nginx_->WaitForAccessLog(3);
  ASSERT_EQ(3u, log.size());
  EXPECT_EQ("GET /static/a.txt HTTP/1.1", log[1].request_line);
  EXPECT_EQ(200, log[1].status);
  EXPECT_EQ("", log[2].ssl_protocol);

  nginx_->Stop();
  EXPECT_FALSE(std::filesystem::exists(directory));
}

TEST_F(NginxServerTest, ConnectJobNegotiatesTls13WithTheTestCa) {
  StartNginx({});
  std::unique_ptr<StreamSocket> socket = Connect("https");
  ASSERT_TRUE(socket);
  auto* ssl_socket = static_cast<SslClientSocket*>(socket.get());
  EXPECT_EQ(SslConfig::kTls13, ssl_socket->negotiated_version());
  EXPECT_EQ("hello from nginx\n", Get(socket.get(), "https://nginx.test/"));
  std::vector<NginxServer::AccessLogEntry> log = nginx_->WaitForAccessLog(1);
  ASSERT_EQ(1u, log.size());
  EXPECT_EQ("TLSv1.3", log[0].ssl_protocol);
}

TEST_F(NginxServerTest, KeepAliveGetsShareOneServerConnection) {
  StartNginx({});
  std::unique_ptr<StreamSocket> socket = Connect("https");
  ASSERT_TRUE(socket);
  for (int i = 0; i < 5; ++i) {
    bool reusable = false;
    EXPECT_EQ("hello from nginx\n",
              Get(socket.get(), "https://nginx.test/", &reusable));
    EXPECT_TRUE(reusable);
  }
  std::vector<NginxServer::AccessLogEntry> log = nginx_->WaitForAccessLog(5);
  ASSERT_EQ(5u, log.size());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[0].connection, log[i].connection);
    EXPECT_EQ(i + 1, log[i].connection_requests);
  }
}

TEST_F(NginxServerTest, Http2MultiplexesConcurrentGetsOverOneConnection) {
  NginxServer::Options options;
  options.http2 = true;
  StartNginx(options);
  std::unique_ptr<StreamSocket> socket = Connect("https");
  ASSERT_TRUE(socket);
  ASSERT_EQ("h2", socket->GetNegotiatedProtocol());
  Http2Session session(socket.get(), Http2SessionOptions(), socket->NetLog());
  ASSERT_EQ(OK, session.Start());
  constexpr int kStreams = 20;
  struct Pending {
    std::unique_ptr<Http2Stream> stream;
    TestCompletionCallback callback;
    std::string body;
  };
  std::vector<Pending> pending(kStreams);
  HttpRequestInfo request;
  request.url = Url::Parse("https://nginx.test/");
  // All requests go out before any response is read.
  for (Pending& p : pending) {
    p.stream = std::make_unique<Http2Stream>(&session);
    ASSERT_EQ(OK, p.callback.GetResult(
                      p.stream->SendRequest(request, p.callback.callback())));
  }
  for (Pending& p : pending) {
    ASSERT_EQ(OK, p.callback.GetResult(
                      p.stream->ReadResponseHeaders(p.callback.callback())));
    EXPECT_EQ(200, p.stream->response_headers().response_code());
    ASSERT_EQ(OK, p.callback.GetResult(p.stream->ReadResponseBodyToEnd(
                      &p.body, p.callback.callback())));
    EXPECT_EQ("hello from nginx\n", p.body);
  }
  std::vector<NginxServer::AccessLogEntry> log =
      nginx_->WaitForAccessLog(kStreams);
  ASSERT_EQ(static_cast<size_t>(kStreams), log.size());
  for (const NginxServer::AccessLogEntry& entry : log) {
    EXPECT_EQ(log[0].connection, entry.connection);
    EXPECT_EQ("GET / HTTP/2.0", entry.request_line);
  }
  EXPECT_TRUE(session.IsAvailable());
}

TEST_F(NginxServerTest, Http2SessionReapedByNginxEndsCleanly) {
  NginxServer::Options options;
  options.http2 = true;
  options.keepalive_timeout = absl::Milliseconds(200);
  StartNginx(options);
  std::unique_ptr<StreamSocket> socket = Connect("https");
  ASSERT_TRUE(socket);
  Http2Session session(socket.get(), Http2SessionOptions(), socket->NetLog());
  ASSERT_EQ(OK, session.Start());
  Http2Stream stream(&session);
  HttpRequestInfo request;
  request.url = Url::Parse("https://nginx.test/");
  TestCompletionCallback callback;
  std::string body;
  ASSERT_EQ(
      OK, callback.GetResult(stream.SendRequest(request, callback.callback())));
  ASSERT_EQ(
      OK, callback.GetResult(stream.ReadResponseHeaders(callback.callback())));
  ASSERT_EQ(OK, callback.GetResult(
                    stream.ReadResponseBodyToEnd(&body, callback.callback())));
  // nginx's keepalive_timeout reaps idle HTTP/2 connections too (GOAWAY, then
  // close); the session must notice and stop taking streams.
  for (int i = 0; i < 200 && !session.is_closed(); ++i) {
    RunLoop run_loop;
    OneShotTimer timer;
    timer.Start(absl::Milliseconds(25), run_loop.QuitClosure());
    run_loop.Run();
  }
  EXPECT_TRUE(session.is_closed());
  EXPECT_FALSE(session.IsAvailable());
}

TEST_F(NginxServerTest, LastRequestAllowedByKeepaliveRequestsIsNotReusable) {
  NginxServer::Options options;
  options.keepalive_requests = 2;
  StartNginx(options);
  std::unique_ptr<StreamSocket> socket = Connect("https");
  ASSERT_TRUE(socket);
  bool reusable = false;
  Get(socket.get(), "https://nginx.test/", &reusable);
  EXPECT_TRUE(reusable);
  Get(socket.get(), "https://nginx.test/", &reusable);
  EXPECT_FALSE(reusable);
}

TEST_F(NginxServerTest, IdleConnectionClosedByNginxIsNoticed) {
  NginxServer::Options options;
  options.keepalive_timeout = absl::Milliseconds(200);
  StartNginx(options);
  std::unique_ptr<StreamSocket> socket = Connect("https");
  ASSERT_TRUE(socket);
  bool reusable = false;
  Get(socket.get(), "https://nginx.test/", &reusable);
  ASSERT_TRUE(reusable);
  EXPECT_TRUE(socket->IsConnected());
  // nginx closes the idle connection on its own timer; poll until the client
  // sees it (the safety limit only keeps a broken test from hanging).
  for (int i = 0; i < 200 && socket->IsConnected(); ++i) {
    RunLoop run_loop;
    OneShotTimer timer;
    timer.Start(absl::Milliseconds(25), run_loop.QuitClosure());
    run_loop.Run();
  }
  EXPECT_FALSE(socket->IsConnected());
  EXPECT_FALSE(socket->IsConnectedAndIdle());
}

TEST_F(NginxServerTest, SessionResumesWithinAPartitionOnly) {
  StartNginx({});
  bool resumed = true;
  std::unique_ptr<StreamSocket> first =
      Connect("https", Nak("https://top.example"), &resumed);
  ASSERT_TRUE(first);
  EXPECT_FALSE(resumed);
  // The TLS 1.3 ticket arrives after the handshake; the first read picks it up.
  Get(first.get(), "https://nginx.test/");

  std::unique_ptr<StreamSocket> same_partition =
      Connect("https", Nak("https://top.example"), &resumed);
  EXPECT_TRUE(resumed);
  Get(same_partition.get(), "https://nginx.test/");

  std::unique_ptr<StreamSocket> other_partition =
      Connect("https", Nak("https://other.example"), &resumed);
  EXPECT_FALSE(resumed);
  Get(other_partition.get(), "https://nginx.test/");

  std::vector<NginxServer::AccessLogEntry> log = nginx_->WaitForAccessLog(3);
  ASSERT_EQ(3u, log.size());
  EXPECT_FALSE(log[0].ssl_session_reused);
  EXPECT_TRUE(log[1].ssl_session_reused);
  EXPECT_FALSE(log[2].ssl_session_reused);
}

TEST_F(NginxServerTest, InvalidOptionsFailWithAClearError) {
  NginxServer::Options dollar;
  dollar.fixed_body = "costs $5";
  NginxServer with_dollar(dollar, &authority_);
  std::string error;
  EXPECT_FALSE(with_dollar.Start(&error));
  EXPECT_THAT(error, HasSubstr("fixed_body"));

  NginxServer::Options traversal;
  traversal.static_files = {{"../escape", "x"}};
  NginxServer with_traversal(traversal, &authority_);
  EXPECT_FALSE(with_traversal.Start(&error));
  EXPECT_THAT(error, HasSubstr("plain file name"));

  NginxServer without_ca(NginxServer::Options(), nullptr);
  EXPECT_FALSE(without_ca.Start(&error));
  EXPECT_THAT(error, HasSubstr("TestCertificateAuthority"));

  NginxServer::Options nothing;
  nothing.enable_https = false;
  NginxServer no_listener(nothing, &authority_);
  EXPECT_FALSE(no_listener.Start(&error));
  EXPECT_THAT(error, HasSubstr("listener"));
}

}  // namespace
}  // namespace net
