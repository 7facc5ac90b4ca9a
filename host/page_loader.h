#ifndef HOST_PAGE_LOADER_H_
#define HOST_PAGE_LOADER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "google/protobuf/struct.pb.h"
#include "host/connect_job_timeline.h"
#include "host/document_parser.h"
#include "host/page_load_result.h"
#include "net/event/timer.h"
#include "net/event/weak_ptr.h"
#include "service/network_context_interface.h"
#include "socket_pool/socket_pool_observer.h"

namespace prewarm {

class NetworkContextInterface;

// What to load.
struct PageLoadOptions {
  PageLoadOptions();
  PageLoadOptions(const PageLoadOptions&);
  PageLoadOptions& operator=(const PageLoadOptions&);
  ~PageLoadOptions();

  // The first page: navigated to in the main frame, unless `html` is set.
  std::string url;
  // The first page's markup when it comes from a file: committed at `url`
  // without a request.
  std::optional<std::string> html;
  // Later main-frame navigations, each started after the previous page's
  // load event (a link the user follows after onload); each is loaded like
  // the first page.
  std::vector<std::string> then_urls;
  // Main-frame documents are named prefix + 1, 2...; loads that share one
  // context need distinct prefixes.
  std::string document_prefix = "page";
  // Issue every hint of a document before any of its requests (the old,
  // artificial order, for comparison). Off: hints go out where they are in
  // the markup, after the preload scanner's requests from the same bytes,
  // as real Chromium does.
  bool hints_first = false;
  // Under the prewarm policy, tell the network service what the markup says
  // a hint is for (see below). Off: every hint goes as written, as the other
  // policies' browsers send it.
  bool markup_informed_hints = true;
  // Bounds on the frame tree of one page: nesting depth below the main frame
  // and the number of subframes. A frame beyond them is not loaded, and a
  // note says so.
  int max_frame_depth = 4;
  int max_frames = 20;
  // After the first page's load event, a click on the first element of its
  // main frame matching this selector (tag, #id, .class, [attr="v"]); "" for
  // none. A navigation its handler starts loads as the next page.
  std::string click_selector;
};

// The browser-like host's page load, on top of a network context (in
// process, or in the network service behind IPC). For each page: the
// main-frame navigation (or a commit of local markup), then the document is
// parsed as its bytes arrive (DocumentParser), the way Blink does it: the
// preload scanner's requests for the bytes received (scripts, stylesheets,
// images) go first, then the parser walks the markup in document order -
// hints reach the network service as it meets them, an <iframe> starts a
// subframe navigation whose document is loaded the same way in its own frame
// (recursively, within the options' bounds), a classic <script src> without
// async or defer blocks the parser until it has arrived. Fonts of inline
// styles and of fetched stylesheets are fetched as they are found. Each
// request gets the mode and credentials HTML gives it.
//
// Under the prewarm policy hints are markup-informed: when every element of
// the document that references the hinted origin makes the same kind of
// request, the hint goes with that purpose and those credentials explicitly
// (LoadedHint::informed says so); otherwise, and under the other policies,
// as written.
//
// Page scripts run on JavaScriptCore (ScriptContext, one fresh context per
// document): inline and external, classic and module, parser-blocking,
// async, deferred and script-inserted, in the order HTML gives them; what
// they insert or fetch is loaded like markup, their errors become notes, and
// the load waits for their fetches and timers after the load event.
//
// A frame's load event fires once its subresources and its subframes'
// load events are done (failed ones count as done, as in a browser); the
// main frame's ends the page. Then the next page of `then_urls`.
//
// After the last load event it waits until every hint was answered and no
// connect job is running, then reports each preconnected socket's outcome,
// strand mark, diagnostic (DescribeStrandedPreconnect) and connect phases
// (from the context's NetLog, which the embedder feeds to OnNetLogEntry(),
// through ConnectJobTimeline). It must be the context's only source of
// preconnects while it runs.
//
// Does not own the context, which must outlive the loader; registers itself
// as its socket-pool observer for its lifetime. `policy` is the context's
// (for diagnostics). The callback runs once, from a task (never inside
// Start()); destroying the loader cancels it. Network thread only.
class PageLoader : public net::SocketPoolObserver {
 public:
  using DoneCallback = absl::AnyInvocable<void(PageLoadResult) &&>;

  PageLoader(NetworkContextInterface* context, PreconnectPolicy policy);
  PageLoader(const PageLoader&) = delete;
  PageLoader& operator=(const PageLoader&) = delete;
  ~PageLoader() override;

  // Only once per loader.
  void Start(PageLoadOptions options, DoneCallback callback);

  // One entry of the context's NetLog, in NetLogEntry::ToStruct()'s form.
  void OnNetLogEntry(const google::protobuf::Struct& entry) {
    timeline_.OnEntry(entry);
  }

  // net::SocketPoolObserver:
  void OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                 const net::GroupId& group_id,
                                 net::PreconnectOutcome outcome,
                                 int error) override;
  void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const net::GroupId& preconnect_group_id,
      const net::GroupId& request_group_id,
      const net::GroupId::KeyDifference& difference) override;
  void OnPreconnectSocketLateBound(uint64_t preconnect_id,
                                   const net::GroupId& preconnect_group_id,
                                   const net::GroupId& bound_group_id) override;

 private:
  struct Ended {
    net::PreconnectOutcome outcome;
    absl::Time time;
  };
  struct Frame;
  struct PendingScript;
  class FrameScripts;
  static constexpr size_t kMaxNotes = 200;

  void StartPage(size_t page);
  void OnMainFrameResponse(size_t frame, size_t request, FetchResult result);
  void OnCommitted(size_t frame, const DocumentRegistry::Result& committed);
  // A frame's document arrived: parse it.
  void OnDocument(size_t frame, const std::string& html);
  // Runs the parser over the frame's received elements until the end or a
  // parser-blocking script.
  void RunParser(size_t frame);
  void PreloadScan(size_t frame, const std::vector<MarkupElement>& elements);
  void StartSubframe(size_t parent, const MarkupElement& element);
  void OnSubframeResponse(size_t frame, size_t request, FetchResult result);
  void IssueHint(size_t frame, const PageHint& hint);
  size_t IssueRequest(size_t frame, const Subresource& subresource);
  size_t IssueFetch(size_t frame,
                    const Subresource& subresource,
                    const std::string& destination);
  void ParseScript(size_t frame, const MarkupElement& element);
  void RunFetchedScript(size_t frame, const PendingScript& script);
  // What page scripts do (FrameScripts forwards them).
  void OnScriptElement(size_t frame, const MarkupElement& element);
  void OnScriptFetch(size_t frame,
                     int id,
                     const std::string& url,
                     const std::string& mode,
                     const std::string& credentials);
  void OnScriptNavigate(size_t frame, const std::string& url);
  void StartScriptNavigation(size_t after_page);
  void AddNote(std::string note);
  void OnRequestDone(size_t frame, size_t request, FetchResult result);
  void IssuePreload(size_t frame, const PagePreload& preload);
  void OnHintDone();
  // One of the frame's subresources or subframes is done.
  void OnFrameWorkDone(size_t frame);
  void MaybeFireLoadEvent(size_t frame);
  // Finishes once nothing is in flight; otherwise checks again shortly.
  void MaybeFinish();
  void OnPoolState(PoolStateSnapshot state);
  void Collect();
  absl::Time Now() const;

  NetworkContextInterface* const context_;
  const PreconnectPolicy policy_;
  ConnectJobTimeline timeline_;
  PageLoadOptions options_;
  DoneCallback callback_;
  PageLoadResult result_;
  // For each hint, its index among the preconnects issued (dns-prefetch:
  // -1).
  std::vector<int> preconnect_index_;
  int preconnects_issued_ = 0;
  // Parallel to result_.frames.
  std::vector<std::unique_ptr<Frame>> frames_;
  // Subframes of the current page.
  int page_subframes_ = 0;
  int pending_hints_ = 0;
  int calls_made_ = 0;
  // Fetches in flight, of every frame.
  int outstanding_requests_ = 0;
  // fetch() calls of page scripts: request -> the script's fetch id.
  absl::flat_hash_map<size_t, int> script_fetches_;
  // A main-frame navigation a page script asked for, not started yet.
  std::optional<std::string> script_navigation_;
  bool pages_done_ = false;
  bool checking_pool_ = false;
  bool finished_ = false;
  absl::flat_hash_map<uint64_t, Ended> outcomes_;
  absl::flat_hash_map<uint64_t, net::GroupId> strands_;
  absl::flat_hash_map<uint64_t, net::PrivacyMode> late_bound_;
  net::OneShotTimer finish_timer_;
  net::WeakPtrFactory<PageLoader> weak_factory_{this};
};

}  // namespace prewarm

#endif  // HOST_PAGE_LOADER_H_
