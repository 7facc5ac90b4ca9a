#ifndef HOST_PAGE_LOAD_RESULT_H_
#define HOST_PAGE_LOAD_RESULT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "host/connect_job_timeline.h"
#include "host/page_scanner.h"
#include "net/base/privacy_mode.h"
#include "preconnect/preconnect_manager.h"
#include "preconnect/preconnect_policy.h"
#include "service/network_context.h"
#include "service/url_loader.h"
#include "socket_pool/preconnect_outcome.h"

namespace prewarm {

// What PageLoader saw, for the table and the waterfall. Times are on the
// network thread's clock; InfinitePast() means "did not happen". Value types.

// One main-frame page of the load.
struct LoadedPage {
  std::string url;
  std::string document_id;
  absl::Time navigation_start = absl::InfinitePast();
  absl::Time committed = absl::InfinitePast();
  absl::Time load_event = absl::InfinitePast();
  // OK, or why the page never committed (its subresources were not loaded).
  int error = 0;
  std::string error_message;
  // PageScan::cut_off: why part of the page was not scanned, or empty.
  std::string scan_cut_off;
};

// One document: a main-frame page's, or a subframe's (an <iframe> of
// another frame, loaded as a subframe navigation in its own context).
struct LoadedFrame {
  size_t page = 0;
  std::string document_id;
  std::string url;
  // Index in PageLoadResult::frames of the parent; -1 for a main frame.
  int parent = -1;
  // 0 for a main frame.
  int depth = 0;
  absl::Time committed = absl::InfinitePast();
  absl::Time dom_content_loaded = absl::InfinitePast();
  absl::Time load_event = absl::InfinitePast();
};

// One request: a main-frame or subframe navigation, or a subresource fetch.
struct LoadedRequest {
  size_t page = 0;
  // The document that made it (a subframe navigation: the parent's).
  std::string frame;
  std::string url;
  // "document" (main frame), "iframe", "script", "style", "image", "font".
  std::string destination;
  // Position among every call the loader made to the network context
  // (requests and hints together): the order they reached it.
  int call_order = 0;
  absl::Time issued = absl::InfinitePast();
  absl::Time finished = absl::InfinitePast();
  FetchResult result;
};

// A socket a preconnect started.
struct LoadedSocket {
  uint64_t id = 0;
  // A final outcome, or kIdle / kConnecting when still live at the end.
  net::PreconnectOutcome outcome = net::PreconnectOutcome::kIdle;
  // When it reached its final outcome.
  absl::Time ended = absl::InfinitePast();
  std::optional<ConnectPhases> phases;
  // The index in PageLoadResult::requests of the request it served, or -1.
  int used_by = -1;
  bool stranded = false;
  // When stranded: the group of the first same-origin request served
  // elsewhere.
  net::GroupId strand_request_group;
  // Late privacy binding (docs/pool-selection.md section 9): the privacy mode
  // of the request's group that took it, when not the one it was warmed in.
  std::optional<net::PrivacyMode> late_bound_to;
};

// One <link rel=preconnect|dns-prefetch> hint and what it led to.
struct LoadedHint {
  size_t page = 0;
  // The document that gave it.
  std::string frame;
  PageHint hint;
  // When the markup told the host which request the hint is for (every
  // element of the document referencing its origin makes the same kind of
  // request): what the host sent instead of the hint as written, and why;
  // "" when it went as written.
  std::string informed;
  // As LoadedRequest::call_order.
  int call_order = 0;
  absl::Time issued = absl::InfinitePast();
  absl::Time answered = absl::InfinitePast();
  // OK, or why the hint was ignored or failed.
  int error = 0;
  // For the page's developer: why it was ignored or failed, or, when a
  // socket was stranded, what differed and the fix; "" otherwise.
  std::string diagnostic;
  // Preconnects only: the decision and the group.
  PreconnectResult result;
  std::vector<LoadedSocket> sockets;
  bool stranded = false;
};

// One <link rel=preload> and what became of it: the network service's
// result (an error when it was ignored), and the requests of the page that
// consumed it (LoadedRequest::result.from_preload_id) or did not
// (skipped_preload_id and the diagnostic).
struct LoadedPreload {
  size_t page = 0;
  PagePreload preload;
  absl::Time issued = absl::InfinitePast();
  absl::Time answered = absl::InfinitePast();
  PreloadResult result;
};

struct PageLoadResult {
  PageLoadResult();
  PageLoadResult(const PageLoadResult&);
  PageLoadResult& operator=(const PageLoadResult&);
  PageLoadResult(PageLoadResult&&);
  PageLoadResult& operator=(PageLoadResult&&);
  ~PageLoadResult();

  PreconnectPolicy policy = PreconnectPolicy::kPrewarm;
  // How the context matched requests against preloads.
  PreloadRuleSet preload_rules = PreloadRuleSet::kPrewarm;
  absl::Time start = absl::InfinitePast();
  // When the last request, hint and connect job had finished.
  absl::Time end = absl::InfinitePast();
  std::vector<LoadedPage> pages;
  // Every document, main frames and subframes, in the order they committed
  // or failed.
  std::vector<LoadedFrame> frames;
  std::vector<LoadedRequest> requests;
  std::vector<LoadedHint> hints;
  std::vector<LoadedPreload> preloads;

  // Sockets the preconnects started, and how many served a request or were
  // stranded.
  int warmed_sockets = 0;
  int used_sockets = 0;
  int stranded_sockets = 0;
  // Used sockets taken by a request of another privacy mode (included in
  // used_sockets), and sockets that connected but were never used (the
  // server-side cost of the hints, section 10).
  int late_bound_sockets = 0;
  int wasted_handshakes = 0;
  // Requests that failed.
  int failed_requests = 0;
  // Page scripts that threw, failed to compile or were stopped.
  int script_errors = 0;
  // What the load left out or could not do, for the user: a frame bound that
  // cut a frame off, a truncated document, a script error.
  std::vector<std::string> notes;
};

}  // namespace prewarm

#endif  // HOST_PAGE_LOAD_RESULT_H_
