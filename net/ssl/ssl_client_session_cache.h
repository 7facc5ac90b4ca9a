#ifndef NET_SSL_SSL_CLIENT_SESSION_CACHE_H_
#define NET_SSL_SSL_CLIENT_SESSION_CACHE_H_

#include <compare>
#include <cstddef>
#include <list>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "net/base/host_port_pair.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"
#include "openssl/base.h"

namespace net {

class TickClock;

// TLS sessions (tickets) that clients may offer to resume, like Chromium's
// SSLClientSessionCache. The key is the destination plus the connection's
// partition (NetworkAnonymizationKey and PrivacyMode): a ticket learned in one
// partition is never offered from another, because resuming would let the
// server link the two.
//
// Each key keeps up to two sessions (servers usually send two TLS 1.3 tickets,
// so two parallel connections can both resume). Single-use sessions (all
// TLS 1.3 ones) are removed when looked up. Sessions expire after their
// lifetime as measured on `clock` (the EventLoop's, so tests can drive it); the
// cache holds at most `max_entries` keys and drops the least recently used
// beyond that. Keys with a transient NAK (opaque top frame) are never stored.
// Single-threaded: lives on the network thread. The clock must outlive the
// cache.
class SslClientSessionCache {
 public:
  struct Key {
    HostPortPair server;
    NetworkAnonymizationKey network_anonymization_key;
    PrivacyMode privacy_mode = PrivacyMode::kDisabled;

    // "a.test:443 https://top.example same_site DISABLED", for NetLog and
    // tests.
    std::string ToDebugString() const;

    friend auto operator<=>(const Key&, const Key&) = default;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& key) {
      return H::combine(std::move(h), key.server, key.network_anonymization_key,
                        key.privacy_mode);
    }
  };

  static constexpr size_t kDefaultMaxEntries = 1024;

  explicit SslClientSessionCache(const TickClock* clock,
                                 size_t max_entries = kDefaultMaxEntries);
  SslClientSessionCache(const SslClientSessionCache&) = delete;
  SslClientSessionCache& operator=(const SslClientSessionCache&) = delete;
  ~SslClientSessionCache();

  // A session to offer for `key`, or null. A single-use session is removed from
  // the cache; a reusable one stays.
  bssl::UniquePtr<SSL_SESSION> Lookup(const Key& key);

  // Stores a new session for `key` (the newest is offered first). Non-resumable
  // sessions and transient keys are ignored.
  void Insert(const Key& key, bssl::UniquePtr<SSL_SESSION> session);

  // Forgets everything learned for `key` (for example after the server rejected
  // it).
  void Remove(const Key& key);
  void Flush();

  // Number of keys with at least one unexpired session.
  size_t size() const;
  size_t max_entries() const { return max_entries_; }

 private:
  struct StoredSession {
    bssl::UniquePtr<SSL_SESSION> session;
    absl::Time expires_at;
  };
  struct Entry {
    Entry();
    Entry(Entry&&);
    Entry& operator=(Entry&&);
    ~Entry();

    // Newest first; at most two.
    StoredSession sessions[2];
    std::list<Key>::iterator lru_position;
  };

  void DropExpired(Entry& entry, absl::Time now);
  bool IsEmpty(const Entry& entry) const;
  void Erase(absl::flat_hash_map<Key, Entry>::iterator it);

  const TickClock* const clock_;
  const size_t max_entries_;
  absl::flat_hash_map<Key, Entry> entries_;
  // Most recently used at the front.
  std::list<Key> lru_;
};

}  // namespace net

#endif  // NET_SSL_SSL_CLIENT_SESSION_CACHE_H_
