#ifndef PRIVACY_REQUEST_PARTITION_H_
#define PRIVACY_REQUEST_PARTITION_H_

#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"
#include "privacy/cookie_settings.h"

namespace prewarm {

// PrivacyDecider's answer for one request: the two group-key fields that
// depend on privacy (privacy mode and NAK), plus the pieces they were made
// from so a diagnostic can say why. A value type.
struct RequestPartition {
  net::PrivacyMode privacy_mode = net::PrivacyMode::kDisabled;
  net::NetworkAnonymizationKey network_anonymization_key;
  bool credentials_allowed = true;
  // Decided even when credentials are not allowed, for diagnostics.
  CookieDecision cookie_decision = CookieDecision::kAllowed;

  friend bool operator==(const RequestPartition&,
                         const RequestPartition&) = default;
};

}  // namespace prewarm

#endif  // PRIVACY_REQUEST_PARTITION_H_
