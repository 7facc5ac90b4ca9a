#ifndef NET_LOG_NET_LOG_ENTRY_H_
#define NET_LOG_NET_LOG_ENTRY_H_

#include <optional>
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

  // The entry as Chrome's NetLog JSON has it: {"time": "1500.25", "type": 12,
  // "source": {"id": 3, "type": 10, "start_time": "1499"}, "phase": 1,
  // "params": {...}}. type, source.type and phase are the enums' numbers (a
  // file's constants map names to them); times are NetLogTimeToString()'s
  // strings; "params" is left out when empty, an infinite time is null.
  google::protobuf::Struct ToStruct() const;

  // Reads ToStruct()'s form back, as a reader of a streamed NetLog does;
  // nullopt when a field is missing or out of range.
  static std::optional<NetLogEntry> FromStruct(
      const google::protobuf::Struct& entry);

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
