#ifndef NET_LOG_NET_LOG_EVENT_TYPE_H_
#define NET_LOG_NET_LOG_EVENT_TYPE_H_

namespace net {

// Every event NetLog can record; the list, with each event's params, is
// net_log_event_type_list.h.
enum class NetLogEventType {
#define EVENT_TYPE(label) label,
#include "net/log/net_log_event_type_list.h"
#undef EVENT_TYPE
  COUNT
};

// Whether an entry starts a span of time (BEGIN), ends one (END), or is a point
// event (NONE). A BEGIN and its END share the type and the source.
enum class NetLogEventPhase {
  NONE,
  BEGIN,
  END,
};

// The label, e.g. "TCP_CONNECT"; "UNKNOWN" for a value outside the list.
const char* NetLogEventTypeToString(NetLogEventType type);

// "NONE", "BEGIN" or "END".
const char* NetLogEventPhaseToString(NetLogEventPhase phase);

}  // namespace net

#endif  // NET_LOG_NET_LOG_EVENT_TYPE_H_
