#include "net/test/full_backlog_listener.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/base/net_errors.h"

namespace net {

FullBacklogListener::FullBacklogListener() = default;

FullBacklogListener::~FullBacklogListener() {
  if (filler_fd_ >= 0)
    close(filler_fd_);
  if (listen_fd_ >= 0)
    close(listen_fd_);
}

int FullBacklogListener::Start(const IPAddress& address) {
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  if (!IPEndPoint(address, 0)
           .ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length)) {
    return ERR_ADDRESS_INVALID;
  }
  listen_fd_ = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0)
    return MapSystemError(errno);
  // Backlog 0 leaves room for exactly one established connection in the queue.
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&storage), length) < 0 ||
      listen(listen_fd_, 0) < 0) {
    return MapSystemError(errno);
  }
  length = sizeof(storage);
  if (getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&storage), &length) <
          0 ||
      !endpoint_.FromSockAddr(reinterpret_cast<sockaddr*>(&storage), length)) {
    return ERR_ADDRESS_INVALID;
  }
  // A blocking connect returns once the filler is established, i.e. queued:
  // from then on the queue is full.
  filler_fd_ = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (filler_fd_ < 0)
    return MapSystemError(errno);
  if (connect(filler_fd_, reinterpret_cast<sockaddr*>(&storage), length) < 0)
    return MapSystemError(errno);
  return OK;
}

}  // namespace net
