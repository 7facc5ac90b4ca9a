#include "net/test/full_backlog_listener.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/base/net_errors.h"
#include "net/test/listen_socket.h"

namespace net {

FullBacklogListener::FullBacklogListener() = default;

FullBacklogListener::~FullBacklogListener() {
  if (filler_fd_ >= 0)
    close(filler_fd_);
  if (listen_fd_ >= 0)
    close(listen_fd_);
}

int FullBacklogListener::Start(const IPAddress& address) {
  // Backlog 0 leaves room for exactly one established connection in the queue.
  int rv = OpenListenSocket(address, 0, &listen_fd_, &endpoint_);
  if (rv != OK)
    return rv;
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  if (!endpoint_.ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length))
    return ERR_ADDRESS_INVALID;
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
