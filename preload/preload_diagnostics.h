#ifndef PRELOAD_PRELOAD_DIAGNOSTICS_H_
#define PRELOAD_PRELOAD_DIAGNOSTICS_H_

#include <string>
#include <utility>
#include <vector>

#include "preload/preload_request.h"
#include "preload/preload_rules.h"
#include "preload/response_cacheability.h"

namespace prewarm {

// The sentences of docs/preload-matching.md section 4, in words a web
// developer can act on: each names the field that differed and the change
// that fixes it. Pure functions.

// "fetch()", "the font request", "the script request"... for `destination`.
std::string ConsumerName(const std::string& destination);

// Why `consumer` did not consume `preload` under `rules`. `cacheability` is
// read for kCacheability and kVary.
std::string DescribePreloadMismatch(const PreloadKey& preload,
                                    const PreloadConsumer& consumer,
                                    PreloadMismatch field,
                                    PreloadRuleSet rules,
                                    const ResponseCacheability& cacheability);

// A preload nothing consumed. `after_load_timeout` is true when the load
// event passed and no request used it within the unused timeout (3 s).
std::string DescribeUnusedPreload(const PreloadKey& preload,
                                  bool after_load_timeout);

// A request for a preloaded URL that did not consume it: what it cost.
std::string DescribeDuplicateDownload(const PreloadKey& preload,
                                      double cost_ms);

// One preload's outcome under several rule sets, side by side: "reused in
// Chrome and Firefox, downloaded twice in Safari". `outcomes` pairs each
// rule set with "reused", "downloaded twice", "unused" or "ignored".
std::string DescribeAcrossRuleSets(
    const std::vector<std::pair<PreloadRuleSet, std::string>>& outcomes);

}  // namespace prewarm

#endif  // PRELOAD_PRELOAD_DIAGNOSTICS_H_
