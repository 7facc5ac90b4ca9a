#include "net/base/network_anonymization_key.h"

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "net/base/url.h"

namespace net {
namespace {

SchemefulSite SiteOf(const char* url) {
  return SchemefulSite(Url::Parse(url));
}

TEST(NetworkAnonymizationKeyTest, EmptyKeyMeansNoPartitioning) {
  const NetworkAnonymizationKey key;
  EXPECT_TRUE(key.IsEmpty());
  EXPECT_FALSE(key.IsTransient());
  EXPECT_FALSE(key.is_cross_site());
  EXPECT_EQ(key.ToDebugString(), "null");
}

TEST(NetworkAnonymizationKeyTest, SameSiteKeyDebugString) {
  const NetworkAnonymizationKey key = NetworkAnonymizationKey::CreateSameSite(
      SiteOf("https://www.top.example/"));
  EXPECT_FALSE(key.IsEmpty());
  EXPECT_FALSE(key.is_cross_site());
  EXPECT_EQ(key.ToDebugString(), "https://top.example same_site");
}

TEST(NetworkAnonymizationKeyTest, CrossSiteKeyDebugString) {
  const NetworkAnonymizationKey key =
      NetworkAnonymizationKey::CreateCrossSite(SiteOf("https://top.example/"));
  EXPECT_TRUE(key.is_cross_site());
  EXPECT_EQ(key.ToDebugString(), "https://top.example cross_site");
}

TEST(NetworkAnonymizationKeyTest, CrossSiteBitSeparatesKeys) {
  const SchemefulSite top = SiteOf("https://top.example/");
  EXPECT_NE(NetworkAnonymizationKey::CreateSameSite(top),
            NetworkAnonymizationKey::CreateCrossSite(top));
}

TEST(NetworkAnonymizationKeyTest, KeysOfSameSiteFramesAreEqual) {
  // Two hosts of one site give one partition.
  EXPECT_EQ(
      NetworkAnonymizationKey::CreateSameSite(SiteOf("https://a.top.example/")),
      NetworkAnonymizationKey::CreateSameSite(
          SiteOf("https://b.top.example/")));
}

TEST(NetworkAnonymizationKeyTest, PrivateRegistryTopFramesGiveDifferentKeys) {
  EXPECT_NE(
      NetworkAnonymizationKey::CreateSameSite(SiteOf("https://a.github.io/")),
      NetworkAnonymizationKey::CreateSameSite(SiteOf("https://b.github.io/")));
}

TEST(NetworkAnonymizationKeyTest, EmptySiteCannotBeCrossSite) {
  const NetworkAnonymizationKey key(SchemefulSite(), true);
  EXPECT_TRUE(key.IsEmpty());
  EXPECT_FALSE(key.is_cross_site());
  EXPECT_EQ(key, NetworkAnonymizationKey());
}

TEST(NetworkAnonymizationKeyTest, OpaqueTopFrameMakesTransientKey) {
  const NetworkAnonymizationKey key =
      NetworkAnonymizationKey::CreateSameSite(SiteOf("javascript:void(0)"));
  EXPECT_TRUE(key.IsTransient());
  EXPECT_FALSE(key.IsEmpty());
  EXPECT_EQ(key.ToDebugString(), "null same_site");
}

TEST(NetworkAnonymizationKeyTest, HashSetKeepsDistinctKeys) {
  const SchemefulSite top = SiteOf("https://top.example/");
  absl::flat_hash_set<NetworkAnonymizationKey> keys = {
      NetworkAnonymizationKey(),
      NetworkAnonymizationKey::CreateSameSite(top),
      NetworkAnonymizationKey::CreateCrossSite(top),
      NetworkAnonymizationKey::CreateSameSite(
          SiteOf("https://www.top.example/")),
  };
  EXPECT_EQ(keys.size(), 3u);
}

}  // namespace
}  // namespace net
