#ifndef NET_LOG_NET_LOG_SOURCE_H_
#define NET_LOG_NET_LOG_SOURCE_H_

#include <compare>
#include <cstdint>

#include "google/protobuf/struct.pb.h"
#include "net/log/net_log_source_type.h"

namespace net {

// Identifies the object an entry is about: its kind and an id unique within the
// NetLog that issued it (NetLog::NextID()). The default source (NONE,
// kInvalidId) marks entries that belong to no object. A value type.
struct NetLogSource {
  static constexpr uint32_t kInvalidId = 0;

  NetLogSource() = default;
  NetLogSource(NetLogSourceType type, uint32_t id) : type(type), id(id) {}

  bool IsValid() const { return id != kInvalidId; }

  // {"type": "SOCKET", "id": 12}: how a source appears in JSON.
  google::protobuf::Struct ToStruct() const;

  // Adds {"source_dependency": ToStruct()} to `params`: how an event points at
  // another source (a pool request at its ConnectJob, a job at its socket).
  void AddToEventParameters(google::protobuf::Struct* params) const;

  friend auto operator<=>(const NetLogSource&, const NetLogSource&) = default;
  friend bool operator==(const NetLogSource&, const NetLogSource&) = default;

  NetLogSourceType type = NetLogSourceType::NONE;
  uint32_t id = kInvalidId;
};

}  // namespace net

#endif  // NET_LOG_NET_LOG_SOURCE_H_
