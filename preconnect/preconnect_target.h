#ifndef PRECONNECT_PRECONNECT_TARGET_H_
#define PRECONNECT_PRECONNECT_TARGET_H_

#include <cstdint>
#include <string>

#include "net/base/url.h"
#include "preconnect/preconnect_request.h"
#include "privacy/request_partition.h"

namespace prewarm {

// Where the resolved purpose of a preconnect came from.
enum class PurposeSource {
  // The embedder said SUBRESOURCE or NAVIGATION.
  kExplicit,
  // UNKNOWN with a crossorigin attribute: only subresources carry a CORS mode.
  kCrossOriginAttribute,
  // UNKNOWN, guessed from the document's load phase.
  kLoadPhase,
  // Taken from what real requests did on earlier visits (section 7).
  kLearned,
  // Fixed by the comparison policy, whatever the hint said.
  kPolicy,
};

// "EXPLICIT", "CROSSORIGIN_ATTRIBUTE", "LOAD_PHASE", "LEARNED", "POLICY".
const char* PurposeSourceToString(PurposeSource source);

// The outcome of DecidePreconnectGroup: either the preconnect is ignored (an
// error and a diagnostic for the page's developer), or the group it warms:
// scheme, host and port from `url`, privacy mode and NAK from `partition`.
// A value type.
struct PreconnectTarget {
  bool ignored() const { return error != 0; }

  // OK, or why the preconnect was ignored: ERR_UNKNOWN_DOCUMENT,
  // ERR_INVALID_URL, ERR_DISALLOWED_URL_SCHEME.
  int error = 0;
  std::string diagnostic;

  // The rest is meaningful only when not ignored.
  net::Url url;
  PreconnectPurpose purpose = PreconnectPurpose::kUnknown;
  PurposeSource purpose_source = PurposeSource::kPolicy;
  RequestPartition partition;
  uint32_t num_sockets = 1;
};

}  // namespace prewarm

#endif  // PRECONNECT_PRECONNECT_TARGET_H_
