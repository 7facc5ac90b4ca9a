#ifndef HOST_PAGE_LOADER_H_
#define HOST_PAGE_LOADER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "google/protobuf/struct.pb.h"
#include "host/connect_job_timeline.h"
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
};

// The browser-like host's page load, on top of a network context (in
// process, or in the network service behind IPC): for each page
// the main-frame navigation (or a commit of local markup), a scan of the
// markup (PageScanner), its preconnect and dns-prefetch hints issued before
// any subresource (as a preload scanner would), the subresource fetches with
// the mode and credentials HTML gives them, the fonts of fetched stylesheets,
// iframes as subframe navigations (their own subresources are not loaded),
// and the load event once every one of them finished (failed ones count as
// finished, as in a browser). Then the next page of `then_urls`.
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

  void StartPage(size_t page);
  void OnMainFrameResponse(size_t page, size_t request, FetchResult result);
  void OnCommitted(size_t page, const DocumentRegistry::Result& committed);
  void OnDocument(size_t page, const std::string& html);
  void IssueHint(size_t page, const PageHint& hint);
  void IssuePreload(size_t page, const PagePreload& preload);
  void IssueRequest(size_t page, const Subresource& subresource);
  void OnRequestDone(size_t page, size_t request, FetchResult result);
  void OnHintDone();
  void FireLoadEvent(size_t page);
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
  // Subresources of the current page not finished yet.
  int pending_requests_ = 0;
  int pending_hints_ = 0;
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
