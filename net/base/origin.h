#ifndef NET_BASE_ORIGIN_H_
#define NET_BASE_ORIGIN_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace net {

class Url;

// A web origin: (scheme, host, port) of a valid URL, or an opaque origin that
// is equal only to itself (an invalid URL's origin, or a sandboxed frame's). A
// value type.
class Origin {
 public:
  // A new opaque origin, distinct from every other.
  Origin();

  static Origin Create(const Url& url);
  static Origin CreateOpaque() { return Origin(); }

  bool opaque() const { return nonce_ != 0; }
  const std::string& scheme() const { return scheme_; }
  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }

  bool IsSameOriginWith(const Origin& other) const { return *this == other; }
  bool IsSameOriginWith(const Url& url) const;

  // "https://a.example" (default port omitted), "http://[::1]:8080"; "null" if
  // opaque.
  std::string Serialize() const;

  friend auto operator<=>(const Origin&, const Origin&) = default;
  friend bool operator==(const Origin&, const Origin&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const Origin& o) {
    return H::combine(std::move(h), o.scheme_, o.host_, o.port_, o.nonce_);
  }

 private:
  // The site of an opaque origin shares its nonce.
  friend class SchemefulSite;

  Origin(std::string scheme, std::string host, uint16_t port);

  std::string scheme_;
  std::string host_;
  uint16_t port_ = 0;
  uint64_t nonce_ = 0;  // Non-zero for opaque origins.
};

}  // namespace net

#endif  // NET_BASE_ORIGIN_H_
