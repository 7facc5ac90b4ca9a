#include "net/base/network_anonymization_key.h"

#include <utility>

namespace net {

NetworkAnonymizationKey::NetworkAnonymizationKey(SchemefulSite top_frame_site,
                                                 bool is_cross_site)
    : top_frame_site_(std::move(top_frame_site)),
      // An empty key has no frame to be cross-site with.
      is_cross_site_(top_frame_site_.is_empty() ? false : is_cross_site) {}

std::string NetworkAnonymizationKey::ToDebugString() const {
  if (IsEmpty())
    return "null";
  return top_frame_site_.Serialize() +
         (is_cross_site_ ? " cross_site" : " same_site");
}

}  // namespace net
