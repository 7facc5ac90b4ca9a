#include "preload/preload_manager.h"

#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "preload/preload_diagnostics.h"

namespace prewarm {

PreloadManager::PreloadManager(Options options,
                               DocumentRegistry* documents,
                               PreloadObserver* observer)
    : options_(options),
      rules_(PreloadRules::Create(options.rules)),
      documents_(documents),
      observer_(observer) {
  documents_->AddObserver(this);
}

PreloadManager::~PreloadManager() {
  documents_->RemoveObserver(this);
}

int PreloadManager::AddPreload(const PreloadRequest& request,
                               uint64_t* id,
                               PreloadKey* key,
                               std::string* message) {
  const Document* document = documents_->Find(request.document_id);
  if (!document) {
    *message = absl::StrCat("unknown document \"", request.document_id, "\"");
    return net::ERR_UNKNOWN_DOCUMENT;
  }
  if (request.url.empty()) {
    *message = "a preload needs an href";
    return net::ERR_INVALID_URL;
  }
  net::Url url = net::Url::Parse(request.url);
  if (!url.is_valid() && url.error() != net::ERR_UNKNOWN_URL_SCHEME) {
    *message = absl::StrCat("cannot preload \"", request.url,
                            "\": ", url.error_message());
    return url.error();
  }
  if (!url.is_valid() || !url.SchemeIsHttpOrHttps()) {
    *message = absl::StrCat("cannot preload \"", request.url,
                            "\": only http(s) URLs are preloaded");
    return net::ERR_DISALLOWED_URL_SCHEME;
  }
  std::optional<std::string> destination = PreloadDestinationForAs(request.as);
  if (!destination) {
    *message = absl::StrCat(
        "the preload of ", url.spec(), " has as=\"", request.as,
        "\", which fetches nothing: use as=fetch, font, image, script, style "
        "or track");
    return net::ERR_INVALID_ARGUMENT;
  }
  std::unique_ptr<DocumentPreloads>& preloads = by_document_[document->id()];
  if (!preloads)
    preloads = std::make_unique<DocumentPreloads>();
  if (preloads->entries.size() >= kMaxPreloadsPerDocument) {
    *message = absl::StrCat("document \"", document->id(), "\" has ",
                            kMaxPreloadsPerDocument, " preloads already");
    return net::ERR_INSUFFICIENT_RESOURCES;
  }

  auto entry = std::make_unique<Entry>();
  entry->id = next_id_++;
  entry->document_id = document->id();
  entry->key.url = url;
  entry->key.as = request.as;
  entry->key.destination = *destination;
  entry->key.crossorigin = request.crossorigin;
  entry->key.settings = FetchSettingsForCrossOrigin(request.crossorigin);
  entry->key.integrity = request.integrity;
  entry->key.same_origin =
      net::Origin::Create(url).IsSameOriginWith(document->origin());
  *id = entry->id;
  *key = entry->key;
  by_id_[entry->id] = entry.get();
  preloads->entries.push_back(std::move(entry));
  return net::OK;
}

void PreloadManager::OnResponseHeaders(
    uint64_t id,
    int status_code,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::Time received) {
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second->state != State::kInFlight)
    return;
  Entry* entry = it->second;
  entry->cacheability = CacheabilityFromHeaders(status_code, headers, received);
  entry->state = State::kHeadersReceived;
  Advance(entry);
}

void PreloadManager::OnResponseComplete(uint64_t id,
                                        int error,
                                        std::any response) {
  auto it = by_id_.find(id);
  if (it == by_id_.end())
    return;
  Entry* entry = it->second;
  entry->state = error == net::OK ? State::kComplete : State::kFailed;
  entry->response = std::move(response);
  Advance(entry);
}

void PreloadManager::Match(const std::string& document_id,
                           PreloadConsumer consumer,
                           ResolutionCallback callback) {
  std::optional<Resolution> resolution =
      MatchNow(document_id, std::move(consumer), callback);
  if (!resolution)
    return;
  net::EventLoop::Current()->PostTask(
      [callback = std::move(callback),
       resolution = std::move(*resolution)]() mutable {
        std::move(callback)(std::move(resolution));
      });
}

std::optional<PreloadManager::Resolution> PreloadManager::MatchNow(
    const std::string& document_id,
    PreloadConsumer consumer,
    ResolutionCallback& callback) {
  auto preloads = by_document_.find(document_id);
  if (preloads == by_document_.end())
    return Resolution();
  Entry* first_mismatch = nullptr;
  PreloadMismatch field = PreloadMismatch::kNone;
  for (const std::unique_ptr<Entry>& entry : preloads->second->entries) {
    // Consumed at most once; one request at a time may wait for it; a
    // failed preload has nothing to give.
    if (entry->consumed || entry->waiter || entry->state == State::kFailed ||
        !(entry->key.url == consumer.url)) {
      continue;
    }
    PreloadVerdict verdict = rules_->Match(entry->key, consumer);
    if (verdict.kind == PreloadVerdict::Kind::kMismatch) {
      if (!first_mismatch) {
        first_mismatch = entry.get();
        field = verdict.field;
      }
      continue;
    }
    return Resolve(entry.get(), std::move(consumer), verdict, callback,
                   /*waited=*/false);
  }
  if (first_mismatch)
    return OwnRequest(*first_mismatch, consumer, field, /*waited=*/false);
  return Resolution();
}

std::optional<PreloadManager::Resolution> PreloadManager::Resolve(
    Entry* entry,
    PreloadConsumer consumer,
    PreloadVerdict verdict,
    ResolutionCallback& callback,
    bool waited) {
  if (verdict.kind == PreloadVerdict::Kind::kReuseIfCacheable) {
    bool known = verdict.decide_after_body ? entry->state == State::kComplete
                                           : entry->state != State::kInFlight;
    if (known) {
      PreloadMismatch field = CacheableFor(*entry, consumer);
      if (field != PreloadMismatch::kNone)
        return OwnRequest(*entry, consumer, field, waited);
      verdict = PreloadVerdict::Reuse();
    }
  }
  if (verdict.kind == PreloadVerdict::Kind::kReuse &&
      entry->state == State::kComplete) {
    return Consume(entry, waited);
  }
  entry->waiter = std::make_unique<Waiter>(
      Waiter{std::move(consumer), verdict, std::move(callback)});
  return std::nullopt;
}

PreloadManager::Resolution PreloadManager::Consume(Entry* entry, bool waited) {
  entry->consumed = true;
  Resolution resolution;
  resolution.kind = Resolution::Kind::kReused;
  resolution.preload_id = entry->id;
  resolution.response = std::move(entry->response);
  resolution.waited = waited;
  Notify(PreloadEvent::Kind::kConsumed, *entry, "");
  return resolution;
}

PreloadMismatch PreloadManager::CacheableFor(
    const Entry& entry,
    const PreloadConsumer& consumer) const {
  if (!entry.cacheability.reusable())
    return PreloadMismatch::kCacheability;
  for (const auto& header : consumer.headers) {
    if (entry.cacheability.VariesOn(header.first))
      return PreloadMismatch::kVary;
  }
  return PreloadMismatch::kNone;
}

PreloadManager::Resolution PreloadManager::OwnRequest(
    const Entry& entry,
    const PreloadConsumer& consumer,
    PreloadMismatch field,
    bool waited) {
  Resolution resolution;
  resolution.kind = Resolution::Kind::kOwnRequest;
  resolution.preload_id = entry.id;
  resolution.field = field;
  resolution.waited = waited;
  resolution.diagnostic = DescribePreloadMismatch(
      entry.key, consumer, field, rules_->rule_set(), entry.cacheability);
  Notify(PreloadEvent::Kind::kNotConsumed, entry, resolution.diagnostic);
  return resolution;
}

void PreloadManager::Advance(Entry* entry) {
  if (!entry->waiter)
    return;
  std::unique_ptr<Waiter> parked = std::move(entry->waiter);
  ResolutionCallback callback = std::move(parked->callback);
  if (entry->state == State::kFailed) {
    Resolution resolution;
    resolution.waited = true;
    std::move(callback)(std::move(resolution));
    return;
  }
  // Resolve() decides now or parks the request again with its callback.
  std::optional<Resolution> resolution =
      Resolve(entry, std::move(parked->consumer), parked->verdict, callback,
              /*waited=*/true);
  if (resolution)
    std::move(callback)(std::move(*resolution));
}

void PreloadManager::OnLoadEvent(const std::string& document_id) {
  auto preloads = by_document_.find(document_id);
  if (preloads == by_document_.end())
    return;
  preloads->second->unused_timer.Start(
      options_.unused_timeout,
      [this, document_id] { ReportUnused(document_id); });
}

void PreloadManager::ReportUnused(const std::string& document_id) {
  auto preloads = by_document_.find(document_id);
  if (preloads == by_document_.end())
    return;
  for (const std::unique_ptr<Entry>& entry : preloads->second->entries) {
    if (!entry->consumed && !entry->waiter) {
      Notify(PreloadEvent::Kind::kUnusedAfterLoad, *entry,
             DescribeUnusedPreload(entry->key, /*after_load_timeout=*/true));
    }
  }
}

size_t PreloadManager::preload_count(const std::string& document_id) const {
  auto preloads = by_document_.find(document_id);
  return preloads == by_document_.end() ? 0 : preloads->second->entries.size();
}

void PreloadManager::OnDocumentRemoved(const Document& document) {
  auto preloads = by_document_.find(document.id());
  if (preloads == by_document_.end())
    return;
  std::unique_ptr<DocumentPreloads> gone = std::move(preloads->second);
  by_document_.erase(preloads);
  std::vector<ResolutionCallback> waiting;
  for (const std::unique_ptr<Entry>& entry : gone->entries) {
    by_id_.erase(entry->id);
    if (entry->waiter)
      waiting.push_back(std::move(entry->waiter->callback));
  }
  // After the bookkeeping: a callback may call back into the manager.
  for (ResolutionCallback& callback : waiting)
    std::move(callback)(Resolution());
}

void PreloadManager::Notify(PreloadEvent::Kind kind,
                            const Entry& entry,
                            std::string diagnostic) {
  if (!observer_)
    return;
  observer_->OnPreloadEvent(
      {kind, entry.id, entry.key.url.spec(), std::move(diagnostic)});
}

}  // namespace prewarm
