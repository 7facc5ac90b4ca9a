#include "socket_pool/group_id.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "gtest/gtest.h"
#include "net/base/url.h"

namespace net {
namespace {

SchemefulSite Site(const char* url) {
  return SchemefulSite(Url::Parse(url));
}

TEST(GroupIdTest, ToStringMatchesChromiumFormatWithPrivacyPrefixAndNak) {
  GroupId id(
      "https", HostPortPair("a.example", 443), PrivacyMode::kEnabled,
      NetworkAnonymizationKey::CreateCrossSite(Site("https://top.example/")));
  EXPECT_EQ(id.ToString(),
            "pm/https://a.example:443 <https://top.example cross_site>");
}

TEST(GroupIdTest, ToStringPrintsEachPrivacyModePrefix) {
  NetworkAnonymizationKey nak =
      NetworkAnonymizationKey::CreateSameSite(Site("https://a.example/"));
  HostPortPair destination("a.example", 443);
  EXPECT_EQ(
      GroupId("https", destination, PrivacyMode::kDisabled, nak).ToString(),
      "https://a.example:443 <https://a.example same_site>");
  EXPECT_EQ(GroupId("https", destination,
                    PrivacyMode::kEnabledWithoutClientCerts, nak)
                .ToString(),
            "pmwocc/https://a.example:443 <https://a.example same_site>");
  EXPECT_EQ(GroupId("https", destination,
                    PrivacyMode::kEnabledPartitionedStateAllowed, nak)
                .ToString(),
            "pmpsa/https://a.example:443 <https://a.example same_site>");
}

TEST(GroupIdTest, EmptyNakPrintsAsNullInAngleBrackets) {
  GroupId id("http", HostPortPair("a.example", 80), PrivacyMode::kDisabled,
             NetworkAnonymizationKey());
  EXPECT_EQ(id.ToString(), "http://a.example:80 <null>");
}

TEST(GroupIdTest, IPv6DestinationIsBracketed) {
  GroupId id("https", HostPortPair("::1", 8443), PrivacyMode::kDisabled,
             NetworkAnonymizationKey());
  EXPECT_EQ(id.ToString(), "https://[::1]:8443 <null>");
}

TEST(GroupIdTest, EveryFieldSeparatesKeysInOrderAndHash) {
  std::vector<GroupId> ids;
  for (const char* scheme : {"http", "https"}) {
    for (const HostPortPair& destination :
         {HostPortPair("a.example", 80), HostPortPair("a.example", 443),
          HostPortPair("b.example", 80)}) {
      for (PrivacyMode mode : {PrivacyMode::kDisabled, PrivacyMode::kEnabled,
                               PrivacyMode::kEnabledWithoutClientCerts,
                               PrivacyMode::kEnabledPartitionedStateAllowed}) {
        for (const NetworkAnonymizationKey& nak :
             {NetworkAnonymizationKey(),
              NetworkAnonymizationKey::CreateSameSite(
                  Site("https://top.example/")),
              NetworkAnonymizationKey::CreateCrossSite(
                  Site("https://top.example/")),
              NetworkAnonymizationKey::CreateSameSite(
                  Site("https://other.example/"))}) {
          ids.emplace_back(scheme, destination, mode, nak);
        }
      }
    }
  }
  absl::flat_hash_set<GroupId> hashed(ids.begin(), ids.end());
  std::set<GroupId> ordered(ids.begin(), ids.end());
  std::set<std::string> strings;
  for (const GroupId& id : ids)
    strings.insert(id.ToString());
  EXPECT_EQ(hashed.size(), ids.size());
  EXPECT_EQ(ordered.size(), ids.size());
  EXPECT_EQ(strings.size(), ids.size());
}

TEST(GroupIdTest, DifferenceFromNamesPrivacyModeAndNakFields) {
  SchemefulSite top = Site("https://top.example/");
  SchemefulSite other = Site("https://other.example/");
  HostPortPair destination("a.example", 443);
  GroupId base("https", destination, PrivacyMode::kDisabled,
               NetworkAnonymizationKey::CreateSameSite(top));

  GroupId::KeyDifference mode = base.DifferenceFrom(
      GroupId("https", destination, PrivacyMode::kEnabled,
              NetworkAnonymizationKey::CreateSameSite(top)));
  EXPECT_TRUE(mode.privacy_mode);
  EXPECT_FALSE(mode.top_frame_site);
  EXPECT_FALSE(mode.is_cross_site);
  EXPECT_EQ(mode.ToString(), "privacy_mode");

  GroupId::KeyDifference cross = base.DifferenceFrom(
      GroupId("https", destination, PrivacyMode::kDisabled,
              NetworkAnonymizationKey::CreateCrossSite(top)));
  EXPECT_EQ(cross.ToString(), "is_cross_site");

  GroupId::KeyDifference all = base.DifferenceFrom(
      GroupId("https", destination, PrivacyMode::kEnabled,
              NetworkAnonymizationKey::CreateCrossSite(other)));
  EXPECT_EQ(all.ToString(), "privacy_mode+top_frame_site+is_cross_site");
  EXPECT_FALSE(base.DifferenceFrom(base).any());
  EXPECT_EQ(base.DifferenceFrom(base).ToString(), "none");
}

TEST(GroupIdTest, SameOriginIgnoresPrivacyModeAndNakButNotPortOrScheme) {
  GroupId a("https", HostPortPair("a.example", 443), PrivacyMode::kDisabled,
            NetworkAnonymizationKey());
  GroupId a_private(
      "https", HostPortPair("a.example", 443), PrivacyMode::kEnabled,
      NetworkAnonymizationKey::CreateCrossSite(Site("https://top.example/")));
  GroupId other_port("https", HostPortPair("a.example", 8443),
                     PrivacyMode::kDisabled, NetworkAnonymizationKey());
  GroupId other_scheme("http", HostPortPair("a.example", 443),
                       PrivacyMode::kDisabled, NetworkAnonymizationKey());
  EXPECT_TRUE(a.IsSameOriginAs(a_private));
  EXPECT_FALSE(a.IsSameOriginAs(other_port));
  EXPECT_FALSE(a.IsSameOriginAs(other_scheme));
}

TEST(GroupIdTest, InvalidReasonNamesTheBadField) {
  EXPECT_EQ(GroupId("https", HostPortPair("a.example", 443),
                    PrivacyMode::kDisabled, NetworkAnonymizationKey())
                .InvalidReason(),
            "");
  EXPECT_NE(GroupId("ftp", HostPortPair("a.example", 21),
                    PrivacyMode::kDisabled, NetworkAnonymizationKey())
                .InvalidReason()
                .find("unsupported scheme 'ftp'"),
            std::string::npos);
  EXPECT_EQ(GroupId("https", HostPortPair("", 443), PrivacyMode::kDisabled,
                    NetworkAnonymizationKey())
                .InvalidReason(),
            "empty destination host");
  EXPECT_NE(GroupId("https", HostPortPair("a.example", 0),
                    PrivacyMode::kDisabled, NetworkAnonymizationKey())
                .InvalidReason()
                .find("port 0"),
            std::string::npos);
}

TEST(GroupIdTest, WithoutNetworkAnonymizationKeyClearsOnlyTheNak) {
  GroupId id(
      "https", HostPortPair("a.example", 443), PrivacyMode::kEnabled,
      NetworkAnonymizationKey::CreateCrossSite(Site("https://top.example/")));
  GroupId cleared = id.WithoutNetworkAnonymizationKey();
  EXPECT_TRUE(cleared.network_anonymization_key().IsEmpty());
  EXPECT_EQ(cleared.privacy_mode(), PrivacyMode::kEnabled);
  EXPECT_EQ(cleared.destination(), id.destination());
  EXPECT_EQ(cleared.scheme(), "https");
}

// The hash is cached at construction; equal keys built apart, copies and the
// moved-from side of a move must all keep hash and equality in step.
TEST(GroupIdTest, CachedHashFollowsTheValue) {
  auto make = [] {
    return GroupId(
        "https", HostPortPair("a.example", 443), PrivacyMode::kEnabled,
        NetworkAnonymizationKey::CreateSameSite(Site("https://top.example/")));
  };
  GroupId a = make();
  GroupId b = make();
  EXPECT_EQ(a, b);
  EXPECT_EQ(absl::HashOf(a), absl::HashOf(b));

  GroupId copy = a;
  EXPECT_EQ(copy, a);
  EXPECT_EQ(absl::HashOf(copy), absl::HashOf(a));

  GroupId moved = std::move(copy);
  EXPECT_EQ(moved, a);
  EXPECT_EQ(copy, GroupId());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(absl::HashOf(copy), absl::HashOf(GroupId()));
  EXPECT_EQ(GroupId(), GroupId("", HostPortPair(), PrivacyMode::kDisabled,
                               NetworkAnonymizationKey()));
  EXPECT_EQ(absl::HashOf(GroupId()),
            absl::HashOf(GroupId("", HostPortPair(), PrivacyMode::kDisabled,
                                 NetworkAnonymizationKey())));

  GroupId assigned;
  assigned = std::move(b);
  EXPECT_EQ(assigned, a);
  EXPECT_EQ(b, GroupId());  // NOLINT(bugprone-use-after-move)

  // Ordering is by the fields, not by the hash.
  GroupId http("http", HostPortPair("z.example", 80), PrivacyMode::kDisabled,
               NetworkAnonymizationKey());
  EXPECT_LT(http, a);
}

}  // namespace
}  // namespace net
