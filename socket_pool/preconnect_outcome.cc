#include "socket_pool/preconnect_outcome.h"

namespace net {

bool IsFinalPreconnectOutcome(PreconnectOutcome outcome) {
  return outcome != PreconnectOutcome::kConnecting &&
         outcome != PreconnectOutcome::kIdle;
}

std::string_view PreconnectOutcomeToString(PreconnectOutcome outcome) {
  switch (outcome) {
    case PreconnectOutcome::kConnecting:
      return "CONNECTING";
    case PreconnectOutcome::kIdle:
      return "IDLE";
    case PreconnectOutcome::kUsed:
      return "USED";
    case PreconnectOutcome::kExpiredUnused:
      return "EXPIRED_UNUSED";
    case PreconnectOutcome::kEvicted:
      return "EVICTED";
    case PreconnectOutcome::kClosedByPeer:
      return "CLOSED_BY_PEER";
    case PreconnectOutcome::kFlushed:
      return "FLUSHED";
    case PreconnectOutcome::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

}  // namespace net
