#include "net/base/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>

namespace net {

IPAddress::IPAddress(uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
    : size_(kIPv4AddressSize), bytes_{b0, b1, b2, b3} {}

// static
std::optional<IPAddress> IPAddress::FromBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kIPv4AddressSize && bytes.size() != kIPv6AddressSize)
    return std::nullopt;
  IPAddress address;
  address.size_ = bytes.size();
  std::copy(bytes.begin(), bytes.end(), address.bytes_.begin());
  return address;
}

// static
std::optional<IPAddress> IPAddress::FromString(std::string_view literal) {
  // inet_pton needs a NUL-terminated string; an embedded NUL must not truncate
  // the input into something valid.
  if (literal.empty() || literal.size() > INET6_ADDRSTRLEN ||
      literal.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string text(literal);
  IPAddress address;
  if (text.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, text.c_str(), address.bytes_.data()) != 1)
      return std::nullopt;
    address.size_ = kIPv4AddressSize;
  } else {
    if (inet_pton(AF_INET6, text.c_str(), address.bytes_.data()) != 1)
      return std::nullopt;
    address.size_ = kIPv6AddressSize;
  }
  return address;
}

// static
IPAddress IPAddress::IPv6Localhost() {
  IPAddress address;
  address.size_ = kIPv6AddressSize;
  address.bytes_[15] = 1;
  return address;
}

bool IPAddress::IsLoopback() const {
  if (IsIPv4())
    return bytes_[0] == 127;
  return *this == IPv6Localhost();
}

bool IPAddress::IsZero() const {
  return IsValid() && std::all_of(bytes_.begin(), bytes_.begin() + size_,
                                  [](uint8_t b) { return b == 0; });
}

std::string IPAddress::ToString() const {
  if (!IsValid())
    return std::string();
  char buffer[INET6_ADDRSTRLEN] = {};
  const char* result = inet_ntop(IsIPv4() ? AF_INET : AF_INET6, bytes_.data(),
                                 buffer, sizeof(buffer));
  return result ? std::string(result) : std::string();
}

}  // namespace net
