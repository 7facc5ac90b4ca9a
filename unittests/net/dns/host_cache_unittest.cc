#include "net/dns/host_cache.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"

namespace net {
namespace {

NetworkAnonymizationKey SameSiteKey(const std::string& url) {
  return NetworkAnonymizationKey::CreateSameSite(
      SchemefulSite(Url::Parse(url)));
}

class HostCacheTest : public testing::Test {
 protected:
  EventLoop loop_{EventLoop::TimeSource::kMockTime};
  HostCache cache_{100, loop_.clock()};
  const IPAddress address_a_{10, 0, 0, 1};
  const IPAddress address_b_{10, 0, 0, 2};
};

TEST_F(HostCacheTest, MissThenHit) {
  HostCache::Key key{"a.example", SameSiteKey("https://top.example")};
  EXPECT_EQ(cache_.Lookup(key), nullptr);
  cache_.Set(key, OK, {address_a_}, absl::Seconds(60));
  const HostCache::Entry* entry = cache_.Lookup(key);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->error, OK);
  EXPECT_EQ(entry->addresses, std::vector<IPAddress>{address_a_});
}

TEST_F(HostCacheTest, EntryExpiresAtItsTtlOnTheLoopClock) {
  HostCache::Key key{"a.example", NetworkAnonymizationKey()};
  cache_.Set(key, OK, {address_a_}, absl::Seconds(60));
  loop_.FastForwardBy(absl::Seconds(59));
  EXPECT_NE(cache_.Lookup(key), nullptr);
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_EQ(cache_.Lookup(key), nullptr);
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(HostCacheTest, ZeroTtlIsNotStored) {
  HostCache::Key key{"a.example", NetworkAnonymizationKey()};
  cache_.Set(key, OK, {address_a_}, absl::ZeroDuration());
  EXPECT_EQ(cache_.Lookup(key), nullptr);
}

TEST_F(HostCacheTest, TransientNakIsNeverStored) {
  NetworkAnonymizationKey opaque = NetworkAnonymizationKey::CreateSameSite(
      SchemefulSite(Origin::CreateOpaque()));
  ASSERT_TRUE(opaque.IsTransient());
  HostCache::Key key{"a.example", opaque};
  cache_.Set(key, OK, {address_a_}, absl::Seconds(60));
  EXPECT_EQ(cache_.Lookup(key), nullptr);
}

TEST_F(HostCacheTest, NegativeEntryIsReturnedAsSuch) {
  HostCache::Key key{"missing.example", NetworkAnonymizationKey()};
  cache_.Set(key, ERR_NAME_NOT_RESOLVED, {}, absl::Seconds(5));
  const HostCache::Entry* entry = cache_.Lookup(key);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->error, ERR_NAME_NOT_RESOLVED);
  EXPECT_TRUE(entry->addresses.empty());
}

TEST_F(HostCacheTest, SetReplacesTheEntryForTheSameKey) {
  HostCache::Key key{"a.example", NetworkAnonymizationKey()};
  cache_.Set(key, OK, {address_a_}, absl::Seconds(60));
  cache_.Set(key, OK, {address_b_}, absl::Seconds(60));
  EXPECT_EQ(cache_.size(), 1u);
  EXPECT_EQ(cache_.Lookup(key)->addresses, std::vector<IPAddress>{address_b_});
}

TEST_F(HostCacheTest, EntryInOnePartitionIsInvisibleToAnother) {
  HostCache::Key in_a{"shared.example", SameSiteKey("https://a.example")};
  HostCache::Key in_b{"shared.example", SameSiteKey("https://b.example")};
  HostCache::Key in_a_cross{
      "shared.example", NetworkAnonymizationKey::CreateCrossSite(
                            SchemefulSite(Url::Parse("https://a.example")))};
  HostCache::Key unpartitioned{"shared.example", NetworkAnonymizationKey()};
  cache_.Set(in_a, OK, {address_a_}, absl::Seconds(60));
  EXPECT_NE(cache_.Lookup(in_a), nullptr);
  EXPECT_EQ(cache_.Lookup(in_b), nullptr);
  EXPECT_EQ(cache_.Lookup(in_a_cross), nullptr);
  EXPECT_EQ(cache_.Lookup(unpartitioned), nullptr);
}

TEST_F(HostCacheTest, RandomizedPartitionsNeverSeeEachOthersEntries) {
  std::mt19937 random(20261121);
  constexpr int kSites = 40;
  constexpr int kHosts = 20;
  HostCache big_cache(kSites * 2 * kHosts, loop_.clock());
  // The address encodes the partition, so a leak would show as a wrong address.
  auto address_for = [](int site, bool cross, int host) {
    return IPAddress(10, static_cast<uint8_t>(site),
                     static_cast<uint8_t>(cross), static_cast<uint8_t>(host));
  };
  auto key_for = [](int site, bool cross, int host) {
    SchemefulSite top(
        Url::Parse(absl::StrCat("https://site", site, ".example")));
    return HostCache::Key{absl::StrCat("host", host, ".example"),
                          NetworkAnonymizationKey(top, cross)};
  };
  std::vector<bool> stored(kSites * 2 * kHosts, false);
  for (int i = 0; i < 2000; ++i) {
    int site = static_cast<int>(random() % kSites);
    bool cross = random() % 2;
    int host = static_cast<int>(random() % kHosts);
    size_t index = (site * 2 + cross) * kHosts + host;
    if (random() % 2) {
      big_cache.Set(key_for(site, cross, host), OK,
                    {address_for(site, cross, host)}, absl::Hours(1));
      stored[index] = true;
    } else {
      const HostCache::Entry* entry =
          big_cache.Lookup(key_for(site, cross, host));
      if (!stored[index]) {
        EXPECT_EQ(entry, nullptr) << "partition leak at step " << i;
      } else {
        ASSERT_NE(entry, nullptr);
        EXPECT_EQ(entry->addresses,
                  std::vector<IPAddress>{address_for(site, cross, host)});
      }
    }
  }
}

TEST_F(HostCacheTest, FullCacheEvictsTheLeastRecentlyUsedEntry) {
  HostCache small(3, loop_.clock());
  HostCache::Key a{"a.example", NetworkAnonymizationKey()};
  HostCache::Key b{"b.example", NetworkAnonymizationKey()};
  HostCache::Key c{"c.example", NetworkAnonymizationKey()};
  HostCache::Key d{"d.example", NetworkAnonymizationKey()};
  small.Set(a, OK, {address_a_}, absl::Seconds(60));
  small.Set(b, OK, {address_a_}, absl::Seconds(60));
  small.Set(c, OK, {address_a_}, absl::Seconds(60));
  ASSERT_NE(small.Lookup(a), nullptr);  // a is now the most recently used
  small.Set(d, OK, {address_a_}, absl::Seconds(60));
  EXPECT_EQ(small.size(), 3u);
  EXPECT_NE(small.Lookup(a), nullptr);
  EXPECT_EQ(small.Lookup(b), nullptr);
  EXPECT_NE(small.Lookup(c), nullptr);
  EXPECT_NE(small.Lookup(d), nullptr);
}

TEST_F(HostCacheTest, FullCacheDropsExpiredEntriesBeforeLiveOnes) {
  HostCache small(2, loop_.clock());
  HostCache::Key short_lived{"short.example", NetworkAnonymizationKey()};
  HostCache::Key long_lived{"long.example", NetworkAnonymizationKey()};
  HostCache::Key newcomer{"new.example", NetworkAnonymizationKey()};
  small.Set(long_lived, OK, {address_a_}, absl::Seconds(600));
  small.Set(short_lived, OK, {address_a_}, absl::Seconds(1));
  loop_.FastForwardBy(absl::Seconds(2));
  // long_lived is the least recently used, but short_lived has expired.
  small.Set(newcomer, OK, {address_a_}, absl::Seconds(600));
  EXPECT_NE(small.Lookup(long_lived), nullptr);
  EXPECT_NE(small.Lookup(newcomer), nullptr);
}

TEST_F(HostCacheTest, ClearEmptiesTheCache) {
  cache_.Set({"a.example", NetworkAnonymizationKey()}, OK, {address_a_},
             absl::Seconds(60));
  cache_.Clear();
  EXPECT_EQ(cache_.size(), 0u);
  EXPECT_EQ(cache_.Lookup({"a.example", NetworkAnonymizationKey()}), nullptr);
}

}  // namespace
}  // namespace net
