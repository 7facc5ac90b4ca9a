#ifndef PRIVACY_REQUEST_CONTEXT_H_
#define PRIVACY_REQUEST_CONTEXT_H_

#include "net/base/url.h"

namespace prewarm {

class Document;

// What PrivacyDecider needs to know about a request, real or preconnect: its
// kind, its URL, the document whose context it is made in and, for a
// subresource, whether Fetch includes credentials. The document is not owned
// and must outlive the value. Build one with the named constructors.
struct RequestContext {
  enum class Kind {
    // A request made by `document` (fetch, image, font, script...).
    kSubresource,
    // A top-level navigation; made in the URL's own first-party context.
    kMainFrameNavigation,
    // A navigation of a frame inside `document` (its parent).
    kSubframeNavigation,
  };

  static RequestContext Subresource(const Document& document,
                                    net::Url url,
                                    bool credentials_allowed);
  static RequestContext MainFrameNavigation(net::Url url);
  static RequestContext SubframeNavigation(const Document& parent,
                                           net::Url url);

  Kind kind = Kind::kMainFrameNavigation;
  net::Url url;
  // Null only for kMainFrameNavigation.
  const Document* document = nullptr;
  // Navigations always include credentials.
  bool credentials_allowed = true;
};

}  // namespace prewarm

#endif  // PRIVACY_REQUEST_CONTEXT_H_
