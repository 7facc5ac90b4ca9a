#ifndef SOCKET_POOL_GROUP_ID_H_
#define SOCKET_POOL_GROUP_ID_H_

#include <compare>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>

#include "net/base/host_port_pair.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"

namespace net {

// The key of one socket-pool group: (scheme, destination, privacy mode, network
// anonymization key), per docs/pool-selection.md section 1. Two requests share
// sockets only if their GroupIds are equal. An immutable value type; ordered
// and hashable. The hash of the fields is computed once, at construction: the
// pool hashes the key of every request, and hashing its five strings each
// time was a fifth of an idle-socket acquire + release.
class GroupId {
 public:
  // Which key fields differ between two GroupIds of the same origin: the
  // fields a strand diagnostic names (pool-selection.md section 6).
  struct KeyDifference {
    bool privacy_mode = false;
    bool top_frame_site = false;
    bool is_cross_site = false;

    bool any() const { return privacy_mode || top_frame_site || is_cross_site; }
    // "privacy_mode", "top_frame_site", "is_cross_site" joined by '+', or
    // "none".
    std::string ToString() const;
    friend bool operator==(const KeyDifference&,
                           const KeyDifference&) = default;
  };

  GroupId();
  GroupId(std::string scheme,
          HostPortPair destination,
          PrivacyMode privacy_mode,
          NetworkAnonymizationKey network_anonymization_key);
  GroupId(const GroupId&);
  GroupId& operator=(const GroupId&);
  // The moved-from key is left equal to GroupId().
  GroupId(GroupId&& other) noexcept;
  GroupId& operator=(GroupId&& other) noexcept;
  ~GroupId();

  const std::string& scheme() const { return scheme_; }
  const HostPortPair& destination() const { return destination_; }
  PrivacyMode privacy_mode() const { return privacy_mode_; }
  const NetworkAnonymizationKey& network_anonymization_key() const {
    return network_anonymization_key_;
  }

  // Empty when the key can name a group; otherwise why not (unsupported
  // scheme, empty host, port 0). The pool refuses invalid keys with
  // ERR_INVALID_ARGUMENT rather than making a group nobody can reach.
  std::string InvalidReason() const;

  // True if both keys have the same (scheme, host, port).
  bool IsSameOriginAs(const GroupId& other) const;

  // The fields that differ from `other`. Only meaningful for keys of the same
  // origin.
  KeyDifference DifferenceFrom(const GroupId& other) const;

  // The same key with an empty NAK: what the pool uses when connection
  // partitioning is switched off.
  GroupId WithoutNetworkAnonymizationKey() const;

  // Chromium's form: the privacy-mode prefix ("", "pm/", "pmwocc/", "pmpsa/"),
  // the destination as a URL origin with an explicit port, then the NAK in
  // angle brackets. An empty NAK prints as "<null>" (as Chromium does), so a
  // key made with partitioning off is visibly different from a partitioned
  // one. Example: "pm/https://a.example:443 <https://top.example cross_site>".
  std::string ToString() const;

  // Field by field, in declaration order (the cached hash takes no part).
  friend std::strong_ordering operator<=>(const GroupId& a, const GroupId& b) {
    return a.Fields() <=> b.Fields();
  }
  friend bool operator==(const GroupId& a, const GroupId& b) {
    return a.hash_ == b.hash_ && a.Fields() == b.Fields();
  }

  template <typename H>
  friend H AbslHashValue(H h, const GroupId& id) {
    return H::combine(std::move(h), id.hash_);
  }

 private:
  std::tuple<const std::string&,
             const HostPortPair&,
             const PrivacyMode&,
             const NetworkAnonymizationKey&>
  Fields() const {
    return std::tie(scheme_, destination_, privacy_mode_,
                    network_anonymization_key_);
  }
  size_t ComputeHash() const;
  // Makes this GroupId() (for the moved-from side of a move).
  void ResetToEmpty();

  std::string scheme_;
  HostPortPair destination_;
  PrivacyMode privacy_mode_ = PrivacyMode::kDisabled;
  NetworkAnonymizationKey network_anonymization_key_;
  // absl::HashOf(Fields()), kept in step by every constructor and assignment.
  size_t hash_;
};

}  // namespace net

#endif  // SOCKET_POOL_GROUP_ID_H_
