#include "net/base/ip_endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <utility>

namespace net {

IPEndPoint::IPEndPoint(IPAddress address, uint16_t port)
    : address_(std::move(address)), port_(port) {}

int IPEndPoint::GetFamily() const {
  if (address_.IsIPv4())
    return AF_INET;
  if (address_.IsIPv6())
    return AF_INET6;
  return AF_UNSPEC;
}

bool IPEndPoint::ToSockAddr(struct sockaddr* address,
                            socklen_t* address_length) const {
  if (address_.IsIPv4()) {
    if (*address_length < static_cast<socklen_t>(sizeof(sockaddr_in)))
      return false;
    sockaddr_in addr4;
    std::memset(&addr4, 0, sizeof(addr4));
    addr4.sin_family = AF_INET;
    addr4.sin_port = htons(port_);
    std::memcpy(&addr4.sin_addr, address_.bytes().data(),
                IPAddress::kIPv4AddressSize);
    std::memcpy(address, &addr4, sizeof(addr4));
    *address_length = sizeof(addr4);
    return true;
  }
  if (address_.IsIPv6()) {
    if (*address_length < static_cast<socklen_t>(sizeof(sockaddr_in6)))
      return false;
    sockaddr_in6 addr6;
    std::memset(&addr6, 0, sizeof(addr6));
    addr6.sin6_family = AF_INET6;
    addr6.sin6_port = htons(port_);
    std::memcpy(&addr6.sin6_addr, address_.bytes().data(),
                IPAddress::kIPv6AddressSize);
    std::memcpy(address, &addr6, sizeof(addr6));
    *address_length = sizeof(addr6);
    return true;
  }
  return false;
}

bool IPEndPoint::FromSockAddr(const struct sockaddr* address,
                              socklen_t address_length) {
  if (address == nullptr ||
      address_length < static_cast<socklen_t>(sizeof(sa_family_t))) {
    return false;
  }
  // Copy out rather than cast: the caller's buffer need not be aligned for the
  // concrete sockaddr type.
  if (address->sa_family == AF_INET &&
      address_length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in addr4;
    std::memcpy(&addr4, address, sizeof(addr4));
    address_ = *IPAddress::FromBytes(std::span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(&addr4.sin_addr),
        IPAddress::kIPv4AddressSize));
    port_ = ntohs(addr4.sin_port);
    return true;
  }
  if (address->sa_family == AF_INET6 &&
      address_length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 addr6;
    std::memcpy(&addr6, address, sizeof(addr6));
    address_ = *IPAddress::FromBytes(std::span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(&addr6.sin6_addr),
        IPAddress::kIPv6AddressSize));
    port_ = ntohs(addr6.sin6_port);
    return true;
  }
  return false;
}

std::string IPEndPoint::ToString() const {
  if (!address_.IsValid())
    return std::string();
  const std::string host = address_.ToString();
  const std::string port = std::to_string(port_);
  if (address_.IsIPv6())
    return "[" + host + "]:" + port;
  return host + ":" + port;
}

}  // namespace net
