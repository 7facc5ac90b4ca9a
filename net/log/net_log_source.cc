#include "net/log/net_log_source.h"

#include "net/log/net_log_values.h"

namespace net {

google::protobuf::Struct NetLogSource::ToStruct() const {
  google::protobuf::Struct result;
  SetNetLogString(&result, "type", NetLogSourceTypeToString(type));
  SetNetLogInt(&result, "id", id);
  return result;
}

void NetLogSource::AddToEventParameters(
    google::protobuf::Struct* params) const {
  SetNetLogStruct(params, "source_dependency", ToStruct());
}

}  // namespace net
