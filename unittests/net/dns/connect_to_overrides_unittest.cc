#include "net/dns/connect_to_overrides.h"

#include <string>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"

namespace net {
namespace {

ConnectToOverrides ParseOrDie(const std::string& text) {
  ConnectToOverrides overrides;
  std::string error;
  EXPECT_EQ(ConnectToOverrides::Parse(text, &overrides, &error), OK) << error;
  return overrides;
}

TEST(ConnectToOverridesTest, LogicalOriginIsSentToALocalPort) {
  ConnectToOverrides overrides = ParseOrDie("news.example:443:127.0.0.1:41234");
  std::optional<HostPortPair> target =
      overrides.Apply(HostPortPair("news.example", 443));
  ASSERT_TRUE(target);
  EXPECT_EQ(*target, HostPortPair("127.0.0.1", 41234));
}

TEST(ConnectToOverridesTest, OtherHostsAndPortsAreNotAffected) {
  ConnectToOverrides overrides = ParseOrDie("news.example:443:127.0.0.1:41234");
  EXPECT_FALSE(overrides.Apply(HostPortPair("news.example", 80)));
  EXPECT_FALSE(overrides.Apply(HostPortPair("other.example", 443)));
}

TEST(ConnectToOverridesTest, EmptyFieldsMatchAnyOrKeepTheOriginal) {
  ConnectToOverrides overrides = ParseOrDie("::127.0.0.1:, a.example:80::8080");
  // The first entry matches everything and keeps the port.
  EXPECT_EQ(*overrides.Apply(HostPortPair("x.example", 443)),
            HostPortPair("127.0.0.1", 443));
  ConnectToOverrides only_port = ParseOrDie("a.example:80::8080");
  EXPECT_EQ(*only_port.Apply(HostPortPair("a.example", 80)),
            HostPortPair("a.example", 8080));
}

TEST(ConnectToOverridesTest, FirstMatchingEntryWins) {
  ConnectToOverrides overrides =
      ParseOrDie("a.example:443:127.0.0.1:1000,a.example:443:127.0.0.1:2000");
  EXPECT_EQ(overrides.Apply(HostPortPair("a.example", 443))->port(), 1000);
}

TEST(ConnectToOverridesTest, Ipv6HostsAreBracketed) {
  ConnectToOverrides overrides = ParseOrDie("[::1]:443:[::1]:9443");
  EXPECT_EQ(*overrides.Apply(HostPortPair("::1", 443)),
            HostPortPair("::1", 9443));
}

TEST(ConnectToOverridesTest, HostMatchIsCaseInsensitive) {
  ConnectToOverrides overrides = ParseOrDie("News.Example:443:127.0.0.1:1");
  EXPECT_TRUE(overrides.Apply(HostPortPair("news.example", 443)));
}

class ConnectToOverridesBadInputTest
    : public testing::TestWithParam<const char*> {};

TEST_P(ConnectToOverridesBadInputTest, IsRejectedWithAMessageNamingTheEntry) {
  ConnectToOverrides overrides;
  std::string error;
  EXPECT_EQ(ConnectToOverrides::Parse(GetParam(), &overrides, &error),
            ERR_INVALID_HOST_RESOLVER_RULE);
  EXPECT_NE(error.find("invalid connect-to entry"), std::string::npos) << error;
  EXPECT_TRUE(overrides.empty());
}

INSTANTIATE_TEST_SUITE_P(All,
                         ConnectToOverridesBadInputTest,
                         testing::Values("a.example:443:127.0.0.1",
                                         "a.example:443:127.0.0.1:1:2",
                                         "a.example:0:127.0.0.1:1",
                                         "a.example:443:127.0.0.1:65536",
                                         "a.example:https:127.0.0.1:1",
                                         "a.example:443:[127.0.0.1]:1",
                                         "a.example:443:[::1:1",
                                         "a b:443:127.0.0.1:1",
                                         "a.example:443:1.2.3.4:-1"));

}  // namespace
}  // namespace net
