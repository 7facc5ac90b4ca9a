#include "service/network_context.h"

#include <algorithm>
#include <any>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/dns/connect_to_overrides.h"
#include "net/dns/host_resolver.h"
#include "net/dns/host_resolver_rules.h"
#include "net/event/event_loop.h"
#include "net/socket/transport_connect_job_factory.h"
#include "net/ssl/pem_certificates.h"
#include "net/ssl/spki_hash.h"
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
namespace {

// Why `config` goes past NetworkContext's caps, or "".
std::string PoolConfigOverCapReason(const net::SocketPoolConfig& config) {
  if (config.max_sockets_per_group > NetworkContext::kMaxSocketsPerGroupLimit) {
    return absl::StrCat("max_sockets_per_group ", config.max_sockets_per_group,
                        " is over the cap of ",
                        NetworkContext::kMaxSocketsPerGroupLimit);
  }
  if (config.max_sockets_total > NetworkContext::kMaxSocketsTotalLimit) {
    return absl::StrCat("max_sockets_total ", config.max_sockets_total,
                        " is over the cap of ",
                        NetworkContext::kMaxSocketsTotalLimit);
  }
  for (const auto& [name, timeout] :
       {std::pair<const char*, absl::Duration>{"unused_idle_timeout",
                                               config.unused_idle_timeout},
        {"used_idle_timeout", config.used_idle_timeout}}) {
    if (timeout > NetworkContext::kMaxIdleTimeout) {
      return absl::StrCat(
          name, " ", absl::FormatDuration(timeout), " is over the cap of ",
          absl::FormatDuration(NetworkContext::kMaxIdleTimeout));
    }
  }
  return "";
}

}  // namespace

// static
std::unique_ptr<NetworkContext> NetworkContext::Create(
    const NetworkContextParams& params,
    int* error,
    std::string* error_message) {
  std::string reason = net::SocketPoolConfigInvalidReason(params.pool_config);
  if (reason.empty())
    reason = PoolConfigOverCapReason(params.pool_config);
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
  net::SslConfig ssl_config;
  ssl_config.trusted_root_certificates_pem =
      params.trusted_root_certificates_pem;
  ssl_config.additional_trust_anchors_pem = params.additional_trust_anchors_pem;
  if (!params.additional_trust_anchors_pem.empty() &&
      net::AddPemCertificates(params.additional_trust_anchors_pem, nullptr) ==
          0) {
    *error = net::ERR_INVALID_ARGUMENT;
    *error_message = "the extra trust anchors' PEM contains no certificate";
    return nullptr;
  }
  *error = net::ParseSpkiHashList(
      params.ignore_certificate_errors_spki_list,
      &ssl_config.ignore_certificate_errors_spki_hashes, error_message);
  if (*error != net::OK)
    return nullptr;
  std::unique_ptr<net::HostResolver> resolver =
      net::HostResolver::Create(std::move(options), error, error_message);
  if (!resolver)
    return nullptr;
  *error = net::OK;
  return std::unique_ptr<NetworkContext>(
      new NetworkContext(params, ssl_config, std::move(resolver)));
}

NetworkContext::NetworkContext(const NetworkContextParams& params,
                               const net::SslConfig& ssl_config,
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
  connect_job_factory_ = std::make_unique<net::TransportConnectJobFactory>(
      host_resolver_.get(), session_cache_.get(), ssl_config, net_log_);
  pool_ = std::make_unique<net::SocketPoolManager>(
      params.pool_config, connect_job_factory_.get(), this);
  preconnect_manager_ = std::make_unique<PreconnectManager>(
      policy_, &documents_, &privacy_, &learned_, pool_.get(),
      host_resolver_.get(), net_log_);
  preloads_ = std::make_unique<PreloadManager>(
      PreloadManager::Options{params.preload_rules,
                              params.unused_preload_timeout},
      &documents_, this);
}

NetworkContext::~NetworkContext() {
  // Requests give their sockets back before the pool goes; hints stop
  // before the registry they observe.
  loaders_.clear();
  preloads_.reset();
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
  if (parent_id.empty()) {
    // The page view that this commit replaces ends (section 7 amendment).
    learned_.EndPageView(net::EventLoop::Current()->NowTicks());
    return documents_.CommitMainFrame(document_id, parsed);
  }
  return documents_.CommitSubframe(document_id, parsed, parent_id);
}

DocumentRegistry::Result NetworkContext::LoadEvent(
    std::string_view document_id) {
  DocumentRegistry::Result result = documents_.OnLoadEvent(document_id);
  if (result.ok())
    preloads_->OnLoadEvent(std::string(document_id));
  return result;
}

DocumentRegistry::Result NetworkContext::RemoveDocument(
    std::string_view document_id) {
  const Document* main_frame = documents_.main_frame();
  if (main_frame && main_frame->id() == document_id)
    learned_.EndPageView(net::EventLoop::Current()->NowTicks());
  return documents_.Remove(document_id);
}

void NetworkContext::Preconnect(
    const PreconnectRequest& request,
    PreconnectManager::PreconnectCallback callback) {
  // The budget (section 10) counts every hint to a valid origin.
  if (const Document* document = documents_.Find(request.document_id)) {
    net::Url url = net::Url::Parse(request.url);
    if (url.is_valid() && url.SchemeIsHttpOrHttps())
      learned_.RecordHint(document->top_frame_site(), net::Origin::Create(url));
  }
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
  if (std::string problem = AuthorHeadersProblem(params.headers);
      !problem.empty()) {
    PostError(std::move(callback), net::ERR_INVALID_ARGUMENT,
              std::move(problem));
    return;
  }
  PreloadConsumer consumer;
  consumer.url = url;
  consumer.destination = params.destination;
  consumer.settings = {params.mode, params.credentials};
  consumer.headers = params.headers;
  consumer.integrity = params.integrity;
  consumer.same_origin = origin.IsSameOriginWith(document->origin());
  absl::Time start = net::EventLoop::Current()->NowTicks();
  preloads_->Match(
      params.document_id, std::move(consumer),
      [weak = weak_factory_.GetWeakPtr(), params, start,
       callback =
           std::move(callback)](PreloadManager::Resolution resolution) mutable {
        if (weak) {
          weak->OnPreloadResolution(params, start, std::move(resolution),
                                    std::move(callback));
        }
      });
}

void NetworkContext::OnPreloadResolution(const FetchParams& params,
                                         absl::Time start,
                                         PreloadManager::Resolution resolution,
                                         FetchCallback callback) {
  if (resolution.kind == PreloadManager::Resolution::Kind::kReused) {
    // The preload's response, as this request's: it sent nothing and took no
    // socket; its time is from its own start to now.
    FetchResult result =
        std::any_cast<FetchResult>(std::move(resolution.response));
    result.from_preload_id = resolution.preload_id;
    result.socket_reuse = SocketReuse::kReused;
    result.preconnect_id = 0;
    result.load_timing = net::LoadTimingInfo();
    result.load_timing.socket_reused = true;
    result.load_timing.request_start = start;
    result.load_timing.response_end = net::EventLoop::Current()->NowTicks();
    std::move(callback)(std::move(result));
    return;
  }
  // The document may have ended while the request waited for a preload.
  const Document* document = documents_.Find(params.document_id);
  if (!document) {
    FetchResult result;
    result.error = net::ERR_UNKNOWN_DOCUMENT;
    result.error_message = absl::StrCat("document \"", params.document_id,
                                        "\" ended before the request went out");
    std::move(callback)(std::move(result));
    return;
  }
  net::Url url = net::Url::Parse(params.url);
  bool credentials = CredentialsAllowed(
      params.credentials, net::Origin::Create(url), document->origin());
  uint64_t skipped =
      resolution.kind == PreloadManager::Resolution::Kind::kOwnRequest
          ? resolution.preload_id
          : 0;
  StartRequest(
      RequestContext::Subresource(*document, url, credentials),
      PreconnectPurpose::kSubresource, &document->top_frame_site(),
      [skipped, start, diagnostic = std::move(resolution.diagnostic),
       callback = std::move(callback)](FetchResult result) mutable {
        result.skipped_preload_id = skipped;
        result.preload_diagnostic = std::move(diagnostic);
        // The request started when the page asked, not when it was let go
        // after waiting for a preload (as Chromium's request_start).
        if (result.load_timing.request_start != absl::InfinitePast())
          result.load_timing.request_start = start;
        std::move(callback)(std::move(result));
      },
      params.headers);
}

void NetworkContext::Preload(const PreloadRequest& request,
                             PreloadCallback callback) {
  PreloadResult result;
  int rv = preloads_->AddPreload(request, &result.preload_id, &result.key,
                                 &result.message);
  if (rv != net::OK) {
    result.error = rv;
    net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr(),
                                         callback = std::move(callback),
                                         result = std::move(result)]() mutable {
      if (weak)
        std::move(callback)(std::move(result));
    });
    return;
  }
  // A preload is a subresource request like any other (section 1): its
  // group key comes from the same privacy decision, with the credentials its
  // crossorigin gives.
  const Document* document = documents_.Find(request.document_id);
  // A copy: `result` moves into the callback below.
  const net::Url url = result.key.url;
  bool credentials =
      CredentialsAllowed(result.key.settings.credentials,
                         net::Origin::Create(url), document->origin());
  uint64_t id = result.preload_id;
  StartRequest(
      RequestContext::Subresource(*document, url, credentials),
      PreconnectPurpose::kSubresource, &document->top_frame_site(),
      [this, result = std::move(result),
       callback = std::move(callback)](FetchResult response) mutable {
        result.response = response;
        result.response.body.clear();
        int error = response.error;
        preloads_->OnResponseComplete(result.preload_id, error,
                                      std::move(response));
        std::move(callback)(std::move(result));
      },
      {},
      [this, id](const FetchResult& response) {
        preloads_->OnResponseHeaders(id, response.status_code, response.headers,
                                     absl::Now());
      });
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

void NetworkContext::AddPreloadObserver(PreloadObserver* observer) {
  preload_observers_.push_back(observer);
}

void NetworkContext::RemovePreloadObserver(PreloadObserver* observer) {
  preload_observers_.erase(std::remove(preload_observers_.begin(),
                                       preload_observers_.end(), observer),
                           preload_observers_.end());
}

void NetworkContext::OnPreloadEvent(const PreloadEvent& event) {
  for (PreloadObserver* observer : preload_observers_)
    observer->OnPreloadEvent(event);
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

void NetworkContext::OnPreconnectSocketLateBound(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& bound_group_id) {
  for (net::SocketPoolObserver* observer : observers_) {
    observer->OnPreconnectSocketLateBound(preconnect_id, preconnect_group_id,
                                          bound_group_id);
  }
}

void NetworkContext::StartRequest(
    const RequestContext& request,
    PreconnectPurpose learned_purpose,
    const net::SchemefulSite* learned_top_frame_site,
    FetchCallback on_done,
    AuthorHeaders headers,
    absl::AnyInvocable<void(const FetchResult&)> on_headers) {
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
      std::make_unique<UrlLoader>(pool_.get(), host_resolver_.get(),
                                  request.url, std::move(group_id),
                                  std::move(partition), net::MEDIUM, net_log_));
  auto it = std::prev(loaders_.end());
  (*it)->set_extra_headers(std::move(headers));
  if (on_headers)
    (*it)->set_headers_callback(std::move(on_headers));
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
