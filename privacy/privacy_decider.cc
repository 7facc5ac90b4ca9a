#include "privacy/privacy_decider.h"

#include "net/base/check.h"
#include "net/base/schemeful_site.h"
#include "privacy/document.h"

namespace prewarm {

PrivacyDecider::PrivacyDecider(const CookieSettings* cookie_settings)
    : PrivacyDecider(cookie_settings, Options()) {}

PrivacyDecider::PrivacyDecider(const CookieSettings* cookie_settings,
                               Options options)
    : cookie_settings_(cookie_settings), options_(options) {
  CHECK(cookie_settings_);
}

PrivacyDecider::~PrivacyDecider() = default;

RequestPartition PrivacyDecider::PrivacyModeFor(
    const RequestContext& request) const {
  RequestPartition partition;
  partition.network_anonymization_key = NetworkAnonymizationKeyFor(request);
  partition.credentials_allowed = request.credentials_allowed;
  partition.cookie_decision = CookieDecisionFor(request);
  if (!partition.credentials_allowed) {
    partition.privacy_mode = options_.uncredentialed_privacy_mode;
    return partition;
  }
  switch (partition.cookie_decision) {
    case CookieDecision::kAllowed:
      partition.privacy_mode = net::PrivacyMode::kDisabled;
      break;
    case CookieDecision::kPartitionedOnly:
      partition.privacy_mode =
          net::PrivacyMode::kEnabledPartitionedStateAllowed;
      break;
    case CookieDecision::kDisallowed:
      partition.privacy_mode = net::PrivacyMode::kEnabled;
      break;
  }
  return partition;
}

net::NetworkAnonymizationKey PrivacyDecider::NetworkAnonymizationKeyFor(
    const RequestContext& request) const {
  if (!options_.partition_connections)
    return net::NetworkAnonymizationKey();
  switch (request.kind) {
    case RequestContext::Kind::kSubresource:
      CHECK(request.document);
      return net::NetworkAnonymizationKey(request.document->top_frame_site(),
                                          request.document->is_cross_site());
    case RequestContext::Kind::kMainFrameNavigation:
      return net::NetworkAnonymizationKey::CreateSameSite(
          net::SchemefulSite(request.url));
    case RequestContext::Kind::kSubframeNavigation: {
      CHECK(request.document);
      const net::SchemefulSite& top = request.document->top_frame_site();
      return net::NetworkAnonymizationKey(
          top, net::SchemefulSite(request.url) != top);
    }
  }
  NOTREACHED();
}

CookieDecision PrivacyDecider::CookieDecisionFor(
    const RequestContext& request) const {
  if (request.kind == RequestContext::Kind::kMainFrameNavigation) {
    // A top-level navigation is its own first-party context.
    net::SchemefulSite site(request.url);
    return cookie_settings_->Decide(request.url, site, site);
  }
  // A subframe navigation is decided in its parent's context, like the
  // parent's own subresources.
  CHECK(request.document);
  return cookie_settings_->Decide(request.url,
                                  request.document->site_for_cookies(),
                                  request.document->top_frame_site());
}

}  // namespace prewarm
