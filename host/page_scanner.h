#ifndef HOST_PAGE_SCANNER_H_
#define HOST_PAGE_SCANNER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/base/url.h"
#include "privacy/credentials_mode.h"
#include "service/network_context.h"

namespace prewarm {

// A resource hint found in the markup.
struct PageHint {
  enum class Kind { kPreconnect, kDnsPrefetch };

  Kind kind = Kind::kPreconnect;
  // Resolved against the document's base URL when it parses as a URL
  // reference; otherwise the attribute as written (the network service then
  // reports why it is unusable).
  std::string url;
  // The crossorigin attribute's value; nullopt when absent.
  std::optional<std::string> crossorigin;
};

// A <link rel=preload href as crossorigin integrity> found in the markup.
// Nothing is checked here: the network service ignores a bad URL or `as`
// and says why.
struct PagePreload {
  // Resolved like PageHint::url.
  std::string url;
  // The as attribute as written ("" when absent).
  std::string as;
  std::optional<std::string> crossorigin;
  std::string integrity;
};

// What kind of fetch a subresource is.
enum class SubresourceKind { kScript, kStylesheet, kImage, kFont, kIframe };

// "script", "style", "image", "font", "iframe": Fetch's destination.
const char* SubresourceKindToString(SubresourceKind kind);

// A subresource the document loads, with the request mode and credentials
// mode HTML and Fetch give it. An iframe is a subframe navigation (mode
// kNavigate).
struct Subresource {
  SubresourceKind kind = SubresourceKind::kScript;
  // Resolved like PageHint::url.
  std::string url;
  std::optional<std::string> crossorigin;
  RequestMode mode = RequestMode::kNoCors;
  CredentialsMode credentials = CredentialsMode::kInclude;
  // The integrity attribute ("" when absent).
  std::string integrity;
};

// Everything PageScanner found, in document order.
struct PageScan {
  PageScan();
  PageScan(const PageScan&);
  PageScan& operator=(const PageScan&);
  ~PageScan();

  std::vector<PageHint> hints;
  std::vector<PagePreload> preloads;
  std::vector<Subresource> subresources;
  // Empty when the whole page was scanned; otherwise which bound of
  // MarkupBudget cut it, and where (what follows the cut was not looked at).
  std::string cut_off;
};

// Reads an HTML document the way a browser's preload scanner does, with
// Google's HTML5 parser (gumbo), so malformed markup is recovered exactly as
// a browser would: <link rel=preconnect|dns-prefetch> hints (with their
// crossorigin attribute), <link rel=preload> (href, as, crossorigin,
// integrity), and the subresources that delay the load event -
// <script src>, <link rel=stylesheet>, <img src>, <iframe src>, and the fonts
// of @font-face rules in inline <style> elements (fonts in fetched
// stylesheets are found by the loader with FindFontFaceUrls). URLs are
// resolved against the first <base href> or the document URL. Never fails:
// any byte string is some HTML document. Hostile markup is bounded by
// MarkupBudget (nesting depth, page size); PageScan::cut_off says when a
// bound cut the page. Stateless.
class PageScanner {
 public:
  static PageScan Scan(std::string_view html, const net::Url& document_url);

  // The mode and credentials of a fetch of `kind` with that crossorigin
  // attribute (HTML's "CORS settings attribute" and Fetch): none ->
  // no-cors/include, anonymous (and any invalid value) -> cors/same-origin,
  // use-credentials -> cors/include; fonts are always cors/same-origin;
  // iframes navigate.
  static Subresource MakeSubresource(SubresourceKind kind,
                                     std::string url,
                                     std::optional<std::string> crossorigin);

  // `reference` (an attribute value: surrounding ASCII whitespace is
  // ignored, as HTML does) resolved against `base` (RFC 3986). When either
  // does not parse, the trimmed reference unchanged.
  static std::string ResolveUrl(const net::Url& base,
                                std::string_view reference);
};

}  // namespace prewarm

#endif  // HOST_PAGE_SCANNER_H_
