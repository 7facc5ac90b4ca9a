#ifndef SERVICE_IPC_SERVER_H_
#define SERVICE_IPC_SERVER_H_

#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "net/event/timer.h"

namespace net {
class FdWatcher;
}

namespace prewarm {

// Listens on a Unix-domain stream socket path on the current EventLoop and
// hands every accepted connection's fd (non-blocking, close-on-exec) to the
// accept callback, which owns it from then on (and must not destroy the
// server). When accept() fails for want of fds or memory, it tries again
// 100 ms later rather than spinning. Listen() replaces a stale
// socket file left at the path; the destructor stops listening and removes
// the file. Network thread only.
class IpcServer {
 public:
  using AcceptCallback = absl::AnyInvocable<void(int fd)>;

  explicit IpcServer(AcceptCallback on_accept);
  IpcServer(const IpcServer&) = delete;
  IpcServer& operator=(const IpcServer&) = delete;
  ~IpcServer();

  // OK, or ERR_INVALID_ARGUMENT for a path that does not fit a sockaddr_un,
  // or the socket error; *error_message says more.
  int Listen(const std::string& path, std::string* error_message);

  const std::string& path() const { return path_; }

 private:
  void OnAcceptReady();

  AcceptCallback on_accept_;
  std::string path_;
  int listen_fd_ = -1;
  std::unique_ptr<net::FdWatcher> watcher_;
  net::OneShotTimer retry_timer_;
};

}  // namespace prewarm

#endif  // SERVICE_IPC_SERVER_H_
