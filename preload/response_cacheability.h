#ifndef PRELOAD_RESPONSE_CACHEABILITY_H_
#define PRELOAD_RESPONSE_CACHEABILITY_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace prewarm {

// What a private (browser) cache may do with one response, read from its
// real headers per RFC 9111: whether it may be stored (section 3: a final
// status, no `no-store`), whether it is fresh for reuse without revalidation
// (section 4.2: a freshness lifetime from `max-age`, else `Expires` minus
// `Date`, greater than the `Age`; `no-cache` means never fresh), and the
// header names its `Vary` lists (`*` kept as is). Header-list parsing
// (tokens, quoted strings, commas, duplicate directives) is libsoup's
// soup_header_parse_param_list_strict / soup_header_parse_list and HTTP dates
// soup_date_time_new_from_http_string; only the RFC 9111 semantics are ours.
// A value type.
struct ResponseCacheability {
  bool storable = false;
  bool fresh = false;
  std::vector<std::string> vary;
  // Why it is not reusable, in a developer's words ("Cache-Control: no-store"),
  // or "" when storable and fresh.
  std::string reason;

  bool reusable() const { return storable && fresh; }
  // Whether Vary names `header` (ASCII case-insensitive) or is `*`.
  bool VariesOn(std::string_view header) const;
};

// `headers` as received (names in any case; repeated fields allowed and
// joined with commas, as RFC 9110 section 5.3 allows for list fields).
// `received` is when the response arrived, on the wall clock, for an
// `Expires` without a `Date`.
ResponseCacheability CacheabilityFromHeaders(
    int status_code,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::Time received);

}  // namespace prewarm

#endif  // PRELOAD_RESPONSE_CACHEABILITY_H_
