#ifndef SOCKET_POOL_CLIENT_SOCKET_HANDLE_H_
#define SOCKET_POOL_CLIENT_SOCKET_HANDLE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "net/base/completion_once_callback.h"
#include "net/base/load_timing_info.h"
#include "net/base/request_priority.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"

namespace net {

class GroupId;
class StreamSocket;
class TransportClientSocketPool;
struct SocketGroup;

// A request's claim on a pool socket, like Chromium's ClientSocketHandle. The
// caller owns the handle and passes it to SocketPoolManager::RequestSocket;
// while the request is pending the pool keeps a pointer to it, and once it is
// served the handle owns the socket. Reset() (or destruction) gives the socket
// back to its group (kept idle only if it is still connected with no unread
// data, the caller did not mark it not reusable, and no flush happened since)
// or cancels the pending request and its callback. A handle must be Reset()
// or destroyed before the manager that served it.
class ClientSocketHandle {
 public:
  // How the socket was obtained (Chromium's SocketReuseType).
  enum class ReuseType {
    // Freshly connected for this request (possibly by an adopted preconnect
    // job that was still connecting).
    kUnused,
    // Idle and never used: a preconnected socket, or one whose request went
    // away before it connected.
    kUnusedIdle,
    // Idle after serving an earlier request.
    kReusedIdle,
  };

  ClientSocketHandle();
  ClientSocketHandle(const ClientSocketHandle&) = delete;
  ClientSocketHandle& operator=(const ClientSocketHandle&) = delete;
  ~ClientSocketHandle();

  // Returns the socket to the pool, or cancels the pending request.
  void Reset();

  // The socket closes instead of going back to the idle list on Reset()
  // (e.g. the response was not read to the end).
  void MarkNotReusable() { reusable_ = false; }

  bool is_initialized() const { return socket_ != nullptr; }
  bool is_pending() const { return pending_; }
  StreamSocket* socket() const { return socket_.get(); }
  ReuseType reuse_type() const { return reuse_type_; }
  // Empty (every time InfinitePast) when the socket was already connected: the
  // request paid no connect time.
  const LoadTimingInfo::ConnectTiming& connect_timing() const {
    return connect_timing_;
  }
  // The group the handle's request or socket belongs to. Only valid while the
  // handle is pending or initialized.
  const GroupId& group_id() const;
  // The id of the preconnected socket this handle got, or 0.
  uint64_t preconnect_id() const { return preconnect_id_; }
  // After the request failed: the connect job's own words for why (e.g. the
  // certificate problem); "" when it had none.
  const std::string& error_message() const { return error_message_; }

 private:
  friend class TransportClientSocketPool;

  void RunCallback(int result);

  TransportClientSocketPool* pool_ = nullptr;
  SocketGroup* group_ = nullptr;
  std::unique_ptr<StreamSocket> socket_;
  ReuseType reuse_type_ = ReuseType::kUnused;
  LoadTimingInfo::ConnectTiming connect_timing_;
  uint64_t preconnect_id_ = 0;
  std::string error_message_;
  uint64_t generation_ = 0;
  bool reusable_ = true;
  bool pending_ = false;
  // The pending request's place in its group's queue.
  RequestPriority priority_ = DEFAULT_PRIORITY;
  uint64_t request_sequence_ = 0;
  CompletionOnceCallback callback_;
  // The request's log: SOCKET_POOL runs from RequestSocket to completion.
  NetLogWithSource net_log_;
  WeakPtrFactory<ClientSocketHandle> weak_factory_{this};
};

}  // namespace net

#endif  // SOCKET_POOL_CLIENT_SOCKET_HANDLE_H_
