#ifndef NET_SOCKET_TCP_CLIENT_SOCKET_H_
#define NET_SOCKET_TCP_CLIENT_SOCKET_H_

#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"
#include "net/base/ip_endpoint.h"
#include "net/event/timer.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/stream_socket.h"

namespace net {

class FdWatcher;

// A non-blocking TCP connection to one of a list of addresses, like Chromium's
// TCPClientSocket plus the address-family racing of its TransportConnectJob.
//
// Connect() tries the addresses of the first address's family one after another
// (sequential fallback on failure). If that has not succeeded within
// `fallback_delay` - or every address of the family has already failed - it
// also starts on the other family's addresses (Happy Eyeballs, RFC 8305). The
// first connection to complete wins and the other attempt is closed. The whole
// Connect() is bounded by `connect_timeout` (ERR_CONNECTION_TIMED_OUT). Timers
// run on the current EventLoop's clock, so mock-time tests drive them with
// FastForwardBy().
//
// Connected sockets have TCP_NODELAY. Errors are net errors from
// MapSystemError. Single-threaded; destroying the socket closes it and drops
// pending callbacks.
class TcpClientSocket : public StreamSocket {
 public:
  struct Options {
    absl::Duration connect_timeout = absl::Seconds(30);
    absl::Duration fallback_delay = absl::Milliseconds(250);
  };

  TcpClientSocket(std::vector<IPEndPoint> addresses,
                  const Options& options,
                  NetLogWithSource net_log);
  TcpClientSocket(const TcpClientSocket&) = delete;
  TcpClientSocket& operator=(const TcpClientSocket&) = delete;
  ~TcpClientSocket() override;

  // StreamSocket:
  int Connect(CompletionOnceCallback callback) override;
  void Disconnect() override;
  bool IsConnected() const override;
  bool IsConnectedAndIdle() const override;
  int Read(char* buf, int len, CompletionOnceCallback callback) override;
  int ReadIfReady(char* buf, int len, CompletionOnceCallback callback) override;
  int CancelReadIfReady() override;
  int Write(const char* buf, int len, CompletionOnceCallback callback) override;
  bool WasEverUsed() const override;
  int GetPeerAddress(IPEndPoint* address) const override;
  int GetLocalAddress(IPEndPoint* address) const override;
  const NetLogWithSource& NetLog() const override;

  // How many addresses Connect() tried (connect() calls made), for tests and
  // logs.
  int attempted_address_count() const { return attempted_address_count_; }

 private:
  // One family's walk through its addresses; two may run at once.
  struct Attempt {
    Attempt();
    ~Attempt();

    std::vector<IPEndPoint> addresses;
    size_t next_index = 0;
    int fd = -1;
    std::unique_ptr<FdWatcher> watcher;
    IPEndPoint current;
    int last_error = 0;
    bool started = false;
    bool finished = false;  // Every address failed.
  };

  enum class PeekResult { kIdle, kHasData, kClosed };

  // Starts addresses of `attempt` until one is pending or connected (OK), or
  // all failed (their last error).
  int StartNextAddress(Attempt& attempt);
  // StartNextAddress(), and Win(attempt) if it connected at once.
  int StartAttempt(Attempt& attempt);
  void OnAttemptWritable(Attempt* attempt);
  // Finishes Connect() after a callback-driven StartAttempt() returned
  // `attempt_result`, unless the connect is still pending.
  void ContinueConnect(int attempt_result);
  void OnFallbackTimer();
  void OnConnectTimeout();
  // Makes `attempt` the connection and closes the other one.
  void Win(Attempt& attempt);
  // Stops both timers and abandons both attempts for `reason`.
  void StopConnecting(int reason);
  // An attempt failed for good; finish Connect() if the other one has too.
  int OnAttemptFinished();
  // Closes an attempt still connecting, logging why it was given up.
  void AbandonAttempt(Attempt& attempt, int reason);
  void CloseAttempt(Attempt& attempt);
  void EndAttemptEvent(int result);
  // Connect() minus the callback and the TCP_CONNECT event.
  int StartConnect();
  void LogConnectEnd(int result);
  void CompleteConnect(int result);

  // What a non-blocking one-byte MSG_PEEK says about the connection.
  PeekResult Peek() const;
  // OK, or why Read(), ReadIfReady() or Write() refuses `buf` at once: no
  // connection, or no buffer.
  int CheckIoArgs(const char* buf, int len) const;
  void OnReadable();
  void OnWritable();
  // One recv()/send() on `buf`: the byte count, 0 at EOF (reads), or a net
  // error (ERR_IO_PENDING when the socket is not ready).
  int DoRead(char* buf, int len);
  int DoWrite(const char* buf, int len);
  // For a failed recv()/send(): ERR_IO_PENDING on EAGAIN, else the net error
  // for errno, logged as `error_event`.
  int MapIoError(NetLogEventType error_event);

  const std::vector<IPEndPoint> addresses_;
  const Options options_;
  const NetLogWithSource net_log_;

  Attempt primary_;
  Attempt fallback_;
  OneShotTimer fallback_timer_;
  OneShotTimer connect_timer_;
  CompletionOnceCallback connect_callback_;
  int attempted_address_count_ = 0;

  int fd_ = -1;
  IPEndPoint peer_address_;
  std::unique_ptr<FdWatcher> watcher_;
  bool was_ever_used_ = false;

  // The buffer and callback of a Read() or Write() waiting for the socket.
  char* read_buf_ = nullptr;
  int read_len_ = 0;
  CompletionOnceCallback read_callback_;
  // A ReadIfReady() waiting for readability (no buffer held).
  CompletionOnceCallback read_if_ready_callback_;
  const char* write_buf_ = nullptr;
  int write_len_ = 0;
  CompletionOnceCallback write_callback_;

  WeakPtrFactory<TcpClientSocket> weak_factory_{this};
};

}  // namespace net

#endif  // NET_SOCKET_TCP_CLIENT_SOCKET_H_
