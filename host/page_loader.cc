#include "host/page_loader.h"

#include <deque>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "host/font_face_scanner.h"
#include "host/origin_references.h"
#include "host/page_scanner.h"
#include "host/script_context.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/event/event_loop.h"
#include "preconnect/preconnect_diagnostics.h"
#include "preconnect/preconnect_request.h"
#include "service/network_context_interface.h"

namespace prewarm {

namespace {

// The hints a <link> gives.
std::vector<PageHint> HintsOf(const MarkupElement& element,
                              const net::Url& base) {
  std::vector<PageHint> hints;
  if (element.tag != MarkupElement::Tag::kLink)
    return hints;
  std::optional<std::string> href = element.Attribute("href");
  if (!href)
    return hints;
  std::string url = PageScanner::ResolveUrl(base, *href);
  if (element.RelHas("preconnect")) {
    hints.push_back(
        {PageHint::Kind::kPreconnect, url, element.Attribute("crossorigin")});
  }
  if (element.RelHas("dns-prefetch")) {
    hints.push_back(
        {PageHint::Kind::kDnsPrefetch, url, element.Attribute("crossorigin")});
  }
  return hints;
}

// What the preload scanner fetches for an element: scripts with a source,
// stylesheets and images (not frames, which only the parser starts).
std::optional<Subresource> PreloadableSubresource(const MarkupElement& element,
                                                  const net::Url& base) {
  std::optional<std::string> url;
  SubresourceKind kind = SubresourceKind::kScript;
  switch (element.tag) {
    case MarkupElement::Tag::kScript:
      url = element.Attribute("src");
      break;
    case MarkupElement::Tag::kImage:
      kind = SubresourceKind::kImage;
      url = element.Attribute("src");
      break;
    case MarkupElement::Tag::kLink:
      if (!element.RelHas("stylesheet"))
        return std::nullopt;
      kind = SubresourceKind::kStylesheet;
      url = element.Attribute("href");
      break;
    case MarkupElement::Tag::kIframe:
    case MarkupElement::Tag::kStyle:
    case MarkupElement::Tag::kOther:
      return std::nullopt;
  }
  if (!url)
    return std::nullopt;
  Subresource subresource =
      PageScanner::MakeSubresource(kind, PageScanner::ResolveUrl(base, *url),
                                   element.Attribute("crossorigin"));
  if (kind == SubresourceKind::kScript && !element.Attribute("crossorigin")) {
    std::optional<std::string> type = element.Attribute("type");
    if (type &&
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(*type)) == "module") {
      // A module script is fetched in CORS mode, credentials same-origin.
      subresource.mode = RequestMode::kCors;
      subresource.credentials = CredentialsMode::kSameOrigin;
    }
  }
  return subresource;
}

bool IsModuleScript(const MarkupElement& element) {
  std::optional<std::string> type = element.Attribute("type");
  return type &&
         absl::AsciiStrToLower(absl::StripAsciiWhitespace(*type)) == "module";
}

// The preload a <link rel=preload href> asks for.
PagePreload PreloadOf(const MarkupElement& element, const net::Url& base) {
  return {PageScanner::ResolveUrl(base, element.Attribute("href").value_or("")),
          element.Attribute("as").value_or(""),
          element.Attribute("crossorigin"),
          element.Attribute("integrity").value_or("")};
}

}  // namespace

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

// A script the frame runs once its request has finished (or, inline, once
// parsing is done).
struct PageLoader::PendingScript {
  size_t request = 0;
  bool module = false;
  // An inline module script: its text and line.
  std::optional<std::string> inline_source;
  int line = 1;
};

// Hands one frame's script events to the loader.
class PageLoader::FrameScripts : public ScriptContext::Delegate {
 public:
  FrameScripts(PageLoader* loader, size_t frame, const std::string& url)
      : loader_(loader), frame_(frame), context_(this, url) {}

  ScriptContext& context() { return context_; }

  // ScriptContext::Delegate:
  void OnScriptElement(const MarkupElement& element) override {
    loader_->OnScriptElement(frame_, element);
  }
  void OnScriptFetch(int id,
                     const std::string& url,
                     const std::string& mode,
                     const std::string& credentials) override {
    loader_->OnScriptFetch(frame_, id, url, mode, credentials);
  }
  void OnScriptNavigate(const std::string& url) override {
    loader_->OnScriptNavigate(frame_, url);
  }
  void OnScriptConsole(const std::string& level,
                       const std::string& message) override {
    loader_->AddNote(absl::StrCat("console.", level, " (",
                                  loader_->result_.frames[frame_].document_id,
                                  "): ", message));
  }
  void OnScriptError(const std::string& message) override {
    ++loader_->result_.script_errors;
    loader_->AddNote(absl::StrCat("script error: ", message));
  }

 private:
  PageLoader* const loader_;
  const size_t frame_;
  ScriptContext context_;
};

// The loader's own state of one document.
struct PageLoader::Frame {
  DocumentParser parser;
  // One fresh script context per document, made when the document commits.
  std::unique_ptr<FrameScripts> scripts;
  // Deferred and module scripts, run in order once parsing is done.
  std::deque<PendingScript> deferred;
  // Async and script-inserted scripts, run when their request finishes, by
  // request.
  absl::flat_hash_map<size_t, PendingScript> when_loaded;
  // Received elements the parser has not reached.
  std::deque<MarkupElement> queue;
  // The request the preload scanner made for an element, by offset.
  absl::flat_hash_map<size_t, size_t> preloaded;
  OriginReferences references;
  net::Url base;
  // The request of the script the parser waits for, if any.
  std::optional<size_t> blocking_request;
  // The parser-blocking classic script to run once that request is done
  // (unset when the wait is for a deferred script, which RunParser runs).
  std::optional<PendingScript> deferred_blocking;
  // Subresources and subframes not done yet.
  int pending = 0;
  bool parsed = false;
  bool load_fired = false;
};

void PageLoader::StartPage(size_t page) {
  LoadedPage& loaded = result_.pages[page];
  loaded.navigation_start = Now();
  page_subframes_ = 0;
  const size_t frame = result_.frames.size();
  result_.frames.push_back({page, loaded.document_id, loaded.url});
  frames_.push_back(std::make_unique<Frame>());
  if (page == 0 && options_.html) {
    context_->CommitNavigation(loaded.document_id, loaded.url, "",
                               [weak = weak_factory_.GetWeakPtr(), frame](
                                   const DocumentRegistry::Result& committed) {
                                 if (PageLoader* self = weak.get())
                                   self->OnCommitted(frame, committed);
                               });
    return;
  }
  size_t request = result_.requests.size();
  result_.requests.push_back(
      {page, "", loaded.url, "document", calls_made_++, Now()});
  context_->Navigate(
      {loaded.document_id, loaded.url, ""},
      [weak = weak_factory_.GetWeakPtr(), frame, request](FetchResult result) {
        if (PageLoader* self = weak.get()) {
          self->OnMainFrameResponse(frame, request, std::move(result));
        }
      });
}

void PageLoader::OnMainFrameResponse(size_t frame,
                                     size_t request,
                                     FetchResult result) {
  LoadedRequest& loaded = result_.requests[request];
  loaded.finished = Now();
  loaded.result = std::move(result);
  if (loaded.result.error != net::OK) {
    ++result_.failed_requests;
    LoadedPage& page = result_.pages[result_.frames[frame].page];
    page.error = loaded.result.error;
    page.error_message = loaded.result.error_message;
    // Without a document there is nothing to load, and no later page to
    // follow a link from.
    pages_done_ = true;
    MaybeFinish();
    return;
  }
  OnDocument(frame, loaded.result.body);
}

void PageLoader::OnCommitted(size_t frame,
                             const DocumentRegistry::Result& committed) {
  if (!committed.ok()) {
    LoadedPage& page = result_.pages[result_.frames[frame].page];
    page.error = committed.error;
    page.error_message = committed.message;
    pages_done_ = true;
    MaybeFinish();
    return;
  }
  OnDocument(frame, *options_.html);
}

void PageLoader::OnDocument(size_t frame, const std::string& html) {
  LoadedFrame& loaded = result_.frames[frame];
  loaded.committed = Now();
  if (loaded.parent < 0) {
    result_.pages[loaded.page].committed = loaded.committed;
    // The preload scanner's bounds (PageScanner's gumbo limits) are reported
    // for the main frame.
    result_.pages[loaded.page].scan_cut_off =
        PageScanner::Scan(html, net::Url::Parse(loaded.url)).cut_off;
  }
  Frame& state = *frames_[frame];
  state.base = net::Url::Parse(loaded.url);
  state.scripts = std::make_unique<FrameScripts>(this, frame, loaded.url);
  // The network service hands over the body whole, so all of it has
  // arrived: one chunk, then the end.
  std::vector<MarkupElement> elements = state.parser.AppendBytes(html);
  for (MarkupElement& element : state.parser.Finish())
    elements.push_back(std::move(element));
  if (state.parser.truncated()) {
    result_.notes.push_back(absl::StrCat(loaded.url, ": only the first ",
                                         DocumentParser::kMaxDocumentBytes,
                                         " bytes of the document were parsed"));
  }
  if (const auto& href = state.parser.base_href()) {
    net::Url base = net::Url::Parse(PageScanner::ResolveUrl(state.base, *href));
    if (base.is_valid())
      state.base = std::move(base);
  }
  for (const MarkupElement& element : elements) {
    state.references.Add(element, state.base);
    if (element.tag == MarkupElement::Tag::kStyle) {
      for (const std::string& font : FindFontFaceUrls(element.text))
        state.references.AddFont(PageScanner::ResolveUrl(state.base, font));
    }
    state.scripts->context().AddMarkupElement(element);
  }
  if (options_.hints_first) {
    for (const MarkupElement& element : elements) {
      for (const PageHint& hint : HintsOf(element, state.base))
        IssueHint(frame, hint);
    }
  }
  PreloadScan(frame, elements);
  for (MarkupElement& element : elements)
    state.queue.push_back(std::move(element));
  RunParser(frame);
}

void PageLoader::PreloadScan(size_t frame,
                             const std::vector<MarkupElement>& elements) {
  Frame& state = *frames_[frame];
  for (const MarkupElement& element : elements) {
    if (element.tag == MarkupElement::Tag::kLink && element.RelHas("preload") &&
        element.Attribute("href")) {
      IssuePreload(frame, PreloadOf(element, state.base));
      continue;
    }
    std::optional<Subresource> subresource =
        PreloadableSubresource(element, state.base);
    if (subresource)
      state.preloaded[element.offset] = IssueRequest(frame, *subresource);
  }
}

void PageLoader::RunParser(size_t frame) {
  Frame& state = *frames_[frame];
  while (!state.queue.empty() && !state.blocking_request) {
    MarkupElement element = std::move(state.queue.front());
    state.queue.pop_front();
    if (!options_.hints_first) {
      for (const PageHint& hint : HintsOf(element, state.base))
        IssueHint(frame, hint);
    }
    switch (element.tag) {
      case MarkupElement::Tag::kIframe:
        StartSubframe(frame, element);
        break;
      case MarkupElement::Tag::kStyle:
        for (const std::string& font : FindFontFaceUrls(element.text)) {
          std::string url = PageScanner::ResolveUrl(state.base, font);
          IssueRequest(frame, PageScanner::MakeSubresource(
                                  SubresourceKind::kFont, url, std::nullopt));
        }
        break;
      case MarkupElement::Tag::kScript:
        ParseScript(frame, element);
        break;
      case MarkupElement::Tag::kLink:
      case MarkupElement::Tag::kImage:
      case MarkupElement::Tag::kOther:
        break;
    }
  }
  if (!state.queue.empty() || state.blocking_request || state.parsed)
    return;
  // The end of parsing: deferred and module scripts in order, each once it
  // has arrived, then DOMContentLoaded.
  while (!state.deferred.empty()) {
    const PendingScript script = state.deferred.front();
    if (!script.inline_source &&
        result_.requests[script.request].finished == absl::InfinitePast()) {
      state.blocking_request = script.request;
      return;
    }
    state.deferred.pop_front();
    RunFetchedScript(frame, script);
  }
  state.parsed = true;
  result_.frames[frame].dom_content_loaded = Now();
  state.scripts->context().DispatchDocumentEvent("DOMContentLoaded");
  MaybeFireLoadEvent(frame);
}

void PageLoader::ParseScript(size_t frame, const MarkupElement& element) {
  Frame& state = *frames_[frame];
  const bool module = IsModuleScript(element);
  const std::string url = result_.frames[frame].url;
  if (!element.Attribute("src")) {
    if (module) {
      // An inline module runs after parsing, like a deferred script; it
      // has nothing to fetch.
      PendingScript script;
      script.module = true;
      script.inline_source = element.text;
      script.line = static_cast<int>(element.line);
      state.deferred.push_back(std::move(script));
      return;
    }
    state.scripts->context().Evaluate(element.text, url,
                                      static_cast<int>(element.line), false);
    return;
  }
  auto preloaded = state.preloaded.find(element.offset);
  if (preloaded == state.preloaded.end())
    return;
  PendingScript script;
  script.request = preloaded->second;
  script.module = module;
  if (element.Attribute("async")) {
    state.when_loaded[script.request] = script;
    if (result_.requests[script.request].finished != absl::InfinitePast()) {
      state.when_loaded.erase(script.request);
      RunFetchedScript(frame, script);
    }
    return;
  }
  if (module || element.Attribute("defer")) {
    state.deferred.push_back(script);
    return;
  }
  // What is left is a classic script without async or defer, which blocks
  // the parser.
  // A classic parser-blocking script: the parser waits until it has arrived,
  // then runs it.
  if (result_.requests[script.request].finished == absl::InfinitePast()) {
    state.deferred_blocking = script;
    state.blocking_request = script.request;
    return;
  }
  RunFetchedScript(frame, script);
}

void PageLoader::RunFetchedScript(size_t frame, const PendingScript& script) {
  if (script.inline_source) {
    frames_[frame]->scripts->context().Evaluate(
        *script.inline_source, result_.frames[frame].url, script.line, true);
    return;
  }
  const LoadedRequest& request = result_.requests[script.request];
  if (request.result.error != net::OK ||
      request.result.status_code / 100 != 2) {
    // A script that failed to load fires an error event; nothing runs.
    return;
  }
  frames_[frame]->scripts->context().Evaluate(request.result.body, request.url,
                                              1, script.module);
}

void PageLoader::OnScriptElement(size_t frame, const MarkupElement& element) {
  Frame& state = *frames_[frame];
  state.references.Add(element, state.base);
  for (const PageHint& hint : HintsOf(element, state.base))
    IssueHint(frame, hint);
  switch (element.tag) {
    case MarkupElement::Tag::kIframe:
      StartSubframe(frame, element);
      return;
    case MarkupElement::Tag::kScript:
      if (!element.Attribute("src")) {
        state.scripts->context().Evaluate(element.text,
                                          result_.frames[frame].url, 1,
                                          IsModuleScript(element));
        return;
      }
      break;
    case MarkupElement::Tag::kLink:
      if (element.RelHas("preload")) {
        if (element.Attribute("href"))
          IssuePreload(frame, PreloadOf(element, state.base));
        return;
      }
      break;
    default:
      break;
  }
  std::optional<Subresource> subresource =
      PreloadableSubresource(element, state.base);
  if (!subresource)
    return;
  const size_t request = IssueRequest(frame, *subresource);
  if (element.tag == MarkupElement::Tag::kScript) {
    // A script-inserted script runs as soon as it has arrived.
    PendingScript script;
    script.request = request;
    script.module = IsModuleScript(element);
    state.when_loaded[request] = std::move(script);
  }
}

void PageLoader::OnScriptFetch(size_t frame,
                               int id,
                               const std::string& url,
                               const std::string& mode,
                               const std::string& credentials) {
  Subresource fetch;
  fetch.url = PageScanner::ResolveUrl(frames_[frame]->base, url);
  fetch.mode = mode == "no-cors"       ? RequestMode::kNoCors
               : mode == "same-origin" ? RequestMode::kSameOrigin
                                       : RequestMode::kCors;
  fetch.credentials = credentials == "include" ? CredentialsMode::kInclude
                      : credentials == "omit"  ? CredentialsMode::kOmit
                                               : CredentialsMode::kSameOrigin;
  const size_t request = IssueFetch(frame, fetch, "fetch");
  script_fetches_[request] = id;
}

void PageLoader::OnScriptNavigate(size_t frame, const std::string& url) {
  const LoadedFrame& from = result_.frames[frame];
  const std::string target = PageScanner::ResolveUrl(frames_[frame]->base, url);
  if (from.parent >= 0) {
    AddNote(absl::StrCat("navigation of frame ", from.document_id, " to ",
                         target,
                         " by its script is not loaded (only the "
                         "main frame navigates)"));
    return;
  }
  if (finished_ || script_navigation_) {
    AddNote(absl::StrCat("navigation to ", target,
                         " ignored: one is already pending"));
    return;
  }
  script_navigation_ = target;
  if (pages_done_) {
    // The page had finished loading: the navigation starts now.
    pages_done_ = false;
    StartScriptNavigation(from.page);
  }
}

void PageLoader::StartScriptNavigation(size_t after_page) {
  std::string url = std::move(*script_navigation_);
  script_navigation_.reset();
  LoadedPage page{
      url, absl::StrCat(options_.document_prefix, result_.pages.size() + 1)};
  result_.pages.insert(result_.pages.begin() + after_page + 1, page);
  net::EventLoop::Current()->PostTask(
      [weak = weak_factory_.GetWeakPtr(), after_page] {
        if (PageLoader* self = weak.get())
          self->StartPage(after_page + 1);
      });
}

void PageLoader::AddNote(std::string note) {
  if (result_.notes.size() < kMaxNotes) {
    result_.notes.push_back(std::move(note));
  } else if (result_.notes.size() == kMaxNotes) {
    result_.notes.push_back("... (further notes left out)");
  }
}

void PageLoader::StartSubframe(size_t parent, const MarkupElement& element) {
  std::optional<std::string> src = element.Attribute("src");
  if (!src)
    return;
  const LoadedFrame parent_frame = result_.frames[parent];
  const std::string url = PageScanner::ResolveUrl(frames_[parent]->base, *src);
  if (parent_frame.depth + 1 > options_.max_frame_depth) {
    result_.notes.push_back(absl::StrCat(
        "frame bound: <iframe src=", url, "> in ", parent_frame.document_id,
        " not loaded (depth ", parent_frame.depth + 1, " > ",
        options_.max_frame_depth, ")"));
    return;
  }
  if (page_subframes_ >= options_.max_frames) {
    result_.notes.push_back(absl::StrCat(
        "frame bound: <iframe src=", url, "> in ", parent_frame.document_id,
        " not loaded (more than ", options_.max_frames, " frames)"));
    return;
  }
  ++page_subframes_;
  const size_t frame = result_.frames.size();
  const size_t request = result_.requests.size();
  // Frames are numbered by their request, so ids never repeat.
  const std::string id =
      absl::StrCat(parent_frame.document_id, "-frame", request);
  LoadedFrame& child = result_.frames.emplace_back();
  child.page = parent_frame.page;
  child.document_id = id;
  child.url = url;
  child.parent = static_cast<int>(parent);
  child.depth = parent_frame.depth + 1;
  frames_.push_back(std::make_unique<Frame>());
  result_.requests.push_back({parent_frame.page, parent_frame.document_id, url,
                              "iframe", calls_made_++, Now()});
  ++frames_[parent]->pending;
  context_->Navigate(
      {id, url, parent_frame.document_id},
      [weak = weak_factory_.GetWeakPtr(), frame, request](FetchResult result) {
        if (PageLoader* self = weak.get())
          self->OnSubframeResponse(frame, request, std::move(result));
      });
}

void PageLoader::OnSubframeResponse(size_t frame,
                                    size_t request,
                                    FetchResult result) {
  LoadedRequest& loaded = result_.requests[request];
  loaded.finished = Now();
  loaded.result = std::move(result);
  if (loaded.result.error != net::OK) {
    // A frame that never committed is done for its parent's load event.
    ++result_.failed_requests;
    OnFrameWorkDone(static_cast<size_t>(result_.frames[frame].parent));
    return;
  }
  OnDocument(frame, loaded.result.body);
}

void PageLoader::IssueHint(size_t frame, const PageHint& hint) {
  const LoadedFrame& from = result_.frames[frame];
  const std::string document_id = from.document_id;
  size_t index = result_.hints.size();
  LoadedHint& loaded = result_.hints.emplace_back();
  loaded.page = from.page;
  loaded.frame = document_id;
  loaded.hint = hint;
  loaded.issued = Now();
  loaded.call_order = calls_made_++;
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
  // Only prewarm's host tells the network service what the markup says;
  // the other policies model browsers that send the hint as written.
  std::optional<OriginReferences::Informed> informed;
  if (policy_ == PreconnectPolicy::kPrewarm && options_.markup_informed_hints)
    informed = frames_[frame]->references.InformHint(hint.url);
  if (informed) {
    if (informed->subframe_navigation) {
      loaded.informed = absl::StrCat(
          informed->reason,
          " (the preconnect call has no subframe purpose yet: as written)");
    } else {
      request.purpose = informed->purpose;
      request.crossorigin = informed->crossorigin;
      loaded.informed = informed->reason;
    }
  }
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

void PageLoader::IssuePreload(size_t frame, const PagePreload& preload) {
  size_t index = result_.preloads.size();
  LoadedPreload& loaded = result_.preloads.emplace_back();
  loaded.page = result_.frames[frame].page;
  loaded.preload = preload;
  loaded.issued = Now();
  // Like a hint, a preload does not delay the load event; the load waits
  // for it to finish all the same.
  ++pending_hints_;
  PreloadRequest request;
  request.document_id = result_.frames[frame].document_id;
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

size_t PageLoader::IssueRequest(size_t frame, const Subresource& subresource) {
  return IssueFetch(frame, subresource,
                    SubresourceKindToString(subresource.kind));
}

size_t PageLoader::IssueFetch(size_t frame,
                              const Subresource& subresource,
                              const std::string& destination) {
  const LoadedFrame& from = result_.frames[frame];
  const std::string document_id = from.document_id;
  size_t request = result_.requests.size();
  result_.requests.push_back({from.page, document_id, subresource.url,
                              destination, calls_made_++, Now()});
  ++frames_[frame]->pending;
  ++outstanding_requests_;
  context_->Fetch(
      {document_id,
       subresource.url,
       subresource.mode,
       subresource.credentials,
       destination,
       {},
       subresource.integrity},
      [weak = weak_factory_.GetWeakPtr(), frame, request](FetchResult result) {
        if (PageLoader* self = weak.get())
          self->OnRequestDone(frame, request, std::move(result));
      });
  return request;
}

void PageLoader::OnRequestDone(size_t frame,
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
      IssueRequest(frame, PageScanner::MakeSubresource(
                              SubresourceKind::kFont,
                              PageScanner::ResolveUrl(stylesheet_url, font),
                              std::nullopt));
    }
  }
  --outstanding_requests_;
  Frame& state = *frames_[frame];
  if (auto fetch = script_fetches_.find(request);
      fetch != script_fetches_.end()) {
    const int id = fetch->second;
    script_fetches_.erase(fetch);
    const FetchResult& answer = result_.requests[request].result;
    state.scripts->context().OnFetchDone(
        id, result_.requests[request].url, answer.status_code, answer.headers,
        answer.body,
        answer.error == net::OK
            ? ""
            : absl::StrCat("Failed to fetch: ",
                           net::ErrorToShortString(answer.error)));
  }
  if (auto script = state.when_loaded.find(request);
      script != state.when_loaded.end()) {
    const PendingScript pending = script->second;
    state.when_loaded.erase(script);
    RunFetchedScript(frame, pending);
  }
  if (state.blocking_request == request) {
    state.blocking_request.reset();
    if (state.deferred_blocking &&
        state.deferred_blocking->request == request) {
      const PendingScript blocking = *state.deferred_blocking;
      state.deferred_blocking.reset();
      RunFetchedScript(frame, blocking);
    }
    RunParser(frame);
  }
  OnFrameWorkDone(frame);
  MaybeFinish();
}

void PageLoader::OnHintDone() {
  --pending_hints_;
  MaybeFinish();
}

void PageLoader::OnFrameWorkDone(size_t frame) {
  --frames_[frame]->pending;
  MaybeFireLoadEvent(frame);
}

void PageLoader::MaybeFireLoadEvent(size_t frame) {
  Frame& state = *frames_[frame];
  if (!state.parsed || state.pending > 0 || state.load_fired)
    return;
  state.load_fired = true;
  LoadedFrame& loaded = result_.frames[frame];
  // Calls are handled in order, so the next navigation comes after it.
  context_->LoadEvent(loaded.document_id, nullptr);
  loaded.load_event = Now();
  const int parent = loaded.parent;
  const size_t page = loaded.page;
  state.scripts->context().DispatchDocumentEvent("load");
  if (parent >= 0) {
    OnFrameWorkDone(static_cast<size_t>(parent));
    return;
  }
  result_.pages[page].load_event = result_.frames[frame].load_event;
  if (page == 0 && !options_.click_selector.empty()) {
    // The user clicks once the first page has loaded.
    if (!state.scripts->context().Click(options_.click_selector)) {
      AddNote(absl::StrCat("--click: nothing in ", result_.pages[0].url,
                           " matches '", options_.click_selector, "'"));
    }
  }
  if (script_navigation_) {
    StartScriptNavigation(page);
    return;
  }
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
  // Requests and timers of page scripts may still come after the load
  // event.
  bool scripts_busy = outstanding_requests_ > 0;
  for (const std::unique_ptr<Frame>& frame : frames_)
    scripts_busy |= frame->scripts && frame->scripts->context().busy();
  if (scripts_busy) {
    finish_timer_.Start(absl::Milliseconds(5), [this] { MaybeFinish(); });
    return;
  }
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
