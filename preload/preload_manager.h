#ifndef PRELOAD_PRELOAD_MANAGER_H_
#define PRELOAD_PRELOAD_MANAGER_H_

#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "net/event/timer.h"
#include "preload/preload_observer.h"
#include "preload/preload_request.h"
#include "preload/preload_rules.h"
#include "preload/response_cacheability.h"
#include "privacy/document.h"
#include "privacy/document_registry.h"

namespace prewarm {

// The preloads of every live document, like the "map of preloaded resources"
// HTML gives each Document: each with its key (PreloadKey) and its response,
// in flight or finished, and the later requests matched against them under
// one PreloadRules. A preload is consumed at most once; a request that
// matches a preload still in flight waits for it (a late preload), or for
// its response headers when the rule set decides on cacheability there.
//
// The manager does not fetch: its embedder (NetworkContext) starts the
// preload's real request on the pools and reports the response's headers
// and completion. The complete response is held as an opaque std::any (the
// embedder's own result type, which this layer below it cannot name) and
// moved to the request that consumes it.
//
// It observes the DocumentRegistry it is given (not owned; must outlive the
// manager): a document's preloads go with it, and a request still waiting
// for one of them is told kNoPreload. The observer, if any, is not owned and
// must outlive the manager. Resolution callbacks never run inside Match();
// those posted may run after the manager is gone (they hold nothing of it).
// Network thread only.
class PreloadManager : public DocumentRegistry::Observer {
 public:
  // At most this many preloads per document; more are refused.
  static constexpr size_t kMaxPreloadsPerDocument = 1024;

  struct Options {
    PreloadRuleSet rules = PreloadRuleSet::kPrewarm;
    // A preload nothing consumed this long after its document's load event
    // is reported unused (Chrome's console says "within a few seconds").
    absl::Duration unused_timeout = absl::Seconds(3);
  };

  // What a later request gets. A value type (move-only: the response).
  struct Resolution {
    enum class Kind {
      // No preload of its URL: make the request.
      kNoPreload,
      // The preload's response, in `response`.
      kReused,
      // A preload of its URL that it may not consume: make the request;
      // `field` and `diagnostic` say why.
      kOwnRequest,
    };
    Kind kind = Kind::kNoPreload;
    uint64_t preload_id = 0;
    PreloadMismatch field = PreloadMismatch::kNone;
    std::string diagnostic;
    std::any response;
    // It waited for the preload's response (a late preload), or for its
    // headers or body before deciding.
    bool waited = false;
  };
  using ResolutionCallback = absl::AnyInvocable<void(Resolution) &&>;

  PreloadManager(Options options,
                 DocumentRegistry* documents,
                 PreloadObserver* observer);
  PreloadManager(const PreloadManager&) = delete;
  PreloadManager& operator=(const PreloadManager&) = delete;
  ~PreloadManager() override;

  PreloadRuleSet rule_set() const { return rules_->rule_set(); }

  // Checks and registers a preload of a live document. OK and *id, *key; or
  // ERR_UNKNOWN_DOCUMENT, ERR_INVALID_URL (and the URL parser's codes),
  // ERR_DISALLOWED_URL_SCHEME (data:, javascript:, anything not http(s)),
  // ERR_INVALID_ARGUMENT for an `as` that fetches nothing, or
  // ERR_INSUFFICIENT_RESOURCES past kMaxPreloadsPerDocument; *message says
  // which, in a developer's words. The embedder then starts the request.
  int AddPreload(const PreloadRequest& request,
                 uint64_t* id,
                 PreloadKey* key,
                 std::string* message);
  // The preload's response headers arrived (`received` on the wall clock).
  void OnResponseHeaders(
      uint64_t id,
      int status_code,
      const std::vector<std::pair<std::string, std::string>>& headers,
      absl::Time received);
  // The preload's request finished: OK and the complete response, or a net
  // error (requests waiting for it make their own).
  void OnResponseComplete(uint64_t id, int error, std::any response);

  // Matches a request of `document_id` against its document's preloads.
  // A preload it consumes is taken at once (a second request in the same
  // turn cannot have it too); `callback` gets the resolution later, posted
  // when it is known now, never from inside this call.
  void Match(const std::string& document_id,
             PreloadConsumer consumer,
             ResolutionCallback callback);

  // Starts the unused timer of the document's preloads.
  void OnLoadEvent(const std::string& document_id);

  // Preloads of the document (consumed or not), for tests and state dumps.
  size_t preload_count(const std::string& document_id) const;

  // DocumentRegistry::Observer:
  void OnDocumentRemoved(const Document& document) override;

 private:
  enum class State { kInFlight, kHeadersReceived, kComplete, kFailed };
  struct Waiter {
    PreloadConsumer consumer;
    PreloadVerdict verdict;
    ResolutionCallback callback;
  };
  struct Entry {
    uint64_t id = 0;
    std::string document_id;
    PreloadKey key;
    State state = State::kInFlight;
    ResponseCacheability cacheability;
    std::any response;
    bool consumed = false;
    // The request that claimed it and waits for its headers or body.
    std::unique_ptr<Waiter> waiter;
  };
  struct DocumentPreloads {
    std::vector<std::unique_ptr<Entry>> entries;
    net::OneShotTimer unused_timer;
  };

  // Match() without the posting: the resolution if known now, else nullopt
  // with the request parked (and `callback` taken).
  std::optional<Resolution> MatchNow(const std::string& document_id,
                                     PreloadConsumer consumer,
                                     ResolutionCallback& callback);
  // Decides for a request that the rules let reuse `entry`, or parks it
  // (taking `callback`) until the entry's response gets further.
  std::optional<Resolution> Resolve(Entry* entry,
                                    PreloadConsumer consumer,
                                    PreloadVerdict verdict,
                                    ResolutionCallback& callback,
                                    bool waited);
  // Hands the response over (consume once).
  Resolution Consume(Entry* entry, bool waited);
  // For kReuseIfCacheable once the headers are in: kNone, kCacheability or
  // kVary.
  PreloadMismatch CacheableFor(const Entry& entry,
                               const PreloadConsumer& consumer) const;
  Resolution OwnRequest(const Entry& entry,
                        const PreloadConsumer& consumer,
                        PreloadMismatch field,
                        bool waited);
  // Runs a parked request's decision now that the entry's state moved.
  void Advance(Entry* entry);
  void ReportUnused(const std::string& document_id);
  void Notify(PreloadEvent::Kind kind,
              const Entry& entry,
              std::string diagnostic);

  const Options options_;
  const std::unique_ptr<PreloadRules> rules_;
  DocumentRegistry* const documents_;
  PreloadObserver* const observer_;
  uint64_t next_id_ = 1;
  absl::flat_hash_map<std::string, std::unique_ptr<DocumentPreloads>>
      by_document_;
  absl::flat_hash_map<uint64_t, Entry*> by_id_;
};

}  // namespace prewarm

#endif  // PRELOAD_PRELOAD_MANAGER_H_
