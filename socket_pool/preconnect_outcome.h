#ifndef SOCKET_POOL_PRECONNECT_OUTCOME_H_
#define SOCKET_POOL_PRECONNECT_OUTCOME_H_

#include <string_view>

namespace net {

// Where a preconnected socket is in its life (docs/pool-selection.md section
// 6). kConnecting and kIdle are live states; every other value is the one
// final outcome the socket ends in.
enum class PreconnectOutcome {
  kConnecting,
  kIdle,
  // Handed to a request (idle, or adopted while still connecting).
  kUsed,
  // Closed by the unused idle timeout.
  kExpiredUnused,
  // Closed to make room for another group at the manager limit.
  kEvicted,
  // Found closed by the peer when checked before hand-out.
  kClosedByPeer,
  // Closed by FlushWithError, CloseIdleSockets or the manager's destruction.
  kFlushed,
  // The connect job failed; the error comes with the outcome.
  kFailed,
};

bool IsFinalPreconnectOutcome(PreconnectOutcome outcome);

// "CONNECTING", "IDLE", "USED", "EXPIRED_UNUSED", "EVICTED", "CLOSED_BY_PEER",
// "FLUSHED", "FAILED".
std::string_view PreconnectOutcomeToString(PreconnectOutcome outcome);

}  // namespace net

#endif  // SOCKET_POOL_PRECONNECT_OUTCOME_H_
