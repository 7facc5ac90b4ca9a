#ifndef HOST_PAGE_PRELOAD_SCENARIO_H_
#define HOST_PAGE_PRELOAD_SCENARIO_H_

#include <string>
#include <vector>

#include "host/page_scanner.h"
#include "proto/scenario.pb.h"

namespace prewarm {

// A page's preloads and the requests that could use them, as a replay
// scenario (../shared/scenarios/FORMAT.md): the navigation to `page_url`
// (document "page"), every <link rel=preload> of `scan` at 0 ms, then at
// 50 ms every subresource of `scan` whose URL a preload names (with its
// destination, mode, credentials and integrity), then at 100 ms the
// script's own fetch() calls, given as Fetch steps because the host runs no
// script yet. Replaying it under each rule set shows which of them reuse
// each preload. Pure function.
scenario::Scenario PagePreloadScenario(
    const std::string& page_url,
    const PageScan& scan,
    const std::vector<scenario::Fetch>& script_fetches);

}  // namespace prewarm

#endif  // HOST_PAGE_PRELOAD_SCENARIO_H_
