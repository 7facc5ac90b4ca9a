#ifndef PRECONNECT_PRECONNECT_REQUEST_H_
#define PRECONNECT_PRECONNECT_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prewarm {

// The crossorigin attribute of a preconnect hint, as HTML maps it.
enum class CrossOriginAttribute { kAbsent, kAnonymous, kUseCredentials };

// HTML's CORS settings attribute: no attribute -> kAbsent; "use-credentials"
// (ASCII case-insensitive) -> kUseCredentials; "", "anonymous" and every
// invalid value -> kAnonymous.
CrossOriginAttribute CrossOriginAttributeFromString(
    std::optional<std::string_view> value);

// Which request a preconnected socket is for (docs/pool-selection.md
// section 4): a subresource of the hinting document, a future main-frame
// navigation, or a future navigation of a subframe of the hinting document.
enum class PreconnectPurpose {
  kUnknown,
  kSubresource,
  kNavigation,
  kSubframeNavigation,
};

// "PURPOSE_UNKNOWN", "SUBRESOURCE", "NAVIGATION", "SUBFRAME_NAVIGATION": the
// scenario and report names.
const char* PreconnectPurposeToString(PreconnectPurpose purpose);

// One preconnect hint from the embedder: Preconnect(document, url,
// crossorigin, purpose, num_sockets). The URL is kept as given; checking it is
// part of the decision, which reports a bad one. A value type.
struct PreconnectRequest {
  std::string document_id;
  std::string url;
  CrossOriginAttribute crossorigin = CrossOriginAttribute::kAbsent;
  PreconnectPurpose purpose = PreconnectPurpose::kUnknown;
  // 0 means 1. The pool clamps it to its per-group limit.
  uint32_t num_sockets = 1;

  uint32_t effective_num_sockets() const {
    return num_sockets == 0 ? 1 : num_sockets;
  }
};

}  // namespace prewarm

#endif  // PRECONNECT_PRECONNECT_REQUEST_H_
