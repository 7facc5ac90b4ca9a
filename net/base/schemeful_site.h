#ifndef NET_BASE_SCHEMEFUL_SITE_H_
#define NET_BASE_SCHEMEFUL_SITE_H_

#include <compare>
#include <cstdint>
#include <string>

namespace net {

class Origin;
class Url;

// A site: scheme plus registrable domain (eTLD+1), per docs/pool-selection.md
// section 1. The registrable domain comes from the system Public Suffix List
// through libpsl, private section included, so a.github.io and b.github.io are
// different sites. An IP literal, "localhost", or a host that is itself a
// public suffix gives the host itself. The port is ignored; ws maps to http and
// wss to https. An opaque origin or an invalid URL gives an opaque site, equal
// only to itself. A value type.
class SchemefulSite {
 public:
  SchemefulSite() = default;  // The empty site: is_empty() is true.
  explicit SchemefulSite(const Origin& origin);
  explicit SchemefulSite(const Url& url);

  bool is_empty() const { return scheme_.empty() && nonce_ == 0; }
  bool opaque() const { return nonce_ != 0; }

  const std::string& scheme() const { return scheme_; }
  // The registrable domain (or the host itself, see above).
  const std::string& registrable_domain() const { return registrable_domain_; }

  // "https://news.example"; "null" if opaque; "" if empty.
  std::string Serialize() const;

  friend auto operator<=>(const SchemefulSite&, const SchemefulSite&) = default;
  friend bool operator==(const SchemefulSite&, const SchemefulSite&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const SchemefulSite& s) {
    return H::combine(std::move(h), s.scheme_, s.registrable_domain_, s.nonce_);
  }

 private:
  std::string scheme_;
  std::string registrable_domain_;
  uint64_t nonce_ = 0;
};

}  // namespace net

#endif  // NET_BASE_SCHEMEFUL_SITE_H_
