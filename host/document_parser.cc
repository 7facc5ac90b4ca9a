#include "host/document_parser.h"

#include <gumbo.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace prewarm {

namespace {

std::optional<MarkupElement::Tag> TagOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_LINK:
      return MarkupElement::Tag::kLink;
    case GUMBO_TAG_SCRIPT:
      return MarkupElement::Tag::kScript;
    case GUMBO_TAG_IMG:
      return MarkupElement::Tag::kImage;
    case GUMBO_TAG_IFRAME:
      return MarkupElement::Tag::kIframe;
    case GUMBO_TAG_STYLE:
      return MarkupElement::Tag::kStyle;
    default:
      return std::nullopt;
  }
}

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

}  // namespace

MarkupElement::MarkupElement() = default;
MarkupElement::MarkupElement(const MarkupElement&) = default;
MarkupElement& MarkupElement::operator=(const MarkupElement&) = default;
MarkupElement::~MarkupElement() = default;

std::optional<std::string> MarkupElement::Attribute(
    std::string_view name) const {
  for (const auto& [key, value] : attributes) {
    if (key == name)
      return value;
  }
  return std::nullopt;
}

bool MarkupElement::RelHas(std::string_view token) const {
  std::optional<std::string> rel = Attribute("rel");
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

DocumentParser::DocumentParser(size_t max_bytes) : max_bytes_(max_bytes) {}
DocumentParser::~DocumentParser() = default;

std::vector<MarkupElement> DocumentParser::AppendBytes(std::string_view bytes) {
  if (finished_)
    return {};
  size_t room = max_bytes_ - buffer_.size();
  if (bytes.size() > room) {
    bytes = bytes.substr(0, room);
    truncated_ = true;
  }
  buffer_.append(bytes);
  return Parse();
}

std::vector<MarkupElement> DocumentParser::Finish() {
  if (finished_)
    return {};
  finished_ = true;
  return Parse();
}

std::vector<MarkupElement> DocumentParser::Parse() {
  GumboOutput* output = gumbo_parse_with_options(
      &kGumboDefaultOptions, buffer_.data(), buffer_.size());
  std::vector<const GumboNode*> found;
  std::vector<const GumboNode*> stack = {output->root};
  // Iterative, so deeply nested markup cannot exhaust the stack.
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
      continue;
    const GumboElement& element = node->v.element;
    // Only tags written in the markup (the parser also inserts implied
    // ones), and only those not handed out before.
    if (element.original_tag.length > 0 &&
        element.start_pos.offset >= next_offset_) {
      if (element.tag == GUMBO_TAG_BASE) {
        if (!base_href_) {
          if (const GumboAttribute* href =
                  gumbo_get_attribute(&element.attributes, "href")) {
            base_href_ = href->value;
          }
        }
      } else if (TagOf(element.tag) ||
                 gumbo_get_attribute(&element.attributes, "id") ||
                 gumbo_get_attribute(&element.attributes, "onclick")) {
        found.push_back(node);
      }
    }
    for (unsigned i = element.children.length; i > 0; --i) {
      stack.push_back(
          static_cast<const GumboNode*>(element.children.data[i - 1]));
    }
  }
  std::sort(
      found.begin(), found.end(), [](const GumboNode* a, const GumboNode* b) {
        return a->v.element.start_pos.offset < b->v.element.start_pos.offset;
      });
  std::vector<MarkupElement> ready;
  for (const GumboNode* node : found) {
    const GumboElement& element = node->v.element;
    const size_t start_tag_end =
        element.start_pos.offset + element.original_tag.length;
    const bool has_text =
        element.tag == GUMBO_TAG_SCRIPT || element.tag == GUMBO_TAG_STYLE;
    // A start tag at the very end may still be cut short; text needs its
    // end tag, unless the document ended.
    const bool complete =
        finished_ || (start_tag_end < buffer_.size() &&
                      (!has_text || element.original_end_tag.length > 0));
    if (!complete)
      break;
    MarkupElement& out = ready.emplace_back();
    out.tag = TagOf(element.tag).value_or(MarkupElement::Tag::kOther);
    if (out.tag == MarkupElement::Tag::kOther) {
      GumboStringPiece name = element.original_tag;
      gumbo_tag_from_original_text(&name);
      out.name =
          absl::AsciiStrToLower(absl::string_view(name.data, name.length));
    }
    out.offset = element.start_pos.offset;
    out.line = element.start_pos.line;
    for (unsigned i = 0; i < element.attributes.length; ++i) {
      const auto* attribute =
          static_cast<const GumboAttribute*>(element.attributes.data[i]);
      out.attributes.emplace_back(attribute->name, attribute->value);
    }
    if (has_text)
      out.text = TextOf(element);
    next_offset_ = element.start_pos.offset + 1;
  }
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return ready;
}

}  // namespace prewarm
