#ifndef SOCKET_POOL_HTTP2_ORIGIN_CACHE_H_
#define SOCKET_POOL_HTTP2_ORIGIN_CACHE_H_

#include <cstddef>
#include <list>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "net/base/host_port_pair.h"
#include "net/base/network_anonymization_key.h"
#include "socket_pool/group_id.h"

namespace net {

// Which origins spoke HTTP/2 ("h2" in ALPN) the last time prewarm connected
// to them, like the "supports SPDY" bit of Chromium's HttpServerProperties.
// Keyed by (network anonymization key, scheme, host, port): what a connection
// made under one top-frame site learned never shapes the connections of
// another, because whether a page has talked to an origin before is itself
// something a partition must not see. The privacy mode is not part of the key:
// ALPN is the same handshake in every mode. Bounded (least recently used go
// first). Single-threaded.
class Http2OriginCache {
 public:
  static constexpr size_t kDefaultMaxEntries = 1000;

  explicit Http2OriginCache(size_t max_entries = kDefaultMaxEntries);
  Http2OriginCache(const Http2OriginCache&) = delete;
  Http2OriginCache& operator=(const Http2OriginCache&) = delete;
  ~Http2OriginCache();

  // A connection of `group_id` negotiated `protocol`: remembers "h2", and
  // forgets the origin for anything else (it stopped speaking h2).
  void OnProtocolNegotiated(const GroupId& group_id,
                            const std::string& protocol);
  // Whether the origin of `group_id` spoke h2 in `group_id`'s partition.
  bool SpeaksHttp2(const GroupId& group_id) const;

  size_t size() const { return index_.size(); }
  void Clear();

 private:
  struct Key {
    NetworkAnonymizationKey network_anonymization_key;
    std::string scheme;
    HostPortPair destination;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& key) {
      return H::combine(std::move(h), key.network_anonymization_key, key.scheme,
                        key.destination);
    }
  };
  static Key KeyFor(const GroupId& group_id);

  const size_t max_entries_;
  // Most recently learned first.
  std::list<Key> lru_;
  absl::flat_hash_map<Key, std::list<Key>::iterator> index_;
};

}  // namespace net

#endif  // SOCKET_POOL_HTTP2_ORIGIN_CACHE_H_
