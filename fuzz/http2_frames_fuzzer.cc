// Server bytes into a real client Http2Session (nghttp2) over a real loopback
// TCP connection. Each input is everything the server sends after the client's
// connection preface, before it half-closes: frames (SETTINGS, HEADERS, DATA,
// GOAWAY, RST_STREAM, PING, WINDOW_UPDATE, CONTINUATION...) or garbage. The
// client has one GET stream open and reads its whole response.
// Invariants: no crash, hang, leak or sanitizer report; the stream ends with
// OK or a net error; a stream that ended OK had a final status (an HTTP/2
// response without :status is malformed); a session that ended with an error
// says what it saw.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "net/base/ip_endpoint.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/http/http_request_info.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/tcp_client_socket.h"
#include "net/spdy/http2_session.h"
#include "net/spdy/http2_stream.h"
#include "net/test/test_completion_callback.h"

namespace {

// A loopback listener the fuzzer itself accepts on: inputs never reach any
// other address.
struct Harness {
  Harness() {
    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (listen_fd < 0 ||
        bind(listen_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listen_fd, 16) != 0 ||
        getsockname(listen_fd, reinterpret_cast<sockaddr*>(&address),
                    &length) != 0) {
      std::perror("http2_frames_fuzzer: loopback listener");
      std::exit(1);
    }
    endpoint = net::IPEndPoint(net::IPAddress::IPv4Localhost(),
                               ntohs(address.sin_port));
  }

  net::EventLoop loop;
  int listen_fd = -1;
  net::IPEndPoint endpoint;
};

Harness* harness = nullptr;

// Writes all of `bytes` to the accepted server side, then half-closes it so
// that the client sees the end of the server's stream.
void ServeAndHalfClose(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0)
      break;
    data += n;
    size -= static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Inputs above the kernel's socket buffers would block the single-threaded
  // server write before the client reads; they add nothing a smaller one
  // cannot reach.
  if (size > 64 * 1024)
    return 0;
  if (!harness)
    harness = new Harness();

  auto socket = std::make_unique<net::TcpClientSocket>(
      std::vector<net::IPEndPoint>{harness->endpoint},
      net::TcpClientSocket::Options(), net::NetLogWithSource());
  net::TestCompletionCallback connected;
  FUZZ_CHECK(
      connected.GetResult(socket->Connect(connected.callback())) == net::OK,
      "loopback connect failed");
  const int server_fd = accept4(harness->listen_fd, nullptr, nullptr, 0);
  FUZZ_CHECK(server_fd >= 0, "accept failed");

  {
    net::Http2Session session(socket.get(), net::Http2SessionOptions(),
                              net::NetLogWithSource());
    int rv = session.Start();
    if (rv == net::OK) {
      ServeAndHalfClose(server_fd, data, size);
      net::Http2Stream stream(&session);
      net::HttpRequestInfo request;
      request.url = net::Url::Parse("http://fuzz.example/");
      net::TestCompletionCallback callback;
      rv = callback.GetResult(stream.SendRequest(request, callback.callback()));
      if (rv == net::OK) {
        rv =
            callback.GetResult(stream.ReadResponseHeaders(callback.callback()));
      }
      if (rv == net::OK) {
        FUZZ_CHECK(stream.response_headers().response_code() >= 100,
                   "a response without a final :status ended OK (%d)",
                   stream.response_headers().response_code());
        std::string body;
        rv = callback.GetResult(
            stream.ReadResponseBodyToEnd(&body, callback.callback()));
      }
      FUZZ_CHECK(rv <= net::OK, "the stream ended with %d", rv);
    }
    if (session.is_closed() && session.close_error() != net::OK) {
      FUZZ_CHECK(!session.error_message().empty(),
                 "session error %d without a message", session.close_error());
    }
  }
  close(server_fd);
  socket.reset();
  harness->loop.RunUntilIdle();
  return 0;
}
