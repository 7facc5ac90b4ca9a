#include "net/log/net_log_source.h"

#include "net/log/net_log_values.h"

namespace net {

google::protobuf::Struct NetLogSource::ToStruct() const {
  google::protobuf::Struct result;
  SetNetLogInt(&result, "id", id);
  SetNetLogInt(&result, "type", static_cast<int>(type));
  if (start_time != absl::InfinitePast() &&
      start_time != absl::InfiniteFuture())
    SetNetLogString(&result, "start_time", NetLogTimeToString(start_time));
  return result;
}

void NetLogSource::AddToEventParameters(
    google::protobuf::Struct* params) const {
  google::protobuf::Struct dependency;
  SetNetLogInt(&dependency, "id", id);
  SetNetLogInt(&dependency, "type", static_cast<int>(type));
  SetNetLogStruct(params, "source_dependency", std::move(dependency));
}

}  // namespace net
