#ifndef NET_BASE_NETWORK_ANONYMIZATION_KEY_H_
#define NET_BASE_NETWORK_ANONYMIZATION_KEY_H_

#include <compare>
#include <string>

#include "net/base/schemeful_site.h"

namespace net {

// The partition a connection belongs to: the top-frame site and whether the
// frame that made the request is cross-site with it (Chromium's "2.5-keyed"
// NAK). Socket groups, the host cache and the TLS session cache are all keyed
// on it. An empty key means partitioning is off (an embedder like a WebView). A
// value type.
class NetworkAnonymizationKey {
 public:
  // The empty key.
  NetworkAnonymizationKey() = default;
  NetworkAnonymizationKey(SchemefulSite top_frame_site, bool is_cross_site);

  static NetworkAnonymizationKey CreateSameSite(const SchemefulSite& site) {
    return NetworkAnonymizationKey(site, false);
  }
  static NetworkAnonymizationKey CreateCrossSite(const SchemefulSite& site) {
    return NetworkAnonymizationKey(site, true);
  }

  bool IsEmpty() const { return top_frame_site_.is_empty(); }
  // An opaque top-frame site makes the key transient: never worth caching
  // under.
  bool IsTransient() const { return top_frame_site_.opaque(); }

  const SchemefulSite& top_frame_site() const { return top_frame_site_; }
  bool is_cross_site() const { return is_cross_site_; }

  // "https://top.example same_site", "https://top.example cross_site", or
  // "null" for the empty key: the form used in group-key strings and NetLog.
  std::string ToDebugString() const;

  friend auto operator<=>(const NetworkAnonymizationKey&,
                          const NetworkAnonymizationKey&) = default;
  friend bool operator==(const NetworkAnonymizationKey&,
                         const NetworkAnonymizationKey&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const NetworkAnonymizationKey& key) {
    return H::combine(std::move(h), key.top_frame_site_, key.is_cross_site_);
  }

 private:
  SchemefulSite top_frame_site_;
  bool is_cross_site_ = false;
};

}  // namespace net

#endif  // NET_BASE_NETWORK_ANONYMIZATION_KEY_H_
