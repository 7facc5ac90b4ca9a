#ifndef HOST_ORIGIN_REFERENCES_H_
#define HOST_ORIGIN_REFERENCES_H_

#include <map>
#include <optional>
#include <string>

#include "host/document_parser.h"
#include "net/base/url.h"
#include "preconnect/preconnect_request.h"

namespace prewarm {

// What the markup of one document says about the requests it makes to each
// origin - the host knows this, the network stack cannot: each element that
// references a URL is an <iframe> (a subframe navigation), a credentialed
// subresource (a classic script, an image, a stylesheet without
// crossorigin, or with crossorigin=use-credentials) or an anonymous one (a
// module script, a font, an element with crossorigin). Before a hint goes
// out, InformHint() says whether every reference to the hinted origin makes
// the same kind of request, and if so the purpose and crossorigin to send.
// Elements are added as the parser receives them. A value type.
class OriginReferences {
 public:
  // What a hint to an origin should say, and why.
  struct Informed {
    PreconnectPurpose purpose = PreconnectPurpose::kUnknown;
    CrossOriginAttribute crossorigin = CrossOriginAttribute::kAbsent;
    // For the table, e.g. "2 <img>, 1 <script>: credentialed subresource".
    std::string reason;
    // The references are iframes: a subframe navigation (which the
    // preconnect IPC cannot name yet; the hint then goes as written).
    bool subframe_navigation = false;
  };

  OriginReferences();
  OriginReferences(const OriginReferences&);
  OriginReferences& operator=(const OriginReferences&);
  ~OriginReferences();

  // Records the request `element` makes, if any; URLs resolve against
  // `base`.
  void Add(const MarkupElement& element, const net::Url& base);
  // A font found in a style sheet of the document (always anonymous).
  void AddFont(const std::string& url);

  // nullopt when no element references the hint's origin, or they disagree:
  // the hint goes as written.
  std::optional<Informed> InformHint(const std::string& hint_url) const;

 private:
  enum class Kind { kSubframe, kCredentialed, kAnonymous };
  struct Seen {
    std::map<Kind, int> kinds;
    // Element name -> count, for the reason.
    std::map<std::string, int> elements;
  };

  void AddReference(const std::string& url, Kind kind, const char* element);

  std::map<std::string, Seen> origins_;
};

}  // namespace prewarm

#endif  // HOST_ORIGIN_REFERENCES_H_
