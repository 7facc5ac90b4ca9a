#ifndef SOCKET_POOL_TRANSPORT_CLIENT_SOCKET_POOL_H_
#define SOCKET_POOL_TRANSPORT_CLIENT_SOCKET_POOL_H_

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"
#include "net/base/load_timing_info.h"
#include "net/base/request_priority.h"
#include "net/event/timer.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"
#include "socket_pool/preconnect_outcome.h"
#include "socket_pool/socket_pool_config.h"

namespace net {

namespace pool_state {
class PoolState;
}  // namespace pool_state

class ConnectJob;
class ConnectJobFactory;
class NetLogWithSource;
class EventLoop;
class PreconnectTracker;
class StreamSocket;

// What RequestSockets (the preconnect primitive) did.
struct RequestSocketsResult {
  // Ids of the preconnected sockets it started, in order; empty when the
  // group was already topped up.
  std::vector<uint64_t> preconnect_ids;
  // OK; ERR_PRECONNECT_MAX_SOCKET_LIMIT when the manager limit stopped it
  // short; a connect error when a connect job failed synchronously;
  // ERR_INVALID_ARGUMENT for bad input.
  int error = 0;
  std::string error_message;
};

// The socket pool engine behind SocketPoolManager: every group of every
// (scheme, privacy mode) lives here, in one hash map keyed by GroupId, so the
// per-group and manager-wide limits hold across all of them and no socket ever
// moves between GroupIds. The SocketPoolManager presents the per-(scheme,
// privacy mode) pools in its API and state dump and checks input; this class
// trusts its arguments (valid GroupIds, a free handle).
//
// Costs: taking an idle socket and releasing one are O(1) plus the group's
// idle count (at most max_sockets_per_group), independent of the number of
// groups. Decisions at the manager limit use global indexes instead of walking
// groups: two LRU lists of idle sockets (never used / used, each in idle-start
// order, which is also their expiry order) give the eviction victim and the
// next idle timeout in O(1), and an ordered map of stalled groups keyed by
// their first request not covered by a connect job gives the next request to
// serve in O(log n).
//
// Late binding as in Chromium: connect jobs belong to the group, not to a
// request; each finished job serves the group's highest-priority waiting
// request (then FIFO). A group's jobs "cover" its first waiting requests, so a
// request that arrives while a preconnect job is connecting adopts it instead
// of opening a second connection.
//
// Late privacy binding (docs/pool-selection.md section 9): sockets of a
// PreconnectBinding::kUnbound preconnect are indexed by partition - (scheme,
// host, port, NAK), every privacy mode together - while they are connecting
// or idle, never used, and their socket can change privacy mode. A partition's
// index is made with its first unbound socket, and every group of the
// partition keeps a pointer to it (attached then, or when the group is made),
// so a request that finds nothing in its own group checks for an unbound
// sibling with no hashing and without walking groups; the index holds
// at most (privacy modes x group limit) sockets, oldest preconnect first. The
// request takes the oldest one whose group can spare it (an idle socket, or a
// connect job that covers no waiting request of its group): the socket moves
// to the request's group, counts against that group's limit, and is bound to
// it at hand-out (PreconnectTracker::OnLateBound, NetLog
// SOCKET_POOL_LATE_BOUND and PRECONNECT_LATE_BOUND, then
// StreamSocket::BindToPrivacyMode). A connect job taken while connecting
// whose server then asked for a client certificate is not rebound: its
// socket returns to the group it was warmed in (closed as kEvicted if that
// group is full) and the request gets a connect job of its own.
//
// Completion callbacks are always posted to the EventLoop, never run inside a
// pool call. The pool does not own the factory or the tracker, which must
// outlive it. Must be created and used on the thread of the current EventLoop.
class TransportClientSocketPool {
 public:
  TransportClientSocketPool(const SocketPoolConfig& config,
                            ConnectJobFactory* connect_job_factory,
                            PreconnectTracker* preconnect_tracker);
  TransportClientSocketPool(const TransportClientSocketPool&) = delete;
  TransportClientSocketPool& operator=(const TransportClientSocketPool&) =
      delete;
  // Closes idle sockets and cancels connect jobs (preconnected ones end as
  // kFlushed). Every handle must have been reset before.
  ~TransportClientSocketPool();

  // See SocketPoolManager::RequestSocket.
  int RequestSocket(const GroupId& group_id,
                    RequestPriority priority,
                    ClientSocketHandle* handle,
                    CompletionOnceCallback callback,
                    const NetLogWithSource& net_log);
  // See SocketPoolManager::RequestSockets. `num_sockets` >= 0.
  RequestSocketsResult RequestSockets(const GroupId& group_id,
                                      int num_sockets,
                                      PreconnectBinding binding);
  void CloseIdleSockets();
  void FlushWithError(int error);

  int idle_socket_count() const { return idle_count_; }
  int connecting_socket_count() const { return connecting_count_; }
  int handed_out_socket_count() const { return handed_out_count_; }
  int total_socket_count() const {
    return idle_count_ + connecting_count_ + handed_out_count_;
  }
  size_t group_count() const { return groups_.size(); }
  size_t stalled_group_count() const { return stalled_groups_.size(); }

  bool HasGroup(const GroupId& group_id) const;
  int IdleSocketCountInGroup(const GroupId& group_id) const;
  int ConnectingSocketCountInGroup(const GroupId& group_id) const;
  int HandedOutSocketCountInGroup(const GroupId& group_id) const;
  int PendingRequestCountInGroup(const GroupId& group_id) const;
  // Unbound preconnected sockets (idle or connecting) of the group.
  int UnboundSocketCountInGroup(const GroupId& group_id) const;
  // Unbound sockets across all groups.
  int unbound_socket_count() const { return unbound_count_; }

  // Fills the limits, totals and pools of `state`: one pool per
  // (scheme, privacy mode) with its groups in GroupId order.
  void DumpState(pool_state::PoolState* state) const;

  static const GroupId& GroupIdOf(const SocketGroup* group);

 private:
  friend class ClientSocketHandle;
  friend struct SocketGroup;
  struct IdleSocket;
  struct Job;
  struct SiblingSet;
  struct UnboundSocket;
  using IdleList = std::list<IdleSocket>;
  using IdleIterator = IdleList::iterator;

  // A waiting request's rank: higher priority first, then arrival order.
  struct RequestKey {
    RequestPriority priority;
    uint64_t sequence;
  };
  struct RequestKeyOrder {
    bool operator()(const RequestKey& a, const RequestKey& b) const {
      if (a.priority != b.priority)
        return a.priority > b.priority;
      return a.sequence < b.sequence;
    }
  };
  using RequestQueue =
      std::map<RequestKey, ClientSocketHandle*, RequestKeyOrder>;

  // Called by ClientSocketHandle::Reset().
  void ReleaseSocket(ClientSocketHandle* handle);
  void CancelRequest(ClientSocketHandle* handle);

  SocketGroup& GetOrCreateGroup(const GroupId& group_id);
  const SocketGroup* FindGroup(const GroupId& group_id) const;
  void MaybeDeleteGroup(SocketGroup* group);
  // Erases an empty group (and its partition's index when no group uses it).
  void EraseGroup(SocketGroup* group);
  void EraseEmptyGroups();

  // The late-binding index (see the class comment).
  static GroupId PartitionOf(const GroupId& group_id);
  void AttachToSiblingSet(SocketGroup& group, SiblingSet* set);
  // The index of `group`'s partition, made (and its existing groups attached)
  // if this is the partition's first unbound socket.
  SiblingSet& GetOrCreateSiblingSet(SocketGroup& group);
  void AddUnbound(SocketGroup& group,
                  uint64_t preconnect_id,
                  Job* job,
                  IdleIterator idle);
  void RemoveUnbound(SocketGroup& group, uint64_t preconnect_id);
  // Step 2a of section 5 for `handle`'s request in `group`: returns true if
  // it handed an idle sibling socket to `handle`; moves a sibling's connect
  // job into `group` (leaving `handle` to adopt it) otherwise, if there is
  // one.
  bool TakeUnboundSibling(SocketGroup& group, ClientSocketHandle* handle);
  // A late-bound job's socket that may not change privacy mode goes back to
  // the group it was warmed in.
  void ReturnToWarmedGroup(const GroupId& warmed_group_id,
                           std::unique_ptr<StreamSocket> socket,
                           uint64_t preconnect_id);

  // Hands a live idle socket of `group` to `handle`, closing dead ones met on
  // the way. False if there was none.
  bool TakeIdleSocket(SocketGroup& group, ClientSocketHandle* handle);
  void AddIdleSocket(SocketGroup& group,
                     std::unique_ptr<StreamSocket> socket,
                     uint64_t preconnect_id,
                     bool unbound = false);
  // Unlinks `it` (whose socket is gone) from `list` and keeps the node for the
  // next AddIdleSocket, so taking and returning an idle socket allocates
  // nothing.
  void RecycleIdleNode(IdleList& list, IdleIterator it);
  // Closes one idle socket; a preconnected one ends with `outcome`. Never
  // deletes the group.
  void CloseIdleSocket(IdleIterator it, PreconnectOutcome outcome);
  // Closes the least recently used idle socket not in `except`; false if
  // there is none.
  bool CloseOneIdleSocketExcept(const SocketGroup* except);
  void CloseAllIdleSockets(PreconnectOutcome outcome);
  // Closes this group's idle sockets that are no longer usable.
  void CloseDeadIdleSockets(SocketGroup& group);
  void OnIdleTimer();
  void ScheduleIdleTimer(absl::Time deadline);

  // Returns the job's synchronous result (already processed) or
  // ERR_IO_PENDING.
  int StartJob(SocketGroup& group,
               RequestPriority priority,
               uint64_t preconnect_id,
               bool unbound = false);
  void OnJobComplete(Job* job, int result);
  // Takes the job's result to a waiting request or the idle list, removes the
  // job and updates the stall index; does not serve other groups.
  void FinishJob(Job* job, int result, bool defer_job_deletion);
  void CancelJob(SocketGroup& group, std::list<Job>::iterator job);
  // A connection of `group` negotiated h2: cancels the group's preconnect
  // jobs beyond those its waiting requests need (they end kFlushed).
  void CancelSurplusPreconnectJobs(SocketGroup& group);

  // Removes the group's first waiting request and completes it with
  // `result` (and `socket` when OK).
  void CompleteFirstRequest(SocketGroup& group,
                            int result,
                            std::unique_ptr<StreamSocket> socket,
                            ClientSocketHandle::ReuseType reuse_type,
                            const LoadTimingInfo::ConnectTiming& timing,
                            uint64_t preconnect_id,
                            const std::string& error_message = "");
  void HandOut(SocketGroup& group,
               ClientSocketHandle* handle,
               std::unique_ptr<StreamSocket> socket,
               ClientSocketHandle::ReuseType reuse_type,
               const LoadTimingInfo::ConnectTiming& timing,
               uint64_t preconnect_id);

  // Puts `group` in (or takes it out of) the stall index according to
  // whether it has a waiting request no job covers and room under the group
  // limit.
  void UpdateStallIndex(SocketGroup& group);
  // Starts jobs for stalled groups, best request first, while the manager
  // limit allows (closing other groups' idle sockets to make room).
  void ProcessStalledGroups();

  void LogReusedSocket(ClientSocketHandle* handle,
                       absl::Time idle_start,
                       uint64_t preconnect_id,
                       bool used) const;
  absl::Time Now() const;

  const SocketPoolConfig config_;
  ConnectJobFactory* const connect_job_factory_;
  PreconnectTracker* const preconnect_tracker_;
  EventLoop* const loop_;

  // Late-binding indexes by partition: keyed by a GroupId whose privacy mode
  // is kDisabled. Only partitions that have had an unbound socket, while any
  // of their groups lives; empty when config_.late_binding is off.
  absl::flat_hash_map<GroupId, std::unique_ptr<SiblingSet>> sibling_sets_;
  absl::flat_hash_map<GroupId, std::unique_ptr<SocketGroup>> groups_;
  // Idle sockets across all groups, oldest first.
  IdleList idle_unused_;
  IdleList idle_used_;
  // Unlinked idle-list nodes for reuse, at most kMaxSpareIdleNodes.
  static constexpr size_t kMaxSpareIdleNodes = 64;
  IdleList spare_idle_nodes_;
  // Groups with a waiting request that a new job could serve, by that
  // request's rank.
  std::map<RequestKey, SocketGroup*, RequestKeyOrder> stalled_groups_;
  OneShotTimer idle_timer_;

  int idle_count_ = 0;
  int connecting_count_ = 0;
  int handed_out_count_ = 0;
  int unbound_count_ = 0;
  uint64_t next_request_sequence_ = 1;
  // Bumped by FlushWithError: sockets handed out before are closed on
  // release.
  uint64_t generation_ = 1;

  // ConnectJobs that reported completion, kept until their callback has
  // returned (deleted at the next completion or with the pool).
  std::vector<std::unique_ptr<ConnectJob>> finished_jobs_;

  // The handle of the RequestSocket call in progress: a result for it is
  // returned synchronously instead of posted.
  ClientSocketHandle* synchronous_handle_ = nullptr;
  int synchronous_result_ = 0;
};

}  // namespace net

#endif  // SOCKET_POOL_TRANSPORT_CLIENT_SOCKET_POOL_H_
