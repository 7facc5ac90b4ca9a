#ifndef SHELL_PAGE_LOAD_TABLE_H_
#define SHELL_PAGE_LOAD_TABLE_H_

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "host/page_load_result.h"

namespace prewarm {

// The terminal form of a PageLoadResult, per page: its preconnect and
// dns-prefetch hints (group key, each socket's outcome, what it cost to
// warm, STRANDED with the diagnostic in developer words) and its requests
// (group key; socket PRECONNECTED, REUSED or NEW; DNS, connect, TLS, TTFB and
// total in ms; status or error), then the load event. Pure functions.
void PrintPageLoadTable(const PageLoadResult& result, std::ostream& out);

// Milliseconds from `from` to `to`; -1 when either did not happen.
double MillisecondsBetween(absl::Time from, absl::Time to);

// "ENABLED_PARTITIONED_STATE_ALLOWED" -> "PSA" and so on: the short privacy
// mode names the table and the waterfall use.
std::string ShortPrivacyMode(net::PrivacyMode mode);

}  // namespace prewarm

#endif  // SHELL_PAGE_LOAD_TABLE_H_
