#include "net/test/embedded_test_server/embedded_test_server.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/tcp_client_socket.h"
#include "net/ssl/ssl_client_socket.h"
#include "net/test/stream_socket_test_util.h"
#include "net/test/test_completion_callback.h"

namespace net::test_server {
namespace {

// The server runs on the test's EventLoop; these tests talk to it through a
// real TcpClientSocket (and SslClientSocket for HTTPS).
class EmbeddedTestServerTest : public testing::Test {
 protected:
  explicit EmbeddedTestServerTest(
      EventLoop::TimeSource time_source = EventLoop::TimeSource::kSystemTime,
      EmbeddedTestServer::Type type = EmbeddedTestServer::Type::kHttp)
      : loop_(time_source), server_(type) {}

  std::unique_ptr<StreamSocket> ConnectTcp() {
    return ConnectTcpTo(server_.endpoint());
  }

  static std::unique_ptr<StreamSocket> ConnectTcpTo(
      const IPEndPoint& endpoint) {
    auto socket = std::make_unique<TcpClientSocket>(
        std::vector<IPEndPoint>{endpoint}, TcpClientSocket::Options(),
        NetLogWithSource());
    TestCompletionCallback callback;
    EXPECT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
    return socket;
  }

  // Sends `request` on a new connection to server_ and reads until the server
  // closes it (or 1 MiB arrived); the read result that ended it goes to
  // `*end`.
  std::string SendAndReadUntilClose(const std::string& request, int* end) {
    auto socket = ConnectTcp();
    EXPECT_EQ(OK, WriteAll(socket.get(), request));
    return ReadUpTo(socket.get(), 1 << 20, end);
  }

  // Makes server_ answer every request with `response`.
  void AlwaysRespondWith(const HttpResponse& response) {
    server_.RegisterRequestHandler(
        [response](const HttpRequest&) -> std::optional<HttpResponse> {
          return response;
        });
  }

  static HttpResponse Misbehaving(HttpResponse::Misbehavior misbehavior,
                                  HttpResponse response = HttpResponse()) {
    response.set_misbehavior(misbehavior);
    return response;
  }

  static std::string Get(const std::string& path,
                         const std::string& extra_headers = "") {
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra_headers +
           "\r\n";
  }

  static HttpResponse Ok(const std::string& body) {
    HttpResponse response;
    response.set_content(body);
    return response;
  }

  EventLoop loop_;
  EmbeddedTestServer server_;
};

TEST_F(EmbeddedTestServerTest, FirstMatchingHandlerAnswersAndOthersGet404) {
  server_.RegisterRequestHandler(
      [](const HttpRequest& request) -> std::optional<HttpResponse> {
        if (request.relative_url != "/hello")
          return std::nullopt;
        return Ok("hi " + request.GetHeader("x-name"));
      });
  server_.RegisterRequestHandler(
      [](const HttpRequest&) -> std::optional<HttpResponse> {
        return Ok("second");  // Never reached for /hello.
      });
  ASSERT_EQ(OK, server_.Start());
  EXPECT_EQ(0, server_.num_requests());
  EXPECT_EQ("http://127.0.0.1:" + std::to_string(server_.port()) + "/p",
            server_.GetUrl("/p"));
  EXPECT_EQ("http://a.test:" + std::to_string(server_.port()) + "/p",
            server_.GetUrl("a.test", "/p"));

  auto socket = ConnectTcp();
  const std::string expected = Ok("hi bob").ToString();
  ASSERT_EQ(OK, WriteAll(socket.get(), Get("/hello", "X-Name: bob\r\n")));
  EXPECT_EQ(expected, ReadUpTo(socket.get(), expected.size()));

  EmbeddedTestServer plain;
  ASSERT_EQ(OK, plain.Start());
  auto plain_socket = ConnectTcpTo(plain.endpoint());
  ASSERT_EQ(OK, WriteAll(plain_socket.get(), Get("/missing")));
  const std::string not_found = ReadUpTo(plain_socket.get(), 12);
  EXPECT_EQ("HTTP/1.1 404", not_found.substr(0, 12));
}

TEST_F(EmbeddedTestServerTest, KeepAliveServesRequestsOnOneConnection) {
  std::vector<int> connection_ids;
  server_.RegisterRequestHandler(
      [&](const HttpRequest& request) -> std::optional<HttpResponse> {
        connection_ids.push_back(request.connection_id);
        return Ok(request.relative_url);
      });
  ASSERT_EQ(OK, server_.Start());
  auto socket = ConnectTcp();
  // Two pipelined requests in one write: answered in order.
  ASSERT_EQ(OK, WriteAll(socket.get(), Get("/a") + Get("/b")));
  const std::string expected = Ok("/a").ToString() + Ok("/b").ToString();
  EXPECT_EQ(expected, ReadUpTo(socket.get(), expected.size()));
  ASSERT_EQ(OK, WriteAll(socket.get(), Get("/c")));
  EXPECT_EQ(Ok("/c").ToString(),
            ReadUpTo(socket.get(), Ok("/c").ToString().size()));

  EXPECT_EQ(1, server_.num_accepted_connections());
  EXPECT_EQ(3, server_.num_requests());
  EXPECT_EQ((std::vector<int>{1, 1, 1}), connection_ids);
}

TEST_F(EmbeddedTestServerTest, ConnectionCloseRequestIsHonoured) {
  ASSERT_EQ(OK, server_.Start());
  int end = 1;
  const std::string response =
      SendAndReadUntilClose(Get("/", "Connection: close\r\n"), &end);
  EXPECT_NE(std::string::npos, response.find("Connection: close"));
  EXPECT_EQ(0, end);  // The server closed after answering.
}

TEST_F(EmbeddedTestServerTest, MalformedRequestGets400AndClose) {
  ASSERT_EQ(OK, server_.Start());
  int end = 1;
  const std::string response =
      SendAndReadUntilClose("NOT HTTP AT ALL\x01\r\n\r\n", &end);
  EXPECT_EQ("HTTP/1.1 400", response.substr(0, 12));
  EXPECT_EQ(0, end);
  EXPECT_EQ(0, server_.num_requests());
}

TEST_F(EmbeddedTestServerTest, GarbageMisbehaviourSendsNonHttpAndCloses) {
  AlwaysRespondWith(Misbehaving(HttpResponse::Misbehavior::kGarbage));
  ASSERT_EQ(OK, server_.Start());
  int end = 1;
  const std::string response = SendAndReadUntilClose(Get("/"), &end);
  EXPECT_FALSE(response.empty());
  EXPECT_NE(0u, response.find("HTTP/"));
  EXPECT_EQ(0, end);
}

TEST_F(EmbeddedTestServerTest, CloseAfterHeadersMisbehaviourTruncatesBody) {
  AlwaysRespondWith(Misbehaving(HttpResponse::Misbehavior::kCloseAfterHeaders,
                                Ok("a body that never arrives")));
  ASSERT_EQ(OK, server_.Start());
  int end = 1;
  const std::string response = SendAndReadUntilClose(Get("/"), &end);
  EXPECT_EQ(Ok("a body that never arrives").HeadersToString(), response);
  EXPECT_EQ(0, end);
}

TEST_F(EmbeddedTestServerTest, ResetMisbehaviourAbortsTheConnection) {
  AlwaysRespondWith(Misbehaving(HttpResponse::Misbehavior::kReset));
  ASSERT_EQ(OK, server_.Start());
  int end = 1;
  EXPECT_EQ("", SendAndReadUntilClose(Get("/"), &end));
  EXPECT_EQ(ERR_CONNECTION_RESET, end);
}

TEST_F(EmbeddedTestServerTest,
       StalledNewConnectionsAreAcceptedButNeverAnswered) {
  server_.SetStallNewConnections(true);
  ASSERT_EQ(OK, server_.Start());
  auto socket = ConnectTcp();
  ASSERT_EQ(OK, WriteAll(socket.get(), Get("/")));
  char buffer[16];
  TestCompletionCallback callback;
  ASSERT_EQ(ERR_IO_PENDING,
            socket->Read(buffer, sizeof(buffer), callback.callback()));
  loop_.RunUntilIdle();
  EXPECT_EQ(1, server_.num_accepted_connections());
  EXPECT_EQ(0, server_.num_requests());
  EXPECT_FALSE(callback.have_result());
}

// Time-driven server behaviour on the mock clock.
class EmbeddedTestServerMockTimeTest : public EmbeddedTestServerTest {
 protected:
  EmbeddedTestServerMockTimeTest()
      : EmbeddedTestServerTest(EventLoop::TimeSource::kMockTime) {}
};

TEST_F(EmbeddedTestServerMockTimeTest, DelayedResponseWaitsForTheClock) {
  HttpResponse late = Ok("late");
  late.set_delay(absl::Seconds(2));
  AlwaysRespondWith(late);
  ASSERT_EQ(OK, server_.Start());
  auto socket = ConnectTcp();
  ASSERT_EQ(OK, WriteAll(socket.get(), Get("/")));
  char buffer[4096];
  TestCompletionCallback callback;
  ASSERT_EQ(ERR_IO_PENDING,
            socket->Read(buffer, sizeof(buffer), callback.callback()));
  loop_.FastForwardBy(absl::Seconds(2) - absl::Milliseconds(1));
  EXPECT_EQ(1, server_.num_requests());
  EXPECT_FALSE(callback.have_result());
  loop_.FastForwardBy(absl::Milliseconds(1));
  int rv = callback.WaitForResult();
  ASSERT_GT(rv, 0);
  EXPECT_EQ(Ok("late").ToString().substr(0, rv), std::string(buffer, rv));
}

TEST_F(EmbeddedTestServerMockTimeTest, IdleConnectionIsClosedAfterTimeout) {
  server_.SetIdleConnectionTimeout(absl::Seconds(10));
  ASSERT_EQ(OK, server_.Start());
  auto socket = ConnectTcp();
  loop_.RunUntilIdle();
  ASSERT_EQ(1, server_.num_open_connections());
  loop_.FastForwardBy(absl::Seconds(10) - absl::Milliseconds(1));
  EXPECT_TRUE(socket->IsConnected());
  loop_.FastForwardBy(absl::Milliseconds(1));
  EXPECT_FALSE(socket->IsConnected());
  loop_.RunUntilIdle();
  EXPECT_EQ(0, server_.num_open_connections());
}

class EmbeddedTestServerHttpsTest : public EmbeddedTestServerTest {
 protected:
  EmbeddedTestServerHttpsTest()
      : EmbeddedTestServerTest(EventLoop::TimeSource::kSystemTime,
                               EmbeddedTestServer::Type::kHttps) {}

  int ConnectTls(const std::string& host,
                 std::unique_ptr<SslClientSocket>* out) {
    SslConfig config;
    config.trusted_root_certificates_pem = server_.root_certificate_pem();
    *out = std::make_unique<SslClientSocket>(
        ConnectTcp(), config,
        SslClientSessionCache::Key{HostPortPair(host, server_.port()),
                                   NetworkAnonymizationKey(),
                                   PrivacyMode::kDisabled},
        nullptr);
    TestCompletionCallback callback;
    return callback.GetResult((*out)->Connect(callback.callback()));
  }
};

TEST_F(EmbeddedTestServerHttpsTest,
       CertificateFollowsSniAndHandshakesAreCounted) {
  std::vector<std::string> sni_hosts;
  server_.RegisterRequestHandler(
      [&](const HttpRequest& request) -> std::optional<HttpResponse> {
        sni_hosts.push_back(request.sni_host);
        return Ok("tls");
      });
  ASSERT_EQ(OK, server_.Start());
  EXPECT_EQ("https://127.0.0.1:" + std::to_string(server_.port()) + "/",
            server_.GetUrl("/"));

  for (const char* host : {"a.test", "other.example"}) {
    std::unique_ptr<SslClientSocket> socket;
    ASSERT_EQ(OK, ConnectTls(host, &socket)) << host;
    ASSERT_EQ(OK, WriteAll(socket.get(), Get("/")));
    EXPECT_EQ(Ok("tls").ToString(),
              ReadUpTo(socket.get(), Ok("tls").ToString().size()));
  }
  EXPECT_EQ((std::vector<std::string>{"a.test", "other.example"}), sni_hosts);
  EXPECT_EQ(2, server_.num_accepted_connections());
  EXPECT_EQ(2, server_.num_tls_handshakes());
  EXPECT_EQ(0, server_.num_resumed_tls_handshakes());
}

TEST_F(EmbeddedTestServerHttpsTest, StalledConnectionNeverHandshakes) {
  server_.SetStallNewConnections(true);
  ASSERT_EQ(OK, server_.Start());
  SslConfig config;
  config.trusted_root_certificates_pem = server_.root_certificate_pem();
  SslClientSocket socket(ConnectTcp(), config,
                         {HostPortPair("a.test", server_.port()),
                          NetworkAnonymizationKey(), PrivacyMode::kDisabled},
                         nullptr);
  TestCompletionCallback callback;
  ASSERT_EQ(ERR_IO_PENDING, socket.Connect(callback.callback()));
  loop_.RunUntilIdle();
  EXPECT_FALSE(callback.have_result());
  EXPECT_EQ(0, server_.num_tls_handshakes());
}

}  // namespace
}  // namespace net::test_server
