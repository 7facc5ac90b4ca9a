#include "service/network_context.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/dns/connect_to_overrides.h"
#include "net/dns/host_resolver.h"
#include "net/dns/host_resolver_rules.h"
#include "net/event/event_loop.h"
#include "net/socket/transport_connect_job_factory.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_config.h"
#include "privacy/request_context.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {

NetworkContextParams::NetworkContextParams() = default;
NetworkContextParams::NetworkContextParams(const NetworkContextParams&) =
    default;
NetworkContextParams& NetworkContextParams::operator=(
    const NetworkContextParams&) = default;
NetworkContextParams::~NetworkContextParams() = default;

// static
std::unique_ptr<NetworkContext> NetworkContext::Create(
    const NetworkContextParams& params,
    int* error,
    std::string* error_message) {
  std::string reason = net::SocketPoolConfigInvalidReason(params.pool_config);
  if (!reason.empty()) {
    *error = net::ERR_INVALID_ARGUMENT;
    *error_message = absl::StrCat("pool config: ", reason);
    return nullptr;
  }
  net::HostResolver::Options options;
  options.dns_servers = params.dns_servers;
  *error = net::HostResolverRules::Parse(params.host_resolver_rules,
                                         &options.rules, error_message);
  if (*error != net::OK)
    return nullptr;
  *error = net::ConnectToOverrides::Parse(params.connect_to,
                                          &options.connect_to, error_message);
  if (*error != net::OK)
    return nullptr;
  std::unique_ptr<net::HostResolver> resolver =
      net::HostResolver::Create(std::move(options), error, error_message);
  if (!resolver)
    return nullptr;
  *error = net::OK;
  return std::unique_ptr<NetworkContext>(
      new NetworkContext(params, std::move(resolver)));
}

NetworkContext::NetworkContext(const NetworkContextParams& params,
                               std::unique_ptr<net::HostResolver> host_resolver)
    : policy_(params.preconnect_policy),
      owned_net_log_(params.net_log ? nullptr
                                    : std::make_unique<net::NetLog>()),
      net_log_(params.net_log ? params.net_log : owned_net_log_.get()),
      host_resolver_(std::move(host_resolver)),
      session_cache_(std::make_unique<net::SslClientSessionCache>(
          net::EventLoop::Current()->clock())),
      cookie_settings_(params.cookie_settings),
      privacy_(&cookie_settings_,
               PrivacyOptionsFor(params.preconnect_policy,
                                 params.pool_config.partition_connections)) {
  net::SslConfig ssl_config;
  ssl_config.trusted_root_certificates_pem =
      params.trusted_root_certificates_pem;
  connect_job_factory_ = std::make_unique<net::TransportConnectJobFactory>(
      host_resolver_.get(), session_cache_.get(), ssl_config, net_log_);
  pool_ = std::make_unique<net::SocketPoolManager>(
      params.pool_config, connect_job_factory_.get(), this);
  preconnect_manager_ = std::make_unique<PreconnectManager>(
      policy_, &documents_, &privacy_, &learned_, pool_.get(),
      host_resolver_.get(), net_log_);
}

NetworkContext::~NetworkContext() {
  // Requests give their sockets back before the pool goes; hints stop
  // before the registry they observe.
  loaders_.clear();
  preconnect_manager_.reset();
  pool_.reset();
}

void NetworkContext::Navigate(const NavigateParams& params,
                              FetchCallback callback) {
  net::Url url = net::Url::Parse(params.url);
  if (!url.is_valid() || !url.SchemeIsHttpOrHttps()) {
    PostError(
        std::move(callback),
        url.is_valid() ? net::ERR_DISALLOWED_URL_SCHEME : url.error(),
        absl::StrCat("cannot navigate to \"", params.url, "\": ",
                     url.is_valid() ? "not http(s)" : url.error_message()));
    return;
  }
  if (params.document_id.empty()) {
    PostError(std::move(callback), net::ERR_INVALID_ARGUMENT,
              "a navigation needs a document id");
    return;
  }

  auto commit = [this, params](FetchCallback callback,
                               FetchResult result) mutable {
    if (result.error == net::OK) {
      DocumentRegistry::Result committed =
          CommitNavigation(params.document_id, params.url, params.parent_id);
      if (!committed.ok()) {
        result.error = committed.error;
        result.error_message = committed.message;
      }
    }
    std::move(callback)(std::move(result));
  };

  if (params.parent_id.empty()) {
    // Learned under the page the navigation leaves, if there is one.
    const Document* leaving = documents_.main_frame();
    net::SchemefulSite leaving_site;
    if (leaving)
      leaving_site = leaving->top_frame_site();
    StartRequest(RequestContext::MainFrameNavigation(url),
                 PreconnectPurpose::kNavigation,
                 leaving ? &leaving_site : nullptr,
                 [commit = std::move(commit),
                  callback = std::move(callback)](FetchResult result) mutable {
                   commit(std::move(callback), std::move(result));
                 });
    return;
  }
  const Document* parent = documents_.Find(params.parent_id);
  if (!parent) {
    PostError(
        std::move(callback), net::ERR_UNKNOWN_DOCUMENT,
        absl::StrCat("unknown parent document \"", params.parent_id, "\""));
    return;
  }
  StartRequest(RequestContext::SubframeNavigation(*parent, url),
               PreconnectPurpose::kSubresource, &parent->top_frame_site(),
               [commit = std::move(commit),
                callback = std::move(callback)](FetchResult result) mutable {
                 commit(std::move(callback), std::move(result));
               });
}

DocumentRegistry::Result NetworkContext::CommitNavigation(
    std::string_view document_id,
    std::string_view url,
    std::string_view parent_id) {
  net::Url parsed = net::Url::Parse(url);
  if (parent_id.empty())
    return documents_.CommitMainFrame(document_id, parsed);
  return documents_.CommitSubframe(document_id, parsed, parent_id);
}

DocumentRegistry::Result NetworkContext::LoadEvent(
    std::string_view document_id) {
  return documents_.OnLoadEvent(document_id);
}

DocumentRegistry::Result NetworkContext::RemoveDocument(
    std::string_view document_id) {
  return documents_.Remove(document_id);
}

void NetworkContext::Preconnect(
    const PreconnectRequest& request,
    PreconnectManager::PreconnectCallback callback) {
  preconnect_manager_->Preconnect(request, std::move(callback));
}

void NetworkContext::DnsPrefetch(
    std::string_view document_id,
    std::string_view url,
    PreconnectManager::DnsPrefetchCallback callback) {
  preconnect_manager_->DnsPrefetch(document_id, url, std::move(callback));
}

void NetworkContext::Fetch(const FetchParams& params, FetchCallback callback) {
  const Document* document = documents_.Find(params.document_id);
  if (!document) {
    PostError(std::move(callback), net::ERR_UNKNOWN_DOCUMENT,
              absl::StrCat("unknown document \"", params.document_id, "\""));
    return;
  }
  net::Url url = net::Url::Parse(params.url);
  if (!url.is_valid() || !url.SchemeIsHttpOrHttps()) {
    PostError(
        std::move(callback),
        url.is_valid() ? net::ERR_DISALLOWED_URL_SCHEME : url.error(),
        absl::StrCat("cannot fetch \"", params.url, "\": ",
                     url.is_valid() ? "not http(s)" : url.error_message()));
    return;
  }
  if (params.mode == RequestMode::kNavigate) {
    PostError(std::move(callback), net::ERR_INVALID_ARGUMENT,
              "mode NAVIGATE is a navigation: use Navigate");
    return;
  }
  net::Origin origin = net::Origin::Create(url);
  if (params.mode == RequestMode::kSameOrigin &&
      !origin.IsSameOriginWith(document->origin())) {
    PostError(
        std::move(callback), net::ERR_ACCESS_DENIED,
        absl::StrCat("mode same-origin forbids ", url.spec(),
                     " from a document of ", document->origin().Serialize()));
    return;
  }
  bool credentials =
      CredentialsAllowed(params.credentials, origin, document->origin());
  StartRequest(RequestContext::Subresource(*document, url, credentials),
               PreconnectPurpose::kSubresource, &document->top_frame_site(),
               std::move(callback));
}

void NetworkContext::SetCookieSettings(const CookieSettings& settings) {
  // The decider reads them through a pointer on every call.
  cookie_settings_ = settings;
}

void NetworkContext::CloseIdleSockets() {
  pool_->CloseIdleSockets();
}

void NetworkContext::Flush() {
  pool_->FlushWithError(net::ERR_NETWORK_CHANGED);
}

std::string NetworkContext::GetPoolStateJson() const {
  return pool_->GetStateAsJson();
}

void NetworkContext::AddSocketPoolObserver(net::SocketPoolObserver* observer) {
  observers_.push_back(observer);
}

void NetworkContext::RemoveSocketPoolObserver(
    net::SocketPoolObserver* observer) {
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer),
                   observers_.end());
}

void NetworkContext::OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                               const net::GroupId& group_id,
                                               net::PreconnectOutcome outcome,
                                               int error) {
  for (net::SocketPoolObserver* observer : observers_)
    observer->OnPreconnectSocketOutcome(preconnect_id, group_id, outcome,
                                        error);
}

void NetworkContext::OnSocketHandedOut(
    const net::GroupId& group_id,
    net::ClientSocketHandle::ReuseType reuse_type,
    uint64_t preconnect_id) {
  for (net::SocketPoolObserver* observer : observers_)
    observer->OnSocketHandedOut(group_id, reuse_type, preconnect_id);
}

void NetworkContext::OnPreconnectSocketStranded(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& request_group_id,
    const net::GroupId::KeyDifference& difference) {
  for (net::SocketPoolObserver* observer : observers_) {
    observer->OnPreconnectSocketStranded(preconnect_id, preconnect_group_id,
                                         request_group_id, difference);
  }
}

void NetworkContext::StartRequest(
    const RequestContext& request,
    PreconnectPurpose learned_purpose,
    const net::SchemefulSite* learned_top_frame_site,
    FetchCallback on_done) {
  RequestPartition partition = privacy_.PrivacyModeFor(request);
  if (learned_top_frame_site) {
    learned_.RecordRequest(*learned_top_frame_site,
                           net::Origin::Create(request.url), learned_purpose,
                           partition, net::EventLoop::Current()->NowTicks());
  }
  net::GroupId group_id = pool_->EffectiveGroupId(net::GroupId(
      request.url.scheme(), net::HostPortPair::FromUrl(request.url),
      partition.privacy_mode, partition.network_anonymization_key));
  loaders_.push_back(
      std::make_unique<UrlLoader>(pool_.get(), request.url, std::move(group_id),
                                  std::move(partition), net::MEDIUM, net_log_));
  auto it = std::prev(loaders_.end());
  (*it)->Start(
      [this, it, on_done = std::move(on_done)](FetchResult result) mutable {
        // The loader's callback may be the last use of it.
        std::unique_ptr<UrlLoader> done = std::move(*it);
        loaders_.erase(it);
        std::move(on_done)(std::move(result));
      });
}

void NetworkContext::PostError(FetchCallback callback,
                               int error,
                               std::string message) {
  FetchResult result;
  result.error = error;
  result.error_message = std::move(message);
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr(),
                                       callback = std::move(callback),
                                       result = std::move(result)]() mutable {
    if (weak)
      std::move(callback)(std::move(result));
  });
}

}  // namespace prewarm
