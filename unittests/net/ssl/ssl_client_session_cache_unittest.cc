#include "net/ssl/ssl_client_session_cache.h"

#include <cstdint>

#include "gtest/gtest.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "net/event/tick_clock.h"
#include "openssl/ssl.h"

namespace net {
namespace {

// A resumable session of `version` with a distinct id; timeout
// `lifetime_seconds`.
bssl::UniquePtr<SSL_SESSION> MakeSession(uint16_t version,
                                         uint8_t id_byte,
                                         uint32_t lifetime_seconds = 3600) {
  static SSL_CTX* const context = SSL_CTX_new(TLS_method());
  bssl::UniquePtr<SSL_SESSION> session(SSL_SESSION_new(context));
  uint8_t id[32] = {};
  id[0] = id_byte;
  SSL_SESSION_set1_id(session.get(), id, sizeof(id));
  SSL_SESSION_set_protocol_version(session.get(), version);
  SSL_SESSION_set_timeout(session.get(), lifetime_seconds);
  return session;
}

uint8_t IdByte(const SSL_SESSION* session) {
  unsigned length = 0;
  const uint8_t* id = SSL_SESSION_get_id(session, &length);
  return length > 0 ? id[0] : 0;
}

NetworkAnonymizationKey Nak(const char* top_frame_url, bool cross_site) {
  return NetworkAnonymizationKey(SchemefulSite(Url::Parse(top_frame_url)),
                                 cross_site);
}

SslClientSessionCache::Key MakeKey(
    const NetworkAnonymizationKey& nak = NetworkAnonymizationKey(),
    PrivacyMode privacy_mode = PrivacyMode::kDisabled) {
  return {HostPortPair("a.test", 443), nak, privacy_mode};
}

class SslClientSessionCacheTest : public testing::Test {
 protected:
  TestTickClock clock_;
};

TEST_F(SslClientSessionCacheTest, LookupOfUnknownKeyFindsNothing) {
  SslClientSessionCache cache(&clock_);
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey()));
  EXPECT_EQ(0u, cache.size());
}

TEST_F(SslClientSessionCacheTest, Tls12SessionCanBeOfferedRepeatedly) {
  SslClientSessionCache cache(&clock_);
  cache.Insert(MakeKey(), MakeSession(TLS1_2_VERSION, 7));
  for (int i = 0; i < 3; ++i) {
    bssl::UniquePtr<SSL_SESSION> session = cache.Lookup(MakeKey());
    ASSERT_TRUE(session);
    EXPECT_EQ(7, IdByte(session.get()));
  }
}

TEST_F(SslClientSessionCacheTest, Tls13TicketsAreSingleUseNewestFirst) {
  SslClientSessionCache cache(&clock_);
  cache.Insert(MakeKey(), MakeSession(TLS1_3_VERSION, 1));
  cache.Insert(MakeKey(), MakeSession(TLS1_3_VERSION, 2));
  cache.Insert(MakeKey(), MakeSession(TLS1_3_VERSION, 3));  // Pushes out 1.

  bssl::UniquePtr<SSL_SESSION> first = cache.Lookup(MakeKey());
  bssl::UniquePtr<SSL_SESSION> second = cache.Lookup(MakeKey());
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(3, IdByte(first.get()));
  EXPECT_EQ(2, IdByte(second.get()));
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey()));
  EXPECT_EQ(0u, cache.size());
}

TEST_F(SslClientSessionCacheTest, SessionNeverCrossesNakOrPrivacyMode) {
  SslClientSessionCache cache(&clock_);
  const NetworkAnonymizationKey top_a = Nak("https://a.example/", false);
  const NetworkAnonymizationKey top_b = Nak("https://b.example/", false);
  const NetworkAnonymizationKey top_a_cross = Nak("https://a.example/", true);
  cache.Insert(MakeKey(top_a, PrivacyMode::kDisabled),
               MakeSession(TLS1_2_VERSION, 1));

  EXPECT_EQ(nullptr, cache.Lookup(MakeKey(top_b, PrivacyMode::kDisabled)));
  EXPECT_EQ(nullptr,
            cache.Lookup(MakeKey(top_a_cross, PrivacyMode::kDisabled)));
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey(top_a, PrivacyMode::kEnabled)));
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey(NetworkAnonymizationKey(),
                                          PrivacyMode::kDisabled)));
  EXPECT_NE(nullptr, cache.Lookup(MakeKey(top_a, PrivacyMode::kDisabled)));

  SslClientSessionCache::Key other_port = MakeKey(top_a);
  other_port.server = HostPortPair("a.test", 8443);
  EXPECT_EQ(nullptr, cache.Lookup(other_port));
}

TEST_F(SslClientSessionCacheTest, TransientNakIsNeverStored) {
  SslClientSessionCache cache(&clock_);
  // An invalid URL has an opaque site, which makes the key transient.
  NetworkAnonymizationKey transient(SchemefulSite(Url()), false);
  ASSERT_TRUE(transient.IsTransient());
  cache.Insert(MakeKey(transient), MakeSession(TLS1_2_VERSION, 1));
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey(transient)));
}

TEST_F(SslClientSessionCacheTest, NonResumableSessionIsIgnored) {
  SslClientSessionCache cache(&clock_);
  static SSL_CTX* const context = SSL_CTX_new(TLS_method());
  cache.Insert(MakeKey(),
               bssl::UniquePtr<SSL_SESSION>(SSL_SESSION_new(context)));
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey()));
}

TEST_F(SslClientSessionCacheTest, SessionExpiresOnTheClock) {
  SslClientSessionCache cache(&clock_);
  cache.Insert(MakeKey(), MakeSession(TLS1_2_VERSION, 1, /*lifetime=*/60));
  clock_.Advance(absl::Seconds(59));
  EXPECT_NE(nullptr, cache.Lookup(MakeKey()));
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey()));
  EXPECT_EQ(0u, cache.size());
}

TEST_F(SslClientSessionCacheTest, FullCacheEvictsLeastRecentlyUsedKey) {
  SslClientSessionCache cache(&clock_, /*max_entries=*/2);
  auto key_for_port = [](uint16_t port) {
    SslClientSessionCache::Key key = MakeKey();
    key.server = HostPortPair("a.test", port);
    return key;
  };
  cache.Insert(key_for_port(1), MakeSession(TLS1_2_VERSION, 1));
  cache.Insert(key_for_port(2), MakeSession(TLS1_2_VERSION, 2));
  EXPECT_NE(nullptr, cache.Lookup(key_for_port(1)));  // 2 is now the oldest.
  cache.Insert(key_for_port(3), MakeSession(TLS1_2_VERSION, 3));

  EXPECT_EQ(2u, cache.size());
  EXPECT_NE(nullptr, cache.Lookup(key_for_port(1)));
  EXPECT_EQ(nullptr, cache.Lookup(key_for_port(2)));
  EXPECT_NE(nullptr, cache.Lookup(key_for_port(3)));
}

TEST_F(SslClientSessionCacheTest, RemoveAndFlushForget) {
  SslClientSessionCache cache(&clock_);
  SslClientSessionCache::Key other = MakeKey();
  other.server = HostPortPair("b.test", 443);
  cache.Insert(MakeKey(), MakeSession(TLS1_2_VERSION, 1));
  cache.Insert(other, MakeSession(TLS1_2_VERSION, 2));
  cache.Remove(MakeKey());
  EXPECT_EQ(nullptr, cache.Lookup(MakeKey()));
  EXPECT_NE(nullptr, cache.Lookup(other));
  cache.Flush();
  EXPECT_EQ(nullptr, cache.Lookup(other));
}

TEST_F(SslClientSessionCacheTest, KeyDebugStringNamesEveryField) {
  SslClientSessionCache::Key key =
      MakeKey(Nak("https://a.example/", true), PrivacyMode::kEnabled);
  const std::string text = key.ToDebugString();
  EXPECT_NE(std::string::npos, text.find("a.test:443"));
  EXPECT_NE(std::string::npos, text.find("https://a.example cross_site"));
  EXPECT_NE(std::string::npos, text.find("ENABLED"));
}

}  // namespace
}  // namespace net
