#ifndef PRECONNECT_PRECONNECT_DIAGNOSTICS_H_
#define PRECONNECT_PRECONNECT_DIAGNOSTICS_H_

#include <string>
#include <string_view>

#include "preconnect/preconnect_policy.h"
#include "preconnect/preconnect_request.h"
#include "privacy/request_partition.h"

namespace prewarm {

// Words for the page's developer about preconnects that did not help: hints
// the module ignored, and sockets stranded in a group the request did not use
// (docs/pool-selection.md section 6). Each stranded message names what
// differed between the two group keys, in words and as the key field names,
// and the likely fix. Pure functions.

// Why a hint was ignored. `error` is the PreconnectTarget's
// (ERR_UNKNOWN_DOCUMENT, ERR_INVALID_URL, ERR_DISALLOWED_URL_SCHEME); `detail`
// is the URL parser's message for ERR_INVALID_URL. `hint` names the hint
// ("preconnect", "dns-prefetch").
std::string DescribeIgnoredHint(std::string_view hint,
                                int error,
                                std::string_view url,
                                std::string_view document_id,
                                std::string_view detail);

// What the strand diagnostic compares: the preconnect's group and how it was
// chosen, and the group of the request that could not use it.
struct StrandedPreconnectFacts {
  PreconnectPolicy policy = PreconnectPolicy::kPrewarm;
  // The origin both groups share, e.g. "https://fonts.gstatic.example".
  std::string origin;
  PreconnectPurpose preconnect_purpose = PreconnectPurpose::kSubresource;
  RequestPartition preconnect;
  RequestPartition request;
  bool request_is_main_frame_navigation = false;
  // Fetch's destination of the request ("font", "script"...); may be empty.
  std::string destination;
};

// "" when the two partitions share a group key (nothing to explain).
std::string DescribeStrandedPreconnect(const StrandedPreconnectFacts& facts);

// A socket the request took by late privacy binding (section 9): it was used,
// but the hint still warmed the wrong privacy mode (and so could not resume
// TLS). Says so, then what DescribeStrandedPreconnect would advise.
std::string DescribeLateBoundPreconnect(const StrandedPreconnectFacts& facts);

}  // namespace prewarm

#endif  // PRECONNECT_PRECONNECT_DIAGNOSTICS_H_
