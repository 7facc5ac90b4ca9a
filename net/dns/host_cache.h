#ifndef NET_DNS_HOST_CACHE_H_
#define NET_DNS_HOST_CACHE_H_

#include <cstddef>
#include <list>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "net/base/ip_address.h"
#include "net/base/network_anonymization_key.h"

namespace net {

class TickClock;

// Resolved addresses (or a negative result) per (hostname,
// NetworkAnonymizationKey). The NAK is part of the key, so a lookup in one
// partition never sees another partition's entry: a site cannot learn from DNS
// timing what another site resolved. Entries expire by the clock given at
// construction (the EventLoop's, so tests drive it with mock time). When full,
// Set() first drops expired entries, then the least recently used one. Entries
// under a transient NAK (opaque top-frame site) are never stored. Not
// thread-safe; lives on the network thread. `clock` must outlive the cache.
class HostCache {
 public:
  struct Key {
    std::string hostname;  // lowercase, as sent to DNS
    NetworkAnonymizationKey network_anonymization_key;

    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& key) {
      return H::combine(std::move(h), key.hostname,
                        key.network_anonymization_key);
    }
  };

  struct Entry {
    int error = 0;  // OK, or ERR_NAME_NOT_RESOLVED for a cached negative answer
    std::vector<IPAddress> addresses;
    absl::Time expiration;
  };

  HostCache(size_t max_entries, const TickClock* clock);
  HostCache(const HostCache&) = delete;
  HostCache& operator=(const HostCache&) = delete;
  ~HostCache();

  // The live entry for `key`, or nullptr if there is none or it has expired. A
  // hit makes the entry the most recently used. The pointer is valid until the
  // next non-const call.
  const Entry* Lookup(const Key& key);

  // Stores (or replaces) the entry for `key`, valid for `ttl` from now. A ttl
  // <= 0 or a transient NAK stores nothing.
  void Set(const Key& key,
           int error,
           std::vector<IPAddress> addresses,
           absl::Duration ttl);

  void Clear();
  size_t size() const { return entries_.size(); }
  size_t max_entries() const { return max_entries_; }

 private:
  using LruList = std::list<std::pair<Key, Entry>>;

  void EvictOne();

  const size_t max_entries_;
  const TickClock* const clock_;
  // Most recently used first.
  LruList lru_;
  absl::flat_hash_map<Key, LruList::iterator> entries_;
};

}  // namespace net

#endif  // NET_DNS_HOST_CACHE_H_
