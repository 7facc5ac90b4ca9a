#ifndef SHELL_HAR_LOG_H_
#define SHELL_HAR_LOG_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "host/page_load_result.h"

namespace prewarm {

// Page loads as an HTTP Archive (HAR 1.2) log, the format browsers' developer
// tools import: log.version "1.2", a creator, one page per main-frame page and
// one entry per request, with its request, response, timings and connection.
// What HAR has no field for goes in "_"-prefixed custom fields: an entry's
// "_groupKey" (the pool group its socket came from), "_socket" (NEW,
// PRECONNECTED or REUSED), "_preconnectId", "_destination", "_error" for a
// request that got no response, and "_preload" (the preload outcome:
// {preloadId, outcome REUSED or NOT_REUSED, diagnostic}; null when no
// preload of the URL was there); a page's "_policy", "_hints" (each
// hint, its group and what became of its sockets) and "_sockets" (warmed,
// used, stranded).
//
// Timings follow the spec: blocked (queued, and any gap between phases), dns,
// connect (including TLS, which ssl repeats), send, wait and receive, in
// milliseconds, -1 for a phase that did not happen; an entry's time is their
// sum without ssl. A value type.
class HarLog {
 public:
  // `wall_minus_ticks` turns a network-thread tick time (PageLoadResult's
  // clock) into wall-clock time for startedDateTime.
  explicit HarLog(absl::Duration wall_minus_ticks);

  // The offset for the current clocks: absl::Now() - NetLog::NowTicks().
  static absl::Duration WallMinusTicksNow();

  // Adds the pages and requests of one load; `label`, when not empty, prefixes
  // the pages' titles (the demo's "prewarm, first visit").
  void AddPageLoad(const PageLoadResult& result, std::string_view label);

  // {"log": {...}}.
  google::protobuf::Struct ToStruct() const;
  // ToStruct() as indented JSON.
  std::string ToJson() const;

 private:
  google::protobuf::Struct Entry(const LoadedRequest& request,
                                 const std::string& page_id) const;
  std::string DateTime(absl::Time ticks) const;

  absl::Duration wall_minus_ticks_;
  google::protobuf::ListValue pages_;
  google::protobuf::ListValue entries_;
};

}  // namespace prewarm

#endif  // SHELL_HAR_LOG_H_
