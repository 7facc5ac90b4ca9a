#include "net/dns/host_resolver.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/ip_address.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_source_type.h"
#include "net/log/net_log_values.h"

namespace net {

namespace {

// RFC 1035 lengths; letters, digits, '-' and '_' (seen in real names) per
// label.
bool IsValidHostname(const std::string& hostname, std::string* why) {
  if (hostname.empty()) {
    *why = "empty hostname";
    return false;
  }
  if (hostname.size() > 253) {
    *why = "hostname longer than 253 characters";
    return false;
  }
  size_t label_length = 0;
  for (size_t i = 0; i < hostname.size(); ++i) {
    const char c = hostname[i];
    if (c == '.') {
      // A single trailing dot (fully qualified form) is allowed.
      if (label_length == 0) {
        *why = "empty label";
        return false;
      }
      label_length = 0;
      continue;
    }
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      *why = absl::StrCat("character '", std::string(1, c),
                          "' is not allowed in a hostname");
      return false;
    }
    if (++label_length > 63) {
      *why = "label longer than 63 characters";
      return false;
    }
  }
  return true;
}

google::protobuf::Struct HostAndKeyParams(
    const std::string& host,
    const NetworkAnonymizationKey& network_anonymization_key) {
  google::protobuf::Struct params;
  SetNetLogString(&params, "host", host);
  SetNetLogString(&params, "network_anonymization_key",
                  network_anonymization_key.ToDebugString());
  return params;
}

std::vector<IPEndPoint> ToEndpoints(const std::vector<IPAddress>& addresses,
                                    uint16_t port) {
  std::vector<IPEndPoint> endpoints;
  endpoints.reserve(addresses.size());
  for (const IPAddress& address : addresses)
    endpoints.emplace_back(address, port);
  return endpoints;
}

}  // namespace

// One c-ares lookup and the requests waiting for it.
struct HostResolver::Job {
  std::vector<ResolveHostRequest*> requests;
  NetLogWithSource net_log;
};

// static
std::unique_ptr<HostResolver> HostResolver::Create(Options options,
                                                   int* error,
                                                   std::string* error_message) {
  AresClient::Config config;
  config.servers = options.dns_servers;
  config.attempt_timeout = options.attempt_timeout;
  config.attempts = options.attempts;
  config.use_hosts_file = options.use_hosts_file;
  std::unique_ptr<AresClient> ares =
      AresClient::Create(config, error, error_message);
  if (!ares)
    return nullptr;
  if (options.negative_cache_ttl < absl::ZeroDuration() ||
      options.max_cache_ttl < absl::ZeroDuration()) {
    *error = ERR_INVALID_ARGUMENT;
    *error_message = "host cache TTLs must not be negative";
    return nullptr;
  }
  *error = OK;
  return std::unique_ptr<HostResolver>(
      new HostResolver(std::move(options), std::move(ares)));
}

HostResolver::HostResolver(Options options, std::unique_ptr<AresClient> ares)
    : options_(std::move(options)),
      ares_(std::move(ares)),
      host_cache_(options_.host_cache_size, EventLoop::Current()->clock()) {}

HostResolver::~HostResolver() {
  // Pending requests learn of the shutdown from a posted task, never from
  // inside this destructor.
  for (auto& [key, job] : jobs_) {
    job->net_log.EndEventWithNetErrorCode(NetLogEventType::HOST_RESOLVER_MANAGER_JOB,
                                          ERR_CONTEXT_SHUT_DOWN);
    for (ResolveHostRequest* request : job->requests) {
      request->attached_to_lookup_ = false;
      request->SetResult({},
                         {ERR_CONTEXT_SHUT_DOWN,
                          "the host resolver was destroyed during the lookup"},
                         false);
      EventLoop::Current()->PostTask(
          [weak_request = request->weak_factory_.GetWeakPtr()] {
            if (weak_request)
              weak_request->RunCallback(ERR_CONTEXT_SHUT_DOWN);
          });
    }
  }
  jobs_.clear();
}

std::unique_ptr<ResolveHostRequest> HostResolver::CreateRequest(
    HostPortPair host,
    NetworkAnonymizationKey network_anonymization_key,
    const NetLogWithSource& net_log,
    ResolveHostParameters parameters) {
  return std::unique_ptr<ResolveHostRequest>(new ResolveHostRequest(
      weak_factory_.GetWeakPtr(), std::move(host),
      std::move(network_anonymization_key), net_log, parameters));
}

int HostResolver::StartRequest(ResolveHostRequest* request) {
  HostPortPair target = request->host();
  if (std::optional<HostPortPair> connect_to =
          options_.connect_to.Apply(target)) {
    target = *connect_to;
  }
  const HostResolverRules::Outcome rules_outcome =
      options_.rules.Apply(&target);
  if (target != request->host() ||
      rules_outcome == HostResolverRules::Outcome::kNotFound) {
    request->net_log_.AddEvent(
        NetLogEventType::HOST_RESOLVER_RULE_APPLIED, [&] {
          google::protobuf::Struct params;
          SetNetLogString(&params, "from", request->host().ToString());
          SetNetLogString(&params, "to",
                          rules_outcome == HostResolverRules::Outcome::kNotFound
                              ? std::string("~NOTFOUND")
                              : target.ToString());
          return params;
        });
  }
  if (rules_outcome == HostResolverRules::Outcome::kNotFound) {
    request->SetResult({},
                       {ERR_NAME_NOT_RESOLVED,
                        absl::StrCat("\"", request->host().host(),
                                     "\" is mapped to ~NOTFOUND by the host "
                                     "resolver rules")},
                       false);
    return ERR_NAME_NOT_RESOLVED;
  }

  std::string host = target.host();
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (std::optional<IPAddress> literal = IPAddress::FromString(host)) {
    request->SetResult({IPEndPoint(*literal, target.port())}, {}, false);
    return OK;
  }

  const std::string hostname = absl::AsciiStrToLower(host);
  std::string why;
  if (!IsValidHostname(hostname, &why)) {
    request->SetResult({},
                       {ERR_NAME_NOT_RESOLVED,
                        absl::StrCat("invalid hostname \"", host, "\": ", why)},
                       false);
    return ERR_NAME_NOT_RESOLVED;
  }

  HostCache::Key key{hostname, request->network_anonymization_key()};
  if (request->parameters().allow_cached_response) {
    const HostCache::Entry* entry = host_cache_.Lookup(key);
    const NetLogEventType cache_event =
        entry ? NetLogEventType::HOST_RESOLVER_MANAGER_CACHE_HIT
              : NetLogEventType::HOST_RESOLVER_CACHE_MISS;
    request->net_log_.AddEvent(cache_event, [&] {
      return HostAndKeyParams(hostname, key.network_anonymization_key);
    });
    if (entry) {
      if (entry->error == OK) {
        request->SetResult(ToEndpoints(entry->addresses, target.port()), {},
                           true);
      } else {
        request->SetResult(
            {},
            {entry->error,
             absl::StrCat("\"", hostname,
                          "\" does not exist (cached negative answer)")},
            true);
      }
      return entry->error;
    }
  }
  if (request->parameters().local_only) {
    request->SetResult(
        {},
        {ERR_DNS_CACHE_MISS,
         absl::StrCat("\"", hostname, "\" is not in the host cache")},
        false);
    return ERR_DNS_CACHE_MISS;
  }

  request->attached_to_lookup_ = true;
  request->lookup_hostname_ = hostname;
  request->lookup_port_ = target.port();
  std::unique_ptr<Job>& job = jobs_[key];
  if (job) {
    job->requests.push_back(request);
    request->net_log_.AddEventReferencingSource(
        NetLogEventType::HOST_RESOLVER_MANAGER_JOB_ATTACH, job->net_log.source());
    return ERR_IO_PENDING;
  }
  job = std::make_unique<Job>();
  job->requests.push_back(request);
  if (request->net_log_.net_log()) {
    job->net_log = NetLogWithSource::Make(request->net_log_.net_log(),
                                          NetLogSourceType::HOST_RESOLVER_IMPL_JOB);
  }
  job->net_log.BeginEvent(NetLogEventType::HOST_RESOLVER_MANAGER_JOB, [&] {
    return HostAndKeyParams(hostname, key.network_anonymization_key);
  });
  request->net_log_.AddEventReferencingSource(
      NetLogEventType::HOST_RESOLVER_MANAGER_JOB_ATTACH, job->net_log.source());
  ares_->Lookup(hostname, [this, key](AresClient::Result result) mutable {
    // AresClient drops callbacks once destroyed, and it dies with
    // this resolver, so `this` is alive here.
    OnLookupComplete(key, std::move(result));
  });
  return ERR_IO_PENDING;
}

void HostResolver::DetachRequest(ResolveHostRequest* request) {
  auto it = jobs_.find(HostCache::Key{request->lookup_hostname_,
                                      request->network_anonymization_key()});
  CHECK(it != jobs_.end());
  std::vector<ResolveHostRequest*>& requests = it->second->requests;
  requests.erase(std::remove(requests.begin(), requests.end(), request),
                 requests.end());
  request->attached_to_lookup_ = false;
}

void HostResolver::OnLookupComplete(const HostCache::Key& key,
                                    AresClient::Result result) {
  auto it = jobs_.find(key);
  CHECK(it != jobs_.end());
  std::unique_ptr<Job> job = std::move(it->second);
  jobs_.erase(it);
  job->net_log.EndEvent(NetLogEventType::HOST_RESOLVER_MANAGER_JOB, [&] {
    google::protobuf::Struct params;
    if (result.error != OK) {
      SetNetLogInt(&params, "net_error", result.error);
      SetNetLogInt(&params, "dns_error", result.detail_error);
      SetNetLogString(&params, "message", result.message);
      return params;
    }
    google::protobuf::ListValue* list =
        (*params.mutable_fields())["addresses"].mutable_list_value();
    for (const IPAddress& address : result.addresses)
      list->add_values()->set_string_value(address.ToString());
    SetNetLogInt(&params, "ttl_seconds", absl::ToInt64Seconds(result.ttl));
    return params;
  });

  if (result.error == OK) {
    host_cache_.Set(key, OK, result.addresses,
                    std::min(result.ttl, options_.max_cache_ttl));
  } else if (result.is_negative_answer) {
    host_cache_.Set(key, ERR_NAME_NOT_RESOLVED, {},
                    options_.negative_cache_ttl);
  }

  // Results first, callbacks second: a callback may destroy any other request.
  std::vector<WeakPtr<ResolveHostRequest>> to_notify;
  for (ResolveHostRequest* request : job->requests) {
    request->attached_to_lookup_ = false;
    if (result.error == OK) {
      request->SetResult(ToEndpoints(result.addresses, request->lookup_port_),
                         {}, false);
    } else {
      request->SetResult({}, {result.detail_error, result.message}, false);
    }
    to_notify.push_back(request->weak_factory_.GetWeakPtr());
  }
  for (WeakPtr<ResolveHostRequest>& request : to_notify) {
    if (request)
      request->RunCallback(result.error);
  }
}

}  // namespace net
