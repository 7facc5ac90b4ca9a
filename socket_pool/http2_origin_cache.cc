#include "socket_pool/http2_origin_cache.h"

#include "net/base/check.h"

namespace net {

Http2OriginCache::Http2OriginCache(size_t max_entries)
    : max_entries_(max_entries) {
  CHECK(max_entries_ > 0);
}

Http2OriginCache::~Http2OriginCache() = default;

// static
Http2OriginCache::Key Http2OriginCache::KeyFor(const GroupId& group_id) {
  return Key{group_id.network_anonymization_key(), group_id.scheme(),
             group_id.destination()};
}

void Http2OriginCache::OnProtocolNegotiated(const GroupId& group_id,
                                            const std::string& protocol) {
  Key key = KeyFor(group_id);
  auto it = index_.find(key);
  if (it != index_.end()) {
    lru_.erase(it->second);
    index_.erase(it);
  }
  if (protocol != "h2")
    return;
  lru_.push_front(key);
  index_.emplace(std::move(key), lru_.begin());
  if (index_.size() > max_entries_) {
    index_.erase(lru_.back());
    lru_.pop_back();
  }
}

bool Http2OriginCache::SpeaksHttp2(const GroupId& group_id) const {
  return index_.contains(KeyFor(group_id));
}

void Http2OriginCache::Clear() {
  index_.clear();
  lru_.clear();
}

}  // namespace net
