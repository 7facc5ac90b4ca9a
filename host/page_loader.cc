#include "host/page_loader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "host/font_face_scanner.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/event/event_loop.h"
#include "preconnect/preconnect_diagnostics.h"
#include "preconnect/preconnect_request.h"
#include "service/network_context_interface.h"

namespace prewarm {

PageLoadResult::PageLoadResult() = default;
PageLoadResult::PageLoadResult(const PageLoadResult&) = default;
PageLoadResult& PageLoadResult::operator=(const PageLoadResult&) = default;
PageLoadResult::PageLoadResult(PageLoadResult&&) = default;
PageLoadResult& PageLoadResult::operator=(PageLoadResult&&) = default;
PageLoadResult::~PageLoadResult() = default;

PageLoadOptions::PageLoadOptions() = default;
PageLoadOptions::PageLoadOptions(const PageLoadOptions&) = default;
PageLoadOptions& PageLoadOptions::operator=(const PageLoadOptions&) = default;
PageLoadOptions::~PageLoadOptions() = default;

PageLoader::PageLoader(NetworkContextInterface* context,
                       PreconnectPolicy policy)
    : context_(context), policy_(policy) {
  context_->AddSocketPoolObserver(this);
}

PageLoader::~PageLoader() {
  context_->RemoveSocketPoolObserver(this);
}

absl::Time PageLoader::Now() const {
  return net::EventLoop::Current()->NowTicks();
}

void PageLoader::Start(PageLoadOptions options, DoneCallback callback) {
  options_ = std::move(options);
  callback_ = std::move(callback);
  result_.policy = policy_;
  result_.start = Now();
  result_.pages.push_back(
      {options_.url, absl::StrCat(options_.document_prefix, 1)});
  for (const std::string& url : options_.then_urls) {
    result_.pages.push_back({url, absl::StrCat(options_.document_prefix,
                                               result_.pages.size() + 1)});
  }
  // Posted, so even a page without requests finishes after Start().
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr()] {
    if (PageLoader* self = weak.get())
      self->StartPage(0);
  });
}

void PageLoader::StartPage(size_t page) {
  LoadedPage& loaded = result_.pages[page];
  loaded.navigation_start = Now();
  if (page == 0 && options_.html) {
    context_->CommitNavigation(loaded.document_id, loaded.url, "",
                               [weak = weak_factory_.GetWeakPtr(), page](
                                   const DocumentRegistry::Result& committed) {
                                 if (PageLoader* self = weak.get())
                                   self->OnCommitted(page, committed);
                               });
    return;
  }
  size_t request = result_.requests.size();
  result_.requests.push_back({page, loaded.url, "document", Now()});
  context_->Navigate(
      {loaded.document_id, loaded.url, ""},
      [weak = weak_factory_.GetWeakPtr(), page, request](FetchResult result) {
        if (PageLoader* self = weak.get()) {
          self->OnMainFrameResponse(page, request, std::move(result));
        }
      });
}

void PageLoader::OnMainFrameResponse(size_t page,
                                     size_t request,
                                     FetchResult result) {
  LoadedRequest& loaded = result_.requests[request];
  loaded.finished = Now();
  loaded.result = std::move(result);
  if (loaded.result.error != net::OK) {
    ++result_.failed_requests;
    result_.pages[page].error = loaded.result.error;
    result_.pages[page].error_message = loaded.result.error_message;
    // Without a document there is nothing to load, and no later page to
    // follow a link from.
    pages_done_ = true;
    MaybeFinish();
    return;
  }
  OnDocument(page, loaded.result.body);
}

void PageLoader::OnCommitted(size_t page,
                             const DocumentRegistry::Result& committed) {
  if (!committed.ok()) {
    result_.pages[page].error = committed.error;
    result_.pages[page].error_message = committed.message;
    pages_done_ = true;
    MaybeFinish();
    return;
  }
  OnDocument(page, *options_.html);
}

void PageLoader::OnDocument(size_t page, const std::string& html) {
  LoadedPage& loaded = result_.pages[page];
  loaded.committed = Now();
  PageScan scan = PageScanner::Scan(html, net::Url::Parse(loaded.url));
  loaded.scan_cut_off = std::move(scan.cut_off);
  for (const PageHint& hint : scan.hints)
    IssueHint(page, hint);
  for (const PagePreload& preload : scan.preloads)
    IssuePreload(page, preload);
  for (const Subresource& subresource : scan.subresources)
    IssueRequest(page, subresource);
  if (pending_requests_ == 0)
    FireLoadEvent(page);
}

void PageLoader::IssueHint(size_t page, const PageHint& hint) {
  const std::string& document_id = result_.pages[page].document_id;
  size_t index = result_.hints.size();
  LoadedHint& loaded = result_.hints.emplace_back();
  loaded.page = page;
  loaded.hint = hint;
  loaded.issued = Now();
  ++pending_hints_;
  auto weak = weak_factory_.GetWeakPtr();
  if (hint.kind == PageHint::Kind::kDnsPrefetch) {
    preconnect_index_.push_back(-1);
    context_->DnsPrefetch(
        document_id, hint.url,
        [weak, index](int error, const std::string& diagnostic) {
          PageLoader* self = weak.get();
          if (!self)
            return;
          LoadedHint& done = self->result_.hints[index];
          done.answered = self->Now();
          done.error = error;
          done.diagnostic = diagnostic;
          self->OnHintDone();
        });
    return;
  }
  PreconnectRequest request;
  request.document_id = document_id;
  request.url = hint.url;
  request.crossorigin = CrossOriginAttributeFromString(
      hint.crossorigin ? std::optional<std::string_view>(*hint.crossorigin)
                       : std::nullopt);
  context_->Preconnect(request, [weak, index](const PreconnectResult& result) {
    PageLoader* self = weak.get();
    if (!self)
      return;
    LoadedHint& done = self->result_.hints[index];
    done.answered = self->Now();
    done.result = result;
    done.error = result.error;
    done.diagnostic = result.diagnostic;
    self->OnHintDone();
  });
  preconnect_index_.push_back(preconnects_issued_++);
}

void PageLoader::IssuePreload(size_t page, const PagePreload& preload) {
  size_t index = result_.preloads.size();
  LoadedPreload& loaded = result_.preloads.emplace_back();
  loaded.page = page;
  loaded.preload = preload;
  loaded.issued = Now();
  // Like a hint, a preload does not delay the load event; the load waits
  // for it to finish all the same.
  ++pending_hints_;
  PreloadRequest request;
  request.document_id = result_.pages[page].document_id;
  request.url = preload.url;
  request.as = preload.as;
  request.crossorigin = CrossOriginAttributeFromString(
      preload.crossorigin
          ? std::optional<std::string_view>(*preload.crossorigin)
          : std::nullopt);
  request.integrity = preload.integrity;
  context_->Preload(request, [weak = weak_factory_.GetWeakPtr(),
                              index](PreloadResult result) {
    PageLoader* self = weak.get();
    if (!self)
      return;
    LoadedPreload& done = self->result_.preloads[index];
    done.answered = self->Now();
    done.result = std::move(result);
    self->OnHintDone();
  });
}

void PageLoader::IssueRequest(size_t page, const Subresource& subresource) {
  const std::string& document_id = result_.pages[page].document_id;
  size_t request = result_.requests.size();
  result_.requests.push_back({page, subresource.url,
                              SubresourceKindToString(subresource.kind),
                              Now()});
  ++pending_requests_;
  auto on_done = [weak = weak_factory_.GetWeakPtr(), page,
                  request](FetchResult result) {
    if (PageLoader* self = weak.get())
      self->OnRequestDone(page, request, std::move(result));
  };
  if (subresource.kind == SubresourceKind::kIframe) {
    // Frames are numbered by their request, so ids never repeat.
    context_->Navigate({absl::StrCat(document_id, "-frame", request),
                        subresource.url, document_id},
                       std::move(on_done));
    return;
  }
  context_->Fetch({document_id,
                   subresource.url,
                   subresource.mode,
                   subresource.credentials,
                   SubresourceKindToString(subresource.kind),
                   {},
                   subresource.integrity},
                  std::move(on_done));
}

void PageLoader::OnRequestDone(size_t page,
                               size_t request,
                               FetchResult result) {
  LoadedRequest& loaded = result_.requests[request];
  loaded.finished = Now();
  loaded.result = std::move(result);
  if (loaded.result.error != net::OK)
    ++result_.failed_requests;
  // A stylesheet's fonts are discovered when it arrives, and delay the load
  // event like any subresource. (A browser fetches them only once layout
  // uses them; every face here counts as used.)
  if (loaded.destination == "style" && loaded.result.error == net::OK &&
      loaded.result.status_code / 100 == 2) {
    const net::Url stylesheet_url = net::Url::Parse(loaded.url);
    const std::string body = loaded.result.body;
    for (const std::string& font : FindFontFaceUrls(body)) {
      IssueRequest(page, PageScanner::MakeSubresource(
                             SubresourceKind::kFont,
                             PageScanner::ResolveUrl(stylesheet_url, font),
                             std::nullopt));
    }
  }
  if (--pending_requests_ == 0)
    FireLoadEvent(page);
}

void PageLoader::OnHintDone() {
  --pending_hints_;
  MaybeFinish();
}

void PageLoader::FireLoadEvent(size_t page) {
  LoadedPage& loaded = result_.pages[page];
  // Calls are handled in order, so the next navigation comes after it.
  context_->LoadEvent(loaded.document_id, nullptr);
  loaded.load_event = Now();
  if (page + 1 < result_.pages.size()) {
    // The next navigation starts after onload has run, from its own task.
    net::EventLoop::Current()->PostTask(
        [weak = weak_factory_.GetWeakPtr(), page] {
          if (PageLoader* self = weak.get())
            self->StartPage(page + 1);
        });
    return;
  }
  pages_done_ = true;
  MaybeFinish();
}

void PageLoader::MaybeFinish() {
  if (finished_ || checking_pool_ || !pages_done_ || pending_hints_ > 0)
    return;
  checking_pool_ = true;
  context_->GetPoolState(
      [weak = weak_factory_.GetWeakPtr()](PoolStateSnapshot state) {
        if (PageLoader* self = weak.get())
          self->OnPoolState(std::move(state));
      });
}

void PageLoader::OnPoolState(PoolStateSnapshot state) {
  checking_pool_ = false;
  // Connect jobs report nothing when they finish: look again shortly. (A
  // context that went away has nothing left to wait for.)
  if (state.error == net::OK &&
      (state.connecting_sockets > 0 || state.hints_in_flight > 0 ||
       state.hints_queued > 0)) {
    finish_timer_.Start(absl::Milliseconds(1), [this] { MaybeFinish(); });
    return;
  }
  // Events arrive in order with the replies, so every outcome of the work
  // done so far has been seen.
  finished_ = true;
  result_.end = Now();
  Collect();
  DoneCallback callback = std::move(callback_);
  std::move(callback)(std::move(result_));
}

void PageLoader::OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                           const net::GroupId& group_id,
                                           net::PreconnectOutcome outcome,
                                           int error) {
  outcomes_[preconnect_id] = {outcome, Now()};
}

void PageLoader::OnPreconnectSocketStranded(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& request_group_id,
    const net::GroupId::KeyDifference& difference) {
  strands_.emplace(preconnect_id, request_group_id);
}

void PageLoader::OnPreconnectSocketLateBound(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& bound_group_id) {
  late_bound_.emplace(preconnect_id, bound_group_id.privacy_mode());
}

void PageLoader::Collect() {
  absl::flat_hash_map<uint64_t, int> used_by;
  for (size_t i = 0; i < result_.requests.size(); ++i) {
    uint64_t id = result_.requests[i].result.preconnect_id;
    if (id != 0)
      used_by[id] = static_cast<int>(i);
  }
  for (size_t h = 0; h < result_.hints.size(); ++h) {
    LoadedHint& hint = result_.hints[h];
    const std::vector<uint64_t>& ids = hint.result.preconnect_ids;
    const net::GroupId* strand_group = nullptr;
    for (size_t k = 0; k < ids.size(); ++k) {
      LoadedSocket& socket = hint.sockets.emplace_back();
      socket.id = ids[k];
      if (preconnect_index_[h] >= 0) {
        socket.phases = timeline_.PreconnectSocketPhases(
            static_cast<size_t>(preconnect_index_[h]), k);
      }
      // No connect job runs any more: a socket without an outcome is idle.
      socket.outcome = net::PreconnectOutcome::kIdle;
      if (auto ended = outcomes_.find(socket.id); ended != outcomes_.end()) {
        socket.outcome = ended->second.outcome;
        socket.ended = ended->second.time;
      }
      if (auto user = used_by.find(socket.id); user != used_by.end())
        socket.used_by = user->second;
      ++result_.warmed_sockets;
      if (socket.outcome == net::PreconnectOutcome::kUsed) {
        ++result_.used_sockets;
        if (auto late = late_bound_.find(socket.id);
            late != late_bound_.end()) {
          socket.late_bound_to = late->second;
          ++result_.late_bound_sockets;
        }
        continue;
      }
      // Every other socket but a failed one completed its handshake: no
      // connect job runs any more.
      if (socket.outcome != net::PreconnectOutcome::kFailed)
        ++result_.wasted_handshakes;
      if (auto strand = strands_.find(socket.id); strand != strands_.end()) {
        socket.stranded = true;
        socket.strand_request_group = strand->second;
        strand_group = &strand->second;
        ++result_.stranded_sockets;
      }
    }
    hint.stranded = strand_group != nullptr;
    if (!strand_group)
      continue;
    StrandedPreconnectFacts facts;
    facts.policy = result_.policy;
    facts.origin = net::Origin::Create(hint.result.target.url).Serialize();
    facts.preconnect_purpose = hint.result.target.purpose;
    facts.preconnect = hint.result.target.partition;
    // The first request that was served from the other group.
    for (const LoadedRequest& request : result_.requests) {
      if (request.result.group_id == *strand_group) {
        facts.request = request.result.partition;
        facts.request_is_main_frame_navigation =
            request.destination == "document";
        facts.destination = request.destination;
        break;
      }
    }
    hint.diagnostic = DescribeStrandedPreconnect(facts);
  }
}

}  // namespace prewarm
