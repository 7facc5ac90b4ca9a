#include "service/ipc_server.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "net/base/net_errors.h"
#include "net/event/fd_watcher.h"

namespace prewarm {

IpcServer::IpcServer(AcceptCallback on_accept)
    : on_accept_(std::move(on_accept)) {}

IpcServer::~IpcServer() {
  watcher_.reset();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    ::unlink(path_.c_str());
  }
}

int IpcServer::Listen(const std::string& path, std::string* error_message) {
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    *error_message = absl::StrCat("socket path \"", path, "\" must be 1 to ",
                                  sizeof(address.sun_path) - 1, " bytes");
    return net::ERR_INVALID_ARGUMENT;
  }
  memcpy(address.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int error = errno;
    *error_message = absl::StrCat("socket: ", strerror(error));
    return net::MapSystemError(error);
  }
  // A socket file left by a service that died; never anything else.
  struct stat info;
  if (::lstat(path.c_str(), &info) == 0 && S_ISSOCK(info.st_mode))
    ::unlink(path.c_str());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, SOMAXCONN) != 0) {
    int error = errno;
    *error_message =
        absl::StrCat("cannot listen on ", path, ": ", strerror(error));
    ::close(fd);
    return net::MapSystemError(error);
  }
  path_ = path;
  listen_fd_ = fd;
  watcher_ = std::make_unique<net::FdWatcher>(fd);
  watcher_->WatchReadable([this] { OnAcceptReady(); });
  return net::OK;
}

void IpcServer::OnAcceptReady() {
  // Accept everything pending, then wait for the next one.
  for (;;) {
    int fd =
        ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        break;
      // Out of fds or memory: the pending connection keeps the socket
      // readable, so watching at once would spin. Look again later.
      retry_timer_.Start(absl::Milliseconds(100), [this] {
        watcher_->WatchReadable([this] { OnAcceptReady(); });
      });
      return;
    }
    on_accept_(fd);
  }
  watcher_->WatchReadable([this] { OnAcceptReady(); });
}

}  // namespace prewarm
