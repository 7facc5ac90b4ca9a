#include "net/spdy/http2_session.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/tcp_client_socket.h"
#include "net/spdy/http2_stream.h"
#include "net/ssl/ssl_client_socket.h"
#include "net/ssl/ssl_config.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

using test_server::EmbeddedTestServer;
using test_server::Http2ServerConfig;
using test_server::HttpRequest;
using test_server::HttpResponse;
using ::testing::HasSubstr;

// Real nghttp2 on both sides: the client session under test over a real TLS
// connection to the EmbeddedTestServer's HTTP/2 side.
class Http2SessionTest : public testing::Test {
 protected:
  explicit Http2SessionTest(
      EventLoop::TimeSource time = EventLoop::TimeSource::kSystemTime)
      : loop_(time), server_(EmbeddedTestServer::Type::kHttps) {
    server_.RegisterRequestHandler([this](const HttpRequest& request)
                                       -> std::optional<HttpResponse> {
      requests_.push_back(request);
      HttpResponse response;
      const std::string& path = request.relative_url;
      response.set_content(body_for_path_.empty() ? "h2 " + path
                                                  : body_for_path_);
      if (path == "/rst")
        response.set_misbehavior(HttpResponse::Misbehavior::kHttp2ResetStream);
      else if (path == "/refuse")
        response.set_misbehavior(HttpResponse::Misbehavior::kHttp2RefuseStream);
      else if (path == "/goaway")
        response.set_misbehavior(
            HttpResponse::Misbehavior::kHttp2GoawayBeforeStream);
      else if (path == "/bad-frame")
        response.set_misbehavior(HttpResponse::Misbehavior::kHttp2BadFrame);
      else if (path == "/garbage")
        response.set_misbehavior(HttpResponse::Misbehavior::kGarbage);
      else if (path == "/stall")
        response.set_misbehavior(HttpResponse::Misbehavior::kStall);
      else if (path == "/headers-only")
        response.set_misbehavior(HttpResponse::Misbehavior::kCloseAfterHeaders);
      else if (path == "/big-headers")
        response.AddCustomHeader("x-big", std::string(4096, 'b'));
      else if (path == "/echo")
        response.set_content(request.method + ":" + request.content);
      else if (path.rfind("/slow", 0) == 0)
        response.set_delay(absl::Milliseconds(50));
      return response;
    });
  }

  void StartServer(const Http2ServerConfig& config = Http2ServerConfig()) {
    server_.EnableHttp2(config);
    ASSERT_EQ(OK, server_.Start());
  }

  // TCP + TLS offering h2 and http/1.1, then a started session.
  void Connect(const Http2SessionOptions& options = Http2SessionOptions()) {
    auto transport = std::make_unique<TcpClientSocket>(
        std::vector<IPEndPoint>{server_.endpoint()}, TcpClientSocket::Options(),
        NetLogWithSource());
    TestCompletionCallback callback;
    ASSERT_EQ(OK, callback.GetResult(transport->Connect(callback.callback())));
    SslConfig config;
    config.alpn_protocols = {"h2", "http/1.1"};
    config.trusted_root_certificates_pem = server_.root_certificate_pem();
    SslClientSessionCache::Key key{HostPortPair("127.0.0.1", server_.port()),
                                   NetworkAnonymizationKey(),
                                   PrivacyMode::kDisabled};
    socket_ = std::make_unique<SslClientSocket>(std::move(transport), config,
                                                key, nullptr);
    ASSERT_EQ(OK, callback.GetResult(socket_->Connect(callback.callback())));
    ASSERT_EQ("h2", socket_->GetNegotiatedProtocol());
    session_ = std::make_unique<Http2Session>(socket_.get(), options,
                                              NetLogWithSource());
    session_->set_closed_callback([this] { closed_callback_ran_ = true; });
    ASSERT_EQ(OK, session_->Start());
  }

  HttpRequestInfo Get(const std::string& path) {
    HttpRequestInfo request;
    request.url = Url::Parse(server_.GetUrl(path));
    return request;
  }

  // Sends `request` on a new stream and reads the whole response into
  // `body`; the final result.
  int Fetch(const HttpRequestInfo& request,
            std::string* body,
            std::unique_ptr<Http2Stream>* out = nullptr) {
    auto stream = std::make_unique<Http2Stream>(session_.get());
    TestCompletionCallback callback;
    int rv =
        callback.GetResult(stream->SendRequest(request, callback.callback()));
    if (rv == OK)
      rv = callback.GetResult(stream->ReadResponseHeaders(callback.callback()));
    if (rv == OK) {
      rv = callback.GetResult(
          stream->ReadResponseBodyToEnd(body, callback.callback()));
    }
    last_error_message_ = stream->error_message();
    if (out)
      *out = std::move(stream);
    return rv;
  }

  // Starts `count` requests at once and waits for all of them.
  std::vector<int> FetchConcurrently(const std::vector<std::string>& paths,
                                     std::vector<std::string>* bodies) {
    struct Pending {
      std::unique_ptr<Http2Stream> stream;
      std::string body;
      int result = ERR_IO_PENDING;
    };
    std::vector<Pending> pending(paths.size());
    int remaining = static_cast<int>(paths.size());
    RunLoop run_loop;
    for (size_t i = 0; i < paths.size(); ++i) {
      Pending& p = pending[i];
      p.stream = std::make_unique<Http2Stream>(session_.get());
      auto finish = [&p, &remaining, &run_loop](int result) {
        p.result = result;
        if (--remaining == 0)
          run_loop.Quit();
      };
      auto read_body = [&p, finish](int result) mutable {
        if (result != OK) {
          finish(result);
          return;
        }
        int rv = p.stream->ReadResponseBodyToEnd(&p.body, finish);
        if (rv != ERR_IO_PENDING)
          finish(rv);
      };
      auto read_headers = [&p, read_body, finish](int result) mutable {
        if (result != OK) {
          finish(result);
          return;
        }
        int rv = p.stream->ReadResponseHeaders(read_body);
        if (rv != ERR_IO_PENDING)
          read_body(rv);
      };
      int rv = p.stream->SendRequest(Get(paths[i]), read_headers);
      if (rv != ERR_IO_PENDING)
        read_headers(rv);
    }
    if (remaining > 0) {
      EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(30)));
    }
    std::vector<int> results;
    for (Pending& p : pending) {
      results.push_back(p.result);
      if (bodies)
        bodies->push_back(p.body);
    }
    return results;
  }

  EventLoop loop_;
  EmbeddedTestServer server_;
  std::string body_for_path_;
  std::vector<HttpRequest> requests_;
  std::unique_ptr<SslClientSocket> socket_;
  std::unique_ptr<Http2Session> session_;
  bool closed_callback_ran_ = false;
  std::string last_error_message_;
};

class Http2SessionMockTimeTest : public Http2SessionTest {
 protected:
  Http2SessionMockTimeTest()
      : Http2SessionTest(EventLoop::TimeSource::kMockTime) {}
};

TEST_F(Http2SessionTest, ConcurrentRequestsShareOneConnection) {
  StartServer();
  Connect();
  std::vector<std::string> paths;
  for (int i = 0; i < 10; ++i)
    paths.push_back("/slow?" + std::to_string(i));
  std::vector<std::string> bodies;
  std::vector<int> results = FetchConcurrently(paths, &bodies);
  for (size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(OK, results[i]) << i;
    EXPECT_EQ("h2 " + paths[i], bodies[i]);
  }
  EXPECT_EQ(1, server_.num_accepted_connections());
  ASSERT_EQ(10u, requests_.size());
  size_t most_open = 0;
  for (const HttpRequest& request : requests_) {
    EXPECT_EQ("h2", request.protocol);
    EXPECT_EQ(1, request.connection_id);
    most_open = std::max(most_open, request.open_streams);
  }
  // The requests were in flight together, not one after another.
  EXPECT_GT(most_open, 1u);
  EXPECT_EQ(10u, session_->streams_started());
  EXPECT_EQ(0u, session_->active_stream_count());
  EXPECT_TRUE(session_->IsAvailable());
}

TEST_F(Http2SessionTest, ResponseHeadersCarryStatusAndFieldsAsHttp2) {
  StartServer();
  Connect();
  std::unique_ptr<Http2Stream> stream;
  std::string body;
  ASSERT_EQ(OK, Fetch(Get("/hello"), &body, &stream));
  EXPECT_EQ(200, stream->response_headers().response_code());
  EXPECT_EQ(2, stream->response_headers().http_major());
  EXPECT_EQ("text/plain", stream->response_headers().GetHeader("content-type"));
  EXPECT_EQ("h2 /hello", body);
  EXPECT_TRUE(stream->IsResponseBodyComplete());
  EXPECT_TRUE(stream->CanReuseConnection());
  EXPECT_STREQ("h2", stream->protocol());
  LoadTimingInfo timing;
  stream->GetLoadTimingInfo(&timing);
  EXPECT_NE(absl::InfinitePast(), timing.send_start);
  EXPECT_LE(timing.send_start, timing.send_end);
  EXPECT_LE(timing.send_end, timing.receive_headers_end);
  EXPECT_LE(timing.receive_headers_end, timing.response_end);
  ASSERT_EQ(1u, requests_.size());
  EXPECT_EQ("GET", requests_[0].method);
  EXPECT_EQ("/hello", requests_[0].relative_url);
  EXPECT_EQ("127.0.0.1:" + std::to_string(server_.port()),
            requests_[0].GetHeader("Host"));
}

TEST_F(Http2SessionTest, PostSendsItsBodyAndHeadGetsNone) {
  StartServer();
  Connect();
  HttpRequestInfo post = Get("/echo");
  post.method = "POST";
  post.upload_body = std::string(100 * 1024, 'p');
  std::string body;
  ASSERT_EQ(OK, Fetch(post, &body));
  EXPECT_EQ("POST:" + post.upload_body, body);

  HttpRequestInfo head = Get("/hello");
  head.method = "HEAD";
  std::string head_body;
  ASSERT_EQ(OK, Fetch(head, &head_body));
  EXPECT_EQ("", head_body);
}

TEST_F(Http2SessionTest, ConnectionSpecificHeadersAreNotSent) {
  StartServer();
  Connect();
  HttpRequestInfo request = Get("/hello");
  request.extra_headers = {
      {"Connection", "close"}, {"Keep-Alive", "5"}, {"X-Kept", "yes"}};
  std::string body;
  ASSERT_EQ(OK, Fetch(request, &body));
  ASSERT_EQ(1u, requests_.size());
  EXPECT_EQ("", requests_[0].GetHeader("connection"));
  EXPECT_EQ("", requests_[0].GetHeader("keep-alive"));
  EXPECT_EQ("yes", requests_[0].GetHeader("x-kept"));
  EXPECT_TRUE(session_->IsAvailable());
}

TEST_F(Http2SessionTest, BadRequestFailsBeforeAnythingIsSent) {
  StartServer();
  Connect();
  HttpRequestInfo request = Get("/hello");
  request.extra_headers = {{"Bad Name", "x"}};
  Http2Stream stream(session_.get());
  EXPECT_EQ(ERR_INVALID_ARGUMENT, stream.SendRequest(request, [](int) {}));
  EXPECT_THAT(stream.error_message(), HasSubstr("invalid header name"));
  HttpRequestInfo put = Get("/x");
  put.method = "PUT";
  Http2Stream put_stream(session_.get());
  EXPECT_EQ(ERR_METHOD_NOT_SUPPORTED, put_stream.SendRequest(put, [](int) {}));
  EXPECT_EQ(0u, session_->streams_started());
}

TEST_F(Http2SessionTest, BodyBeyondTheWindowFlowsOnlyAsTheReaderConsumes) {
  StartServer();
  Http2SessionOptions options;
  options.stream_window = 16 * 1024;
  options.session_window = 32 * 1024;
  Connect(options);
  body_for_path_ = std::string(300 * 1024, 'w');
  auto stream = std::make_unique<Http2Stream>(session_.get());
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(
                    stream->SendRequest(Get("/big"), callback.callback())));
  ASSERT_EQ(
      OK, callback.GetResult(stream->ReadResponseHeaders(callback.callback())));
  std::string body;
  char buf[1024];
  size_t most_buffered = 0;
  while (true) {
    // Let the server send whatever the window allows before each read.
    loop_.RunUntilIdle();
    most_buffered = std::max(most_buffered, stream->buffered_body_bytes());
    int rv = callback.GetResult(
        stream->ReadResponseBody(buf, sizeof(buf), callback.callback()));
    ASSERT_GE(rv, 0);
    if (rv == 0)
      break;
    body.append(buf, static_cast<size_t>(rv));
  }
  EXPECT_EQ(body_for_path_, body);
  EXPECT_LE(most_buffered, 16u * 1024);
  EXPECT_GT(most_buffered, 0u);
}

TEST_F(Http2SessionTest, StreamsBeyondMaxConcurrentStreamsWaitTheirTurn) {
  Http2ServerConfig config;
  config.max_concurrent_streams = 2;
  StartServer(config);
  Connect();
  // Let the server's SETTINGS arrive.
  std::string body;
  ASSERT_EQ(OK, Fetch(Get("/first"), &body));
  EXPECT_EQ(2u, session_->peer_max_concurrent_streams());
  std::vector<std::string> paths;
  for (int i = 0; i < 6; ++i)
    paths.push_back("/slow?" + std::to_string(i));
  std::vector<int> results = FetchConcurrently(paths, nullptr);
  for (int result : results)
    EXPECT_EQ(OK, result);
  for (const HttpRequest& request : requests_)
    EXPECT_LE(request.open_streams, 2u);
  EXPECT_EQ(1, server_.num_accepted_connections());
}

TEST_F(Http2SessionTest, GoawayRefusesTheStreamsAboveLastStreamId) {
  Http2ServerConfig config;
  config.goaway_after_requests = 2;
  StartServer(config);
  Connect();
  std::vector<std::string> paths = {"/a", "/b", "/c", "/d"};
  std::vector<int> results = FetchConcurrently(paths, nullptr);
  EXPECT_EQ(OK, results[0]);
  EXPECT_EQ(OK, results[1]);
  EXPECT_EQ(ERR_HTTP2_SERVER_REFUSED_STREAM, results[2]);
  EXPECT_EQ(ERR_HTTP2_SERVER_REFUSED_STREAM, results[3]);
  EXPECT_TRUE(Http2Stream::IsRetryableOnNewSession(results[2]));
  EXPECT_FALSE(session_->IsAvailable());
  // The session ends once its last stream is done; nothing new starts on it.
  RunLoop().RunUntilIdle();
  EXPECT_TRUE(session_->is_closed());
  EXPECT_EQ(OK, session_->close_error());
  Http2Stream late(session_.get());
  EXPECT_EQ(ERR_CONNECTION_CLOSED, late.SendRequest(Get("/late"), [](int) {}));
  EXPECT_EQ(4u, session_->streams_started());
}

TEST_F(Http2SessionTest, GoawayBelowAStreamEndsTheSessionCleanly) {
  StartServer();
  Connect();
  std::string body;
  EXPECT_EQ(ERR_HTTP2_SERVER_REFUSED_STREAM, Fetch(Get("/goaway"), &body));
  RunLoop().RunUntilIdle();
  EXPECT_TRUE(session_->is_going_away());
}

TEST_F(Http2SessionTest, ResetStreamFailsOnlyThatStream) {
  StartServer();
  Connect();
  std::string body;
  EXPECT_EQ(ERR_HTTP2_PROTOCOL_ERROR, Fetch(Get("/rst"), &body));
  EXPECT_THAT(last_error_message_, HasSubstr("INTERNAL_ERROR"));
  EXPECT_TRUE(session_->IsAvailable());
  EXPECT_EQ(OK, Fetch(Get("/after"), &body));
  EXPECT_EQ("h2 /after", body);
}

TEST_F(Http2SessionTest, RefusedStreamIsRetryable) {
  StartServer();
  Connect();
  std::string body;
  int rv = Fetch(Get("/refuse"), &body);
  EXPECT_EQ(ERR_HTTP2_SERVER_REFUSED_STREAM, rv);
  EXPECT_TRUE(Http2Stream::IsRetryableOnNewSession(rv));
  EXPECT_FALSE(Http2Stream::IsRetryableOnNewSession(ERR_HTTP2_PROTOCOL_ERROR));
}

TEST_F(Http2SessionTest, ProtocolViolationEndsTheSessionWithProtocolError) {
  StartServer();
  Connect();
  std::string body;
  EXPECT_EQ(ERR_HTTP2_PROTOCOL_ERROR, Fetch(Get("/bad-frame"), &body));
  RunLoop().RunUntilIdle();
  EXPECT_TRUE(session_->is_closed());
  EXPECT_EQ(ERR_HTTP2_PROTOCOL_ERROR, session_->close_error());
  EXPECT_FALSE(session_->error_message().empty());
  EXPECT_TRUE(closed_callback_ran_);
}

TEST_F(Http2SessionTest, GarbageInsteadOfFramesIsAFramingError) {
  StartServer();
  Connect();
  std::string body;
  // "gar" read as a frame length is far above SETTINGS_MAX_FRAME_SIZE.
  EXPECT_EQ(ERR_HTTP2_FRAME_SIZE_ERROR, Fetch(Get("/garbage"), &body));
  RunLoop().RunUntilIdle();
  EXPECT_TRUE(session_->is_closed());
}

TEST_F(Http2SessionTest, ConnectionClosedMidResponseFailsTheStream) {
  StartServer();
  Connect();
  std::string body;
  int rv = Fetch(Get("/headers-only"), &body);
  EXPECT_EQ(ERR_CONNECTION_CLOSED, rv);
  RunLoop().RunUntilIdle();
  EXPECT_TRUE(session_->is_closed());
  EXPECT_TRUE(closed_callback_ran_);
}

TEST_F(Http2SessionTest, OversizedResponseHeadersFailThatStreamOnly) {
  StartServer();
  Http2SessionOptions options;
  options.max_response_header_bytes = 1024;
  Connect(options);
  std::string body;
  EXPECT_EQ(ERR_RESPONSE_HEADERS_TOO_BIG, Fetch(Get("/big-headers"), &body));
  EXPECT_EQ(OK, Fetch(Get("/small"), &body));
}

TEST_F(Http2SessionTest, DestroyingAStreamCancelsItAndTheSessionGoesOn) {
  StartServer();
  Connect();
  {
    auto stream = std::make_unique<Http2Stream>(session_.get());
    TestCompletionCallback callback;
    ASSERT_EQ(OK, callback.GetResult(
                      stream->SendRequest(Get("/stall"), callback.callback())));
    EXPECT_EQ(1u, session_->active_stream_count());
  }
  EXPECT_EQ(0u, session_->active_stream_count());
  std::string body;
  EXPECT_EQ(OK, Fetch(Get("/next"), &body));
}

TEST_F(Http2SessionTest, SessionGoingAwayUnderAStreamFailsIt) {
  StartServer();
  Connect();
  auto stream = std::make_unique<Http2Stream>(session_.get());
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(
                    stream->SendRequest(Get("/stall"), callback.callback())));
  session_.reset();
  EXPECT_EQ(
      ERR_CONNECTION_CLOSED,
      callback.GetResult(stream->ReadResponseHeaders(callback.callback())));
}

TEST_F(Http2SessionMockTimeTest, SilentSessionIsPingedAndClosedWithoutAck) {
  Http2ServerConfig config;
  config.ack_pings = false;
  StartServer(config);
  Http2SessionOptions options;
  options.ping_after_silence = absl::Seconds(10);
  options.ping_timeout = absl::Seconds(5);
  Connect(options);
  std::string body;
  ASSERT_EQ(OK, Fetch(Get("/first"), &body));
  loop_.FastForwardBy(absl::Seconds(11));
  auto stream = std::make_unique<Http2Stream>(session_.get());
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(
                    stream->SendRequest(Get("/stall"), callback.callback())));
  loop_.FastForwardBy(absl::Seconds(6));
  EXPECT_EQ(
      ERR_HTTP2_PING_FAILED,
      callback.GetResult(stream->ReadResponseHeaders(callback.callback())));
  EXPECT_EQ(ERR_HTTP2_PING_FAILED, session_->close_error());
}

TEST_F(Http2SessionMockTimeTest, SilentSessionThatAnswersThePingStaysUsable) {
  StartServer();
  Connect();
  std::string body;
  ASSERT_EQ(OK, Fetch(Get("/first"), &body));
  loop_.FastForwardBy(absl::Seconds(11));
  ASSERT_EQ(OK, Fetch(Get("/second"), &body));
  loop_.FastForwardBy(absl::Seconds(20));
  EXPECT_TRUE(session_->IsAvailable());
}

TEST_F(Http2SessionMockTimeTest, IdleSessionSaysGoawayAndClosesAfterTimeout) {
  StartServer();
  Http2SessionOptions options;
  options.idle_timeout = absl::Seconds(30);
  options.ping_after_silence = absl::Hours(1);
  Connect(options);
  std::string body;
  ASSERT_EQ(OK, Fetch(Get("/only"), &body));
  loop_.FastForwardBy(absl::Seconds(29));
  EXPECT_TRUE(session_->IsAvailable());
  loop_.FastForwardBy(absl::Seconds(2));
  loop_.RunUntilIdle();
  EXPECT_TRUE(session_->is_closed());
  EXPECT_EQ(OK, session_->close_error());
  EXPECT_TRUE(closed_callback_ran_);
}

TEST_F(Http2SessionMockTimeTest, ServerReapingAnIdleSessionClosesItCleanly) {
  server_.SetIdleConnectionTimeout(absl::Seconds(5));
  StartServer();
  Http2SessionOptions options;
  options.ping_after_silence = absl::Hours(1);
  Connect(options);
  std::string body;
  ASSERT_EQ(OK, Fetch(Get("/only"), &body));
  loop_.FastForwardBy(absl::Seconds(6));
  for (int i = 0; i < 50 && !session_->is_closed(); ++i)
    RunLoop().RunWithTimeout(absl::Milliseconds(10));
  EXPECT_TRUE(session_->is_closed());
  EXPECT_FALSE(session_->IsAvailable());
}

// A server that is only bytes: each test writes the frames the server sends
// after the client's preface on a plain loopback TCP connection (h2 with
// prior knowledge), so it can send what no well-behaved server would.
class Http2SessionRawServerTest : public testing::Test {
 protected:
  // Runs one GET against `server_bytes`; the result of reading its headers.
  int ReadHeadersFrom(const std::string& server_bytes) {
    const int listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(0,
              bind(listen_fd, reinterpret_cast<sockaddr*>(&address), length));
    EXPECT_EQ(0, listen(listen_fd, 1));
    EXPECT_EQ(0, getsockname(listen_fd, reinterpret_cast<sockaddr*>(&address),
                             &length));
    TcpClientSocket socket(
        {IPEndPoint(IPAddress::IPv4Localhost(), ntohs(address.sin_port))},
        TcpClientSocket::Options(), NetLogWithSource());
    TestCompletionCallback callback;
    EXPECT_EQ(OK, callback.GetResult(socket.Connect(callback.callback())));
    const int server_fd = accept(listen_fd, nullptr, nullptr);
    int rv;
    {
      Http2Session session(&socket, Http2SessionOptions(), NetLogWithSource());
      EXPECT_EQ(OK, session.Start());
      Http2Stream stream(&session);
      HttpRequestInfo request;
      request.url = Url::Parse("http://raw.example/");
      rv = callback.GetResult(stream.SendRequest(request, callback.callback()));
      // The server answers once stream 1 exists.
      EXPECT_EQ(static_cast<ssize_t>(server_bytes.size()),
                send(server_fd, server_bytes.data(), server_bytes.size(),
                     MSG_NOSIGNAL));
      shutdown(server_fd, SHUT_WR);
      if (rv == OK)
        rv =
            callback.GetResult(stream.ReadResponseHeaders(callback.callback()));
      status_ = stream.response_headers().response_code();
      error_message_ = stream.error_message();
    }
    close(server_fd);
    close(listen_fd);
    return rv;
  }

  static std::string Frame(uint8_t type,
                           uint8_t flags,
                           uint32_t stream_id,
                           const std::string& payload = "") {
    std::string frame;
    frame.push_back(static_cast<char>(payload.size() >> 16));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size()));
    frame.push_back(static_cast<char>(type));
    frame.push_back(static_cast<char>(flags));
    for (int shift = 24; shift >= 0; shift -= 8)
      frame.push_back(static_cast<char>(stream_id >> shift));
    return frame + payload;
  }
  // SETTINGS, its ACK, then HEADERS (END_STREAM | END_HEADERS) on stream 1
  // with a literal :status of `status` (HPACK: indexed name 8, no indexing).
  static std::string ResponseWithStatus(const std::string& status) {
    return Frame(4, 0, 0) + Frame(4, 1, 0) +
           Frame(
               1, 5, 1,
               std::string("\x08") + static_cast<char>(status.size()) + status);
  }

  EventLoop loop_;
  int status_ = 0;
  std::string error_message_;
};

TEST_F(Http2SessionRawServerTest, ThreeDigitStatusIsTheResponse) {
  EXPECT_EQ(OK, ReadHeadersFrom(ResponseWithStatus("204")));
  EXPECT_EQ(204, status_);
}

// Found by http2_frames_fuzzer: ":status: 013" was taken as status 13.
TEST_F(Http2SessionRawServerTest,
       StatusThatIsNotThreeDigitsFromOneIsAProtocolError) {
  // nghttp2 resets the stream for a :status that is not three digits; "013"
  // passes it and is ours to refuse, with the value in the message.
  EXPECT_EQ(ERR_HTTP2_PROTOCOL_ERROR,
            ReadHeadersFrom(ResponseWithStatus("013")));
  EXPECT_THAT(error_message_, HasSubstr("invalid :status \"013\""));
  for (const char* status : {"99", "2000", "20x", "+20"}) {
    SCOPED_TRACE(status);
    EXPECT_EQ(ERR_HTTP2_PROTOCOL_ERROR,
              ReadHeadersFrom(ResponseWithStatus(status)));
    EXPECT_FALSE(error_message_.empty());
  }
}

}  // namespace
}  // namespace net
