#ifndef SHELL_WATERFALL_SVG_H_
#define SHELL_WATERFALL_SVG_H_

#include <string>
#include <string_view>

#include "host/page_load_result.h"

namespace prewarm {

// A PageLoadResult as an SVG waterfall a person can read at a glance: one
// row per request with its phases (queued, dns, connect, tls, waiting/TTFB,
// download) in distinct colours, one row per preconnected socket (its
// resolution, connect and TLS, then a thin line while it waits, ending where
// a request used it), a vertical line at each page's load event, and a
// legend. Stranded sockets are drawn in red with the diagnostic as the
// row's tooltip and as a label. Every text is XML-escaped. A pure function.
std::string RenderWaterfallSvg(const PageLoadResult& result,
                               std::string_view title);

// `text` with &, <, >, " and ' replaced by entities.
std::string EscapeXml(std::string_view text);

}  // namespace prewarm

#endif  // SHELL_WATERFALL_SVG_H_
