#include "net/http/http_basic_stream.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/event/fd_watcher.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/tcp_client_socket.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

using test_server::EmbeddedTestServer;
using test_server::HttpRequest;
using test_server::HttpResponse;
using ::testing::HasSubstr;

// A loopback server that answers every request with fixed bytes, for the
// responses the EmbeddedTestServer will not produce (chunked, HEAD, truncated,
// trailing bytes). It reads until the end of the request headers, writes
// `response`, then does `after`. Runs on the current EventLoop, like the
// client.
class RawResponseServer {
 public:
  enum class After { kKeepOpen, kClose, kReset };

  RawResponseServer(std::string response, After after)
      : response_(std::move(response)), after_(after) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(0, bind(listen_fd_, reinterpret_cast<sockaddr*>(&address),
                      sizeof(address)));
    EXPECT_EQ(0, listen(listen_fd_, 16));
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    listen_watcher_ = std::make_unique<FdWatcher>(listen_fd_);
    WatchAccept();
  }

  ~RawResponseServer() {
    for (Connection& connection : connections_) {
      connection.watcher.reset();
      if (connection.fd >= 0)
        close(connection.fd);
    }
    listen_watcher_.reset();
    close(listen_fd_);
  }

  IPEndPoint endpoint() const {
    return IPEndPoint(IPAddress::IPv4Localhost(), port_);
  }
  int accepted_connections() const {
    return static_cast<int>(connections_.size());
  }
  // Bytes received on the first connection.
  std::string received() const {
    return connections_.empty() ? std::string() : connections_[0].received;
  }

 private:
  struct Connection {
    int fd = -1;
    std::unique_ptr<FdWatcher> watcher;
    std::string received;
  };

  void WatchAccept() {
    listen_watcher_->WatchReadable([this] { OnAccept(); });
  }

  void OnAccept() {
    int fd =
        accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      connections_.push_back(Connection());
      connections_.back().fd = fd;
      connections_.back().watcher = std::make_unique<FdWatcher>(fd);
      WatchRead(connections_.size() - 1);
    }
    WatchAccept();
  }

  void WatchRead(size_t index) {
    connections_[index].watcher->WatchReadable(
        [this, index] { OnRead(index); });
  }

  void OnRead(size_t index) {
    Connection& connection = connections_[index];
    char buffer[4096];
    ssize_t n = read(connection.fd, buffer, sizeof(buffer));
    if (n <= 0)
      return;
    connection.received.append(buffer, n);
    if (connection.received.find("\r\n\r\n") == std::string::npos) {
      WatchRead(index);
      return;
    }
    // Small responses fit in the socket buffer: one blocking-free write
    // suffices.
    if (!response_.empty()) {
      ASSERT_EQ(static_cast<ssize_t>(response_.size()),
                write(connection.fd, response_.data(), response_.size()));
    }
    if (after_ == After::kReset) {
      linger abort_on_close = {1, 0};
      setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &abort_on_close,
                 sizeof(abort_on_close));
    }
    if (after_ != After::kKeepOpen) {
      connection.watcher.reset();
      close(connection.fd);
      connection.fd = -1;
    }
  }

  const std::string response_;
  const After after_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::unique_ptr<FdWatcher> listen_watcher_;
  std::vector<Connection> connections_;
};

class HttpBasicStreamTest : public testing::Test {
 protected:
  // A connected TCP socket to `endpoint`.
  std::unique_ptr<StreamSocket> Connect(const IPEndPoint& endpoint) {
    auto socket = std::make_unique<TcpClientSocket>(
        std::vector<IPEndPoint>{endpoint}, TcpClientSocket::Options(),
        NetLogWithSource());
    TestCompletionCallback callback;
    EXPECT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
    return socket;
  }

  static HttpRequestInfo Get(const std::string& url) {
    HttpRequestInfo request;
    request.url = Url::Parse(url);
    return request;
  }

  // Sends `request` and reads the response; returns the first error or OK.
  static int Fetch(HttpBasicStream& stream,
                   const HttpRequestInfo& request,
                   std::string* body) {
    TestCompletionCallback callback;
    int rv =
        callback.GetResult(stream.SendRequest(request, callback.callback()));
    if (rv != OK)
      return rv;
    rv = callback.GetResult(stream.ReadResponseHeaders(callback.callback()));
    if (rv != OK)
      return rv;
    return callback.GetResult(
        stream.ReadResponseBodyToEnd(body, callback.callback()));
  }

  EventLoop loop_;
};

TEST_F(HttpBasicStreamTest, GetReturnsStatusHeadersBodyAndLoadTiming) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest& request) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content("path=" + request.relative_url +
                             " host=" + request.GetHeader("Host"));
        response.AddCustomHeader("X-Test", "yes");
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());

  HttpBasicStream stream(socket.get());
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, Get(server.GetUrl("/a?b=c")), &body));
  EXPECT_EQ(200, stream.response_headers().response_code());
  EXPECT_EQ("yes", stream.response_headers().GetHeader("x-test"));
  EXPECT_EQ("path=/a?b=c host=" + server.host_port_pair().ToString(), body);
  EXPECT_TRUE(stream.IsResponseBodyComplete());
  EXPECT_TRUE(stream.CanReuseConnection());

  LoadTimingInfo timing;
  stream.GetLoadTimingInfo(&timing);
  EXPECT_NE(absl::InfinitePast(), timing.send_start);
  EXPECT_LE(timing.send_start, timing.send_end);
  EXPECT_LE(timing.send_end, timing.receive_headers_end);
  EXPECT_LE(timing.receive_headers_end, timing.response_end);
}

TEST_F(HttpBasicStreamTest, RequestHeadersAreTheLinesItSent) {
  EmbeddedTestServer server;
  std::string seen_host;
  std::string seen_extra;
  server.RegisterRequestHandler(
      [&](const HttpRequest& request) -> std::optional<HttpResponse> {
        seen_host = request.GetHeader("Host");
        seen_extra = request.GetHeader("X-Extra");
        return HttpResponse();
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());

  HttpBasicStream stream(socket.get());
  HttpRequestInfo request = Get(server.GetUrl("/"));
  request.extra_headers.emplace_back("X-Extra", "1");
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, request, &body));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Host", seen_host}, {"Connection", "keep-alive"}, {"X-Extra", "1"}};
  EXPECT_EQ(expected, stream.request_headers());
  EXPECT_EQ(server.host_port_pair().ToString(), seen_host);
  EXPECT_EQ("1", seen_extra);
}

TEST_F(HttpBasicStreamTest, KeepAliveRequestsShareOneConnection) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest& request) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content("connection " +
                             std::to_string(request.connection_id));
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  for (int i = 0; i < 3; ++i) {
    HttpBasicStream stream(socket.get());
    std::string body;
    ASSERT_EQ(OK, Fetch(stream, Get(server.GetUrl("/")), &body));
    EXPECT_EQ("connection 1", body);
    EXPECT_TRUE(stream.CanReuseConnection());
  }
  EXPECT_EQ(1, server.num_accepted_connections());
  EXPECT_EQ(3, server.num_requests());
}

TEST_F(HttpBasicStreamTest, PostSendsBodyWithContentLength) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest& request) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content(request.method + " " + request.content + " " +
                             request.GetHeader("Content-Length"));
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  HttpRequestInfo request = Get(server.GetUrl("/post"));
  request.method = "POST";
  request.upload_body = "payload";
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, request, &body));
  EXPECT_EQ("POST payload 7", body);
}

TEST_F(HttpBasicStreamTest, ConnectionCloseResponseIsNotReusable) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest&) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content("bye");
        response.set_close_connection(true);
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, Get(server.GetUrl("/")), &body));
  EXPECT_EQ("bye", body);
  EXPECT_TRUE(stream.IsResponseBodyComplete());
  EXPECT_FALSE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, RequestAskingForCloseIsNotReusable) {
  RawResponseServer server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                           RawResponseServer::After::kKeepOpen);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  HttpRequestInfo request = Get("http://a.test/");
  request.extra_headers.emplace_back("Connection", "close");
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, request, &body));
  EXPECT_FALSE(stream.CanReuseConnection());
  EXPECT_THAT(server.received(), HasSubstr("Connection: close\r\n"));
  EXPECT_THAT(server.received(), ::testing::Not(HasSubstr("keep-alive")));
}

TEST_F(HttpBasicStreamTest, ChunkedResponseIsDecodedAndReusable) {
  RawResponseServer server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "6\r\nchunk \r\n8\r\nencoding\r\n0\r\n\r\n",
      RawResponseServer::After::kKeepOpen);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, Get("http://a.test/"), &body));
  EXPECT_EQ("chunk encoding", body);
  EXPECT_TRUE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, HeadResponseEndsAfterHeaders) {
  RawResponseServer server("HTTP/1.1 200 OK\r\nContent-Length: 12345\r\n\r\n",
                           RawResponseServer::After::kKeepOpen);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  HttpRequestInfo request = Get("http://a.test/");
  request.method = "HEAD";
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, request, &body));
  EXPECT_EQ("", body);
  EXPECT_EQ("12345", stream.response_headers().GetHeader("Content-Length"));
  EXPECT_TRUE(stream.CanReuseConnection());
  EXPECT_THAT(server.received(), HasSubstr("HEAD / HTTP/1.1\r\n"));
}

TEST_F(HttpBasicStreamTest, ReadResponseBodyDeliversPiecesThenZero) {
  RawResponseServer server(
      "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
      RawResponseServer::After::kKeepOpen);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(stream.SendRequest(Get("http://a.test/"),
                                                      callback.callback())));
  ASSERT_EQ(
      OK, callback.GetResult(stream.ReadResponseHeaders(callback.callback())));
  std::string body;
  char buf[4];
  int rv;
  while ((rv = callback.GetResult(stream.ReadResponseBody(
              buf, sizeof(buf), callback.callback()))) > 0) {
    EXPECT_LE(rv, 4);
    body.append(buf, rv);
  }
  EXPECT_EQ(0, rv);
  EXPECT_EQ("0123456789", body);
  EXPECT_TRUE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, BytesAfterTheResponseMakeTheConnectionUnusable) {
  RawResponseServer server(
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokUNSOLICITED",
      RawResponseServer::After::kKeepOpen);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  ASSERT_EQ(OK, Fetch(stream, Get("http://a.test/"), &body));
  EXPECT_EQ("ok", body);
  EXPECT_FALSE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, MalformedResponseIsInvalidHttpResponse) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest&) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_misbehavior(HttpResponse::Misbehavior::kGarbage);
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  EXPECT_EQ(ERR_INVALID_HTTP_RESPONSE,
            Fetch(stream, Get(server.GetUrl("/")), &body));
  EXPECT_THAT(stream.error_message(), HasSubstr("malformed HTTP response"));
  EXPECT_FALSE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, ResetInsteadOfResponseIsConnectionReset) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest&) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_misbehavior(HttpResponse::Misbehavior::kReset);
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  EXPECT_EQ(ERR_CONNECTION_RESET,
            Fetch(stream, Get(server.GetUrl("/")), &body));
  EXPECT_THAT(stream.error_message(), HasSubstr("ERR_CONNECTION_RESET"));
  EXPECT_FALSE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, ResetInTheMiddleOfTheBodyIsConnectionReset) {
  RawResponseServer server(
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial",
      RawResponseServer::After::kReset);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  EXPECT_EQ(ERR_CONNECTION_RESET, Fetch(stream, Get("http://a.test/"), &body));
  EXPECT_FALSE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, CloseBeforeAnyResponseIsEmptyResponse) {
  RawResponseServer server("", RawResponseServer::After::kClose);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  EXPECT_EQ(ERR_EMPTY_RESPONSE, Fetch(stream, Get("http://a.test/"), &body));
  EXPECT_FALSE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, CloseAfterHeadersIsContentLengthMismatch) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest&) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content("the body that never comes");
        response.set_misbehavior(HttpResponse::Misbehavior::kCloseAfterHeaders);
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  EXPECT_EQ(ERR_CONTENT_LENGTH_MISMATCH,
            Fetch(stream, Get(server.GetUrl("/")), &body));
  EXPECT_EQ(200, stream.response_headers().response_code());
  EXPECT_FALSE(stream.IsResponseBodyComplete());
  EXPECT_FALSE(stream.CanReuseConnection());
}

TEST_F(HttpBasicStreamTest, TruncatedChunkedBodyIsIncompleteChunkedEncoding) {
  RawResponseServer server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
      RawResponseServer::After::kClose);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  HttpBasicStream stream(socket.get());
  std::string body;
  EXPECT_EQ(ERR_INCOMPLETE_CHUNKED_ENCODING,
            Fetch(stream, Get("http://a.test/"), &body));
  EXPECT_EQ("hello", body);
}

TEST_F(HttpBasicStreamTest, InvalidRequestsFailBeforeSendingAnything) {
  RawResponseServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                           RawResponseServer::After::kKeepOpen);
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());

  struct Case {
    const char* what;
    HttpRequestInfo request;
    int error;
    const char* message;
  };
  std::vector<Case> cases;
  HttpRequestInfo put = Get("http://a.test/");
  put.method = "PUT";
  cases.push_back({"method", put, ERR_METHOD_NOT_SUPPORTED, "PUT"});
  cases.push_back(
      {"url", Get("http://exa mple/"), ERR_INVALID_URL, "invalid URL"});
  cases.push_back(
      {"scheme", Get("wss://a.test/"), ERR_DISALLOWED_URL_SCHEME, "wss"});
  HttpRequestInfo injected = Get("http://a.test/");
  injected.extra_headers.emplace_back("X-A", "1\r\nX-Injected: 2");
  cases.push_back({"header value", injected, ERR_INVALID_ARGUMENT, "X-A"});
  HttpRequestInfo bad_name = Get("http://a.test/");
  bad_name.extra_headers.emplace_back("Bad Name", "1");
  cases.push_back({"header name", bad_name, ERR_INVALID_ARGUMENT, "Bad Name"});
  HttpRequestInfo framing = Get("http://a.test/");
  framing.extra_headers.emplace_back("Transfer-Encoding", "chunked");
  cases.push_back({"framing", framing, ERR_INVALID_ARGUMENT, "framing"});
  HttpRequestInfo get_with_body = Get("http://a.test/");
  get_with_body.upload_body = "x";
  cases.push_back({"body", get_with_body, ERR_INVALID_ARGUMENT, "body"});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    HttpBasicStream stream(socket.get());
    TestCompletionCallback callback;
    EXPECT_EQ(c.error, stream.SendRequest(c.request, callback.callback()));
    EXPECT_THAT(stream.error_message(), HasSubstr(c.message));
    EXPECT_EQ(c.error, stream.ReadResponseHeaders(callback.callback()));
    EXPECT_FALSE(stream.CanReuseConnection());
  }
  loop_.RunUntilIdle();
  EXPECT_EQ("", server.received());
  EXPECT_TRUE(socket->IsConnected());
}

TEST_F(HttpBasicStreamTest, DestroyingAStreamWithAPendingReadDisconnects) {
  EmbeddedTestServer server;
  server.RegisterRequestHandler(
      [](const HttpRequest&) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_misbehavior(HttpResponse::Misbehavior::kStall);
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  std::unique_ptr<StreamSocket> socket = Connect(server.endpoint());
  auto stream = std::make_unique<HttpBasicStream>(socket.get());
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(stream->SendRequest(Get(server.GetUrl("/")),
                                                       callback.callback())));
  bool callback_ran = false;
  EXPECT_EQ(ERR_IO_PENDING,
            stream->ReadResponseHeaders([&](int) { callback_ran = true; }));
  stream.reset();
  loop_.RunUntilIdle();
  EXPECT_FALSE(callback_ran);
  EXPECT_FALSE(socket->IsConnected());
}

}  // namespace
}  // namespace net
