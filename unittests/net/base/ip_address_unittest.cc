#include "net/base/ip_address.h"

#include "gtest/gtest.h"

namespace net {
namespace {

struct LiteralCase {
  const char* literal;
  bool valid;
  size_t size;
  const char* canonical;
};

class IPAddressFromStringTest : public testing::TestWithParam<LiteralCase> {};

TEST_P(IPAddressFromStringTest, ParsesStrictLiterals) {
  const LiteralCase& c = GetParam();
  const std::optional<IPAddress> address = IPAddress::FromString(c.literal);
  ASSERT_EQ(address.has_value(), c.valid) << c.literal;
  if (address) {
    EXPECT_EQ(address->size(), c.size);
    EXPECT_EQ(address->ToString(), c.canonical);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    IPAddressFromStringTest,
    testing::Values(
        LiteralCase{"192.0.2.1", true, 4, "192.0.2.1"},
        LiteralCase{"0.0.0.0", true, 4, "0.0.0.0"},
        LiteralCase{"255.255.255.255", true, 4, "255.255.255.255"},
        LiteralCase{"::1", true, 16, "::1"},
        LiteralCase{"2001:DB8:0:0:0:0:0:1", true, 16, "2001:db8::1"},
        LiteralCase{"::ffff:192.0.2.1", true, 16, "::ffff:192.0.2.1"},
        LiteralCase{"256.0.0.1", false, 0, ""},
        LiteralCase{"127.1", false, 0, ""},
        LiteralCase{"1.2.3", false, 0, ""},
        LiteralCase{"[::1]", false, 0, ""},
        LiteralCase{"fe80::1%eth0", false, 0, ""},
        LiteralCase{"example.com", false, 0, ""},
        LiteralCase{"", false, 0, ""}));

TEST(IPAddressTest, EmbeddedNulIsRejected) {
  EXPECT_FALSE(IPAddress::FromString(std::string_view("1.2.3.4\0junk", 12)));
}

TEST(IPAddressTest, FromBytesNeedsFourOrSixteen) {
  const uint8_t v4[] = {10, 0, 0, 1};
  EXPECT_EQ(IPAddress::FromBytes(v4)->ToString(), "10.0.0.1");
  const uint8_t three[] = {1, 2, 3};
  EXPECT_FALSE(IPAddress::FromBytes(three));
  EXPECT_FALSE(IPAddress::FromBytes({}));
}

TEST(IPAddressTest, Predicates) {
  EXPECT_TRUE(IPAddress::IPv4Localhost().IsLoopback());
  EXPECT_TRUE(IPAddress(127, 9, 9, 9).IsLoopback());
  EXPECT_TRUE(IPAddress::IPv6Localhost().IsLoopback());
  EXPECT_FALSE(IPAddress(10, 0, 0, 1).IsLoopback());
  EXPECT_TRUE(IPAddress::IPv4AllZeros().IsZero());
  EXPECT_FALSE(IPAddress().IsZero());
  EXPECT_FALSE(IPAddress().IsValid());
  EXPECT_EQ(IPAddress().ToString(), "");
}

TEST(IPAddressTest, OrdersIPv4BeforeIPv6) {
  EXPECT_LT(IPAddress(255, 255, 255, 255), IPAddress::IPv6Localhost());
  EXPECT_LT(IPAddress(1, 2, 3, 4), IPAddress(1, 2, 3, 5));
}

}  // namespace
}  // namespace net
