#include "socket_pool/group_id.h"

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"

namespace net {

std::string GroupId::KeyDifference::ToString() const {
  std::string result;
  auto append = [&result](const char* field) {
    if (!result.empty())
      result += '+';
    result += field;
  };
  if (privacy_mode)
    append("privacy_mode");
  if (top_frame_site)
    append("top_frame_site");
  if (is_cross_site)
    append("is_cross_site");
  return result.empty() ? "none" : result;
}

GroupId::GroupId() : hash_(ComputeHash()) {}

GroupId::GroupId(std::string scheme,
                 HostPortPair destination,
                 PrivacyMode privacy_mode,
                 NetworkAnonymizationKey network_anonymization_key)
    : scheme_(std::move(scheme)),
      destination_(std::move(destination)),
      privacy_mode_(privacy_mode),
      network_anonymization_key_(std::move(network_anonymization_key)),
      hash_(ComputeHash()) {}

GroupId::GroupId(const GroupId&) = default;
GroupId& GroupId::operator=(const GroupId&) = default;

GroupId::GroupId(GroupId&& other) noexcept
    : scheme_(std::move(other.scheme_)),
      destination_(std::move(other.destination_)),
      privacy_mode_(other.privacy_mode_),
      network_anonymization_key_(std::move(other.network_anonymization_key_)),
      hash_(other.hash_) {
  other.ResetToEmpty();
}

GroupId& GroupId::operator=(GroupId&& other) noexcept {
  if (this != &other) {
    scheme_ = std::move(other.scheme_);
    destination_ = std::move(other.destination_);
    privacy_mode_ = other.privacy_mode_;
    network_anonymization_key_ = std::move(other.network_anonymization_key_);
    hash_ = other.hash_;
    other.ResetToEmpty();
  }
  return *this;
}

void GroupId::ResetToEmpty() {
  // Moved-from strings are valid but unspecified: give the key definite
  // fields whose hash matches the cached one.
  static const size_t empty_hash = GroupId().hash_;
  scheme_.clear();
  destination_ = HostPortPair();
  privacy_mode_ = PrivacyMode::kDisabled;
  network_anonymization_key_ = NetworkAnonymizationKey();
  hash_ = empty_hash;
}

GroupId::~GroupId() = default;

size_t GroupId::ComputeHash() const {
  return absl::HashOf(scheme_, destination_, static_cast<int>(privacy_mode_),
                      network_anonymization_key_);
}

std::string GroupId::InvalidReason() const {
  if (scheme_ != "http" && scheme_ != "https") {
    return absl::StrCat("unsupported scheme '", scheme_,
                        "' (socket pools serve http and https)");
  }
  if (destination_.host().empty())
    return "empty destination host";
  if (destination_.port() == 0)
    return absl::StrCat("destination port 0 for host '", destination_.host(),
                        "'");
  return std::string();
}

bool GroupId::IsSameOriginAs(const GroupId& other) const {
  return scheme_ == other.scheme_ && destination_ == other.destination_;
}

GroupId::KeyDifference GroupId::DifferenceFrom(const GroupId& other) const {
  KeyDifference difference;
  difference.privacy_mode = privacy_mode_ != other.privacy_mode_;
  difference.top_frame_site = network_anonymization_key_.top_frame_site() !=
                              other.network_anonymization_key_.top_frame_site();
  difference.is_cross_site = network_anonymization_key_.is_cross_site() !=
                             other.network_anonymization_key_.is_cross_site();
  return difference;
}

GroupId GroupId::WithoutNetworkAnonymizationKey() const {
  return GroupId(scheme_, destination_, privacy_mode_,
                 NetworkAnonymizationKey());
}

std::string GroupId::ToString() const {
  std::string_view prefix = PrivacyModeGroupPrefix(privacy_mode_);
  return absl::StrCat(absl::string_view(prefix.data(), prefix.size()), scheme_,
                      "://", destination_.ToString(), " <",
                      network_anonymization_key_.ToDebugString(), ">");
}

}  // namespace net
