#include "net/socket/tcp_client_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_source_type.h"
#include "net/log/net_log_with_source.h"
#include "net/log/recording_net_log_observer.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/full_backlog_listener.h"
#include "net/test/stream_socket_test_util.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

using test_server::EmbeddedTestServer;
using test_server::HttpRequest;
using test_server::HttpResponse;

// A loopback port with nothing listening: bound, then closed.
IPEndPoint ClosedPort(const IPAddress& address) {
  int fd = socket(address.IsIPv6() ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  IPEndPoint(address, 0)
      .ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length);
  bind(fd, reinterpret_cast<sockaddr*>(&storage), length);
  length = sizeof(storage);
  getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
  IPEndPoint endpoint;
  endpoint.FromSockAddr(reinterpret_cast<sockaddr*>(&storage), length);
  close(fd);
  return endpoint;
}

class TcpClientSocketTest : public testing::Test {
 protected:
  explicit TcpClientSocketTest(
      EventLoop::TimeSource time_source = EventLoop::TimeSource::kSystemTime)
      : loop_(time_source) {}

  void StartServer() {
    server_.RegisterRequestHandler(
        [this](const HttpRequest& request) -> std::optional<HttpResponse> {
          last_request_ = request;
          if (quit_on_request_)
            std::move(quit_on_request_)();
          HttpResponse response;
          response.set_content("hello " + request.relative_url);
          if (request.relative_url == "/reset")
            response.set_misbehavior(HttpResponse::Misbehavior::kReset);
          return response;
        });
    ASSERT_EQ(OK, server_.Start());
  }

  std::unique_ptr<TcpClientSocket> MakeSocket(
      std::vector<IPEndPoint> addresses,
      TcpClientSocket::Options options = TcpClientSocket::Options()) {
    return std::make_unique<TcpClientSocket>(std::move(addresses), options,
                                             NetLogWithSource());
  }

  // Sends a GET and runs the loop until the server has answered it, so the
  // response now sits unread in the client's receive buffer.
  void SendRequestAndWaitForServer(StreamSocket* socket,
                                   const std::string& path) {
    RunLoop run_loop;
    quit_on_request_ = run_loop.QuitClosure();
    ASSERT_EQ(OK,
              WriteAll(socket, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    run_loop.Run();
    // The response was written in the same task as the handler ran; let any
    // follow-up server work (a reset's close) finish too.
    loop_.RunUntilIdle();
  }

  EventLoop loop_;
  EmbeddedTestServer server_;
  std::optional<HttpRequest> last_request_;
  OnceClosure quit_on_request_;
};

TEST_F(TcpClientSocketTest, ConnectsAndExchangesData) {
  StartServer();
  auto socket = MakeSocket({server_.endpoint()});
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  EXPECT_TRUE(socket->IsConnected());
  EXPECT_TRUE(socket->IsConnectedAndIdle());
  EXPECT_FALSE(socket->WasEverUsed());

  IPEndPoint peer;
  ASSERT_EQ(OK, socket->GetPeerAddress(&peer));
  EXPECT_EQ(server_.endpoint(), peer);
  IPEndPoint local;
  ASSERT_EQ(OK, socket->GetLocalAddress(&local));
  EXPECT_TRUE(local.address().IsLoopback());
  EXPECT_NE(0, local.port());

  SendRequestAndWaitForServer(socket.get(), "/x");
  EXPECT_TRUE(socket->WasEverUsed());
  HttpResponse expected;
  expected.set_content("hello /x");
  const std::string wire = expected.ToString();
  EXPECT_EQ(wire, ReadUpTo(socket.get(), wire.size()));
  EXPECT_EQ(1, server_.num_accepted_connections());
}

TEST_F(TcpClientSocketTest, ConnectToClosedPortIsRefused) {
  auto socket = MakeSocket({ClosedPort(IPAddress::IPv4Localhost())});
  TestCompletionCallback callback;
  EXPECT_EQ(ERR_CONNECTION_REFUSED,
            callback.GetResult(socket->Connect(callback.callback())));
  EXPECT_FALSE(socket->IsConnected());
}

TEST_F(TcpClientSocketTest, EmptyAddressListIsInvalid) {
  auto socket = MakeSocket({});
  TestCompletionCallback callback;
  EXPECT_EQ(ERR_ADDRESS_INVALID, socket->Connect(callback.callback()));
}

TEST_F(TcpClientSocketTest, ReadAndWriteBeforeConnectFail) {
  auto socket = MakeSocket({ClosedPort(IPAddress::IPv4Localhost())});
  char buffer[8];
  TestCompletionCallback callback;
  EXPECT_EQ(ERR_SOCKET_NOT_CONNECTED,
            socket->Read(buffer, sizeof(buffer), callback.callback()));
  EXPECT_EQ(ERR_SOCKET_NOT_CONNECTED,
            socket->Write(buffer, sizeof(buffer), callback.callback()));
  IPEndPoint peer;
  EXPECT_EQ(ERR_SOCKET_NOT_CONNECTED, socket->GetPeerAddress(&peer));
}

TEST_F(TcpClientSocketTest, FailedAddressFallsBackToNextOfSameFamily) {
  StartServer();
  auto socket =
      MakeSocket({ClosedPort(IPAddress::IPv4Localhost()), server_.endpoint()});
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  EXPECT_EQ(2, socket->attempted_address_count());
  IPEndPoint peer;
  ASSERT_EQ(OK, socket->GetPeerAddress(&peer));
  EXPECT_EQ(server_.endpoint(), peer);
}

TEST_F(TcpClientSocketTest, EveryAddressFailingReportsTheError) {
  auto socket = MakeSocket({ClosedPort(IPAddress::IPv4Localhost()),
                            ClosedPort(IPAddress::IPv4Localhost())});
  TestCompletionCallback callback;
  EXPECT_EQ(ERR_CONNECTION_REFUSED,
            callback.GetResult(socket->Connect(callback.callback())));
  EXPECT_EQ(2, socket->attempted_address_count());
}

TEST_F(TcpClientSocketTest, RefusedIpv6FallsBackToIpv4) {
  StartServer();
  auto socket =
      MakeSocket({ClosedPort(IPAddress::IPv6Localhost()), server_.endpoint()});
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  IPEndPoint peer;
  ASSERT_EQ(OK, socket->GetPeerAddress(&peer));
  EXPECT_TRUE(peer.address().IsIPv4());
}

TEST_F(TcpClientSocketTest, NetLogRecordsEachAttemptAndTheOutcome) {
  StartServer();
  RecordingNetLogObserver observer;
  const IPEndPoint refused = ClosedPort(IPAddress::IPv4Localhost());
  TcpClientSocket socket({refused, server_.endpoint()},
                         TcpClientSocket::Options(),
                         NetLogWithSource::Make(NetLogSourceType::SOCKET));
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket.Connect(callback.callback())));

  std::vector<NetLogEntry> entries =
      observer.GetEntriesForSource(socket.NetLog().source());
  std::vector<std::string> summary;
  for (const NetLogEntry& entry : entries) {
    if (entry.type != NetLogEventType::TCP_CONNECT &&
        entry.type != NetLogEventType::TCP_CONNECT_ATTEMPT) {
      continue;
    }
    std::string line =
        std::string(NetLogEventTypeToString(entry.type)) +
        (entry.phase == NetLogEventPhase::BEGIN ? " BEGIN" : " END");
    const auto& fields = entry.params.fields();
    if (fields.count("address"))
      line += " " + fields.at("address").string_value();
    if (fields.count("net_error"))
      line += " " + std::to_string(static_cast<int>(
                        fields.at("net_error").number_value()));
    if (fields.count("remote_address"))
      line += " " + fields.at("remote_address").string_value();
    summary.push_back(line);
  }
  EXPECT_EQ(
      (std::vector<std::string>{
          "TCP_CONNECT BEGIN",
          "TCP_CONNECT_ATTEMPT BEGIN " + refused.ToString(),
          "TCP_CONNECT_ATTEMPT END " + std::to_string(ERR_CONNECTION_REFUSED),
          "TCP_CONNECT_ATTEMPT BEGIN " + server_.endpoint().ToString(),
          "TCP_CONNECT_ATTEMPT END",
          "TCP_CONNECT END " + server_.endpoint().ToString(),
      }),
      summary);
}

TEST_F(TcpClientSocketTest, PeerClosingIdleConnectionIsNoticed) {
  StartServer();
  auto socket = MakeSocket({server_.endpoint()});
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  loop_.RunUntilIdle();  // Let the server accept.
  ASSERT_EQ(1, server_.num_open_connections());
  EXPECT_TRUE(socket->IsConnected());

  server_.CloseAllConnections();
  EXPECT_FALSE(socket->IsConnected());
  EXPECT_FALSE(socket->IsConnectedAndIdle());
}

TEST_F(TcpClientSocketTest, UnreadDataIsConnectedButNotIdle) {
  StartServer();
  auto socket = MakeSocket({server_.endpoint()});
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  SendRequestAndWaitForServer(socket.get(), "/data");
  EXPECT_TRUE(socket->IsConnected());
  EXPECT_FALSE(socket->IsConnectedAndIdle());
}

TEST_F(TcpClientSocketTest, ResetDuringReadIsConnectionReset) {
  StartServer();
  auto socket = MakeSocket({server_.endpoint()});
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  SendRequestAndWaitForServer(socket.get(), "/reset");
  int error = OK;
  EXPECT_EQ("", ReadUpTo(socket.get(), 1, &error));
  EXPECT_EQ(ERR_CONNECTION_RESET, error);
  EXPECT_FALSE(socket->IsConnected());
}

TEST_F(TcpClientSocketTest, DisconnectDropsPendingReadAndCloses) {
  StartServer();
  auto socket = MakeSocket({server_.endpoint()});
  TestCompletionCallback callback;
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  char buffer[16];
  TestCompletionCallback read_callback;
  ASSERT_EQ(ERR_IO_PENDING,
            socket->Read(buffer, sizeof(buffer), read_callback.callback()));
  socket->Disconnect();
  loop_.RunUntilIdle();
  EXPECT_FALSE(read_callback.have_result());
  EXPECT_FALSE(socket->IsConnected());
  EXPECT_EQ(ERR_SOCKET_NOT_CONNECTED,
            socket->Read(buffer, sizeof(buffer), read_callback.callback()));
}

// Time-driven cases: the EventLoop's mock clock drives the connect timeout and
// the Happy Eyeballs stagger, while the sockets themselves are real.
class TcpClientSocketMockTimeTest : public TcpClientSocketTest {
 protected:
  TcpClientSocketMockTimeTest()
      : TcpClientSocketTest(EventLoop::TimeSource::kMockTime) {}
};

TEST_F(TcpClientSocketMockTimeTest, UnansweredConnectTimesOut) {
  FullBacklogListener blackhole;
  ASSERT_EQ(OK, blackhole.Start());
  TcpClientSocket::Options options;
  options.connect_timeout = absl::Seconds(5);
  auto socket = MakeSocket({blackhole.endpoint()}, options);
  TestCompletionCallback callback;
  ASSERT_EQ(ERR_IO_PENDING, socket->Connect(callback.callback()));

  loop_.FastForwardBy(absl::Seconds(5) - absl::Milliseconds(1));
  EXPECT_FALSE(callback.have_result());
  loop_.FastForwardBy(absl::Milliseconds(1));
  ASSERT_TRUE(callback.have_result());
  EXPECT_EQ(ERR_CONNECTION_TIMED_OUT, callback.WaitForResult());
  EXPECT_FALSE(socket->IsConnected());
}

TEST_F(TcpClientSocketMockTimeTest,
       HangingIpv6StartsIpv4AfterStaggerAndIpv4Wins) {
  StartServer();
  FullBacklogListener blackhole;
  ASSERT_EQ(OK, blackhole.Start(IPAddress::IPv6Localhost()));
  TcpClientSocket::Options options;
  options.fallback_delay = absl::Milliseconds(250);
  auto socket = MakeSocket({blackhole.endpoint(), server_.endpoint()}, options);
  TestCompletionCallback callback;
  ASSERT_EQ(ERR_IO_PENDING, socket->Connect(callback.callback()));

  loop_.FastForwardBy(absl::Milliseconds(249));
  EXPECT_FALSE(callback.have_result());
  EXPECT_EQ(1, socket->attempted_address_count());
  EXPECT_EQ(0, server_.num_accepted_connections());

  loop_.FastForwardBy(absl::Milliseconds(1));
  EXPECT_EQ(2, socket->attempted_address_count());
  ASSERT_EQ(OK, callback.WaitForResult());
  IPEndPoint peer;
  ASSERT_EQ(OK, socket->GetPeerAddress(&peer));
  EXPECT_EQ(server_.endpoint(), peer);

  // The losing IPv6 attempt is gone: nothing fires later.
  loop_.FastForwardBy(absl::Minutes(5));
  EXPECT_TRUE(socket->IsConnected());
}

TEST_F(TcpClientSocketMockTimeTest, FailedPrimaryFamilyDoesNotWaitForStagger) {
  StartServer();
  auto socket =
      MakeSocket({ClosedPort(IPAddress::IPv6Localhost()), server_.endpoint()});
  TestCompletionCallback callback;
  // No FastForwardBy: the refusal itself must start IPv4.
  ASSERT_EQ(OK, callback.GetResult(socket->Connect(callback.callback())));
  EXPECT_EQ(2, socket->attempted_address_count());
}

}  // namespace
}  // namespace net
