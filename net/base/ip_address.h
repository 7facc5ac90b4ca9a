#ifndef NET_BASE_IP_ADDRESS_H_
#define NET_BASE_IP_ADDRESS_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace net {

// An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order, or the
// empty (invalid) address. Parsing and printing go through inet_pton/inet_ntop,
// so the text form is the system's canonical one (IPv6 compressed, lowercase,
// RFC 5952 style). A value type, cheap to copy.
class IPAddress {
 public:
  static constexpr size_t kIPv4AddressSize = 4;
  static constexpr size_t kIPv6AddressSize = 16;

  // The empty address: IsValid() is false.
  IPAddress() = default;
  IPAddress(uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3);

  // 4 or 16 bytes; nullopt for any other size.
  static std::optional<IPAddress> FromBytes(std::span<const uint8_t> bytes);
  // "192.0.2.1" or "2001:db8::1" (no brackets, no zone id). Strict: nullopt for
  // anything inet_pton rejects, including legacy IPv4 forms like "127.1".
  static std::optional<IPAddress> FromString(std::string_view literal);

  static IPAddress IPv4Localhost() { return IPAddress(127, 0, 0, 1); }
  static IPAddress IPv6Localhost();
  static IPAddress IPv4AllZeros() { return IPAddress(0, 0, 0, 0); }

  bool IsValid() const { return IsIPv4() || IsIPv6(); }
  bool IsIPv4() const { return size_ == kIPv4AddressSize; }
  bool IsIPv6() const { return size_ == kIPv6AddressSize; }
  bool IsLoopback() const;
  bool IsZero() const;

  size_t size() const { return size_; }
  std::span<const uint8_t> bytes() const { return {bytes_.data(), size_}; }

  // The canonical text form without brackets; "" for the empty address.
  std::string ToString() const;

  friend auto operator<=>(const IPAddress&, const IPAddress&) = default;
  friend bool operator==(const IPAddress&, const IPAddress&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const IPAddress& address) {
    return H::combine(std::move(h), address.bytes_, address.size_);
  }

 private:
  // Size first so that IPv4 addresses order before IPv6 ones.
  size_t size_ = 0;
  std::array<uint8_t, kIPv6AddressSize> bytes_{};
};

}  // namespace net

#endif  // NET_BASE_IP_ADDRESS_H_
