#ifndef NET_TEST_LISTEN_SOCKET_H_
#define NET_TEST_LISTEN_SOCKET_H_

#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"

namespace net {

// Opens a non-blocking, close-on-exec TCP socket listening on `address` at a
// port the kernel picks. Returns OK with the fd in *fd (the caller owns it)
// and the bound address and port in *endpoint, or a net error and no fd.
// The test servers and the latency proxy share it.
int OpenListenSocket(const IPAddress& address, int* fd, IPEndPoint* endpoint);

}  // namespace net

#endif  // NET_TEST_LISTEN_SOCKET_H_
