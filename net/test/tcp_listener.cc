#include "net/test/tcp_listener.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/fd_watcher.h"
#include "net/test/listen_socket.h"

namespace net {

TcpListener::TcpListener(AcceptCallback on_accept)
    : on_accept_(std::move(on_accept)) {
  CHECK(on_accept_);
}

TcpListener::~TcpListener() {
  // The watcher goes before its fd is closed (FdWatcher's contract).
  watcher_.reset();
  if (fd_ >= 0)
    close(fd_);
}

int TcpListener::Listen(const IPAddress& address) {
  CHECK(!is_listening());
  int rv = OpenListenSocket(address, SOMAXCONN, &fd_, &endpoint_);
  if (rv != OK)
    return rv;
  watcher_ = std::make_unique<FdWatcher>(fd_);
  watcher_->WatchReadable([this] { OnAcceptReady(); });
  return OK;
}

void TcpListener::OnAcceptReady() {
  while (true) {
    int fd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      break;  // EAGAIN, or a transient error such as EMFILE: try again later.
    }
    on_accept_(fd);
  }
  watcher_->WatchReadable([this] { OnAcceptReady(); });
}

}  // namespace net
