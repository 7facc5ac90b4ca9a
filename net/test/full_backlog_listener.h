#ifndef NET_TEST_FULL_BACKLOG_LISTENER_H_
#define NET_TEST_FULL_BACKLOG_LISTENER_H_

#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"

namespace net {

// A loopback TCP listener that never accepts and whose accept queue is already
// full, so the kernel drops every further SYN: a connect() to it stays pending
// until the client gives up. This is the deterministic way to make a connect
// hang on loopback (non-routable addresses are not reliably silent in
// sandboxes). Owns its fds; not bound to any EventLoop.
class FullBacklogListener {
 public:
  FullBacklogListener();
  FullBacklogListener(const FullBacklogListener&) = delete;
  FullBacklogListener& operator=(const FullBacklogListener&) = delete;
  ~FullBacklogListener();

  // Listens on `address`:0 with a zero backlog and fills the queue with one
  // established connection. Returns OK or a net error.
  int Start(const IPAddress& address = IPAddress::IPv4Localhost());

  const IPEndPoint& endpoint() const { return endpoint_; }

 private:
  int listen_fd_ = -1;
  int filler_fd_ = -1;
  IPEndPoint endpoint_;
};

}  // namespace net

#endif  // NET_TEST_FULL_BACKLOG_LISTENER_H_
