#ifndef NET_TEST_TCP_LISTENER_H_
#define NET_TEST_TCP_LISTENER_H_

#include <memory>

#include "absl/functional/any_invocable.h"
#include "net/base/ip_address.h"
#include "net/base/ip_endpoint.h"

namespace net {

class FdWatcher;

// A listening TCP socket on the current EventLoop that accepts every
// connection as it arrives and hands its fd (non-blocking, close-on-exec) to
// the accept callback, which owns it from then on. The servers and the proxy
// of net/test accept through it. Closes the listening socket when destroyed;
// accepted fds are the callback's. Network thread only.
class TcpListener {
 public:
  using AcceptCallback = absl::AnyInvocable<void(int fd)>;

  explicit TcpListener(AcceptCallback on_accept);
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  ~TcpListener();

  // Listens on `address` at a port the kernel picks. Call once; returns OK
  // or a net error.
  int Listen(const IPAddress& address);

  bool is_listening() const { return fd_ >= 0; }
  // The bound address and port, once listening.
  const IPEndPoint& endpoint() const { return endpoint_; }

 private:
  void OnAcceptReady();

  AcceptCallback on_accept_;
  int fd_ = -1;
  IPEndPoint endpoint_;
  std::unique_ptr<FdWatcher> watcher_;
};

}  // namespace net

#endif  // NET_TEST_TCP_LISTENER_H_
