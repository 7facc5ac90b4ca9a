#include "host/preload_report.h"

#include "absl/strings/str_cat.h"
#include "preload/preload_diagnostics.h"

namespace prewarm {

void AddPreloadsToReport(
    const std::vector<PreloadStepRecord>& preloads,
    const std::vector<const FetchResult*>& results,
    const absl::flat_hash_map<std::string, absl::Time>& load_events,
    absl::Time finished,
    absl::Duration unused_timeout,
    report::Report* report) {
  absl::flat_hash_map<uint64_t, uint32_t> step_of_preload;
  for (const PreloadStepRecord& preload : preloads) {
    if (preload.result.error == 0)
      step_of_preload[preload.result.preload_id] = preload.step;
  }
  report::Summary* summary = report->mutable_summary();
  // By preload id: who consumed it, and the requests that downloaded it
  // again (their diagnostic and cost).
  absl::flat_hash_map<uint64_t, uint32_t> reused_by;
  absl::flat_hash_map<uint64_t, std::vector<size_t>> second_downloads;
  for (size_t i = 0; i < results.size(); ++i) {
    const FetchResult& result = *results[i];
    report::RequestRecord* record = report->mutable_requests(i);
    if (result.from_preload_id != 0) {
      auto step = step_of_preload.find(result.from_preload_id);
      if (step != step_of_preload.end()) {
        record->set_from_preload(step->second);
        reused_by[result.from_preload_id] = record->step();
      }
    } else if (result.skipped_preload_id != 0) {
      summary->set_duplicate_downloads(summary->duplicate_downloads() + 1);
      second_downloads[result.skipped_preload_id].push_back(i);
    }
  }

  for (const PreloadStepRecord& preload : preloads) {
    report::PreloadRecord* record = report->add_preloads();
    record->set_step(preload.step);
    record->set_url(preload.preload.url());
    record->set_as(preload.preload.as());
    const PreloadResult& result = preload.result;
    if (result.error != 0) {
      record->set_outcome(report::PreloadRecord::IGNORED);
      record->set_diagnostic(result.message);
      continue;
    }
    const PreloadKey& key = result.key;
    record->set_destination(key.destination);
    record->set_mode(RequestModeToString(key.settings.mode));
    record->set_credentials(CredentialsModeToString(key.settings.credentials));
    std::vector<std::string> notes;
    if (result.response.error != 0) {
      notes.push_back(absl::StrCat("the preload's request failed: ",
                                   result.response.error_message));
    }
    auto consumer = reused_by.find(result.preload_id);
    if (consumer != reused_by.end()) {
      record->set_outcome(report::PreloadRecord::REUSED);
      record->set_reused_by_step(consumer->second);
      summary->set_preloads_reused(summary->preloads_reused() + 1);
    } else {
      record->set_outcome(report::PreloadRecord::UNUSED);
    }
    auto again = second_downloads.find(result.preload_id);
    if (again != second_downloads.end()) {
      // Why each request did not reuse it, and what its own download cost.
      for (size_t i : again->second) {
        notes.push_back(absl::StrCat(
            "step ", report->requests(i).step(), ": ",
            results[i]->preload_diagnostic, ". ",
            DescribeDuplicateDownload(key, report->requests(i).total_ms())));
      }
    } else if (consumer == reused_by.end()) {
      auto load = load_events.find(preload.preload.document());
      bool after_load = load != load_events.end() &&
                        finished - load->second >= unused_timeout;
      notes.push_back(DescribeUnusedPreload(key, after_load));
    }
    std::string diagnostic;
    for (const std::string& note : notes)
      absl::StrAppend(&diagnostic, diagnostic.empty() ? "" : "; ", note);
    record->set_diagnostic(diagnostic);
  }
}

}  // namespace prewarm
