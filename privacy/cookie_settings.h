#ifndef PRIVACY_COOKIE_SETTINGS_H_
#define PRIVACY_COOKIE_SETTINGS_H_

#include <optional>
#include <vector>

#include "net/base/schemeful_site.h"
#include "net/base/url.h"

namespace prewarm {

// What a request may send (docs/pool-selection.md section 3).
enum class CookieDecision {
  kAllowed,
  // Third-party cookies are blocked, but partitioned cookies may be sent.
  kPartitionedOnly,
  kDisallowed,
};

// "ALLOWED", "PARTITIONED_ONLY", "DISALLOWED".
const char* CookieDecisionToString(CookieDecision decision);

// The user's cookie settings and the cookie decision of section 3. Exceptions
// name a site (schemeful: an exception for https://cdn.example does not cover
// http://cdn.example); ALLOW and BLOCK match the request's site,
// ALLOW_THIRD_PARTY_ON_TOP_LEVEL_SITE matches the top-frame site. A value
// type.
class CookieSettings {
 public:
  enum class ExceptionKind {
    kAllow,
    kBlock,
    kAllowThirdPartyOnTopLevelSite,
  };

  CookieSettings();
  CookieSettings(const CookieSettings&);
  CookieSettings& operator=(const CookieSettings&);
  ~CookieSettings();

  bool block_third_party_cookies() const { return block_third_party_cookies_; }
  void set_block_third_party_cookies(bool block) {
    block_third_party_cookies_ = block;
  }
  bool block_all_cookies() const { return block_all_cookies_; }
  void set_block_all_cookies(bool block) { block_all_cookies_ = block; }
  // Default true.
  bool allow_partitioned_cookies() const { return allow_partitioned_cookies_; }
  void set_allow_partitioned_cookies(bool allow) {
    allow_partitioned_cookies_ = allow;
  }

  void AddException(const net::SchemefulSite& site, ExceptionKind kind);

  // The decision for a request to `url` made in a context whose site for
  // cookies is `site_for_cookies` (nullopt: no first-party context) under
  // `top_frame_site`. The rules of section 3, in their order.
  CookieDecision Decide(
      const net::Url& url,
      const std::optional<net::SchemefulSite>& site_for_cookies,
      const net::SchemefulSite& top_frame_site) const;

 private:
  struct Exception {
    net::SchemefulSite site;
    ExceptionKind kind;
  };

  bool HasException(const net::SchemefulSite& site, ExceptionKind kind) const;

  bool block_third_party_cookies_ = false;
  bool block_all_cookies_ = false;
  bool allow_partitioned_cookies_ = true;
  std::vector<Exception> exceptions_;
};

}  // namespace prewarm

#endif  // PRIVACY_COOKIE_SETTINGS_H_
