#ifndef NET_DNS_RESOLVE_HOST_REQUEST_H_
#define NET_DNS_RESOLVE_HOST_REQUEST_H_

#include <string>
#include <vector>

#include "net/base/completion_once_callback.h"
#include "net/base/host_port_pair.h"
#include "net/base/ip_endpoint.h"
#include "net/base/network_anonymization_key.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"

namespace net {

class HostResolver;

// Why a resolution failed, beyond the top-level error (like Chromium's
// ResolveErrorInfo): the result is ERR_NAME_NOT_RESOLVED for every DNS failure,
// and `error` says which one (ERR_NAME_NOT_RESOLVED for NXDOMAIN/NODATA,
// ERR_DNS_TIMED_OUT, ERR_DNS_MALFORMED_RESPONSE, ERR_DNS_SERVER_FAILED, ...).
struct ResolveErrorInfo {
  int error = 0;
  std::string message;
};

// Per-request options.
struct ResolveHostParameters {
  // Serve only from IP literals, the rules and the host cache; a miss fails
  // with ERR_DNS_CACHE_MISS instead of going to the network.
  bool local_only = false;
  // Skip the cache lookup (the answer is still cached).
  bool allow_cached_response = true;
};

// One host resolution, created by HostResolver::CreateRequest and owned by the
// caller. Start() returns OK or an error synchronously (IP literals, rules,
// cache hits, invalid hosts), or ERR_IO_PENDING and later runs the callback
// exactly once. Destroying the request cancels it; other requests sharing the
// same lookup are unaffected. If the resolver is destroyed first, a pending
// request completes with ERR_CONTEXT_SHUT_DOWN.
class ResolveHostRequest {
 public:
  ResolveHostRequest(const ResolveHostRequest&) = delete;
  ResolveHostRequest& operator=(const ResolveHostRequest&) = delete;
  ~ResolveHostRequest();

  int Start(CompletionOnceCallback callback);

  // After completion with OK: the endpoints to connect to, with the request's
  // port (or the port a rule or connect-to override chose).
  const std::vector<IPEndPoint>& addresses() const { return addresses_; }
  const ResolveErrorInfo& resolve_error_info() const {
    return resolve_error_info_;
  }
  // True if the answer came from the host cache (no network involved).
  bool from_cache() const { return from_cache_; }

  const HostPortPair& host() const { return host_; }
  const NetworkAnonymizationKey& network_anonymization_key() const {
    return network_anonymization_key_;
  }
  const ResolveHostParameters& parameters() const { return parameters_; }

 private:
  friend class HostResolver;

  ResolveHostRequest(WeakPtr<HostResolver> resolver,
                     HostPortPair host,
                     NetworkAnonymizationKey network_anonymization_key,
                     NetLogWithSource net_log,
                     ResolveHostParameters parameters);

  // Called by HostResolver.
  void SetResult(std::vector<IPEndPoint> addresses,
                 ResolveErrorInfo error_info,
                 bool from_cache);
  void RunCallback(int result);
  // Ends the HOST_RESOLVER_REQUEST event with the error or the addresses.
  void LogEnd(int result);

  WeakPtr<HostResolver> resolver_;
  const HostPortPair host_;
  const NetworkAnonymizationKey network_anonymization_key_;
  const NetLogWithSource net_log_;
  const ResolveHostParameters parameters_;

  bool started_ = false;
  // Set while attached to the resolver's in-flight lookup of this (mapped)
  // hostname.
  bool attached_to_lookup_ = false;
  std::string lookup_hostname_;
  uint16_t lookup_port_ = 0;
  CompletionOnceCallback callback_;
  std::vector<IPEndPoint> addresses_;
  ResolveErrorInfo resolve_error_info_;
  bool from_cache_ = false;
  WeakPtrFactory<ResolveHostRequest> weak_factory_{this};
};

}  // namespace net

#endif  // NET_DNS_RESOLVE_HOST_REQUEST_H_
