#ifndef NET_LOG_NET_LOG_SOURCE_TYPE_H_
#define NET_LOG_NET_LOG_SOURCE_TYPE_H_

namespace net {

// What kind of object a NetLog source is; the list is
// net_log_source_type_list.h.
enum class NetLogSourceType {
#define SOURCE_TYPE(label) label,
#include "net/log/net_log_source_type_list.h"
#undef SOURCE_TYPE
  COUNT
};

// The label, e.g. "SOCKET"; "UNKNOWN" for a value outside the list.
const char* NetLogSourceTypeToString(NetLogSourceType type);

}  // namespace net

#endif  // NET_LOG_NET_LOG_SOURCE_TYPE_H_
