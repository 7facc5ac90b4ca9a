#ifndef NET_TEST_LATENCY_PROXY_H_
#define NET_TEST_LATENCY_PROXY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"
#include "net/test/closing_connection_list.h"
#include "net/test/latency_proxy_connection.h"
#include "net/test/tcp_listener.h"

namespace net {

// A TCP proxy that adds network latency in user space, in the manner of
// WebPageTest's tsproxy, for machines without netem. It listens on an
// ephemeral port and, for each connection it accepts, connects to `upstream`
// and relays bytes both ways. Every chunk it reads from one side reaches the
// other side one one-way delay (round_trip / 2) after it was read, in order;
// bytes read in one go share a deadline. A half-close (FIN) and a close
// travel the same way, behind the data read before them. A reset or socket
// error on one side resets the other side after the same delay; an upstream
// that refuses the connection resets the client at once.
//
// What it cannot delay: the TCP handshake. The kernel completes a client's
// connect() to the proxy before the proxy even accepts, so a connection costs
// no round trip here where a real one costs one. Everything after it is
// delayed: TLS handshake flights, HTTP requests and responses, closes.
//
// Buffering is bounded: the proxy stops reading a side while more than
// `max_pending_bytes` it read from that side wait to be delivered, and
// resumes once half of them went out. Bandwidth is not limited beyond what
// that implies (max_pending_bytes per one-way delay).
//
// Runs on the current EventLoop with non-blocking sockets, like
// EmbeddedTestServer: no threads. The proxy owns the listening socket and
// every relayed connection; destroying it closes them all (queued bytes are
// dropped). It must be destroyed before the EventLoop. Network thread only.
class LatencyProxy : private LatencyProxyConnection::Delegate {
 public:
  struct Options {
    // The emulated round trip; each direction gets half of it.
    absl::Duration round_trip = absl::Milliseconds(40);
    // Per direction of each connection.
    size_t max_pending_bytes = 1024 * 1024;
  };

  // Relays to `upstream` with the given round trip and the default buffer
  // limit.
  LatencyProxy(const IPEndPoint& upstream, absl::Duration round_trip);
  LatencyProxy(const IPEndPoint& upstream, const Options& options);
  LatencyProxy(const LatencyProxy&) = delete;
  LatencyProxy& operator=(const LatencyProxy&) = delete;
  ~LatencyProxy() override;

  // Listens on `address`:0 and starts accepting. Returns OK or the socket
  // error.
  int Start(const IPAddress& address = IPAddress::IPv4Localhost());
  bool Started() const { return listener_.is_listening(); }

  // Where clients connect; valid after Start().
  const IPEndPoint& endpoint() const { return listener_.endpoint(); }
  uint16_t port() const { return endpoint().port(); }
  const IPEndPoint& upstream() const { return upstream_; }
  absl::Duration round_trip() const { return options_.round_trip; }

  int num_accepted_connections() const { return num_accepted_connections_; }
  // Connections still relaying (a connection ends once both directions
  // delivered their FIN, or on a reset).
  int num_open_connections() const { return connections_.num_open(); }
  // How often a write found the receiving socket full (EAGAIN) and how often
  // reading a side was paused because too many of its bytes were queued.
  int64_t num_blocked_writes() const { return num_blocked_writes_; }
  int64_t num_paused_reads() const { return num_paused_reads_; }

 private:
  // LatencyProxyConnection::Delegate:
  void OnWriteBlocked() override;
  void OnReadPaused() override;
  void OnConnectionClosed(LatencyProxyConnection* connection) override;

  void OnAccepted(int fd);

  const IPEndPoint upstream_;
  const Options options_;

  // Declared before the listener: it accepts into the list.
  ClosingConnectionList<LatencyProxyConnection> connections_;
  TcpListener listener_{[this](int fd) { OnAccepted(fd); }};

  int num_accepted_connections_ = 0;
  int64_t num_blocked_writes_ = 0;
  int64_t num_paused_reads_ = 0;
};

}  // namespace net

#endif  // NET_TEST_LATENCY_PROXY_H_
