#ifndef NET_TEST_LATENCY_PROXY_CONNECTION_H_
#define NET_TEST_LATENCY_PROXY_CONNECTION_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "net/base/ip_endpoint.h"
#include "net/event/timer.h"

namespace net {

class FdWatcher;

// One connection relayed by LatencyProxy: the accepted client socket, the
// socket it opens to the upstream, and a delay queue for each direction.
//
// Each read takes the current time; its bytes (and a FIN, if the read
// returned 0) are queued to be written to the other side at that time plus
// `one_way_delay`, behind everything queued before. A queued FIN becomes
// shutdown(SHUT_WR) on the other side. A reset or error on a side stops all
// traffic towards it and reading from it; one delay later the other side
// gets what was read before (as much as its socket takes at once), then both
// sockets are closed abortively (RST). The connection ends when both
// directions delivered their FIN, or at a reset; it then closes both sockets
// and tells its delegate.
//
// Writes that find the socket full wait for it to become writable. A
// direction stops reading its source while `max_pending_bytes` or more of
// its bytes are queued, and resumes at half of that.
//
// Owns both sockets; destroying it closes them (FIN, queued bytes dropped)
// without calling the delegate. Runs on the current EventLoop; network
// thread only.
class LatencyProxyConnection {
 public:
  // Must outlive the connection.
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // A write to either side found its socket full.
    virtual void OnWriteBlocked() = 0;
    // Reading a side was paused because of its queued bytes.
    virtual void OnReadPaused() = 0;
    // The connection closed both sockets. Called from inside the connection:
    // the delegate must not destroy it synchronously.
    virtual void OnConnectionClosed(LatencyProxyConnection* connection) = 0;
  };

  // Takes ownership of `client_fd`, a connected non-blocking TCP socket.
  LatencyProxyConnection(int client_fd,
                         const IPEndPoint& upstream,
                         absl::Duration one_way_delay,
                         size_t max_pending_bytes,
                         Delegate* delegate);
  LatencyProxyConnection(const LatencyProxyConnection&) = delete;
  LatencyProxyConnection& operator=(const LatencyProxyConnection&) = delete;
  ~LatencyProxyConnection();

  // Starts connecting to the upstream and reading the client. May close the
  // connection (and call the delegate) before it returns, if the upstream
  // socket cannot be made or the connect fails at once.
  void Start();

  bool closed() const { return closed_; }

 private:
  enum SideIndex { kClient = 0, kUpstream = 1 };

  struct Side {
    int fd = -1;
    std::unique_ptr<FdWatcher> watcher;
    // A reset or socket error was seen on it: nothing is written to it any
    // more.
    bool failed = false;
  };

  struct Chunk {
    enum class Kind { kData, kFin };
    Kind kind = Kind::kData;
    std::string bytes;
    size_t offset = 0;  // Bytes of `bytes` already written.
    absl::Time due;
  };

  // Bytes read from sides_[from], to be written to sides_[to].
  struct Direction {
    int from = kClient;
    int to = kUpstream;
    std::deque<Chunk> queue;
    size_t pending_bytes = 0;  // Unwritten data bytes in `queue`.
    bool read_done = false;    // EOF or error read: nothing more to read.
    bool read_paused = false;  // Stopped because of pending_bytes.
    bool fin_delivered = false;
    OneShotTimer timer;  // Runs when the queue's head falls due.
  };

  void OnUpstreamConnectReady();
  void WatchReadable(int side);
  void OnReadable(int side);
  // Writes every due chunk of `direction`, then waits for the next deadline
  // or for writability.
  void WriteDue(Direction& direction);
  void MaybeResumeReading(Direction& direction);
  // A reset or error on sides_[side]: see the class comment.
  void OnSideFailed(int side);
  void DeliverReset(Direction& direction);
  // Closes both sockets, abortively (RST) if `reset`, and tells the delegate.
  void CloseAll(bool reset);

  const IPEndPoint upstream_;
  const absl::Duration one_way_delay_;
  const size_t max_pending_bytes_;
  Delegate* const delegate_;

  // What recv() reads into, for either side; then copied to a chunk of the
  // exact size.
  std::vector<char> read_buffer_;
  Side sides_[2];
  // directions_[i] reads sides_[i].
  Direction directions_[2];
  // Runs DeliverReset() one delay after a side failed.
  OneShotTimer reset_timer_;
  bool upstream_connected_ = false;
  bool closed_ = false;
};

}  // namespace net

#endif  // NET_TEST_LATENCY_PROXY_CONNECTION_H_
