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
#include "net/event/fd_watcher.h"
#include "net/test/listen_socket.h"

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

LatencyProxy::~LatencyProxy() {
  listen_watcher_.reset();
  if (listen_fd_ >= 0)
    close(listen_fd_);
  // Destroying a connection closes its sockets without calling back into us.
  connections_.clear();
}

int LatencyProxy::Start(const IPAddress& address) {
  DCHECK(!Started());
  int rv = OpenListenSocket(address, &listen_fd_, &endpoint_);
  if (rv != OK)
    return rv;
  listen_watcher_ = std::make_unique<FdWatcher>(listen_fd_);
  listen_watcher_->WatchReadable([this] { OnAcceptReady(); });
  return OK;
}

int LatencyProxy::num_open_connections() const {
  return static_cast<int>(std::count_if(
      connections_.begin(), connections_.end(),
      [](const auto& connection) { return !connection->closed(); }));
}

void LatencyProxy::OnAcceptReady() {
  while (true) {
    int fd =
        accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      break;  // EAGAIN, or a transient error such as EMFILE: try again later.
    }
    ++num_accepted_connections_;
    connections_.push_back(std::make_unique<LatencyProxyConnection>(
        fd, upstream_, options_.round_trip / 2, options_.max_pending_bytes,
        static_cast<LatencyProxyConnection::Delegate*>(this)));
    connections_.back()->Start();
  }
  listen_watcher_->WatchReadable([this] { OnAcceptReady(); });
}

void LatencyProxy::OnWriteBlocked() {
  ++num_blocked_writes_;
}

void LatencyProxy::OnReadPaused() {
  ++num_paused_reads_;
}

void LatencyProxy::OnConnectionClosed(LatencyProxyConnection* connection) {
  // The connection is still on the stack; delete it from a fresh task.
  if (deletion_posted_)
    return;
  deletion_posted_ = true;
  EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr()] {
    if (LatencyProxy* self = weak.get())
      self->DeleteClosedConnections();
  });
}

void LatencyProxy::DeleteClosedConnections() {
  deletion_posted_ = false;
  std::erase_if(connections_,
                [](const auto& connection) { return connection->closed(); });
}

}  // namespace net
