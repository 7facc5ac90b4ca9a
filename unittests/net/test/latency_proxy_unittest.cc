#include "net/test/latency_proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "net/dns/connect_to_overrides.h"
#include "net/dns/host_resolver.h"
#include "net/event/event_loop.h"
#include "net/event/fd_watcher.h"
#include "net/http/http_basic_stream.h"
#include "net/socket/stream_socket.h"
#include "net/socket/transport_connect_job.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/full_backlog_listener.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

using test_server::EmbeddedTestServer;
using test_server::HttpRequest;
using test_server::HttpResponse;

// Long enough that no scheduling noise on a loaded machine could fake it.
constexpr absl::Duration kRoundTrip = absl::Milliseconds(60);
constexpr absl::Duration kOneWay = absl::Milliseconds(30);  // kRoundTrip / 2
// A guard against hanging, in real time; never a timing expectation.
constexpr absl::Duration kSafetyTimeout = absl::Seconds(30);

absl::Time Now() {
  return EventLoop::Current()->NowTicks();
}

// Runs the current EventLoop until `condition` holds; false if the safety
// timeout passed first.
bool RunUntil(const std::function<bool()>& condition) {
  const absl::Time deadline = Now() + kSafetyTimeout;
  while (!condition()) {
    if (Now() > deadline)
      return false;
    RunLoop().RunWithTimeout(absl::Milliseconds(1));
  }
  return true;
}

// Runs the loop for `duration` of real time.
void RunFor(absl::Duration duration) {
  RunLoop().RunWithTimeout(duration);
}

// One end of a relayed connection, driven by the test's EventLoop: Send()
// queues bytes and writes them as the socket takes them; once reading
// started, everything is collected until the end of the stream or an error.
class Peer {
 public:
  // Takes ownership of `fd`, a connected socket.
  explicit Peer(int fd) : fd_(fd) {
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
    watcher_ = std::make_unique<FdWatcher>(fd_);
  }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  ~Peer() { Close(); }

  void Send(std::string_view data) {
    outbox_.append(data);
    Flush();
  }
  void StartReading() {
    if (!reading_) {
      reading_ = true;
      Read();
    }
  }
  void ShutdownWrite() { shutdown(fd_, SHUT_WR); }
  // With `reset`, an abortive close: the peer gets RST.
  void Close(bool reset = false) {
    if (fd_ < 0)
      return;
    if (reset) {
      linger abortive = {1, 0};
      setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof(abortive));
    }
    watcher_.reset();
    close(fd_);
    fd_ = -1;
  }
  // Called after each read that returned bytes.
  void set_on_read(std::function<void()> on_read) {
    on_read_ = std::move(on_read);
  }

  bool sent_all() const { return sent_ == outbox_.size(); }
  const std::string& received() const { return received_; }
  bool eof() const { return eof_; }
  int read_error() const { return read_error_; }
  bool ended() const { return eof_ || read_error_ != 0; }
  absl::Time first_byte_time() const { return first_byte_time_; }
  absl::Time end_time() const { return end_time_; }

 private:
  void Flush() {
    while (fd_ >= 0 && sent_ < outbox_.size()) {
      ssize_t result = send(fd_, outbox_.data() + sent_, outbox_.size() - sent_,
                            MSG_NOSIGNAL);
      if (result > 0) {
        sent_ += static_cast<size_t>(result);
        continue;
      }
      if (result < 0 && errno == EINTR)
        continue;
      if (result < 0 && errno == EAGAIN) {
        watcher_->WatchWritable([this] { Flush(); });
        return;
      }
      ADD_FAILURE() << "send: " << strerror(errno);
      return;
    }
  }

  void Read() {
    buffer_.resize(64 * 1024);
    while (fd_ >= 0) {
      ssize_t result = recv(fd_, buffer_.data(), buffer_.size(), 0);
      if (result > 0) {
        if (received_.empty())
          first_byte_time_ = Now();
        received_.append(buffer_.data(), static_cast<size_t>(result));
        if (on_read_)
          on_read_();
        continue;
      }
      if (result < 0 && errno == EINTR)
        continue;
      if (result < 0 && errno == EAGAIN) {
        watcher_->WatchReadable([this] { Read(); });
        return;
      }
      end_time_ = Now();
      if (result == 0)
        eof_ = true;
      else
        read_error_ = errno;
      return;
    }
  }

  int fd_;
  std::unique_ptr<FdWatcher> watcher_;
  std::string outbox_;
  size_t sent_ = 0;
  bool reading_ = false;
  std::vector<char> buffer_;
  std::string received_;
  std::function<void()> on_read_;
  bool eof_ = false;
  int read_error_ = 0;
  absl::Time first_byte_time_;
  absl::Time end_time_;
};

// A loopback listener standing in for the upstream server; the test accepts
// the proxy's connections itself.
class UpstreamListener {
 public:
  // A non-zero `receive_buffer` caps the accepted sockets' SO_RCVBUF.
  explicit UpstreamListener(int receive_buffer = 0) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (receive_buffer) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
                 sizeof(receive_buffer));
    }
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(0, bind(fd_, reinterpret_cast<sockaddr*>(&address), length));
    EXPECT_EQ(0, listen(fd_, 16));
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    endpoint_ = IPEndPoint(IPAddress::IPv4Localhost(), ntohs(address.sin_port));
  }
  UpstreamListener(const UpstreamListener&) = delete;
  UpstreamListener& operator=(const UpstreamListener&) = delete;
  ~UpstreamListener() { close(fd_); }

  const IPEndPoint& endpoint() const { return endpoint_; }

  // Runs the loop until the proxy's next connection arrives.
  std::unique_ptr<Peer> Accept() {
    int fd = -1;
    EXPECT_TRUE(RunUntil([&] {
      fd = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      return fd >= 0;
    }));
    return fd >= 0 ? std::make_unique<Peer>(fd) : nullptr;
  }

 private:
  int fd_ = -1;
  IPEndPoint endpoint_;
};

// A blocking connect: the kernel completes it without the proxy's help.
std::unique_ptr<Peer> ConnectTo(const IPEndPoint& endpoint,
                                int receive_buffer = 0) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (receive_buffer) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
               sizeof(receive_buffer));
  }
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  EXPECT_TRUE(
      endpoint.ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length));
  EXPECT_EQ(0, connect(fd, reinterpret_cast<sockaddr*>(&storage), length))
      << strerror(errno);
  return std::make_unique<Peer>(fd);
}

std::string RandomBytes(size_t size) {
  std::mt19937 generator(42);
  std::string bytes(size, '\0');
  for (char& byte : bytes)
    byte = static_cast<char>(generator());
  return bytes;
}

class LatencyProxyTest : public testing::Test {
 protected:
  // Starts proxy_ in front of upstream_.
  void StartProxy(
      absl::Duration round_trip = kRoundTrip,
      size_t max_pending_bytes = LatencyProxy::Options().max_pending_bytes) {
    LatencyProxy::Options options;
    options.round_trip = round_trip;
    options.max_pending_bytes = max_pending_bytes;
    proxy_ = std::make_unique<LatencyProxy>(upstream_->endpoint(), options);
    ASSERT_EQ(OK, proxy_->Start());
    EXPECT_EQ(round_trip, proxy_->round_trip());
  }

  // A client connected through proxy_, and the upstream end of its
  // connection; both reading.
  struct Pair {
    std::unique_ptr<Peer> client;
    std::unique_ptr<Peer> upstream;
  };
  Pair Connect(int client_receive_buffer = 0) {
    Pair pair;
    pair.client = ConnectTo(proxy_->endpoint(), client_receive_buffer);
    pair.upstream = upstream_->Accept();
    return pair;
  }

  EventLoop loop_;
  std::unique_ptr<UpstreamListener> upstream_ =
      std::make_unique<UpstreamListener>();
  std::unique_ptr<LatencyProxy> proxy_;
};

TEST_F(LatencyProxyTest, RelaysBytesIntactAndInOrderBothWays) {
  StartProxy();
  EXPECT_NE(0, proxy_->port());
  EXPECT_EQ(upstream_->endpoint().ToString(), proxy_->upstream().ToString());
  Pair first = Connect();
  Pair second = Connect();
  ASSERT_TRUE(first.upstream && second.upstream);
  for (Pair* pair : {&first, &second}) {
    pair->client->StartReading();
    pair->upstream->StartReading();
  }
  first.client->Send("GET / HTTP/1.1\r\n");
  second.upstream->Send("second: hello");
  first.client->Send("Host: a.test\r\n\r\n");
  first.upstream->Send("HTTP/1.1 200 OK\r\n");
  second.client->Send("second: hi");
  first.upstream->Send("\r\nbody");
  const std::string request = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";
  const std::string response = "HTTP/1.1 200 OK\r\n\r\nbody";
  ASSERT_TRUE(RunUntil([&] {
    return first.upstream->received().size() >= request.size() &&
           first.client->received().size() >= response.size() &&
           second.upstream->received().size() >= 10 &&
           second.client->received().size() >= 13;
  }));
  EXPECT_EQ(request, first.upstream->received());
  EXPECT_EQ(response, first.client->received());
  EXPECT_EQ("second: hi", second.upstream->received());
  EXPECT_EQ("second: hello", second.client->received());
  EXPECT_EQ(2, proxy_->num_accepted_connections());
  EXPECT_EQ(2, proxy_->num_open_connections());
}

TEST_F(LatencyProxyTest, RequestAndResponseTakeAtLeastOneRoundTrip) {
  StartProxy();
  Pair pair = Connect();
  ASSERT_TRUE(pair.upstream);
  pair.client->StartReading();
  pair.upstream->StartReading();
  // The upstream answers as soon as the request is complete.
  pair.upstream->set_on_read([&] {
    if (pair.upstream->received() == "ping")
      pair.upstream->Send("pong");
  });
  const absl::Time sent = Now();
  pair.client->Send("ping");
  ASSERT_TRUE(RunUntil([&] { return pair.client->received() == "pong"; }));
  // Lower bounds only: the proxy must not deliver early; how late it is
  // depends on the machine.
  EXPECT_GE(pair.upstream->first_byte_time() - sent, kOneWay);
  EXPECT_GE(pair.client->first_byte_time() - sent, kRoundTrip);
}

// Moves 8 MiB from `sender` to `receiver` through the proxy. The receiver
// reads nothing until the proxy found its socket full, so the proxy must both
// wait for writability (EAGAIN) and stop reading the sender (its queue is
// bounded); then everything must arrive intact and in order.
void TransferLargeBody(LatencyProxy* proxy, Peer* sender, Peer* receiver) {
  // More than the proxy's socket send buffer can hold (Linux caps it at
  // net.ipv4.tcp_wmem[2], 4 MiB by default) with the receiver's small
  // receive buffer.
  const std::string body = RandomBytes(8 * 1024 * 1024);
  sender->Send(body);
  ASSERT_TRUE(RunUntil([&] {
    return proxy->num_blocked_writes() > 0 && proxy->num_paused_reads() > 0;
  })) << "blocked writes "
      << proxy->num_blocked_writes() << ", paused reads "
      << proxy->num_paused_reads();
  receiver->StartReading();
  ASSERT_TRUE(RunUntil([&] {
    return receiver->received().size() >= body.size() || receiver->ended();
  }));
  EXPECT_TRUE(sender->sent_all());
  ASSERT_EQ(body.size(), receiver->received().size());
  // Not EXPECT_EQ on the strings: a mismatch would print 16 MiB.
  EXPECT_TRUE(receiver->received() == body);
}

constexpr int kSmallReceiveBuffer = 16 * 1024;

TEST_F(LatencyProxyTest, LargeTransferFromClientSurvivesBackpressure) {
  upstream_ = std::make_unique<UpstreamListener>(kSmallReceiveBuffer);
  StartProxy(absl::Milliseconds(10), /*max_pending_bytes=*/256 * 1024);
  Pair pair = Connect();
  ASSERT_TRUE(pair.upstream);
  TransferLargeBody(proxy_.get(), pair.client.get(), pair.upstream.get());
}

TEST_F(LatencyProxyTest, LargeTransferFromUpstreamSurvivesBackpressure) {
  StartProxy(absl::Milliseconds(10), /*max_pending_bytes=*/256 * 1024);
  Pair pair = Connect(kSmallReceiveBuffer);
  ASSERT_TRUE(pair.upstream);
  TransferLargeBody(proxy_.get(), pair.upstream.get(), pair.client.get());
}

class CompletionDelegate : public ConnectJob::Delegate {
 public:
  CompletionOnceCallback callback;
  void OnConnectJobComplete(int result, ConnectJob*) override {
    std::move(callback)(result);
  }
};

// The way the demo uses it: an HTTPS origin behind the proxy, reached by its
// logical name through a connect-to override, fetched with the connect job
// and the HTTP stream.
TEST_F(LatencyProxyTest, HttpsFetchThroughTheProxy) {
  EmbeddedTestServer server(EmbeddedTestServer::Type::kHttps);
  server.RegisterRequestHandler(
      [](const HttpRequest& request) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content("hello from " + request.sni_host);
        return response;
      });
  ASSERT_EQ(OK, server.Start());
  LatencyProxy proxy(server.endpoint(), kRoundTrip);
  ASSERT_EQ(OK, proxy.Start());

  HostResolver::Options resolver_options;
  std::string message;
  ASSERT_EQ(OK, ConnectToOverrides::Parse(
                    "a.test:443:127.0.0.1:" + std::to_string(proxy.port()),
                    &resolver_options.connect_to, &message))
      << message;
  int rv = OK;
  std::unique_ptr<HostResolver> resolver =
      HostResolver::Create(std::move(resolver_options), &rv, &message);
  ASSERT_TRUE(resolver) << message;
  SslClientSessionCache session_cache(loop_.clock());
  SslConfig ssl_config;
  ssl_config.trusted_root_certificates_pem = server.root_certificate_pem();

  const absl::Time start = Now();
  ConnectJobParams params;
  params.scheme = "https";
  params.destination = HostPortPair("a.test", 443);
  CompletionDelegate delegate;
  TestCompletionCallback connected;
  delegate.callback = connected.callback();
  TransportConnectJob job(params, resolver.get(), &session_cache, ssl_config,
                          {}, nullptr, &delegate);
  ASSERT_EQ(OK, connected.GetResult(job.Connect())) << job.error_message();
  std::unique_ptr<StreamSocket> socket = job.PassSocket();
  ASSERT_TRUE(socket);

  HttpBasicStream stream(socket.get());
  HttpRequestInfo request;
  request.url = Url::Parse("https://a.test/hello");
  TestCompletionCallback callback;
  ASSERT_EQ(
      OK, callback.GetResult(stream.SendRequest(request, callback.callback())));
  ASSERT_EQ(
      OK, callback.GetResult(stream.ReadResponseHeaders(callback.callback())));
  std::string body;
  ASSERT_EQ(OK, callback.GetResult(
                    stream.ReadResponseBodyToEnd(&body, callback.callback())));
  EXPECT_EQ("hello from a.test", body);
  // The TLS handshake's first two flights and then the request and response
  // each crossed the proxy both ways (the TCP handshake did not).
  EXPECT_GE(Now() - start, 2 * kRoundTrip);
  EXPECT_EQ(1, proxy.num_accepted_connections());
  EXPECT_EQ(1, server.num_tls_handshakes());
  EXPECT_EQ(1, server.num_requests());
}

TEST_F(LatencyProxyTest, PeerClosePropagatesAfterTheDelay) {
  StartProxy();
  Pair pair = Connect();
  ASSERT_TRUE(pair.upstream);
  pair.client->StartReading();
  pair.upstream->StartReading();
  pair.upstream->Send("bye");
  ASSERT_TRUE(RunUntil([&] { return pair.upstream->sent_all(); }));
  const absl::Time closed = Now();
  pair.upstream->Close();
  ASSERT_TRUE(RunUntil([&] { return pair.client->ended(); }));
  EXPECT_EQ("bye", pair.client->received());
  EXPECT_TRUE(pair.client->eof());
  EXPECT_GE(pair.client->end_time() - closed, kOneWay);
  // The client closes too: the proxy's connection ends.
  pair.client->Close();
  EXPECT_TRUE(RunUntil([&] { return proxy_->num_open_connections() == 0; }));
}

TEST_F(LatencyProxyTest, HalfCloseKeepsTheOtherDirectionOpen) {
  StartProxy();
  Pair pair = Connect();
  ASSERT_TRUE(pair.upstream);
  pair.client->StartReading();
  pair.upstream->StartReading();
  pair.client->Send("request");
  const absl::Time half_closed = Now();
  pair.client->ShutdownWrite();
  ASSERT_TRUE(RunUntil([&] { return pair.upstream->ended(); }));
  EXPECT_TRUE(pair.upstream->eof());
  EXPECT_EQ("request", pair.upstream->received());
  EXPECT_GE(pair.upstream->end_time() - half_closed, kOneWay);
  EXPECT_EQ(1, proxy_->num_open_connections());

  // The upstream still answers over the half-closed connection, then closes.
  pair.upstream->Send("response");
  pair.upstream->ShutdownWrite();
  ASSERT_TRUE(RunUntil([&] { return pair.client->ended(); }));
  EXPECT_TRUE(pair.client->eof());
  EXPECT_EQ("response", pair.client->received());
  // Both FINs delivered: the proxy closed its sockets.
  EXPECT_TRUE(RunUntil([&] { return proxy_->num_open_connections() == 0; }));
}

TEST_F(LatencyProxyTest, ResetPropagatesAsAReset) {
  StartProxy();
  Pair pair = Connect();
  ASSERT_TRUE(pair.upstream);
  pair.client->StartReading();
  const absl::Time reset = Now();
  pair.upstream->Close(/*reset=*/true);
  ASSERT_TRUE(RunUntil([&] { return pair.client->ended(); }));
  EXPECT_EQ(ECONNRESET, pair.client->read_error());
  EXPECT_GE(pair.client->end_time() - reset, kOneWay);
  EXPECT_TRUE(RunUntil([&] { return proxy_->num_open_connections() == 0; }));
}

// A reset is not flow-controlled: a client that reads nothing still gets it,
// and the proxy does not keep the connection waiting for room.
TEST_F(LatencyProxyTest, ResetIsNotHeldBackByAFullReceiver) {
  // Never pauses reading the upstream, so the proxy sees its reset.
  StartProxy(kRoundTrip, /*max_pending_bytes=*/64 * 1024 * 1024);
  Pair pair = Connect(kSmallReceiveBuffer);
  ASSERT_TRUE(pair.upstream);
  const std::string body = RandomBytes(8 * 1024 * 1024);
  pair.upstream->Send(body);
  ASSERT_TRUE(RunUntil([&] {
    return proxy_->num_blocked_writes() > 0 && pair.upstream->sent_all();
  }));
  pair.upstream->Close(/*reset=*/true);
  ASSERT_TRUE(RunUntil([&] { return proxy_->num_open_connections() == 0; }));
  pair.client->StartReading();
  ASSERT_TRUE(RunUntil([&] { return pair.client->ended(); }));
  EXPECT_LT(pair.client->received().size(), body.size());
}

TEST_F(LatencyProxyTest, UpstreamRefusingResetsTheClient) {
  // A port nobody listens on any more.
  IPEndPoint closed_port = UpstreamListener().endpoint();
  LatencyProxy proxy(closed_port, kRoundTrip);
  ASSERT_EQ(OK, proxy.Start());
  std::unique_ptr<Peer> client = ConnectTo(proxy.endpoint());
  client->StartReading();
  ASSERT_TRUE(RunUntil([&] { return client->ended(); }));
  EXPECT_EQ(ECONNRESET, client->read_error());
  EXPECT_TRUE(RunUntil([&] { return proxy.num_open_connections() == 0; }));
  EXPECT_EQ(1, proxy.num_accepted_connections());
}

TEST_F(LatencyProxyTest, DestroyingTheProxyClosesLiveConnections) {
  // Long enough that everything below is still queued when the proxy dies.
  const absl::Duration round_trip = absl::Seconds(20);
  StartProxy(round_trip);
  std::vector<Pair> pairs;
  for (int i = 0; i < 3; ++i) {
    pairs.push_back(Connect());
    ASSERT_TRUE(pairs.back().upstream);
    pairs.back().client->StartReading();
    pairs.back().upstream->StartReading();
    pairs.back().client->Send(RandomBytes(100 * 1024));
    pairs.back().upstream->Send("queued response");
  }
  // And one whose upstream connect never completes.
  FullBacklogListener black_hole;
  ASSERT_EQ(OK, black_hole.Start());
  auto connecting_proxy =
      std::make_unique<LatencyProxy>(black_hole.endpoint(), round_trip);
  ASSERT_EQ(OK, connecting_proxy->Start());
  std::unique_ptr<Peer> connecting_client =
      ConnectTo(connecting_proxy->endpoint());
  connecting_client->StartReading();
  connecting_client->Send("hello?");
  ASSERT_TRUE(RunUntil([&] {
    for (const Pair& pair : pairs) {
      if (!pair.client->sent_all() || !pair.upstream->sent_all())
        return false;
    }
    return connecting_proxy->num_accepted_connections() == 1;
  }));
  RunFor(absl::Milliseconds(20));
  EXPECT_EQ(3, proxy_->num_open_connections());
  EXPECT_EQ(1, connecting_proxy->num_open_connections());

  proxy_.reset();
  connecting_proxy.reset();
  ASSERT_TRUE(RunUntil([&] {
    for (const Pair& pair : pairs) {
      if (!pair.client->ended() || !pair.upstream->ended())
        return false;
    }
    return connecting_client->ended();
  }));
  for (const Pair& pair : pairs) {
    // Nothing was due yet, so nothing was delivered.
    EXPECT_EQ("", pair.client->received());
    EXPECT_EQ("", pair.upstream->received());
  }
  EXPECT_EQ("", connecting_client->received());
  // Nothing the proxy left behind (timers, watches) runs after it.
  RunFor(absl::Milliseconds(20));
}

}  // namespace
}  // namespace net
