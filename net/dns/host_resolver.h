#ifndef NET_DNS_HOST_RESOLVER_H_
#define NET_DNS_HOST_RESOLVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "net/base/host_port_pair.h"
#include "net/base/network_anonymization_key.h"
#include "net/dns/ares_client.h"
#include "net/dns/connect_to_overrides.h"
#include "net/dns/host_cache.h"
#include "net/dns/host_resolver_rules.h"
#include "net/dns/resolve_host_request.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"

namespace net {

// Resolves hosts to endpoints on the network thread, like Chromium's
// HostResolver:
//   1. connect-to overrides pick where a logical host:port really connects;
//   2. host-resolver rules remap the host (or fail it with ~NOTFOUND);
//   3. IP literals complete synchronously without DNS;
//   4. the host cache, partitioned by NetworkAnonymizationKey, answers if it
//   can;
//   5. otherwise c-ares looks the name up (hosts file first, then DNS).
//   Identical
//      lookups in flight (same hostname and NAK) share one c-ares query;
//      different NAKs never share one.
// Every DNS failure completes with ERR_NAME_NOT_RESOLVED; the request's
// resolve_error_info() says why (ERR_DNS_TIMED_OUT, ERR_DNS_MALFORMED_RESPONSE,
// ...). A reply that parses as the answer to our query but is malformed gives
// ERR_DNS_MALFORMED_RESPONSE; pure junk (no matching id and question) is
// dropped by c-ares like any stray datagram, so it ends as ERR_DNS_TIMED_OUT.
// NXDOMAIN/NODATA answers are cached for `negative_cache_ttl` (default 5 s, so
// a typo does not hammer the server but a name that appears is seen soon);
// timeouts, server failures and malformed answers are never cached. A lookup
// whose requests are all cancelled still completes and fills the cache (it is
// already on the wire).
//
// Lives on the network thread (an EventLoop must be current). Requests may
// outlive the resolver; they then complete with ERR_CONTEXT_SHUT_DOWN.
class HostResolver {
 public:
  struct Options {
    // DNS servers with ports, "127.0.0.1:5353,[::1]:53"; empty:
    // /etc/resolv.conf.
    std::string dns_servers;
    absl::Duration attempt_timeout = absl::Seconds(2);
    int attempts = 2;
    // Consult the hosts file ($CARES_HOSTS if set, else /etc/hosts) before DNS.
    // Hosts-file answers carry no TTL and are not cached, so edits apply at
    // once.
    bool use_hosts_file = true;
    size_t host_cache_size = 1000;
    // Caps the DNS TTL an entry is kept for.
    absl::Duration max_cache_ttl = absl::Hours(1);
    absl::Duration negative_cache_ttl = absl::Seconds(5);
    HostResolverRules rules;
    ConnectToOverrides connect_to;
  };

  // Returns nullptr and sets *error (ERR_INVALID_ARGUMENT, ...) and
  // *error_message for an unusable configuration.
  static std::unique_ptr<HostResolver> Create(Options options,
                                              int* error,
                                              std::string* error_message);
  HostResolver(const HostResolver&) = delete;
  HostResolver& operator=(const HostResolver&) = delete;
  ~HostResolver();

  // `net_log` is the caller's source; the request logs its events there.
  std::unique_ptr<ResolveHostRequest> CreateRequest(
      HostPortPair host,
      NetworkAnonymizationKey network_anonymization_key,
      const NetLogWithSource& net_log = NetLogWithSource(),
      ResolveHostParameters parameters = {});

  HostCache* host_cache() { return &host_cache_; }
  // c-ares lookups started so far, and those still in flight.
  uint64_t dns_lookups_started() const { return ares_->lookups_started(); }
  size_t in_flight_lookups() const { return jobs_.size(); }

 private:
  friend class ResolveHostRequest;
  struct Job;

  HostResolver(Options options, std::unique_ptr<AresClient> ares);

  // For ResolveHostRequest.
  int StartRequest(ResolveHostRequest* request);
  void DetachRequest(ResolveHostRequest* request);

  void OnLookupComplete(const HostCache::Key& key, AresClient::Result result);

  const Options options_;
  std::unique_ptr<AresClient> ares_;
  HostCache host_cache_;
  absl::flat_hash_map<HostCache::Key, std::unique_ptr<Job>> jobs_;
  WeakPtrFactory<HostResolver> weak_factory_{this};
};

}  // namespace net

#endif  // NET_DNS_HOST_RESOLVER_H_
