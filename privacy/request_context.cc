#include "privacy/request_context.h"

#include <utility>

namespace prewarm {

// static
RequestContext RequestContext::Subresource(const Document& document,
                                           net::Url url,
                                           bool credentials_allowed) {
  return {Kind::kSubresource, std::move(url), &document, credentials_allowed};
}

// static
RequestContext RequestContext::MainFrameNavigation(net::Url url) {
  return {Kind::kMainFrameNavigation, std::move(url), nullptr, true};
}

// static
RequestContext RequestContext::SubframeNavigation(const Document& parent,
                                                  net::Url url) {
  return {Kind::kSubframeNavigation, std::move(url), &parent, true};
}

}  // namespace prewarm
