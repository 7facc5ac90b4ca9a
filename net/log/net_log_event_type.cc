#include "net/log/net_log_event_type.h"

namespace net {

const char* NetLogEventTypeToString(NetLogEventType type) {
  switch (type) {
#define EVENT_TYPE(label)      \
  case NetLogEventType::label: \
    return #label;
#include "net/log/net_log_event_type_list.h"
#undef EVENT_TYPE
    case NetLogEventType::COUNT:
      break;
  }
  return "UNKNOWN";
}

const char* NetLogEventPhaseToString(NetLogEventPhase phase) {
  switch (phase) {
    case NetLogEventPhase::NONE:
      return "NONE";
    case NetLogEventPhase::BEGIN:
      return "BEGIN";
    case NetLogEventPhase::END:
      return "END";
  }
  return "UNKNOWN";
}

}  // namespace net
