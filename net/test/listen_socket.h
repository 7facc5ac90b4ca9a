#ifndef NET_TEST_LISTEN_SOCKET_H_
#define NET_TEST_LISTEN_SOCKET_H_

#include <sys/socket.h>

#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"

namespace net {

// Opens a non-blocking, close-on-exec TCP socket listening on `address` at a
// port the kernel picks, with `backlog`. Returns OK with the fd in *fd (the
// caller owns it) and the bound address and port in *endpoint, or a net error
// and no fd. Every listener in net/test and the unit tests opens its socket
// here.
int OpenListenSocket(const IPAddress& address,
                     int backlog,
                     int* fd,
                     IPEndPoint* endpoint);

}  // namespace net

#endif  // NET_TEST_LISTEN_SOCKET_H_
