#ifndef UNITTESTS_SOCKET_POOL_LOOPBACK_LISTENER_H_
#define UNITTESTS_SOCKET_POOL_LOOPBACK_LISTENER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "net/base/ip_endpoint.h"

namespace net {

class StreamSocket;

// A plain TCP listener on 127.0.0.1 for pool tests: the kernel completes the
// handshake of every client, and the test can act as the peer of a given
// client socket (close it, or send it bytes it did not ask for). Owns the
// listening fd and every accepted fd; closes them on destruction.
class LoopbackListener {
 public:
  LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;
  ~LoopbackListener();

  const IPEndPoint& endpoint() const { return endpoint_; }

  // Closes the server side of `client`'s connection; false if it was not
  // found.
  bool ClosePeerOf(const StreamSocket& client);
  // Sends `data` to `client` from the server side.
  bool WriteToPeerOf(const StreamSocket& client, std::string_view data);
  // The same for every connection so far; return how many there were.
  int CloseAllPeers();
  int WriteToAllPeers(std::string_view data);

 private:
  struct Accepted {
    int fd;
    uint16_t peer_port;
  };
  // Accepts every connection already queued.
  void AcceptQueued();
  int FindPeerOf(const StreamSocket& client);

  int listen_fd_ = -1;
  IPEndPoint endpoint_;
  std::vector<Accepted> accepted_;
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_LOOPBACK_LISTENER_H_
