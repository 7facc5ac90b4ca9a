#include "privacy/cookie_settings.h"

#include <algorithm>

namespace prewarm {

const char* CookieDecisionToString(CookieDecision decision) {
  switch (decision) {
    case CookieDecision::kAllowed:
      return "ALLOWED";
    case CookieDecision::kPartitionedOnly:
      return "PARTITIONED_ONLY";
    case CookieDecision::kDisallowed:
      return "DISALLOWED";
  }
  return "UNKNOWN";
}

CookieSettings::CookieSettings() = default;
CookieSettings::CookieSettings(const CookieSettings&) = default;
CookieSettings& CookieSettings::operator=(const CookieSettings&) = default;
CookieSettings::~CookieSettings() = default;

void CookieSettings::AddException(const net::SchemefulSite& site,
                                  ExceptionKind kind) {
  exceptions_.push_back({site, kind});
}

bool CookieSettings::HasException(const net::SchemefulSite& site,
                                  ExceptionKind kind) const {
  return std::any_of(exceptions_.begin(), exceptions_.end(),
                     [&](const Exception& exception) {
                       return exception.kind == kind && exception.site == site;
                     });
}

CookieDecision CookieSettings::Decide(
    const net::Url& url,
    const std::optional<net::SchemefulSite>& site_for_cookies,
    const net::SchemefulSite& top_frame_site) const {
  net::SchemefulSite request_site(url);
  if (block_all_cookies_ || HasException(request_site, ExceptionKind::kBlock))
    return CookieDecision::kDisallowed;
  bool third_party = !site_for_cookies || *site_for_cookies != request_site;
  if (!third_party || !block_third_party_cookies_)
    return CookieDecision::kAllowed;
  if (HasException(request_site, ExceptionKind::kAllow) ||
      HasException(top_frame_site,
                   ExceptionKind::kAllowThirdPartyOnTopLevelSite)) {
    return CookieDecision::kAllowed;
  }
  return allow_partitioned_cookies_ ? CookieDecision::kPartitionedOnly
                                    : CookieDecision::kDisallowed;
}

}  // namespace prewarm
