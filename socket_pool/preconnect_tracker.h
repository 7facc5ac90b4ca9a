#ifndef SOCKET_POOL_PRECONNECT_TRACKER_H_
#define SOCKET_POOL_PRECONNECT_TRACKER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "net/log/net_log_with_source.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"
#include "socket_pool/preconnect_outcome.h"

namespace net {

class SocketPoolObserver;

// What a preconnect could change so that its socket lands in the request's
// group, e.g. "add crossorigin=anonymous"; empty when the keys do not differ.
std::string SuggestStrandFix(const GroupId& preconnect_group_id,
                             const GroupId& request_group_id);

// A preconnected socket as the pool sees it now.
struct PreconnectSocketState {
  uint64_t id = 0;
  GroupId group_id;
  // kConnecting or kIdle while live; the final outcome once it ended.
  PreconnectOutcome state = PreconnectOutcome::kConnecting;
  int error = 0;  // The connect error for kFailed.
  absl::Time start_time;
  // Set when a request to the same origin was served from another group while
  // this socket was live and unused; the fields of the first such request.
  bool strand_marked = false;
  GroupId strand_request_group_id;
  GroupId::KeyDifference strand_difference;
  // Set when a request of another privacy mode took it (late privacy
  // binding, docs/pool-selection.md section 9): the group it serves now.
  bool late_bound = false;
  GroupId late_bound_group_id;
};

// Totals over every preconnected socket the manager started.
struct PreconnectCounters {
  int64_t started = 0;
  int64_t used = 0;
  int64_t expired_unused = 0;
  int64_t evicted = 0;
  int64_t closed_by_peer = 0;
  int64_t flushed = 0;
  int64_t failed = 0;
  // Ended without being used after being strand-marked.
  int64_t stranded = 0;
  // Live (connecting or idle) sockets that are strand-marked.
  int64_t live_strand_marked = 0;
  // Used by a request of another privacy mode (included in `used`).
  int64_t late_bound = 0;
};

// Keeps the accounting of preconnected sockets for one SocketPoolManager:
// unique ids, the current state of live ones, the one final outcome of each,
// and strand detection (docs/pool-selection.md section 6). Live never-used
// preconnected sockets are indexed by origin, so checking a hand-out for
// strands costs one hash lookup plus the sockets it marks (each socket is
// marked at most once, then leaves the index). Ended sockets are forgotten
// after their outcome is reported, so memory follows the live count. Does not
// own the observer, which may be null.
class PreconnectTracker {
 public:
  // Outcomes and strands are also logged to `net_log` (the manager's
  // source).
  PreconnectTracker(SocketPoolObserver* observer, NetLogWithSource net_log);
  PreconnectTracker(const PreconnectTracker&) = delete;
  PreconnectTracker& operator=(const PreconnectTracker&) = delete;
  ~PreconnectTracker();

  // A new preconnected socket of `group_id` starts connecting; returns its id
  // (never 0).
  uint64_t OnStarted(const GroupId& group_id, absl::Time now);
  // It connected and went idle.
  void OnConnected(uint64_t id);
  // A request of `bound_group_id` (same partition, another privacy mode) took
  // it; OnSocketHandedOut with that group follows when it is handed out.
  void OnLateBound(uint64_t id, const GroupId& bound_group_id);
  // It ended in `outcome` (a final one). For kUsed, use OnSocketHandedOut.
  void OnEnded(uint64_t id, PreconnectOutcome outcome, int error);

  // A request of `group_id` got a socket (`preconnect_id` 0 if the socket was
  // not a live preconnected one). Ends that preconnect as kUsed, tells the
  // observer, then strand-marks live preconnected sockets of the same origin
  // in other groups.
  void OnSocketHandedOut(const GroupId& group_id,
                         ClientSocketHandle::ReuseType reuse_type,
                         uint64_t preconnect_id);

  // The state of a live preconnected socket; nullopt once it ended (its
  // outcome was reported) or for an id never issued.
  std::optional<PreconnectSocketState> GetState(uint64_t id) const;

  const PreconnectCounters& counters() const { return counters_; }
  size_t live_count() const { return live_.size(); }

 private:
  struct OriginKey {
    std::string scheme;
    HostPortPair destination;
    friend bool operator==(const OriginKey&, const OriginKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const OriginKey& key) {
      return H::combine(std::move(h), key.scheme, key.destination);
    }
  };

  void RemoveFromOriginIndex(const PreconnectSocketState& state);
  void End(uint64_t id, PreconnectOutcome outcome, int error);

  SocketPoolObserver* const observer_;
  const NetLogWithSource net_log_;
  uint64_t next_id_ = 1;
  absl::flat_hash_map<uint64_t, PreconnectSocketState> live_;
  // Live preconnected sockets not yet strand-marked, by origin.
  absl::flat_hash_map<OriginKey, absl::flat_hash_set<uint64_t>>
      unmarked_by_origin_;
  PreconnectCounters counters_;
};

}  // namespace net

#endif  // SOCKET_POOL_PRECONNECT_TRACKER_H_
