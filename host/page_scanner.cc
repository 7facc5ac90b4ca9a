#include "host/page_scanner.h"

#include <gumbo.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "host/font_face_scanner.h"
#include "host/markup_budget.h"
#include "preconnect/preconnect_request.h"

namespace prewarm {

namespace {

std::optional<std::string> Attribute(const GumboElement& element,
                                     const char* name) {
  const GumboAttribute* attribute =
      gumbo_get_attribute(&element.attributes, name);
  if (!attribute)
    return std::nullopt;
  return std::string(attribute->value);
}

// HTML's rel attribute: a set of space-separated, ASCII case-insensitive
// tokens.
bool RelHas(const GumboElement& element, std::string_view token) {
  std::optional<std::string> rel = Attribute(element, "rel");
  if (!rel)
    return false;
  for (absl::string_view part :
       absl::StrSplit(*rel, absl::ByAnyChar(" \t\n\f\r"), absl::SkipEmpty())) {
    if (absl::EqualsIgnoreCase(part,
                               absl::string_view(token.data(), token.size()))) {
      return true;
    }
  }
  return false;
}

// The text content of an element (a <style>'s CSS).
std::string TextOf(const GumboElement& element) {
  std::string text;
  for (unsigned i = 0; i < element.children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(element.children.data[i]);
    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
        child->type == GUMBO_NODE_WHITESPACE) {
      text += child->v.text.text;
    }
  }
  return text;
}

// The first <base href> in tree order, or null.
const GumboElement* FindBase(const GumboNode* root) {
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT)
      continue;
    const GumboElement& element = node->v.element;
    if (element.tag == GUMBO_TAG_BASE && Attribute(element, "href"))
      return &element;
    for (unsigned i = element.children.length; i > 0; --i)
      stack.push_back(
          static_cast<const GumboNode*>(element.children.data[i - 1]));
  }
  return nullptr;
}

class Walker {
 public:
  explicit Walker(net::Url base) : base_(std::move(base)) {}

  PageScan Walk(const GumboNode* root) {
    // Iterative, so deeply nested markup cannot exhaust the stack.
    std::vector<const GumboNode*> stack = {root};
    while (!stack.empty()) {
      const GumboNode* node = stack.back();
      stack.pop_back();
      if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
        continue;
      const GumboElement& element = node->v.element;
      Visit(element);
      for (unsigned i = element.children.length; i > 0; --i) {
        stack.push_back(
            static_cast<const GumboNode*>(element.children.data[i - 1]));
      }
    }
    return std::move(scan_);
  }

 private:
  void Visit(const GumboElement& element) {
    switch (element.tag) {
      case GUMBO_TAG_LINK:
        VisitLink(element);
        break;
      case GUMBO_TAG_SCRIPT:
        Add(SubresourceKind::kScript, element, "src");
        break;
      case GUMBO_TAG_IMG:
        Add(SubresourceKind::kImage, element, "src");
        break;
      case GUMBO_TAG_IFRAME:
        Add(SubresourceKind::kIframe, element, "src");
        break;
      case GUMBO_TAG_STYLE:
        for (const std::string& font : FindFontFaceUrls(TextOf(element))) {
          scan_.subresources.push_back(PageScanner::MakeSubresource(
              SubresourceKind::kFont, PageScanner::ResolveUrl(base_, font),
              std::nullopt));
        }
        break;
      default:
        break;
    }
  }

  void VisitLink(const GumboElement& element) {
    std::optional<std::string> href = Attribute(element, "href");
    if (!href)
      return;
    std::string url = PageScanner::ResolveUrl(base_, *href);
    if (RelHas(element, "preconnect")) {
      scan_.hints.push_back({PageHint::Kind::kPreconnect, url,
                             Attribute(element, "crossorigin")});
    }
    if (RelHas(element, "dns-prefetch")) {
      scan_.hints.push_back({PageHint::Kind::kDnsPrefetch, url,
                             Attribute(element, "crossorigin")});
    }
    if (RelHas(element, "preload")) {
      scan_.preloads.push_back({url, Attribute(element, "as").value_or(""),
                                Attribute(element, "crossorigin"),
                                Attribute(element, "integrity").value_or("")});
    }
    if (RelHas(element, "stylesheet")) {
      scan_.subresources.push_back(PageScanner::MakeSubresource(
          SubresourceKind::kStylesheet, std::move(url),
          Attribute(element, "crossorigin")));
    }
  }

  void Add(SubresourceKind kind,
           const GumboElement& element,
           const char* attribute) {
    std::optional<std::string> src = Attribute(element, attribute);
    // An inline script or an element without a source fetches nothing.
    if (!src)
      return;
    scan_.subresources.push_back(
        PageScanner::MakeSubresource(kind, PageScanner::ResolveUrl(base_, *src),
                                     Attribute(element, "crossorigin")));
    scan_.subresources.back().integrity =
        Attribute(element, "integrity").value_or("");
  }

  const net::Url base_;
  PageScan scan_;
};

}  // namespace

const char* SubresourceKindToString(SubresourceKind kind) {
  switch (kind) {
    case SubresourceKind::kScript:
      return "script";
    case SubresourceKind::kStylesheet:
      return "style";
    case SubresourceKind::kImage:
      return "image";
    case SubresourceKind::kFont:
      return "font";
    case SubresourceKind::kIframe:
      return "iframe";
  }
  return "?";
}

PageScan::PageScan() = default;
PageScan::PageScan(const PageScan&) = default;
PageScan& PageScan::operator=(const PageScan&) = default;
PageScan::~PageScan() = default;

PageScan PageScanner::Scan(std::string_view html,
                           const net::Url& document_url) {
  std::string cut_off;
  html = html.substr(0, MarkupBudget::ScannableLength(html, &cut_off));
  // No error list: by default gumbo records every parse error with a copy of
  // the stack of open elements, gigabytes for a page of nested markup, and
  // the scan never reads them.
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* output =
      gumbo_parse_with_options(&options, html.data(), html.size());
  net::Url base = document_url;
  if (const GumboElement* element = FindBase(output->root)) {
    net::Url resolved =
        net::Url::Parse(ResolveUrl(document_url, *Attribute(*element, "href")));
    if (resolved.is_valid())
      base = std::move(resolved);
  }
  PageScan scan = Walker(std::move(base)).Walk(output->root);
  gumbo_destroy_output(&options, output);
  scan.cut_off = std::move(cut_off);
  return scan;
}

Subresource PageScanner::MakeSubresource(
    SubresourceKind kind,
    std::string url,
    std::optional<std::string> crossorigin) {
  Subresource subresource;
  subresource.kind = kind;
  subresource.url = std::move(url);
  subresource.crossorigin = std::move(crossorigin);
  if (kind == SubresourceKind::kIframe) {
    subresource.mode = RequestMode::kNavigate;
    subresource.credentials = CredentialsMode::kInclude;
    return subresource;
  }
  if (kind == SubresourceKind::kFont) {
    subresource.mode = RequestMode::kCors;
    subresource.credentials = CredentialsMode::kSameOrigin;
    return subresource;
  }
  if (!subresource.crossorigin) {
    subresource.mode = RequestMode::kNoCors;
    subresource.credentials = CredentialsMode::kInclude;
    return subresource;
  }
  subresource.mode = RequestMode::kCors;
  subresource.credentials =
      CrossOriginAttributeFromString(*subresource.crossorigin) ==
              CrossOriginAttribute::kUseCredentials
          ? CredentialsMode::kInclude
          : CredentialsMode::kSameOrigin;
  return subresource;
}

std::string PageScanner::ResolveUrl(const net::Url& base,
                                    std::string_view reference) {
  // HTML strips leading and trailing ASCII whitespace from URL attributes.
  while (!reference.empty() &&
         absl::ascii_isspace(static_cast<unsigned char>(reference.front()))) {
    reference.remove_prefix(1);
  }
  while (!reference.empty() &&
         absl::ascii_isspace(static_cast<unsigned char>(reference.back()))) {
    reference.remove_suffix(1);
  }
  std::string trimmed(reference);
  if (!base.is_valid())
    return trimmed;
  auto parsed_base = boost::urls::parse_uri(base.spec());
  auto parsed_reference = boost::urls::parse_uri_reference(trimmed);
  if (!parsed_base || !parsed_reference)
    return trimmed;
  // An absolute reference is kept as written, so Url::Parse sees exactly what
  // the author wrote (IDN hosts, uppercase schemes).
  if (parsed_reference->has_scheme())
    return trimmed;
  boost::urls::url resolved;
  if (!boost::urls::resolve(*parsed_base, *parsed_reference, resolved))
    return trimmed;
  return std::string(resolved.buffer());
}

}  // namespace prewarm
