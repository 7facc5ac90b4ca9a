#include "net/base/origin.h"

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "net/base/url.h"

namespace net {
namespace {

struct OriginCase {
  const char* url;
  const char* serialized;
  const char* scheme;
  const char* host;
  uint16_t port;
};

class OriginFromUrlTest : public testing::TestWithParam<OriginCase> {};

TEST_P(OriginFromUrlTest, TakesSchemeHostAndEffectivePort) {
  const OriginCase& c = GetParam();
  const Origin origin = Origin::Create(Url::Parse(c.url));
  EXPECT_FALSE(origin.opaque());
  EXPECT_EQ(origin.Serialize(), c.serialized);
  EXPECT_EQ(origin.scheme(), c.scheme);
  EXPECT_EQ(origin.host(), c.host);
  EXPECT_EQ(origin.port(), c.port);
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    OriginFromUrlTest,
    testing::Values(OriginCase{"https://a.example/x?y#z", "https://a.example",
                               "https", "a.example", 443},
                    OriginCase{"http://a.example:8080/",
                               "http://a.example:8080", "http", "a.example",
                               8080},
                    OriginCase{"https://a.example:443/", "https://a.example",
                               "https", "a.example", 443},
                    OriginCase{"http://[::1]:8080/", "http://[::1]:8080",
                               "http", "::1", 8080},
                    OriginCase{"wss://a.example/", "wss://a.example", "wss",
                               "a.example", 443},
                    OriginCase{"https://b\xC3\xBC"
                               "cher.example/",
                               "https://xn--bcher-kva.example", "https",
                               "xn--bcher-kva.example", 443}));

TEST(OriginTest, SameOriginNeedsSchemeHostAndPortEqual) {
  const Origin origin = Origin::Create(Url::Parse("https://a.example/"));
  EXPECT_TRUE(origin.IsSameOriginWith(Url::Parse("https://a.example:443/p")));
  EXPECT_FALSE(origin.IsSameOriginWith(Url::Parse("http://a.example/")));
  EXPECT_FALSE(origin.IsSameOriginWith(Url::Parse("https://b.a.example/")));
  EXPECT_FALSE(origin.IsSameOriginWith(Url::Parse("https://a.example:444/")));
  EXPECT_TRUE(origin.IsSameOriginWith(
      Origin::Create(Url::Parse("https://A.EXAMPLE/other"))));
}

TEST(OriginTest, InvalidUrlGivesOpaqueOrigin) {
  const Origin origin = Origin::Create(Url::Parse("ftp://a.example/"));
  EXPECT_TRUE(origin.opaque());
  EXPECT_EQ(origin.Serialize(), "null");
  EXPECT_EQ(origin.host(), "");
}

TEST(OriginTest, OpaqueOriginsAreEqualOnlyToThemselves) {
  const Origin first;
  const Origin second = Origin::CreateOpaque();
  const Origin copy = first;
  EXPECT_TRUE(first.opaque());
  EXPECT_EQ(first, copy);
  EXPECT_NE(first, second);
  EXPECT_FALSE(first.IsSameOriginWith(second));
  EXPECT_FALSE(first.IsSameOriginWith(Url::Parse("https://a.example/")));
}

TEST(OriginTest, HashesDistinguishOrigins) {
  absl::flat_hash_set<Origin> set;
  set.insert(Origin::Create(Url::Parse("https://a.example/")));
  set.insert(Origin::Create(Url::Parse("https://a.example:443/other")));
  set.insert(Origin::Create(Url::Parse("http://a.example/")));
  set.insert(Origin());
  set.insert(Origin());
  EXPECT_EQ(set.size(), 4u);
}

}  // namespace
}  // namespace net
