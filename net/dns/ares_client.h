#ifndef NET_DNS_ARES_CLIENT_H_
#define NET_DNS_ARES_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "net/base/ip_address.h"
#include "net/event/timer.h"
#include "net/event/weak_ptr.h"

struct ares_addrinfo;
struct ares_channeldata;

namespace net {

class FdWatcher;

// One c-ares channel driven by the current EventLoop: c-ares' sockets are
// watched with FdWatchers (via its socket-state callback) and its
// retransmission deadlines with a OneShotTimer (from ares_timeout). Lookup()
// runs ares_getaddrinfo for A and AAAA (AF_UNSPEC), consulting the hosts file
// first when enabled (lookups "fb"), and always delivers its result from a
// posted task, never from inside the call. Destroying the client abandons every
// lookup: their callbacks never run.
//
// c-ares keeps its own real-time clock for retransmissions, so DNS timeouts
// need a loop on the system clock; answers arrive through real fd events in
// either mode.
class AresClient {
 public:
  struct Config {
    // "127.0.0.1:5353,[::1]:53" (ares_set_servers_ports_csv); empty: the
    // system's /etc/resolv.conf.
    std::string servers;
    absl::Duration attempt_timeout = absl::Seconds(2);
    int attempts = 2;
    // The hosts file is /etc/hosts, or the file named by $CARES_HOSTS if set.
    bool use_hosts_file = true;
  };

  // What one lookup produced, already in net error terms.
  struct Result {
    int error = 0;  // OK or ERR_NAME_NOT_RESOLVED (or ERR_OUT_OF_MEMORY)
    int detail_error =
        0;  // why: OK, ERR_DNS_TIMED_OUT, ERR_DNS_MALFORMED_RESPONSE,
            // ERR_DNS_SERVER_FAILED, ...
    std::string message;  // human-readable, includes c-ares' own words
    // True when the name authoritatively does not exist or has no addresses
    // (NXDOMAIN or NODATA): the only failures worth caching.
    bool is_negative_answer = false;
    std::vector<IPAddress> addresses;
    absl::Duration
        ttl;  // the smallest TTL among the answers; 0 for hosts-file ones
  };
  using LookupCallback = absl::AnyInvocable<void(Result) &&>;

  // Returns nullptr and sets *error / *error_message if c-ares rejects the
  // config (for example a malformed server list).
  static std::unique_ptr<AresClient> Create(const Config& config,
                                            int* error,
                                            std::string* error_message);
  AresClient(const AresClient&) = delete;
  AresClient& operator=(const AresClient&) = delete;
  ~AresClient();

  void Lookup(const std::string& hostname, LookupCallback callback);

  // Lookups handed to c-ares so far (a measure of de-duplication in tests).
  uint64_t lookups_started() const { return lookups_started_; }

 private:
  struct PendingLookup;
  struct SocketState;

  AresClient();

  static void OnSocketStateChange(void* data,
                                  int fd,
                                  int readable,
                                  int writable);
  static void OnAddrInfo(void* arg,
                         int status,
                         int timeouts,
                         ares_addrinfo* result);

  void OnSocketReady(int fd, bool readable);
  void ArmWatchers(int fd);
  void UpdateTimer();
  void OnTimeout();

  ares_channeldata* channel_ = nullptr;
  absl::flat_hash_map<int, std::unique_ptr<SocketState>> sockets_;
  OneShotTimer timeout_timer_;
  uint64_t lookups_started_ = 0;
  WeakPtrFactory<AresClient> weak_factory_{this};
};

}  // namespace net

#endif  // NET_DNS_ARES_CLIENT_H_
