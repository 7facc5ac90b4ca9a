#ifndef PRIVACY_DOCUMENT_H_
#define PRIVACY_DOCUMENT_H_

#include <cstddef>
#include <optional>
#include <string>

#include "net/base/origin.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"

namespace prewarm {

// docs/pool-selection.md section 1: from commit until the load event, then
// loaded.
enum class LoadPhase { kLoading, kLoaded };

// "LOADING" or "LOADED".
const char* LoadPhaseToString(LoadPhase phase);

// One committed document of the page: the main frame's or a subframe's. Its
// place in the frame tree is fixed at commit, so the partition facts of section
// 1 (top-frame site, the NAK's cross-site bit, site for cookies) are computed
// once then. Created, owned and destroyed by DocumentRegistry; the parent
// pointer is valid for the document's whole life because the registry removes
// frames together with their parent.
class Document {
 public:
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  ~Document();

  const std::string& id() const { return id_; }
  const net::Url& url() const { return url_; }
  const net::Origin& origin() const { return origin_; }
  const net::SchemefulSite& site() const { return site_; }
  // Null for the main frame.
  const Document* parent() const { return parent_; }
  bool is_main_frame() const { return parent_ == nullptr; }
  // 0 for the main frame, its parent's depth + 1 for a subframe.
  size_t depth() const { return depth_; }
  LoadPhase load_phase() const { return load_phase_; }

  // Site(main-frame document URL).
  const net::SchemefulSite& top_frame_site() const { return top_frame_site_; }
  // Site(url) != top_frame_site(): only this frame and the top frame are
  // compared, so a->b->a is not cross-site.
  bool is_cross_site() const { return site_ != top_frame_site_; }
  // The top-frame site if this document and every ancestor are same-site with
  // the top frame; nullopt ("null": no first-party context, every request is
  // third-party) otherwise, so a->b->a has none.
  const std::optional<net::SchemefulSite>& site_for_cookies() const {
    return site_for_cookies_;
  }

 private:
  friend class DocumentRegistry;

  Document(std::string id, net::Url url, const Document* parent);

  void set_load_phase(LoadPhase phase) { load_phase_ = phase; }

  const std::string id_;
  const net::Url url_;
  const net::Origin origin_;
  const net::SchemefulSite site_;
  const Document* const parent_;
  const size_t depth_;
  const net::SchemefulSite top_frame_site_;
  std::optional<net::SchemefulSite> site_for_cookies_;
  LoadPhase load_phase_ = LoadPhase::kLoading;
};

}  // namespace prewarm

#endif  // PRIVACY_DOCUMENT_H_
