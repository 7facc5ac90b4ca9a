#include "net/base/ip_endpoint.h"

#include <netinet/in.h>

#include "gtest/gtest.h"

namespace net {
namespace {

TEST(IPEndPointTest, IPv4RoundTripsThroughSockAddr) {
  const IPEndPoint endpoint(IPAddress(192, 0, 2, 7), 8080);
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  ASSERT_TRUE(
      endpoint.ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length));
  EXPECT_EQ(length, sizeof(sockaddr_in));
  EXPECT_EQ(storage.ss_family, AF_INET);
  const auto* addr4 = reinterpret_cast<const sockaddr_in*>(&storage);
  EXPECT_EQ(ntohs(addr4->sin_port), 8080);

  IPEndPoint parsed;
  ASSERT_TRUE(
      parsed.FromSockAddr(reinterpret_cast<sockaddr*>(&storage), length));
  EXPECT_EQ(parsed, endpoint);
  EXPECT_EQ(parsed.GetFamily(), AF_INET);
  EXPECT_EQ(parsed.ToString(), "192.0.2.7:8080");
}

TEST(IPEndPointTest, IPv6RoundTripsThroughSockAddr) {
  const IPEndPoint endpoint(*IPAddress::FromString("2001:db8::5"), 443);
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  ASSERT_TRUE(
      endpoint.ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length));
  EXPECT_EQ(length, sizeof(sockaddr_in6));
  IPEndPoint parsed;
  ASSERT_TRUE(
      parsed.FromSockAddr(reinterpret_cast<sockaddr*>(&storage), length));
  EXPECT_EQ(parsed, endpoint);
  EXPECT_EQ(parsed.GetFamily(), AF_INET6);
  EXPECT_EQ(parsed.ToString(), "[2001:db8::5]:443");
}

TEST(IPEndPointTest, ToSockAddrFailsWithoutAddressOrRoom) {
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  EXPECT_FALSE(
      IPEndPoint().ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length));
  length = sizeof(sockaddr_in) - 1;
  EXPECT_FALSE(IPEndPoint(IPAddress::IPv4Localhost(), 1)
                   .ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length));
  length = sizeof(sockaddr_in);
  EXPECT_FALSE(IPEndPoint(IPAddress::IPv6Localhost(), 1)
                   .ToSockAddr(reinterpret_cast<sockaddr*>(&storage), &length));
}

TEST(IPEndPointTest, FromSockAddrRejectsOtherFamiliesAndShortBuffers) {
  const IPEndPoint original(IPAddress(10, 0, 0, 1), 99);
  IPEndPoint endpoint = original;
  sockaddr_storage storage = {};
  storage.ss_family = AF_UNIX;
  EXPECT_FALSE(endpoint.FromSockAddr(reinterpret_cast<sockaddr*>(&storage),
                                     sizeof(storage)));
  storage.ss_family = AF_INET6;
  EXPECT_FALSE(endpoint.FromSockAddr(reinterpret_cast<sockaddr*>(&storage),
                                     sizeof(sockaddr_in)));
  EXPECT_FALSE(endpoint.FromSockAddr(nullptr, 0));
  EXPECT_EQ(endpoint, original);
}

TEST(IPEndPointTest, EmptyEndPoint) {
  EXPECT_EQ(IPEndPoint().GetFamily(), AF_UNSPEC);
  EXPECT_EQ(IPEndPoint().ToString(), "");
}

}  // namespace
}  // namespace net
