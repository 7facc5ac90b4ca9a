#include "preconnect/preconnect_manager.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/base/url.h"
#include "net/dns/host_resolver.h"
#include "net/dns/resolve_host_request.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_values.h"
#include "preconnect/preconnect_decision.h"
#include "preconnect/preconnect_diagnostics.h"
#include "privacy/request_context.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {

net::PreconnectBinding BindingFor(PreconnectPolicy policy,
                                  const PreconnectTarget& target) {
  // Only a guess may be corrected by the request that uses the socket
  // (docs/pool-selection.md section 9); explicit and learned keys are bound.
  bool guessed =
      target.purpose_source == PurposeSource::kCrossOriginAttribute ||
      target.purpose_source == PurposeSource::kLoadPhase;
  return policy == PreconnectPolicy::kPrewarm && guessed
             ? net::PreconnectBinding::kUnbound
             : net::PreconnectBinding::kBound;
}

namespace {

// Queue ranks: lower runs first.
constexpr int kRankExplicitPurpose = 0;
constexpr int kRankPreconnect = 1;
constexpr int kRankDnsPrefetch = 2;

const char* CrossOriginToString(CrossOriginAttribute crossorigin) {
  switch (crossorigin) {
    case CrossOriginAttribute::kAbsent:
      return "absent";
    case CrossOriginAttribute::kAnonymous:
      return "anonymous";
    case CrossOriginAttribute::kUseCredentials:
      return "use-credentials";
  }
  return "absent";
}

}  // namespace

PreconnectResult::PreconnectResult() = default;
PreconnectResult::PreconnectResult(const PreconnectResult&) = default;
PreconnectResult& PreconnectResult::operator=(const PreconnectResult&) =
    default;
PreconnectResult::~PreconnectResult() = default;

struct PreconnectManager::Job {
  int rank = kRankPreconnect;
  uint64_t sequence = 0;
  std::string document_id;
  net::HostPortPair host;
  net::NetworkAnonymizationKey network_anonymization_key;
  // Preconnects only.
  PreconnectResult result;
  PreconnectCallback preconnect_callback;
  // DNS prefetches only.
  DnsPrefetchCallback dns_prefetch_callback;
  std::unique_ptr<net::ResolveHostRequest> resolve_request;
  net::NetLogWithSource net_log;
  // Set for a preconnect the budget downgraded.
  std::string downgrade_diagnostic;

  bool is_preconnect() const { return rank != kRankDnsPrefetch; }
};

PreconnectManager::PreconnectManager(
    PreconnectPolicy policy,
    DocumentRegistry* documents,
    const PrivacyDecider* privacy,
    const LearnedPreconnectCorrections* learned,
    net::SocketPoolManager* pool,
    net::HostResolver* host_resolver,
    net::NetLog* net_log)
    : policy_(policy),
      documents_(documents),
      privacy_(privacy),
      learned_(learned),
      pool_(pool),
      host_resolver_(host_resolver),
      net_log_(net_log) {
  documents_->AddObserver(this);
}

PreconnectManager::~PreconnectManager() {
  documents_->RemoveObserver(this);
}

void PreconnectManager::Preconnect(const PreconnectRequest& request,
                                   PreconnectCallback callback) {
  auto job = std::make_unique<Job>();
  job->document_id = request.document_id;
  job->preconnect_callback = std::move(callback);
  job->net_log =
      net::NetLogWithSource::Make(net_log_, net::NetLogSourceType::PRECONNECT);
  job->net_log.BeginEvent(net::NetLogEventType::PRECONNECT, [&] {
    google::protobuf::Struct params;
    net::SetNetLogString(&params, "url", request.url);
    net::SetNetLogString(&params, "purpose",
                         PreconnectPurposeToString(request.purpose));
    net::SetNetLogString(&params, "crossorigin",
                         CrossOriginToString(request.crossorigin));
    net::SetNetLogInt(&params, "num_sockets", request.effective_num_sockets());
    return params;
  });

  PreconnectResult& result = job->result;
  result.target = DecidePreconnectGroup(
      policy_, request, documents_->Find(request.document_id), *privacy_,
      learned_, net::EventLoop::Current()->NowTicks());
  if (result.target.ignored()) {
    result.error = result.target.error;
    result.diagnostic = result.target.diagnostic;
    job->net_log.EndEvent(net::NetLogEventType::PRECONNECT, [&] {
      google::protobuf::Struct params;
      net::SetNetLogInt(&params, "net_error", result.error);
      net::SetNetLogString(&params, "message", result.diagnostic);
      return params;
    });
    PostPreconnectResult(std::move(job->preconnect_callback),
                         std::move(result));
    return;
  }

  const PreconnectTarget& target = result.target;
  result.group_id = pool_->EffectiveGroupId(
      net::GroupId(target.url.scheme(), net::HostPortPair::FromUrl(target.url),
                   target.partition.privacy_mode,
                   target.partition.network_anonymization_key));
  job->net_log.AddEvent(net::NetLogEventType::PRECONNECT_GROUP_CHOSEN, [&] {
    google::protobuf::Struct params;
    net::SetNetLogString(&params, "group_id", result.group_id.ToString());
    net::SetNetLogString(&params, "purpose",
                         PreconnectPurposeToString(target.purpose));
    net::SetNetLogString(&params, "purpose_source",
                         PurposeSourceToString(target.purpose_source));
    return params;
  });
  if (policy_ == PreconnectPolicy::kPrewarm && learned_ &&
      target.purpose_source != PurposeSource::kExplicit) {
    const Document* document = documents_->Find(request.document_id);
    net::Origin origin = net::Origin::Create(target.url);
    uint32_t unfollowed =
        learned_->UnfollowedHintCount(document->top_frame_site(), origin,
                                      net::EventLoop::Current()->NowTicks());
    if (unfollowed >= kDowngradeAfterUnfollowedPageViews) {
      result.downgraded = true;
      job->downgrade_diagnostic = absl::StrCat(
          "downgraded to a DNS resolution: the last ", unfollowed,
          " page views on ", document->top_frame_site().Serialize(), " hinted ",
          origin.Serialize(),
          " and never requested it (a preconnect there costs the server a "
          "handshake for nothing; use dns-prefetch, or pass an explicit "
          "purpose to keep the preconnect)");
    }
  }
  job->rank = target.purpose_source == PurposeSource::kExplicit
                  ? kRankExplicitPurpose
                  : kRankPreconnect;
  job->host = net::HostPortPair::FromUrl(target.url);
  job->network_anonymization_key = result.group_id.network_anonymization_key();
  Enqueue(std::move(job));
}

void PreconnectManager::DnsPrefetch(std::string_view document_id,
                                    std::string_view url_text,
                                    DnsPrefetchCallback callback) {
  const Document* document = documents_->Find(document_id);
  net::Url url = net::Url::Parse(url_text);
  int error = net::OK;
  std::string detail;
  if (!document) {
    error = net::ERR_UNKNOWN_DOCUMENT;
  } else if (url_text.empty()) {
    error = net::ERR_INVALID_URL;
  } else if (!url.is_valid()) {
    error = url.error() == net::ERR_UNKNOWN_URL_SCHEME
                ? net::ERR_DISALLOWED_URL_SCHEME
                : net::ERR_INVALID_URL;
    detail = url.error_message();
  } else if (!url.SchemeIsHttpOrHttps()) {
    error = net::ERR_DISALLOWED_URL_SCHEME;
  }
  if (error != net::OK) {
    PostDnsPrefetchResult(std::move(callback), error,
                          DescribeIgnoredHint("dns-prefetch", error, url_text,
                                              document_id, detail));
    return;
  }

  auto job = std::make_unique<Job>();
  job->rank = kRankDnsPrefetch;
  job->document_id = std::string(document_id);
  job->host = net::HostPortPair::FromUrl(url);
  // The partition a credentialed subresource request of the document would
  // resolve in: the host cache is keyed on the NAK alone.
  job->network_anonymization_key = privacy_->NetworkAnonymizationKeyFor(
      RequestContext::Subresource(*document, url, true));
  job->dns_prefetch_callback = std::move(callback);
  job->net_log = net::NetLogWithSource::Make(
      net_log_, net::NetLogSourceType::DNS_PREFETCH);
  job->net_log.AddEvent(net::NetLogEventType::DNS_PREFETCH, [&] {
    google::protobuf::Struct params;
    net::SetNetLogString(&params, "host", job->host.ToString());
    net::SetNetLogString(&params, "network_anonymization_key",
                         job->network_anonymization_key.ToDebugString());
    return params;
  });
  Enqueue(std::move(job));
}

void PreconnectManager::OnDocumentRemoved(const Document& document) {
  std::vector<std::unique_ptr<Job>> aborted;
  for (JobList* list : {&queued_, &in_flight_}) {
    for (auto it = list->begin(); it != list->end();) {
      if ((*it)->document_id == document.id()) {
        aborted.push_back(std::move(*it));
        it = list->erase(it);
      } else {
        ++it;
      }
    }
  }
  for (std::unique_ptr<Job>& job : aborted) {
    // Cancels a resolution in flight.
    job->resolve_request.reset();
    Complete(std::move(job), net::ERR_ABORTED);
  }
  // Freed slots go to other documents' hints, but not from inside the
  // registry's notification: post it.
  if (!aborted.empty()) {
    net::EventLoop::Current()->PostTask(
        [weak = weak_factory_.GetWeakPtr()]() mutable {
          if (PreconnectManager* self = weak.get())
            self->StartQueuedJobs();
        });
  }
}

void PreconnectManager::Enqueue(std::unique_ptr<Job> job) {
  job->sequence = next_sequence_++;
  auto it = queued_.begin();
  while (it != queued_.end() && (*it)->rank <= job->rank)
    ++it;
  queued_.insert(it, std::move(job));
  StartQueuedJobs();
}

void PreconnectManager::StartQueuedJobs() {
  while (in_flight_.size() < kMaxInflightResolutions && !queued_.empty()) {
    in_flight_.push_back(std::move(queued_.front()));
    queued_.pop_front();
    Job* job = in_flight_.back().get();
    job->resolve_request = host_resolver_->CreateRequest(
        job->host, job->network_anonymization_key);
    int rv = job->resolve_request->Start(
        [weak = weak_factory_.GetWeakPtr(), job](int result) mutable {
          if (PreconnectManager* self = weak.get())
            self->OnResolveComplete(job, result);
        });
    if (rv != net::ERR_IO_PENDING)
      FinishInFlight(job, rv);
  }
}

void PreconnectManager::OnResolveComplete(Job* job, int result) {
  FinishInFlight(job, result);
  StartQueuedJobs();
}

void PreconnectManager::FinishInFlight(Job* job, int result) {
  for (auto it = in_flight_.begin(); it != in_flight_.end(); ++it) {
    if (it->get() == job) {
      std::unique_ptr<Job> owned = std::move(*it);
      in_flight_.erase(it);
      Complete(std::move(owned), result);
      return;
    }
  }
  NOTREACHED();
}

void PreconnectManager::Complete(std::unique_ptr<Job> job, int result) {
  std::string diagnostic;
  if (result == net::ERR_ABORTED) {
    diagnostic = absl::StrCat("document \"", job->document_id,
                              "\" went away before the hint was carried out");
  } else if (result != net::OK) {
    const net::ResolveErrorInfo& info =
        job->resolve_request->resolve_error_info();
    diagnostic = absl::StrCat("could not resolve ", job->host.host(), ": ",
                              net::ErrorToString(result),
                              info.message.empty() ? "" : " (", info.message,
                              info.message.empty() ? "" : ")");
  }

  if (!job->is_preconnect()) {
    PostDnsPrefetchResult(std::move(job->dns_prefetch_callback), result,
                          std::move(diagnostic));
    return;
  }

  PreconnectResult& preconnect = job->result;
  preconnect.error = result;
  preconnect.diagnostic = std::move(diagnostic);
  if (result == net::OK && preconnect.downgraded) {
    preconnect.diagnostic = std::move(job->downgrade_diagnostic);
  } else if (result == net::OK) {
    net::RequestSocketsResult sockets = pool_->RequestSockets(
        preconnect.group_id, static_cast<int>(preconnect.target.num_sockets),
        job->net_log, BindingFor(policy_, preconnect.target));
    preconnect.preconnect_ids = std::move(sockets.preconnect_ids);
    preconnect.error = sockets.error;
    preconnect.diagnostic = std::move(sockets.error_message);
  }
  job->net_log.EndEvent(net::NetLogEventType::PRECONNECT, [&] {
    google::protobuf::Struct params;
    if (preconnect.error == net::OK) {
      net::SetNetLogString(&params, "group_id", preconnect.group_id.ToString());
    } else {
      net::SetNetLogInt(&params, "net_error", preconnect.error);
      net::SetNetLogString(&params, "message", preconnect.diagnostic);
    }
    return params;
  });
  PostPreconnectResult(std::move(job->preconnect_callback),
                       std::move(preconnect));
}

void PreconnectManager::PostPreconnectResult(PreconnectCallback callback,
                                             PreconnectResult result) {
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr(),
                                       callback = std::move(callback),
                                       result = std::move(result)]() mutable {
    if (weak)
      std::move(callback)(result);
  });
}

void PreconnectManager::PostDnsPrefetchResult(DnsPrefetchCallback callback,
                                              int error,
                                              std::string diagnostic) {
  net::EventLoop::Current()->PostTask(
      [weak = weak_factory_.GetWeakPtr(), callback = std::move(callback), error,
       diagnostic = std::move(diagnostic)]() mutable {
        if (weak)
          std::move(callback)(error, diagnostic);
      });
}

}  // namespace prewarm
