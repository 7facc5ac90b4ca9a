#ifndef NET_BASE_HOST_PORT_PAIR_H_
#define NET_BASE_HOST_PORT_PAIR_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace net {

class Url;

// A host (canonical name or IP literal, IPv6 without brackets) and a port. A
// value type.
class HostPortPair {
 public:
  HostPortPair() = default;
  HostPortPair(std::string host, uint16_t port);

  // The host and effective port of a valid URL.
  static HostPortPair FromUrl(const Url& url);

  // Parses "host:port", "[v6]:port". nullopt for anything else (missing or bad
  // port, empty host, unbalanced brackets).
  static std::optional<HostPortPair> FromString(std::string_view text);

  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }
  bool IsEmpty() const { return host_.empty() && port_ == 0; }

  // "host:port", with brackets around an IPv6 host.
  std::string ToString() const;
  // The host with brackets if it is IPv6: the form used in URLs and Host
  // headers.
  std::string HostForUrl() const;

  friend auto operator<=>(const HostPortPair&, const HostPortPair&) = default;
  friend bool operator==(const HostPortPair&, const HostPortPair&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const HostPortPair& pair) {
    return H::combine(std::move(h), pair.host_, pair.port_);
  }

 private:
  std::string host_;
  uint16_t port_ = 0;
};

}  // namespace net

#endif  // NET_BASE_HOST_PORT_PAIR_H_
