#ifndef PRECONNECT_PRECONNECT_MANAGER_H_
#define PRECONNECT_PRECONNECT_MANAGER_H_

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "net/base/network_anonymization_key.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"
#include "preconnect/learned_preconnect_corrections.h"
#include "preconnect/preconnect_policy.h"
#include "preconnect/preconnect_request.h"
#include "preconnect/preconnect_target.h"
#include "privacy/document_registry.h"
#include "privacy/privacy_decider.h"
#include "socket_pool/group_id.h"
#include "socket_pool/socket_pool_config.h"

namespace net {
class HostResolver;
class NetLog;
class ResolveHostRequest;
class SocketPoolManager;
}  // namespace net

namespace prewarm {

// How the pool binds the sockets of `target`: kUnbound (late privacy binding,
// docs/pool-selection.md section 9) only for the prewarm policy's guessed
// keys - purpose UNKNOWN resolved through crossorigin or the load phase, not
// changed by a learned correction.
net::PreconnectBinding BindingFor(PreconnectPolicy policy,
                                  const PreconnectTarget& target);

// What one preconnect hint led to. A value type.
struct PreconnectResult {
  PreconnectResult();
  PreconnectResult(const PreconnectResult&);
  PreconnectResult& operator=(const PreconnectResult&);
  ~PreconnectResult();

  // OK when the group was topped up (possibly by zero sockets); otherwise why
  // not: the decision's error when ignored (target.ignored()), ERR_ABORTED when
  // the document went away first, a resolution error, or a pool error.
  int error = 0;
  // For the page's developer: why the hint was ignored or failed; "" on OK.
  std::string diagnostic;
  // The decision: purpose, how it was decided, privacy mode and NAK.
  PreconnectTarget target;
  // The group the sockets were warmed in, as the pool keys it (its NAK
  // cleared when partitioning is off). Empty when ignored.
  net::GroupId group_id;
  // The preconnected sockets this hint started, in order; empty when the
  // group already had enough.
  std::vector<uint64_t> preconnect_ids;
  // The preconnect budget (docs/pool-selection.md section 10) turned it into
  // a DNS resolution; `diagnostic` says why.
  bool downgraded = false;
};

// Hints to an origin that this many consecutive page views of a site never
// requested are downgraded (section 10).
inline constexpr uint32_t kDowngradeAfterUnfollowedPageViews = 2;

// Turns preconnect and dns-prefetch hints into warmed sockets and cache
// entries, like Chromium's PreconnectManager in the loading predictor:
// validation and group choice (DecidePreconnectGroup, through the same
// PrivacyDecider real requests use), a host resolution into the
// NAK-partitioned host cache, then a top-up of the group through
// SocketPoolManager::RequestSockets. A DNS prefetch stops after the
// resolution, and so does a preconnect the budget downgraded (prewarm
// policy, purpose not explicit, the origin unrequested in the last
// kDowngradeAfterUnfollowedPageViews page views of the site).
//
// At most kMaxInflightResolutions resolutions run at once; the rest wait in
// a queue where hints with an explicit purpose go first, then other
// preconnects, then DNS prefetches (FIFO within each). The group is decided
// when the hint arrives (the load phase at that moment is what counts); the
// sockets are requested when its resolution completes. When a document is
// removed, its queued and resolving hints end with ERR_ABORTED.
//
// Callbacks run exactly once and never from inside the call that took them
// (they are posted); destroying the manager cancels them. Does not own the
// registry, decider, corrections (may be null), pool or resolver, which must
// outlive it. Registers itself as an observer of the registry. Network thread
// only.
class PreconnectManager : public DocumentRegistry::Observer {
 public:
  static constexpr size_t kMaxInflightResolutions = 3;

  using PreconnectCallback =
      absl::AnyInvocable<void(const PreconnectResult&) &&>;
  // OK, or why the prefetch was ignored or failed (`diagnostic` says more).
  using DnsPrefetchCallback =
      absl::AnyInvocable<void(int error, const std::string& diagnostic) &&>;

  PreconnectManager(PreconnectPolicy policy,
                    DocumentRegistry* documents,
                    const PrivacyDecider* privacy,
                    const LearnedPreconnectCorrections* learned,
                    net::SocketPoolManager* pool,
                    net::HostResolver* host_resolver,
                    net::NetLog* net_log);
  PreconnectManager(const PreconnectManager&) = delete;
  PreconnectManager& operator=(const PreconnectManager&) = delete;
  ~PreconnectManager() override;

  void Preconnect(const PreconnectRequest& request,
                  PreconnectCallback callback);
  void DnsPrefetch(std::string_view document_id,
                   std::string_view url,
                   DnsPrefetchCallback callback);

  PreconnectPolicy policy() const { return policy_; }
  size_t queued_count() const { return queued_.size(); }
  size_t in_flight_count() const { return in_flight_.size(); }

  // DocumentRegistry::Observer:
  void OnDocumentRemoved(const Document& document) override;

 private:
  struct Job;
  using JobList = std::list<std::unique_ptr<Job>>;

  void Enqueue(std::unique_ptr<Job> job);
  void StartQueuedJobs();
  void OnResolveComplete(Job* job, int result);
  // Removes `job` from the in-flight list and finishes it.
  void FinishInFlight(Job* job, int result);
  // Requests the sockets (preconnects) and posts the callback.
  void Complete(std::unique_ptr<Job> job, int result);
  void PostPreconnectResult(PreconnectCallback callback,
                            PreconnectResult result);
  void PostDnsPrefetchResult(DnsPrefetchCallback callback,
                             int error,
                             std::string diagnostic);

  const PreconnectPolicy policy_;
  DocumentRegistry* const documents_;
  const PrivacyDecider* const privacy_;
  const LearnedPreconnectCorrections* const learned_;
  net::SocketPoolManager* const pool_;
  net::HostResolver* const host_resolver_;
  net::NetLog* const net_log_;

  uint64_t next_sequence_ = 1;
  // Waiting for a resolution slot, in start order.
  JobList queued_;
  JobList in_flight_;
  net::WeakPtrFactory<PreconnectManager> weak_factory_{this};
};

}  // namespace prewarm

#endif  // PRECONNECT_PRECONNECT_MANAGER_H_
