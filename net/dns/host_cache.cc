#include "net/dns/host_cache.h"

#include "net/base/check.h"
#include "net/event/tick_clock.h"

namespace net {

HostCache::HostCache(size_t max_entries, const TickClock* clock)
    : max_entries_(max_entries), clock_(clock) {
  CHECK(clock_);
}

HostCache::~HostCache() = default;

const HostCache::Entry* HostCache::Lookup(const Key& key) {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return nullptr;
  if (it->second->second.expiration <= clock_->NowTicks()) {
    lru_.erase(it->second);
    entries_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->second;
}

void HostCache::Set(const Key& key,
                    int error,
                    std::vector<IPAddress> addresses,
                    absl::Duration ttl) {
  if (max_entries_ == 0 || ttl <= absl::ZeroDuration() ||
      key.network_anonymization_key.IsTransient()) {
    return;
  }
  Entry entry{error, std::move(addresses), clock_->NowTicks() + ttl};
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second->second = std::move(entry);
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  if (entries_.size() >= max_entries_)
    EvictOne();
  lru_.emplace_front(key, std::move(entry));
  entries_.emplace(key, lru_.begin());
}

void HostCache::Clear() {
  entries_.clear();
  lru_.clear();
}

void HostCache::EvictOne() {
  // Expired entries go first; a full sweep is paid only when the cache is full.
  const absl::Time now = clock_->NowTicks();
  bool evicted = false;
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (it->second.expiration <= now) {
      entries_.erase(it->first);
      it = lru_.erase(it);
      evicted = true;
    } else {
      ++it;
    }
  }
  if (evicted || lru_.empty())
    return;
  entries_.erase(lru_.back().first);
  lru_.pop_back();
}

}  // namespace net
