#include "net/log/net_log_entry.h"

#include <utility>

#include "google/protobuf/util/json_util.h"
#include "net/log/net_log_values.h"

namespace net {

NetLogEntry::NetLogEntry(NetLogEventType type,
                         NetLogSource source,
                         NetLogEventPhase phase,
                         absl::Time time,
                         google::protobuf::Struct params)
    : type(type),
      source(source),
      phase(phase),
      time(time),
      params(std::move(params)) {}

google::protobuf::Struct NetLogEntry::ToStruct() const {
  google::protobuf::Struct result;
  // An infinite time cannot be a JSON number; it prints as null.
  google::protobuf::Value& time_value = (*result.mutable_fields())["time"];
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture()) {
    time_value.set_null_value(google::protobuf::NULL_VALUE);
  } else {
    time_value.set_number_value(
        absl::ToDoubleMilliseconds(time - absl::UnixEpoch()));
  }
  SetNetLogString(&result, "type", NetLogEventTypeToString(type));
  SetNetLogStruct(&result, "source", source.ToStruct());
  SetNetLogString(&result, "phase", NetLogEventPhaseToString(phase));
  if (params.fields_size() > 0)
    SetNetLogStruct(&result, "params", params);
  return result;
}

std::string NetLogEntry::ToJson() const {
  std::string json;
  // Printing a Struct cannot fail: protobuf prints non-finite numbers as
  // strings.
  google::protobuf::util::MessageToJsonString(ToStruct(), &json);
  return json;
}

}  // namespace net
