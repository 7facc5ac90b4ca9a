#include "net/test/listen_socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/base/net_errors.h"

namespace net {

int OpenListenSocket(const IPAddress& address,
                     int backlog,
                     int* fd,
                     IPEndPoint* endpoint) {
  *fd = -1;
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  if (!IPEndPoint(address, 0)
           .ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length)) {
    return ERR_ADDRESS_INVALID;
  }
  int socket_fd =
      socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
             IPPROTO_TCP);
  if (socket_fd < 0)
    return MapSystemError(errno);
  // A restarted fixture may land on a port whose old connections linger in
  // TIME_WAIT.
  int on = 1;
  setsockopt(socket_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (bind(socket_fd, reinterpret_cast<sockaddr*>(&storage), length) < 0 ||
      listen(socket_fd, backlog) < 0) {
    int error = MapSystemError(errno);
    close(socket_fd);
    return error;
  }
  length = sizeof(storage);
  if (getsockname(socket_fd, reinterpret_cast<sockaddr*>(&storage), &length) <
          0 ||
      !endpoint->FromSockAddr(reinterpret_cast<sockaddr*>(&storage), length)) {
    close(socket_fd);
    return ERR_ADDRESS_INVALID;
  }
  *fd = socket_fd;
  return OK;
}

}  // namespace net
