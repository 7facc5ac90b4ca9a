#ifndef NET_BASE_IP_ENDPOINT_H_
#define NET_BASE_IP_ENDPOINT_H_

#include <sys/socket.h>

#include <compare>
#include <cstdint>
#include <string>

#include "net/base/ip_address.h"

namespace net {

// An IP address and a port: where a socket connects or listens. Converts to and
// from the sockaddr structures the socket calls take. A value type.
class IPEndPoint {
 public:
  IPEndPoint() = default;
  IPEndPoint(IPAddress address, uint16_t port);

  const IPAddress& address() const { return address_; }
  uint16_t port() const { return port_; }

  // AF_INET, AF_INET6, or AF_UNSPEC for an endpoint without a valid address.
  int GetFamily() const;

  // Fills `address` (which has room for *address_length bytes, normally a
  // sockaddr_storage) with a sockaddr_in or sockaddr_in6 and sets
  // *address_length to its size. False if the endpoint has no valid address or
  // the buffer is too small.
  bool ToSockAddr(struct sockaddr* address, socklen_t* address_length) const;

  // Reads a sockaddr_in or sockaddr_in6 of `address_length` bytes. False (and
  // the endpoint unchanged) for another family or a short buffer.
  bool FromSockAddr(const struct sockaddr* address, socklen_t address_length);

  // "192.0.2.1:80", "[2001:db8::1]:443"; "" for an endpoint without an address.
  std::string ToString() const;

  friend auto operator<=>(const IPEndPoint&, const IPEndPoint&) = default;
  friend bool operator==(const IPEndPoint&, const IPEndPoint&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const IPEndPoint& endpoint) {
    return H::combine(std::move(h), endpoint.address_, endpoint.port_);
  }

 private:
  IPAddress address_;
  uint16_t port_ = 0;
};

}  // namespace net

#endif  // NET_BASE_IP_ENDPOINT_H_
