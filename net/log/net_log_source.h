#ifndef NET_LOG_NET_LOG_SOURCE_H_
#define NET_LOG_NET_LOG_SOURCE_H_

#include <compare>
#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "net/log/net_log_source_type.h"

namespace net {

// Identifies the object an entry is about: its kind, an id unique within the
// NetLog that issued it (NetLog::NextID()), and when it was created (on the
// NetLog's clock). The default source (NONE, kInvalidId) marks entries that
// belong to no object. A value type; two sources are the same source when kind
// and id match (the id alone is unique, the time only describes it).
struct NetLogSource {
  static constexpr uint32_t kInvalidId = 0;

  NetLogSource() = default;
  NetLogSource(NetLogSourceType type,
               uint32_t id,
               absl::Time start_time = absl::InfinitePast())
      : type(type), id(id), start_time(start_time) {}

  bool IsValid() const { return id != kInvalidId; }

  // {"id": 12, "type": 10, "start_time": "1234.5"}: how a source appears in
  // Chrome's NetLog JSON (type is the NetLogSourceType's number, start_time
  // the creation time as NetLogEntry prints times; left out when unknown).
  google::protobuf::Struct ToStruct() const;

  // Adds {"source_dependency": {"id", "type"}} to `params`: how an event points
  // at another source (a pool request at its ConnectJob, a job at its socket).
  void AddToEventParameters(google::protobuf::Struct* params) const;

  friend std::strong_ordering operator<=>(const NetLogSource& a,
                                          const NetLogSource& b) {
    if (auto order = a.type <=> b.type; order != 0)
      return order;
    return a.id <=> b.id;
  }
  friend bool operator==(const NetLogSource& a, const NetLogSource& b) {
    return a.type == b.type && a.id == b.id;
  }

  NetLogSourceType type = NetLogSourceType::NONE;
  uint32_t id = kInvalidId;
  absl::Time start_time = absl::InfinitePast();
};

}  // namespace net

#endif  // NET_LOG_NET_LOG_SOURCE_H_
