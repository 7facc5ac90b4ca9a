#ifndef SERVICE_NETWORK_CONTEXT_H_
#define SERVICE_NETWORK_CONTEXT_H_

#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "net/log/net_log.h"
#include "preconnect/learned_preconnect_corrections.h"
#include "preconnect/preconnect_manager.h"
#include "preconnect/preconnect_policy.h"
#include "preconnect/preconnect_request.h"
#include "preload/preload_manager.h"
#include "preload/preload_observer.h"
#include "preload/preload_request.h"
#include "preload/preload_rules.h"
#include "privacy/cookie_settings.h"
#include "privacy/credentials_mode.h"
#include "privacy/document_registry.h"
#include "privacy/privacy_decider.h"
#include "privacy/request_mode.h"
#include "service/url_loader.h"
#include "socket_pool/socket_pool_config.h"
#include "socket_pool/socket_pool_observer.h"

namespace net {
class HostResolver;
class SocketPoolManager;
class SslClientSessionCache;
struct SslConfig;
class TransportConnectJobFactory;
}  // namespace net

namespace prewarm {

// What a NetworkContext is made with. Every field maps to a field of the
// service's configuration message. A value type.
struct NetworkContextParams {
  NetworkContextParams();
  NetworkContextParams(const NetworkContextParams&);
  NetworkContextParams& operator=(const NetworkContextParams&);
  ~NetworkContextParams();

  // How preconnects choose their group; real requests follow section 8.
  PreconnectPolicy preconnect_policy = PreconnectPolicy::kPrewarm;
  net::SocketPoolConfig pool_config;
  CookieSettings cookie_settings;
  // Chromium's --host-resolver-rules syntax ("MAP * 127.0.0.1, ...").
  std::string host_resolver_rules;
  // curl-style connect-to overrides ("a.test:443:127.0.0.1:4443,...").
  std::string connect_to;
  // DNS servers with ports; empty: /etc/resolv.conf.
  std::string dns_servers;
  // PEM roots that replace the system store when non-empty (tests and the
  // replay trust their runtime CAs this way).
  std::string trusted_root_certificates_pem;
  // PEM certificates trusted in addition to those roots (--ca-file).
  std::string additional_trust_anchors_pem;
  // Chromium's --ignore-certificate-errors-spki-list: comma-separated base64
  // SHA-256 digests of server keys whose certificate errors are waived.
  std::string ignore_certificate_errors_spki_list;
  // Where events go; null: the context makes its own NetLog.
  net::NetLog* net_log = nullptr;
  // How later requests are matched against preloads
  // (docs/preload-matching.md), and how long after the load event an
  // unconsumed preload is reported unused.
  PreloadRuleSet preload_rules = PreloadRuleSet::kPrewarm;
  absl::Duration unused_preload_timeout = absl::Seconds(3);
};

// A subresource request of a document.
struct FetchParams {
  std::string document_id;
  std::string url;
  RequestMode mode = RequestMode::kNoCors;
  CredentialsMode credentials = CredentialsMode::kSameOrigin;
  // Fetch's destination ("font", "script"...): matched against preloads'
  // `as`, and named in diagnostics.
  std::string destination;
  // Author headers (fetch(url, {headers})): sent, and compared by the
  // preload rules. Names must be tokens, values free of CR, LF and NUL.
  AuthorHeaders headers;
  // Subresource Integrity metadata, compared with a preload's.
  std::string integrity;
};

// The outcome of a Preload: refused (error, message: a bad URL or `as`, an
// unknown document), or its request's response, once complete. A value type.
struct PreloadResult {
  int error = 0;
  std::string message;
  uint64_t preload_id = 0;
  // The request it made: destination, mode, credentials mode.
  PreloadKey key;
  // The preload's own request (its group, socket and timing; error when it
  // failed in the network).
  FetchResult response;
};

// A navigation: its request, then the commit of `document_id` at `url`. An
// empty `parent_id` is the main frame.
struct NavigateParams {
  std::string document_id;
  std::string url;
  std::string parent_id;
};

// The in-process network service of one browsing profile, like Chromium's
// NetworkContext: the one object an embedder talks to. It owns, on the
// current EventLoop, the host resolver (with rules and connect-to
// overrides), the TLS session cache and config, the connect-job factory, the
// SocketPoolManager, the frame tree (DocumentRegistry), the cookie settings
// and the PrivacyDecider every request and preconnect goes through, the
// learned preconnect corrections and the PreconnectManager.
//
// Real requests (Fetch, and the request of Navigate) are keyed by the same
// PrivacyDecider as preconnects, built with PrivacyOptionsFor(policy), and
// feed the learned corrections (section 7): a subresource or subframe
// request under its page's top-frame site, a main-frame navigation under the
// site of the page it leaves.
//
// Async calls run their callback exactly once, never from inside the call;
// destroying the context cancels them. Pool and preconnect events reach
// observers added with AddSocketPoolObserver (not owned; they must be
// removed before the context is destroyed, or outlive it). The API takes and
// returns plain C++ values so it can sit behind IPC. Network thread only.
class NetworkContext : public net::SocketPoolObserver, public PreloadObserver {
 public:
  using FetchCallback = absl::AnyInvocable<void(FetchResult) &&>;
  using PreloadCallback = absl::AnyInvocable<void(PreloadResult) &&>;

  // Caps on what a context may be configured with (docs/service-limits.md):
  // a client chooses these, and a pool limit is an fd count. Chromium's
  // defaults (6 per group, 256 in all, 60 s and 300 s idle) sit well inside.
  static constexpr int kMaxSocketsPerGroupLimit = 256;
  static constexpr int kMaxSocketsTotalLimit = 1024;
  static constexpr absl::Duration kMaxIdleTimeout = absl::Hours(1);

  // Returns null and sets *error and *error_message for unusable params (a
  // bad pool config, or one past the caps above, ERR_INVALID_ARGUMENT; a bad
  // resolver rule or connect-to entry).
  static std::unique_ptr<NetworkContext> Create(
      const NetworkContextParams& params,
      int* error,
      std::string* error_message);

  NetworkContext(const NetworkContext&) = delete;
  NetworkContext& operator=(const NetworkContext&) = delete;
  ~NetworkContext() override;

  // A navigation request (it takes a pool socket like any request, keyed per
  // section 2: a main frame in the URL's own context, a subframe in its
  // parent's), then, once the response is complete, the commit. A main-frame
  // commit ends the previous document and its frames. The result's error is
  // the request's, or the commit's (ERR_UNKNOWN_DOCUMENT when the parent
  // went away meanwhile).
  void Navigate(const NavigateParams& params, FetchCallback callback);
  // The commit alone, for a navigation whose request went elsewhere.
  DocumentRegistry::Result CommitNavigation(std::string_view document_id,
                                            std::string_view url,
                                            std::string_view parent_id);
  DocumentRegistry::Result LoadEvent(std::string_view document_id);
  // Removes the document and its frames; their pending hints are cancelled.
  DocumentRegistry::Result RemoveDocument(std::string_view document_id);

  void Preconnect(const PreconnectRequest& request,
                  PreconnectManager::PreconnectCallback callback);
  void DnsPrefetch(std::string_view document_id,
                   std::string_view url,
                   PreconnectManager::DnsPrefetchCallback callback);

  // A subresource request of a live document. Errors before any socket:
  // ERR_UNKNOWN_DOCUMENT, ERR_INVALID_URL / ERR_DISALLOWED_URL_SCHEME,
  // ERR_INVALID_ARGUMENT for mode kNavigate (use Navigate) or a malformed
  // author header, ERR_ACCESS_DENIED for a cross-origin URL in mode
  // kSameOrigin. It consumes a matching preload of its document (the result
  // is the preload's, with from_preload_id set), waiting for one in flight;
  // otherwise it makes its own request, with skipped_preload_id and the
  // diagnostic when a preload of its URL did not match.
  void Fetch(const FetchParams& params, FetchCallback callback);

  // <link rel=preload>: a real request on the pools, keyed like a
  // subresource request with the mode and credentials of its crossorigin
  // (docs/preload-matching.md section 1), kept for later requests of the
  // document. The callback runs when its response is complete, or with the
  // error when it is refused (see PreloadManager::AddPreload).
  void Preload(const PreloadRequest& request, PreloadCallback callback);

  // Applies to the next request and preconnect.
  void SetCookieSettings(const CookieSettings& settings);
  // Closes idle sockets (preconnected ones end FLUSHED).
  void CloseIdleSockets();
  // A network change: nothing opened before is reused.
  void Flush();
  // The SocketPoolManager's state dump.
  std::string GetPoolStateJson() const;

  void AddSocketPoolObserver(net::SocketPoolObserver* observer);
  void RemoveSocketPoolObserver(net::SocketPoolObserver* observer);
  // Preload events (not owned; same rules as the pool observers).
  void AddPreloadObserver(PreloadObserver* observer);
  void RemovePreloadObserver(PreloadObserver* observer);
  const PreloadManager& preloads() const { return *preloads_; }
  net::NetLog* net_log() const { return net_log_; }

  PreconnectPolicy preconnect_policy() const { return policy_; }
  const DocumentRegistry& documents() const { return documents_; }
  const net::SocketPoolManager& pool() const { return *pool_; }
  const LearnedPreconnectCorrections& learned_corrections() const {
    return learned_;
  }
  size_t in_flight_request_count() const { return loaders_.size(); }
  const PreconnectManager& preconnect_manager() const {
    return *preconnect_manager_;
  }

  // net::SocketPoolObserver (fanned out to the added observers):
  void OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                 const net::GroupId& group_id,
                                 net::PreconnectOutcome outcome,
                                 int error) override;
  void OnSocketHandedOut(const net::GroupId& group_id,
                         net::ClientSocketHandle::ReuseType reuse_type,
                         uint64_t preconnect_id) override;
  void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const net::GroupId& preconnect_group_id,
      const net::GroupId& request_group_id,
      const net::GroupId::KeyDifference& difference) override;
  void OnPreconnectSocketLateBound(uint64_t preconnect_id,
                                   const net::GroupId& preconnect_group_id,
                                   const net::GroupId& bound_group_id) override;

  // PreloadObserver (fanned out to the added preload observers):
  void OnPreloadEvent(const PreloadEvent& event) override;

 private:
  NetworkContext(const NetworkContextParams& params,
                 const net::SslConfig& ssl_config,
                 std::unique_ptr<net::HostResolver> host_resolver);

  // Keys `request` and starts its loader with `headers`; `on_done` gets the
  // result, `on_headers` (if set) the response headers first.
  void StartRequest(
      const RequestContext& request,
      PreconnectPurpose learned_purpose,
      const net::SchemefulSite* learned_top_frame_site,
      FetchCallback on_done,
      AuthorHeaders headers = {},
      absl::AnyInvocable<void(const FetchResult&)> on_headers = nullptr);
  // A fetch once its preload match is decided.
  void OnPreloadResolution(const FetchParams& params,
                           absl::Time start,
                           PreloadManager::Resolution resolution,
                           FetchCallback callback);
  void PostError(FetchCallback callback, int error, std::string message);

  const PreconnectPolicy policy_;
  std::unique_ptr<net::NetLog> owned_net_log_;
  net::NetLog* const net_log_;
  std::vector<net::SocketPoolObserver*> observers_;
  std::unique_ptr<net::HostResolver> host_resolver_;
  std::unique_ptr<net::SslClientSessionCache> session_cache_;
  std::unique_ptr<net::TransportConnectJobFactory> connect_job_factory_;
  std::unique_ptr<net::SocketPoolManager> pool_;
  CookieSettings cookie_settings_;
  PrivacyDecider privacy_;
  DocumentRegistry documents_;
  LearnedPreconnectCorrections learned_;
  std::unique_ptr<PreconnectManager> preconnect_manager_;
  std::vector<PreloadObserver*> preload_observers_;
  std::unique_ptr<PreloadManager> preloads_;
  // Requests in flight; destroyed before the pool they hold sockets of.
  std::list<std::unique_ptr<UrlLoader>> loaders_;
  net::WeakPtrFactory<NetworkContext> weak_factory_{this};
};

}  // namespace prewarm

#endif  // SERVICE_NETWORK_CONTEXT_H_
