#include "net/test/latency_proxy.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"

namespace net {

namespace {

LatencyProxy::Options WithRoundTrip(absl::Duration round_trip) {
  LatencyProxy::Options options;
  options.round_trip = round_trip;
  return options;
}

}  // namespace

LatencyProxy::LatencyProxy(const IPEndPoint& upstream,
                           absl::Duration round_trip)
    : LatencyProxy(upstream, WithRoundTrip(round_trip)) {}

LatencyProxy::LatencyProxy(const IPEndPoint& upstream, const Options& options)
    : upstream_(upstream), options_(options) {
  CHECK(options_.round_trip >= absl::ZeroDuration());
  CHECK(options_.max_pending_bytes > 0);
}

// Members go in reverse order: the listener first, then the connections,
// which close their sockets without calling back into us.
LatencyProxy::~LatencyProxy() = default;

int LatencyProxy::Start(const IPAddress& address) {
  DCHECK(!Started());
  return listener_.Listen(address);
}

void LatencyProxy::OnAccepted(int fd) {
  ++num_accepted_connections_;
  connections_
      .Add(std::make_unique<LatencyProxyConnection>(
          fd, upstream_, options_.round_trip / 2, options_.max_pending_bytes,
          static_cast<LatencyProxyConnection::Delegate*>(this)))
      ->Start();
}

void LatencyProxy::OnWriteBlocked() {
  ++num_blocked_writes_;
}

void LatencyProxy::OnReadPaused() {
  ++num_paused_reads_;
}

void LatencyProxy::OnConnectionClosed(LatencyProxyConnection* connection) {
  connections_.OnConnectionClosed();
}

}  // namespace net
