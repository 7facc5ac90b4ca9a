#include "net/test/latency_proxy_connection.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "net/base/check.h"
#include "net/event/event_loop.h"
#include "net/event/fd_watcher.h"

namespace net {

namespace {

absl::Time Now() {
  return EventLoop::Current()->NowTicks();
}

void SetNoDelay(int fd) {
  // The proxy forwards what it reads at once (after the delay); Nagle would
  // hold small writes back behind the peer's delayed ACK.
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

}  // namespace

LatencyProxyConnection::LatencyProxyConnection(int client_fd,
                                               const IPEndPoint& upstream,
                                               absl::Duration one_way_delay,
                                               size_t max_pending_bytes,
                                               Delegate* delegate)
    : upstream_(upstream),
      one_way_delay_(one_way_delay),
      max_pending_bytes_(max_pending_bytes),
      delegate_(delegate),
      read_buffer_(64 * 1024) {
  CHECK(delegate_);
  CHECK(client_fd >= 0);
  CHECK(max_pending_bytes_ > 0);
  sides_[kClient].fd = client_fd;
  sides_[kClient].watcher = std::make_unique<FdWatcher>(client_fd);
  directions_[kClient].from = kClient;
  directions_[kClient].to = kUpstream;
  directions_[kUpstream].from = kUpstream;
  directions_[kUpstream].to = kClient;
}

LatencyProxyConnection::~LatencyProxyConnection() {
  for (Side& side : sides_) {
    // The watcher goes before its fd (FdWatcher's contract).
    side.watcher.reset();
    if (side.fd >= 0)
      close(side.fd);
  }
}

void LatencyProxyConnection::Start() {
  SetNoDelay(sides_[kClient].fd);
  // The client is read from now on, so its first flight's deadline counts from
  // when it arrived, not from when the upstream connect completed.
  WatchReadable(kClient);

  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  if (!upstream_.ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length)) {
    CloseAll(/*reset=*/true);
    return;
  }
  const int fd =
      socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
             IPPROTO_TCP);
  if (fd < 0) {
    CloseAll(/*reset=*/true);
    return;
  }
  sides_[kUpstream].fd = fd;
  sides_[kUpstream].watcher = std::make_unique<FdWatcher>(fd);
  SetNoDelay(fd);
  if (connect(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0) {
    OnUpstreamConnectReady();
    return;
  }
  if (errno != EINPROGRESS) {
    CloseAll(/*reset=*/true);
    return;
  }
  sides_[kUpstream].watcher->WatchWritable(
      [this] { OnUpstreamConnectReady(); });
}

void LatencyProxyConnection::OnUpstreamConnectReady() {
  int error = 0;
  socklen_t length = sizeof(error);
  if (getsockopt(sides_[kUpstream].fd, SOL_SOCKET, SO_ERROR, &error, &length) <
          0 ||
      error != 0) {
    // Refused or unreachable: the client learns at once (there is no
    // handshake to delay, see the class comment).
    CloseAll(/*reset=*/true);
    return;
  }
  upstream_connected_ = true;
  WatchReadable(kUpstream);
  WriteDue(directions_[kClient]);
}

void LatencyProxyConnection::WatchReadable(int side) {
  sides_[side].watcher->WatchReadable([this, side] { OnReadable(side); });
}

void LatencyProxyConnection::OnReadable(int side) {
  Direction& direction = directions_[side];
  // Everything read in this turn shares one deadline.
  const absl::Time due = Now() + one_way_delay_;
  bool read_more = true;
  while (read_more) {
    if (direction.pending_bytes >= max_pending_bytes_) {
      direction.read_paused = true;
      delegate_->OnReadPaused();
      break;
    }
    const ssize_t result =
        recv(sides_[side].fd, read_buffer_.data(), read_buffer_.size(), 0);
    if (result > 0) {
      const size_t size = static_cast<size_t>(result);
      // Bytes read in this turn travel as one chunk.
      if (direction.queue.empty() ||
          direction.queue.back().kind != Chunk::Kind::kData ||
          direction.queue.back().due != due) {
        Chunk chunk;
        chunk.due = due;
        direction.queue.push_back(std::move(chunk));
      }
      direction.queue.back().bytes.append(read_buffer_.data(), size);
      direction.pending_bytes += size;
      // A short read means the socket is drained; the next recv() would only
      // say EAGAIN.
      if (size < read_buffer_.size()) {
        WatchReadable(side);
        read_more = false;
      }
      continue;
    }
    if (result == 0) {
      Chunk fin;
      fin.kind = Chunk::Kind::kFin;
      fin.due = due;
      direction.queue.push_back(std::move(fin));
      direction.read_done = true;
      break;
    }
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      WatchReadable(side);
      break;
    }
    OnSideFailed(side);
    return;
  }
  WriteDue(direction);
}

void LatencyProxyConnection::WriteDue(Direction& direction) {
  if (closed_)
    return;
  Side& to = sides_[direction.to];
  if (direction.to == kUpstream && !upstream_connected_)
    return;  // OnUpstreamConnectReady() writes what is due.
  if (to.watcher->is_watching_writable())
    return;  // Blocked: the writability callback writes what is due.
  const absl::Time now = Now();
  while (!direction.queue.empty()) {
    Chunk& chunk = direction.queue.front();
    if (chunk.due > now) {
      // Deadlines only grow along the queue, so a running timer is due no
      // later than this chunk; when it runs early it re-arms for the head.
      if (!direction.timer.IsRunning()) {
        direction.timer.Start(chunk.due - now,
                              [this, &direction] { WriteDue(direction); });
      }
      break;
    }
    if (chunk.kind == Chunk::Kind::kFin) {
      direction.queue.pop_front();
      shutdown(to.fd, SHUT_WR);
      direction.fin_delivered = true;
      if (directions_[kClient].fin_delivered &&
          directions_[kUpstream].fin_delivered) {
        CloseAll(/*reset=*/false);
        return;
      }
      continue;
    }
    const size_t left = chunk.bytes.size() - chunk.offset;
    const ssize_t result =
        send(to.fd, chunk.bytes.data() + chunk.offset, left, MSG_NOSIGNAL);
    if (result >= 0) {
      const size_t written = static_cast<size_t>(result);
      chunk.offset += written;
      direction.pending_bytes -= written;
      if (written == left)
        direction.queue.pop_front();
      continue;
    }
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      delegate_->OnWriteBlocked();
      to.watcher->WatchWritable([this, &direction] { WriteDue(direction); });
      break;
    }
    OnSideFailed(direction.to);
    return;
  }
  MaybeResumeReading(direction);
}

void LatencyProxyConnection::MaybeResumeReading(Direction& direction) {
  if (closed_ || !direction.read_paused || direction.read_done ||
      direction.pending_bytes > max_pending_bytes_ / 2) {
    return;
  }
  direction.read_paused = false;
  WatchReadable(direction.from);
}

void LatencyProxyConnection::OnSideFailed(int side) {
  if (closed_)
    return;
  const int other = 1 - side;
  if (sides_[other].failed || (side == kClient && !upstream_connected_)) {
    // Nobody left to tell, or an upstream that never saw the client.
    CloseAll(/*reset=*/true);
    return;
  }
  Side& failed = sides_[side];
  failed.failed = true;
  failed.watcher->StopWatchingReadable();
  failed.watcher->StopWatchingWritable();

  // Nothing more reaches the failed side, so nothing more is read for it.
  Direction& towards = directions_[other];
  towards.queue.clear();
  towards.pending_bytes = 0;
  towards.timer.Stop();
  towards.read_done = true;
  towards.read_paused = false;
  sides_[other].watcher->StopWatchingReadable();

  // The other side gets the reset one delay from now, after the bytes read
  // from the failed side before it.
  Direction& from = directions_[side];
  from.read_done = true;
  from.read_paused = false;
  reset_timer_.Start(one_way_delay_, [this, &from] { DeliverReset(from); });
}

void LatencyProxyConnection::DeliverReset(Direction& direction) {
  // Everything queued was read before the reset, so it is all due: write
  // what the receiver takes now. A reset is not flow-controlled, so it does
  // not wait for room for the rest.
  sides_[direction.to].watcher->StopWatchingWritable();
  WriteDue(direction);
  CloseAll(/*reset=*/true);
}

void LatencyProxyConnection::CloseAll(bool reset) {
  if (closed_)
    return;
  closed_ = true;
  reset_timer_.Stop();
  for (Direction& direction : directions_) {
    direction.timer.Stop();
    direction.queue.clear();
    direction.pending_bytes = 0;
  }
  for (Side& side : sides_) {
    side.watcher.reset();
    if (side.fd < 0)
      continue;
    if (reset) {
      // Linger with a zero timeout makes close() abortive: the peer gets RST.
      linger abortive = {1, 0};
      setsockopt(side.fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof(abortive));
    }
    close(side.fd);
    side.fd = -1;
  }
  delegate_->OnConnectionClosed(this);
}

}  // namespace net
