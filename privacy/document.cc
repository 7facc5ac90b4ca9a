#include "privacy/document.h"

#include <utility>

namespace prewarm {

const char* LoadPhaseToString(LoadPhase phase) {
  return phase == LoadPhase::kLoading ? "LOADING" : "LOADED";
}

Document::Document(std::string id, net::Url url, const Document* parent)
    : id_(std::move(id)),
      url_(std::move(url)),
      origin_(net::Origin::Create(url_)),
      site_(url_),
      parent_(parent),
      depth_(parent ? parent->depth() + 1 : 0),
      top_frame_site_(parent ? parent->top_frame_site() : site_) {
  // A first-party context survives only while every frame on the way down is
  // same-site with the top frame.
  bool parent_is_first_party = !parent || parent->site_for_cookies();
  if (parent_is_first_party && site_ == top_frame_site_)
    site_for_cookies_ = top_frame_site_;
}

Document::~Document() = default;

}  // namespace prewarm
