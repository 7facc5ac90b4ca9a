#include "net/log/net_log_source_type.h"

namespace net {

const char* NetLogSourceTypeToString(NetLogSourceType type) {
  switch (type) {
#define SOURCE_TYPE(label)      \
  case NetLogSourceType::label: \
    return #label;
#include "net/log/net_log_source_type_list.h"
#undef SOURCE_TYPE
    case NetLogSourceType::COUNT:
      break;
  }
  return "UNKNOWN";
}

}  // namespace net
