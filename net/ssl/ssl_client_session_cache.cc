#include "net/ssl/ssl_client_session_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/event/tick_clock.h"
#include "openssl/ssl.h"

namespace net {

std::string SslClientSessionCache::Key::ToDebugString() const {
  return absl::StrCat(server.ToString(), " ",
                      network_anonymization_key.ToDebugString(), " ",
                      std::string(PrivacyModeToString(privacy_mode)));
}

SslClientSessionCache::Entry::Entry() = default;
SslClientSessionCache::Entry::Entry(Entry&&) = default;
SslClientSessionCache::Entry& SslClientSessionCache::Entry::operator=(Entry&&) =
    default;
SslClientSessionCache::Entry::~Entry() = default;

SslClientSessionCache::SslClientSessionCache(const TickClock* clock,
                                             size_t max_entries)
    : clock_(clock), max_entries_(max_entries) {
  CHECK(clock_);
  CHECK(max_entries_ > 0);
}

SslClientSessionCache::~SslClientSessionCache() = default;

bssl::UniquePtr<SSL_SESSION> SslClientSessionCache::Lookup(const Key& key) {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return nullptr;
  Entry& entry = it->second;
  DropExpired(entry, clock_->NowTicks());
  if (IsEmpty(entry)) {
    Erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, entry.lru_position);

  SSL_SESSION* newest = entry.sessions[0].session.get();
  if (!SSL_SESSION_should_be_single_use(newest)) {
    SSL_SESSION_up_ref(newest);
    return bssl::UniquePtr<SSL_SESSION>(newest);
  }
  // Offering a TLS 1.3 ticket twice would let a passive observer link the two
  // connections, so hand it out once and promote the spare.
  bssl::UniquePtr<SSL_SESSION> taken = std::move(entry.sessions[0].session);
  entry.sessions[0] = std::move(entry.sessions[1]);
  entry.sessions[1] = StoredSession();
  if (IsEmpty(entry))
    Erase(it);
  return taken;
}

void SslClientSessionCache::Insert(const Key& key,
                                   bssl::UniquePtr<SSL_SESSION> session) {
  if (!session || !SSL_SESSION_is_resumable(session.get()))
    return;
  if (key.network_anonymization_key.IsTransient())
    return;

  const absl::Time expires_at =
      clock_->NowTicks() +
      absl::Seconds(SSL_SESSION_get_timeout(session.get()));
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    lru_.push_front(key);
    Entry entry;
    entry.lru_position = lru_.begin();
    it = entries_.emplace(key, std::move(entry)).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  }
  Entry& entry = it->second;
  entry.sessions[1] = std::move(entry.sessions[0]);
  entry.sessions[0] = StoredSession{std::move(session), expires_at};

  while (entries_.size() > max_entries_) {
    auto oldest = entries_.find(lru_.back());
    DCHECK(oldest != entries_.end());
    Erase(oldest);
  }
}

void SslClientSessionCache::Remove(const Key& key) {
  auto it = entries_.find(key);
  if (it != entries_.end())
    Erase(it);
}

void SslClientSessionCache::Flush() {
  entries_.clear();
  lru_.clear();
}

size_t SslClientSessionCache::size() const {
  const absl::Time now = clock_->NowTicks();
  size_t count = 0;
  for (const auto& [key, entry] : entries_) {
    for (const StoredSession& stored : entry.sessions) {
      if (stored.session && stored.expires_at > now) {
        ++count;
        break;
      }
    }
  }
  return count;
}

void SslClientSessionCache::DropExpired(Entry& entry, absl::Time now) {
  for (StoredSession& stored : entry.sessions) {
    if (stored.session && stored.expires_at <= now)
      stored = StoredSession();
  }
  if (!entry.sessions[0].session && entry.sessions[1].session) {
    entry.sessions[0] = std::move(entry.sessions[1]);
    entry.sessions[1] = StoredSession();
  }
}

bool SslClientSessionCache::IsEmpty(const Entry& entry) const {
  return !entry.sessions[0].session && !entry.sessions[1].session;
}

void SslClientSessionCache::Erase(
    absl::flat_hash_map<Key, Entry>::iterator it) {
  lru_.erase(it->second.lru_position);
  entries_.erase(it);
}

}  // namespace net
