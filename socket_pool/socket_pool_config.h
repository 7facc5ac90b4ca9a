#ifndef SOCKET_POOL_SOCKET_POOL_CONFIG_H_
#define SOCKET_POOL_SOCKET_POOL_CONFIG_H_

#include "absl/time/time.h"

namespace net {

// Limits and timeouts of a SocketPoolManager (docs/pool-selection.md section
// 5). The defaults are Chromium's.
struct SocketPoolConfig {
  // Sockets per group: idle + connecting + handed out.
  int max_sockets_per_group = 6;
  // Sockets across every group of the manager, counted the same way.
  int max_sockets_total = 256;
  // How long a never-used (preconnected) idle socket is kept.
  absl::Duration unused_idle_timeout = absl::Seconds(60);
  // How long a socket that served a request is kept idle.
  absl::Duration used_idle_timeout = absl::Seconds(300);
  // When false (an embedder like a WebView), the manager clears the NAK of
  // every GroupId, so groups differ only by scheme, destination and privacy
  // mode.
  bool partition_connections = true;
  // Late privacy binding (docs/pool-selection.md section 9): a request may take
  // an unbound preconnected socket of a group that differs from its own only
  // in privacy mode. When false every preconnect is bound from the start.
  bool late_binding = true;
};

// How a preconnect's sockets are bound (RequestSockets).
enum class PreconnectBinding {
  // Bound to the group from the start (explicit or learned purpose); its TLS
  // handshake may resume a session.
  kBound,
  // A guessed group: unbound until first use (section 9). The connect job is
  // told (ConnectJobParams::unbound) so the handshake offers no session and
  // keeps its tickets with the socket.
  kUnbound,
};

}  // namespace net

#endif  // SOCKET_POOL_SOCKET_POOL_CONFIG_H_
