#ifndef HOST_DOCUMENT_PARSER_H_
#define HOST_DOCUMENT_PARSER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/base/url.h"

namespace prewarm {

// One element of a document that makes the host act: a <link>, <script>,
// <img>, <iframe> or <style>, with its attributes (names lowercased by the
// HTML parser) and, for <script> and <style>, its text. A value type.
struct MarkupElement {
  // kOther: any other element with an id or an onclick attribute (scripts
  // may look it up and the user may click it).
  enum class Tag { kLink, kScript, kImage, kIframe, kStyle, kOther };

  MarkupElement();
  MarkupElement(const MarkupElement&);
  MarkupElement& operator=(const MarkupElement&);
  ~MarkupElement();

  Tag tag = Tag::kLink;
  // The tag name of a kOther element ("button", "a").
  std::string name;
  // Made by a page script, not by the markup.
  bool created_by_script = false;
  // Byte offset of its start tag in the document: document order.
  size_t offset = 0;
  // 1-based line of the start tag (for script errors).
  unsigned line = 0;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;

  std::optional<std::string> Attribute(std::string_view name) const;
  // HTML's rel attribute: a set of ASCII case-insensitive tokens.
  bool RelHas(std::string_view token) const;
};

// The host's HTML parser, fed the document's bytes as they arrive. gumbo (a
// complete HTML5 parser, so malformed markup is recovered as a browser would)
// is not incremental, so each AppendBytes() re-parses the bytes received so
// far and hands out, in document order, the elements that are now complete:
// the start tag has arrived, and for <script> and <style> also the end tag
// (or the document ended). An element is handed out once; elements after one
// that is still incomplete wait for it, as a parser would. Input beyond
// the maximum is not parsed (truncated() says so). Not thread-safe.
class DocumentParser {
 public:
  static constexpr size_t kMaxDocumentBytes = 8 << 20;

  // `max_bytes`: how much of a document is parsed at most.
  explicit DocumentParser(size_t max_bytes = kMaxDocumentBytes);
  DocumentParser(const DocumentParser&) = delete;
  DocumentParser& operator=(const DocumentParser&) = delete;
  ~DocumentParser();

  // Returns the elements completed by `bytes`, in document order.
  std::vector<MarkupElement> AppendBytes(std::string_view bytes);
  // The end of the document: whatever is left, in document order.
  std::vector<MarkupElement> Finish();

  // The first <base href> received so far, unresolved.
  const std::optional<std::string>& base_href() const { return base_href_; }
  bool truncated() const { return truncated_; }

 private:
  std::vector<MarkupElement> Parse();

  const size_t max_bytes_;
  std::string buffer_;
  bool finished_ = false;
  bool truncated_ = false;
  // Elements starting before this offset were handed out.
  size_t next_offset_ = 0;
  std::optional<std::string> base_href_;
};

}  // namespace prewarm

#endif  // HOST_DOCUMENT_PARSER_H_
