#ifndef SHELL_PRELOAD_TABLE_H_
#define SHELL_PRELOAD_TABLE_H_

#include <ostream>
#include <vector>

#include "host/page_load_result.h"
#include "proto/report.pb.h"

namespace prewarm {

// The preload part of the replay's text report. PrintPreloads: one report's
// preloads, each with its request (destination, mode, credentials), outcome
// and diagnostic, and the summary's preload counts; nothing when the
// scenario has no preload. PrintPreloadsSideBySide: the same scenario under
// several rule sets (--preload-rules=all), one column per rule set, a
// sentence per preload such as "reused in Chrome and Firefox, downloaded
// twice in Safari", and each rule set's diagnostic.
void PrintPreloads(const report::Report& report, std::ostream& out);
void PrintPreloadsSideBySide(const std::vector<const report::Report*>& reports,
                             std::ostream& out);
// A page load's <link rel=preload>s: each with its request, which request
// (#N of the page-load table) reused it, and why the others did not and
// what their second download cost; nothing when the page has none.
void PrintPagePreloads(const PageLoadResult& result, std::ostream& out);

}  // namespace prewarm

#endif  // SHELL_PRELOAD_TABLE_H_
