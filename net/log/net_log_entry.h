#ifndef NET_LOG_NET_LOG_ENTRY_H_
#define NET_LOG_NET_LOG_ENTRY_H_

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_source.h"

namespace net {

// One recorded event: what happened (type, phase), to which source, when (the
// network thread's monotonic clock), and its params (empty when the event has
// none). A value type; observers receive it by reference and copy what they
// keep.
struct NetLogEntry {
  NetLogEntry() = default;
  NetLogEntry(NetLogEventType type,
              NetLogSource source,
              NetLogEventPhase phase,
              absl::Time time,
              google::protobuf::Struct params);

  // {"time": <ms>, "type": "TCP_CONNECT", "source": {"type": "SOCKET", "id":
  // 3},
  //  "phase": "BEGIN", "params": {...}}; "params" is left out when empty. Time
  //  is in
  // milliseconds on the clock's (arbitrary) epoch.
  google::protobuf::Struct ToStruct() const;

  // ToStruct() as one line of JSON, through protobuf's JSON printer. Param
  // strings must be UTF-8 (protobuf prints anything else as ""); NaN and
  // infinite numbers print as the strings "NaN", "Infinity", "-Infinity".
  std::string ToJson() const;

  NetLogEventType type = NetLogEventType::FAILED;
  NetLogSource source;
  NetLogEventPhase phase = NetLogEventPhase::NONE;
  absl::Time time;
  google::protobuf::Struct params;
};

}  // namespace net

#endif  // NET_LOG_NET_LOG_ENTRY_H_
