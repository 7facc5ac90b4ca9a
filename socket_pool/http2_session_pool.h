#ifndef SOCKET_POOL_HTTP2_SESSION_POOL_H_
#define SOCKET_POOL_HTTP2_SESSION_POOL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "net/base/completion_once_callback.h"
#include "net/base/ip_endpoint.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"
#include "net/spdy/http2_session.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"
#include "socket_pool/http2_origin_cache.h"

namespace net {

namespace pool_state {
class PoolState;
}  // namespace pool_state

// The HTTP/2 sessions of one SocketPoolManager, keyed by the same GroupId as
// its socket groups (Chromium's SpdySessionPool with the isolation key in
// SpdySessionKey, bug 963480): a session carries streams of its own group
// only, so a session can never route a request around the socket pool's
// partitions. The one exception is IP pooling (coalescing), and only inside a
// partition: a request may join a session to another host when that session
// is to an address the request's host resolved to, its certificate is valid
// for the request's host, and scheme, port, privacy mode and network
// anonymization key are all equal.
//
// A session is made from a pool socket that negotiated "h2" on its first
// request (the socket stays handed out, and counted in its group, for the
// session's life): until then it is an ordinary never-used socket of its
// group, so preconnect accounting and late binding treat it like any other.
// The pool also keeps the NAK-partitioned "origin speaks h2" cache and the
// connections being set up for known-h2 groups, so that a second request
// waits for the first connection instead of opening its own.
//
// Owns the sessions and their sockets' handles; sessions leave the pool when
// they end. Single-threaded, on the current EventLoop.
class Http2SessionPool {
 public:
  explicit Http2SessionPool(const Http2SessionOptions& options);
  Http2SessionPool(const Http2SessionPool&) = delete;
  Http2SessionPool& operator=(const Http2SessionPool&) = delete;
  // Closes every session; its handle goes back to the socket pool (closed).
  ~Http2SessionPool();

  // A session of exactly `group_id` that takes new streams, or nullptr. The
  // one with the fewest active streams when there are several.
  Http2Session* FindAvailableSession(const GroupId& group_id) const;
  // Whether some available session could be coalesced for `group_id` (same
  // partition, scheme and port, another host): only then is resolving the
  // host first worth it.
  bool HasCoalescingCandidate(const GroupId& group_id) const;
  // IP pooling: an available session of another host, in `group_id`'s
  // partition, connected to one of `addresses`, whose certificate is valid
  // for `group_id`'s host. Fills `session_group` with its group. nullptr if
  // none.
  Http2Session* FindCoalescableSession(const GroupId& group_id,
                                       const std::vector<IPEndPoint>& addresses,
                                       GroupId* session_group) const;

  // Starts a session on the socket in `handle`, which is of `group_id` and
  // negotiated "h2". Returns it, or nullptr with `*error` set when the
  // session failed to start (the handle is then released, closed).
  Http2Session* CreateSession(const GroupId& group_id,
                              std::unique_ptr<ClientSocketHandle> handle,
                              int* error);

  // A request of a known-h2 group is connecting a socket; until
  // OnSetupFinished, later requests of the group may WaitForSetup.
  void OnSetupStarted(const GroupId& group_id);
  // The setup ended (with a session or not): waiters run, posted.
  void OnSetupFinished(const GroupId& group_id);
  // Queues `on_done` behind the group's setup in progress and returns true;
  // false (nothing queued) when none is in progress.
  bool WaitForSetup(const GroupId& group_id, OnceClosure on_done);
  bool IsSetupPending(const GroupId& group_id) const;

  // Sessions without streams say GOAWAY and close (CloseIdleSockets).
  void CloseIdleSessions();
  // Every session ends now; its streams fail with `error`.
  void CloseAllSessions(int error);

  // Adds the sessions, with their streams, to the state dump.
  void DumpState(pool_state::PoolState* state) const;

  Http2OriginCache& origin_cache() { return origin_cache_; }
  const Http2OriginCache& origin_cache() const { return origin_cache_; }
  size_t session_count() const { return session_count_; }
  size_t SessionCountInGroup(const GroupId& group_id) const;
  const Http2SessionOptions& options() const { return options_; }

 private:
  struct Entry {
    GroupId group_id;
    std::unique_ptr<ClientSocketHandle> handle;
    std::unique_ptr<Http2Session> session;
    uint64_t connection_id = 0;
  };
  struct Setup {
    int in_progress = 0;
    std::vector<OnceClosure> waiters;
  };

  void OnSessionClosed(const GroupId& group_id, Http2Session* session);

  const Http2SessionOptions options_;
  absl::flat_hash_map<GroupId, std::vector<std::unique_ptr<Entry>>> groups_;
  size_t session_count_ = 0;
  absl::flat_hash_map<GroupId, Setup> setups_;
  Http2OriginCache origin_cache_;
  WeakPtrFactory<Http2SessionPool> weak_factory_{this};
};

}  // namespace net

#endif  // SOCKET_POOL_HTTP2_SESSION_POOL_H_
