#ifndef SOCKET_POOL_SOCKET_POOL_MANAGER_H_
#define SOCKET_POOL_SOCKET_POOL_MANAGER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/base/completion_once_callback.h"
#include "net/base/request_priority.h"
#include "net/log/net_log_with_source.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"
#include "socket_pool/http2_session_pool.h"
#include "socket_pool/preconnect_tracker.h"
#include "socket_pool/socket_pool_config.h"
#include "socket_pool/transport_client_socket_pool.h"

namespace net {

class ConnectJobFactory;
class SocketPoolObserver;

namespace pool_state {
class PoolState;
}  // namespace pool_state

// Empty if `config` is usable; otherwise what is wrong with it (a limit below
// 1, a per-group limit above the manager limit, a negative timeout).
std::string SocketPoolConfigInvalidReason(const SocketPoolConfig& config);

// The entry point to the partitioned socket pools: the rest of prewarm asks it
// for sockets (RequestSocket) and for preconnects (RequestSockets). It
// presents one pool per (scheme, privacy mode) - in its state dump, and by the
// GroupId fields it takes - over a single TransportClientSocketPool, so the
// per-group and manager-wide limits of docs/pool-selection.md section 5 hold
// across all of them. It checks input (a bad GroupId, priority, handle or
// count gives ERR_INVALID_ARGUMENT and a message in last_error_message(),
// never a crash), clears NAKs when partitioning is off, and owns the
// preconnect accounting (outcomes, strand detection, observer).
//
// Does not own the connect job factory or the observer; both must outlive the
// manager. Every ClientSocketHandle it served must be reset before it is
// destroyed. Single-threaded: lives on the thread of the current EventLoop.
class SocketPoolManager {
 public:
  // `config` must be valid (see SocketPoolConfigInvalidReason). `observer`
  // may be null.
  SocketPoolManager(const SocketPoolConfig& config,
                    ConnectJobFactory* connect_job_factory,
                    SocketPoolObserver* observer = nullptr);
  SocketPoolManager(const SocketPoolManager&) = delete;
  SocketPoolManager& operator=(const SocketPoolManager&) = delete;
  // Live preconnected sockets end as kFlushed.
  ~SocketPoolManager();

  // Gets a socket of `group_id` into `handle`. In order: a live idle socket of
  // the group (the most recently used one that served a request before, else
  // the oldest never-used one); a preconnect job already connecting in the
  // group (adopted, no second connection); an unbound preconnected socket,
  // idle or connecting, of a group with the same scheme, host, port and NAK
  // (late privacy binding; never one that carried a request, offered a TLS
  // session or was asked for a client certificate); a new connect job within
  // the limits, closing another group's least recently used idle socket at the
  // manager limit. Otherwise the request waits: in its group at the group
  // limit, or across groups at the manager limit, served by priority then
  // FIFO as slots free. Returns OK with `handle` initialized for an idle
  // socket (or a connect job that finished synchronously), a net error, or
  // ERR_IO_PENDING and later runs `callback` (posted, never from inside a pool
  // call). `handle` must be free (not pending or initialized).
  int RequestSocket(const GroupId& group_id,
                    RequestPriority priority,
                    ClientSocketHandle* handle,
                    CompletionOnceCallback callback,
                    const NetLogWithSource& net_log);

  // The preconnect primitive: tops `group_id` up to `num_sockets` sockets
  // (clamped to the group limit), counting idle, connecting and handed-out
  // ones, by starting connect jobs at IDLE priority. For an origin known to
  // speak h2 in the group's partition it opens at most one (none while the
  // group has an available session), whatever `num_sockets` says. Repeating a
  // call that already topped the group up does nothing. At the manager limit it
  // closes another group's idle socket or gives up
  // (ERR_PRECONNECT_MAX_SOCKET_LIMIT); it never waits behind real requests.
  // `num_sockets` 0 does nothing.
  // kUnbound (a guessed preconnect; ignored when config().late_binding is
  // off) makes sockets that a request of a group differing only in privacy
  // mode may take before it opens a connection (late privacy binding,
  // docs/pool-selection.md section 9); their TLS handshakes offer no session
  // and keep their tickets until the socket is bound at its first use.
  RequestSocketsResult RequestSockets(
      const GroupId& group_id,
      int num_sockets,
      const NetLogWithSource& net_log,
      PreconnectBinding binding = PreconnectBinding::kBound);

  // Closes every idle socket (preconnected ones end as kFlushed) and every
  // HTTP/2 session that carries no stream.
  void CloseIdleSockets();
  // A network change: every idle socket is closed, connect jobs are
  // cancelled, waiting requests fail with `error`, and sockets handed out
  // before are closed when released. Nothing from before is reused.
  void FlushWithError(int error);

  // Pools, groups, idle sockets with their age, waiting requests, totals,
  // limits and preconnect counters (socket_pool/pool_state.proto). Replaces
  // the contents of `state`.
  void GetState(pool_state::PoolState* state) const;
  // GetState printed as indented JSON, field names as in pool_state.proto
  // (zeros are printed, empty lists left out).
  std::string GetStateAsJson() const;

  // The state of a live preconnected socket (nullopt once it ended: its
  // outcome went to the observer and the counters).
  std::optional<PreconnectSocketState> GetPreconnectSocketState(
      uint64_t preconnect_id) const;
  const PreconnectCounters& preconnect_counters() const {
    return tracker_.counters();
  }

  // Why the last call refused its input (ERR_INVALID_ARGUMENT) or why the
  // last RequestSockets stopped short.
  const std::string& last_error_message() const { return last_error_message_; }

  // The key the manager really uses for `group_id` (its NAK cleared when
  // partitioning is off).
  GroupId EffectiveGroupId(const GroupId& group_id) const;

  int IdleSocketCount() const { return pool_.idle_socket_count(); }
  int ConnectingSocketCount() const { return pool_.connecting_socket_count(); }
  int HandedOutSocketCount() const { return pool_.handed_out_socket_count(); }
  size_t GroupCount() const { return pool_.group_count(); }
  bool HasGroup(const GroupId& group_id) const;
  int IdleSocketCountInGroup(const GroupId& group_id) const;
  int ConnectingSocketCountInGroup(const GroupId& group_id) const;
  int HandedOutSocketCountInGroup(const GroupId& group_id) const;
  int PendingRequestCountInGroup(const GroupId& group_id) const;
  // Unbound preconnected sockets (idle or connecting) of the group.
  int UnboundSocketCountInGroup(const GroupId& group_id) const;

  const SocketPoolConfig& config() const { return config_; }

  // The HTTP/2 sessions made from this manager's sockets, keyed by the same
  // GroupIds (see Http2SessionPool).
  Http2SessionPool* http2_sessions() { return &http2_sessions_; }
  const Http2SessionPool& http2_sessions() const { return http2_sessions_; }
  // A request of `group_id` was served by a stream on an existing session:
  // counted like a reused socket for strand detection.
  void OnRequestServedBySession(const GroupId& group_id);

 private:
  // ERR_INVALID_ARGUMENT with the reason in last_error_message_ when
  // `group_id` cannot name a group; OK otherwise.
  int CheckGroupId(const GroupId& group_id);
  static Http2SessionOptions Http2SessionOptionsFor(
      const SocketPoolConfig& config);

  const SocketPoolConfig config_;
  NetLogWithSource net_log_;
  PreconnectTracker tracker_;
  TransportClientSocketPool pool_;
  // After pool_: sessions give their sockets back before the pool goes.
  Http2SessionPool http2_sessions_;
  std::string last_error_message_;
};

}  // namespace net

#endif  // SOCKET_POOL_SOCKET_POOL_MANAGER_H_
