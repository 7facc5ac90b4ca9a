#include "unittests/socket_pool/loopback_listener.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/socket/stream_socket.h"
#include "net/test/listen_socket.h"

namespace net {

LoopbackListener::LoopbackListener() {
  // A deep backlog: the pool tests open hundreds of connections that the
  // kernel must complete without this listener accepting them.
  CHECK(OpenListenSocket(IPAddress::IPv4Localhost(), 4096, &listen_fd_,
                         &endpoint_) == OK);
}

LoopbackListener::~LoopbackListener() {
  for (const Accepted& accepted : accepted_)
    close(accepted.fd);
  close(listen_fd_);
}

void LoopbackListener::AcceptQueued() {
  while (true) {
    sockaddr_storage storage;
    socklen_t length = sizeof(storage);
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&storage), &length,
                     SOCK_CLOEXEC);
    if (fd < 0)
      return;
    IPEndPoint peer;
    CHECK(peer.FromSockAddr(reinterpret_cast<sockaddr*>(&storage), length));
    accepted_.push_back(Accepted{fd, peer.port()});
  }
}

int LoopbackListener::FindPeerOf(const StreamSocket& client) {
  IPEndPoint local;
  if (client.GetLocalAddress(&local) != OK)
    return -1;
  AcceptQueued();
  for (const Accepted& accepted : accepted_) {
    if (accepted.peer_port == local.port())
      return accepted.fd;
  }
  return -1;
}

bool LoopbackListener::ClosePeerOf(const StreamSocket& client) {
  int fd = FindPeerOf(client);
  if (fd < 0)
    return false;
  std::erase_if(accepted_,
                [fd](const Accepted& accepted) { return accepted.fd == fd; });
  return close(fd) == 0;
}

bool LoopbackListener::WriteToPeerOf(const StreamSocket& client,
                                     std::string_view data) {
  int fd = FindPeerOf(client);
  if (fd < 0)
    return false;
  return write(fd, data.data(), data.size()) ==
         static_cast<ssize_t>(data.size());
}

int LoopbackListener::CloseAllPeers() {
  AcceptQueued();
  int count = static_cast<int>(accepted_.size());
  for (const Accepted& accepted : accepted_)
    close(accepted.fd);
  accepted_.clear();
  return count;
}

int LoopbackListener::WriteToAllPeers(std::string_view data) {
  AcceptQueued();
  int count = 0;
  for (const Accepted& accepted : accepted_) {
    if (write(accepted.fd, data.data(), data.size()) ==
        static_cast<ssize_t>(data.size())) {
      ++count;
    }
  }
  return count;
}

}  // namespace net
