#ifndef PRELOAD_PRELOAD_REQUEST_H_
#define PRELOAD_PRELOAD_REQUEST_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/base/url.h"
#include "preconnect/preconnect_request.h"
#include "privacy/credentials_mode.h"
#include "privacy/request_mode.h"

namespace prewarm {

// One <link rel=preload href as crossorigin integrity> of a document, as the
// embedder passes it: nothing is checked yet (the PreloadManager reports a bad
// URL or `as`). A value type.
struct PreloadRequest {
  std::string document_id;
  std::string url;
  std::string as;
  CrossOriginAttribute crossorigin = CrossOriginAttribute::kAbsent;
  std::string integrity;
};

// The request destination a preload's `as` asks for (docs/preload-matching.md
// section 1): "fetch" -> "" (what fetch() and XHR use), and "font", "image",
// "script", "style", "track" as they are, matched ASCII case-insensitively as
// HTML's enumerated attributes are. Any other value, or none: nullopt, and
// nothing is fetched.
std::optional<std::string> PreloadDestinationForAs(std::string_view as);

// A request's mode and credentials mode.
struct FetchSettings {
  RequestMode mode = RequestMode::kNoCors;
  CredentialsMode credentials = CredentialsMode::kInclude;
};

// HTML's CORS settings attribute on a link: absent -> (no-cors, include),
// anonymous -> (cors, same-origin), use-credentials -> (cors, include). A link
// preload never has mode same-origin nor credentials omit.
FetchSettings FetchSettingsForCrossOrigin(CrossOriginAttribute crossorigin);

// "no-cors", "cors", "same-origin", "navigate" / "same-origin", "include",
// "omit": Fetch's own spellings, used in reports and diagnostics.
const char* RequestModeToString(RequestMode mode);
const char* CredentialsModeToString(CredentialsMode mode);
// "none", "anonymous", "use-credentials".
const char* CrossOriginToString(CrossOriginAttribute crossorigin);

// A header an author set on a request (fetch(url, {headers})).
using AuthorHeaders = std::vector<std::pair<std::string, std::string>>;

// Why `headers` cannot go on the wire as given, or "": names are RFC 9110
// tokens; values carry no CR, LF or NUL (which would split the request); and
// the headers the network stack writes itself (Host, Content-Length,
// Connection, Transfer-Encoding, User-Agent) are not the author's.
std::string AuthorHeadersProblem(const AuthorHeaders& headers);

// The two sides of a match, resolved: the URL (its fragment already dropped
// by net::Url), destination, mode, credentials mode and integrity metadata,
// and whether the URL is same-origin with the document (credentials mode
// same-origin means include then, omit otherwise). Value types.
struct PreloadKey {
  net::Url url;
  std::string as;
  std::string destination;
  CrossOriginAttribute crossorigin = CrossOriginAttribute::kAbsent;
  FetchSettings settings;
  std::string integrity;
  bool same_origin = false;
};

// A later request that may consume a preload (docs/preload-matching.md
// section 2).
struct PreloadConsumer {
  net::Url url;
  std::string destination;
  FetchSettings settings;
  AuthorHeaders headers;
  std::string integrity;
  bool same_origin = false;
};

// Whether credentials go with the request: include -> yes, omit -> no,
// same-origin -> iff the URL is same-origin with the document.
bool SendsCredentials(CredentialsMode credentials, bool same_origin);

}  // namespace prewarm

#endif  // PRELOAD_PRELOAD_REQUEST_H_
