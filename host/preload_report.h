#ifndef HOST_PRELOAD_REPORT_H_
#define HOST_PRELOAD_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "proto/report.pb.h"
#include "proto/scenario.pb.h"
#include "service/network_context.h"
#include "service/url_loader.h"

namespace prewarm {

// One preload step of a replay: the tag and what the network context said
// (an error for an ignored one). A value type.
struct PreloadStepRecord {
  uint32_t step = 0;
  scenario::Preload preload;
  PreloadResult result;
};

// Fills the preload part of a replay report (FORMAT.md): one PreloadRecord
// per preload step with its outcome, the step that consumed it and the
// diagnostic (why it was ignored, which field kept a request from it and
// what the second download cost, or that nothing used it), each request's
// from_preload, and the summary's preloads_reused and duplicate_downloads.
// `results` are the requests' results in the order of report->requests().
// A preload whose document had its load event at least `unused_timeout`
// before `finished` is reported as not used within that time after it.
void AddPreloadsToReport(
    const std::vector<PreloadStepRecord>& preloads,
    const std::vector<const FetchResult*>& results,
    const absl::flat_hash_map<std::string, absl::Time>& load_events,
    absl::Time finished,
    absl::Duration unused_timeout,
    report::Report* report);

}  // namespace prewarm

#endif  // HOST_PRELOAD_REPORT_H_
