#ifndef PRIVACY_PRIVACY_DECIDER_H_
#define PRIVACY_PRIVACY_DECIDER_H_

#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"
#include "privacy/cookie_settings.h"
#include "privacy/request_context.h"
#include "privacy/request_partition.h"

namespace prewarm {

// The single place that decides the privacy mode and network anonymization
// key of a request (docs/pool-selection.md sections 2 and 3). Real requests
// and preconnects both come through PrivacyModeFor, so a preconnect made for a
// request lands in the group that request will use. Does not own the cookie
// settings, which must outlive it; reads them on every call, so changes apply
// to the next request. Stateless otherwise.
class PrivacyDecider {
 public:
  struct Options {
    // Off: every NAK is empty (an embedder like a WebView).
    bool partition_connections = true;
    // The mode of a request without credentials. Fetch's "omit" sends no
    // client certificate either; the `chromium` comparison policy uses
    // kEnabled (section 8).
    net::PrivacyMode uncredentialed_privacy_mode =
        net::PrivacyMode::kEnabledWithoutClientCerts;
  };

  explicit PrivacyDecider(const CookieSettings* cookie_settings);
  PrivacyDecider(const CookieSettings* cookie_settings, Options options);
  PrivacyDecider(const PrivacyDecider&) = delete;
  PrivacyDecider& operator=(const PrivacyDecider&) = delete;
  ~PrivacyDecider();

  const Options& options() const { return options_; }
  const CookieSettings& cookie_settings() const { return *cookie_settings_; }

  // Privacy mode and NAK of `request`.
  RequestPartition PrivacyModeFor(const RequestContext& request) const;

  // The pieces PrivacyModeFor combines, for diagnostics.
  net::NetworkAnonymizationKey NetworkAnonymizationKeyFor(
      const RequestContext& request) const;
  CookieDecision CookieDecisionFor(const RequestContext& request) const;

 private:
  const CookieSettings* const cookie_settings_;
  const Options options_;
};

}  // namespace prewarm

#endif  // PRIVACY_PRIVACY_DECIDER_H_
