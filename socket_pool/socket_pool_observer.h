#ifndef SOCKET_POOL_SOCKET_POOL_OBSERVER_H_
#define SOCKET_POOL_SOCKET_POOL_OBSERVER_H_

#include <cstdint>

#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"
#include "socket_pool/preconnect_outcome.h"

namespace net {

// Told what happens to sockets, so the replay can attribute each preconnect's
// fate to the step that caused it. Every method runs synchronously inside the
// pool operation that caused it, on the network thread; an observer must not
// call back into the pool from them. The observer must outlive the
// SocketPoolManager it is registered with (the manager reports kFlushed for
// live preconnected sockets from its destructor).
class SocketPoolObserver {
 public:
  virtual ~SocketPoolObserver() = default;

  // The preconnected socket `preconnect_id` of `group_id` reached its one
  // final outcome (never kConnecting or kIdle). `error` is the connect error
  // for kFailed and OK otherwise.
  virtual void OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                         const GroupId& group_id,
                                         PreconnectOutcome outcome,
                                         int error) {}

  // Late privacy binding: the unbound preconnected socket `preconnect_id`,
  // warmed in `preconnect_group_id`, was taken by a request of
  // `bound_group_id` (the same partition, another privacy mode). Its outcome
  // (kUsed, normally) follows.
  virtual void OnPreconnectSocketLateBound(uint64_t preconnect_id,
                                           const GroupId& preconnect_group_id,
                                           const GroupId& bound_group_id) {}

  // A request of `group_id` was given a socket. `preconnect_id` is the id of
  // the preconnected socket it got, or 0.
  virtual void OnSocketHandedOut(const GroupId& group_id,
                                 ClientSocketHandle::ReuseType reuse_type,
                                 uint64_t preconnect_id) {}

  // A request to the same origin as the live, never-used preconnected socket
  // `preconnect_id` was served from a different group: the socket is stranded
  // unless a request of its own group uses it later (then its outcome is
  // kUsed). Reported once per socket, for the first such request.
  virtual void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const GroupId& preconnect_group_id,
      const GroupId& request_group_id,
      const GroupId::KeyDifference& difference) {}
};

}  // namespace net

#endif  // SOCKET_POOL_SOCKET_POOL_OBSERVER_H_
