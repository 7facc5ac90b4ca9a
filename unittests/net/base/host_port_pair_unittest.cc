#include "net/base/host_port_pair.h"

#include "gtest/gtest.h"
#include "net/base/url.h"

namespace net {
namespace {

struct FromStringCase {
  const char* text;
  bool valid;
  const char* host;
  uint16_t port;
};

class HostPortPairFromStringTest
    : public testing::TestWithParam<FromStringCase> {};

TEST_P(HostPortPairFromStringTest, ParsesOrRejects) {
  const FromStringCase& c = GetParam();
  const std::optional<HostPortPair> pair = HostPortPair::FromString(c.text);
  ASSERT_EQ(pair.has_value(), c.valid) << c.text;
  if (pair) {
    EXPECT_EQ(pair->host(), c.host);
    EXPECT_EQ(pair->port(), c.port);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    HostPortPairFromStringTest,
    testing::Values(FromStringCase{"example.com:443", true, "example.com", 443},
                    FromStringCase{"127.0.0.1:8080", true, "127.0.0.1", 8080},
                    FromStringCase{"[::1]:53", true, "::1", 53},
                    FromStringCase{"a.example:0", true, "a.example", 0},
                    FromStringCase{"a.example:65535", true, "a.example", 65535},
                    FromStringCase{"a.example:65536", false, "", 0},
                    FromStringCase{"a.example", false, "", 0},
                    FromStringCase{"a.example:", false, "", 0},
                    FromStringCase{"a.example:http", false, "", 0},
                    FromStringCase{":80", false, "", 0},
                    FromStringCase{"::1:80", false, "", 0},
                    FromStringCase{"[::1:80", false, "", 0},
                    FromStringCase{"user@a.example:80", false, "", 0},
                    FromStringCase{"", false, "", 0}));

TEST(HostPortPairTest, FromUrlUsesEffectivePort) {
  EXPECT_EQ(HostPortPair::FromUrl(Url::Parse("https://a.example/")),
            HostPortPair("a.example", 443));
  EXPECT_EQ(HostPortPair::FromUrl(Url::Parse("http://[::1]:8080/")),
            HostPortPair("::1", 8080));
}

TEST(HostPortPairTest, ToStringBracketsIPv6) {
  EXPECT_EQ(HostPortPair("a.example", 80).ToString(), "a.example:80");
  EXPECT_EQ(HostPortPair("::1", 443).ToString(), "[::1]:443");
  EXPECT_EQ(HostPortPair("::1", 443).HostForUrl(), "[::1]");
  EXPECT_EQ(HostPortPair("a.example", 443).HostForUrl(), "a.example");
}

TEST(HostPortPairTest, ToStringRoundTrips) {
  for (const HostPortPair& pair :
       {HostPortPair("a.example", 1), HostPortPair("2001:db8::1", 65535)}) {
    EXPECT_EQ(HostPortPair::FromString(pair.ToString()), pair);
  }
}

TEST(HostPortPairTest, EmptyAndOrdering) {
  EXPECT_TRUE(HostPortPair().IsEmpty());
  EXPECT_FALSE(HostPortPair("a", 0).IsEmpty());
  EXPECT_LT(HostPortPair("a", 80), HostPortPair("a", 443));
  EXPECT_LT(HostPortPair("a", 443), HostPortPair("b", 80));
}

}  // namespace
}  // namespace net
