#ifndef NET_TEST_LATENCY_LAB_H_
#define NET_TEST_LATENCY_LAB_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "net/base/ip_address.h"
#include "net/test/child_process.h"
#include "net/test/nfqueue_delayer_stats.h"
#include "net/test/scoped_temp_dir.h"

namespace net {

// A network namespace in which every packet to or from an origin's loopback
// address waits in the kernel's path for that origin's emulated latency, so
// that a TCP handshake costs a real round trip (LatencyProxy, the fallback,
// cannot delay it).
//
// Create() makes a fresh namespace named "prewarm-lab-<pid>-<n>", brings its
// loopback up, starts the nfqueue_delayer program inside with one queue per
// origin (half the origin's round trip each way) and only then - a queue
// without a reader drops packets - adds, per origin, the iptables-legacy
// rules "-A INPUT -i lo -d ADDRESS -j NFQUEUE" and "-s ADDRESS": requests to
// the origin and its answers (which go to 127.0.0.1) both pass the queue.
// Rules sit on INPUT only: a packet held on OUTPUT would still count against
// its sending socket's small-queue budget and throttle TCP to a trickle.
//
// The calling thread enters the namespace for the lab's lifetime (setns), so
// sockets it opens afterwards and processes it starts (servers, the network
// service, clients) live in it; the thread returns to its old namespace on
// destruction. Other threads are unaffected. Destroying the lab (or Stop())
// removes the rules, stops the delayer - which first accepts every packet it
// still holds - and deletes the namespace; because that happens in the
// destructor, a failing test cleans up too. Namespaces that a crashed process
// left behind are deleted by name on the next Create().
//
// Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN), network namespaces, `ip` and
// `iptables-legacy` (the nft variant has no queue target on kernels without
// NFT_QUEUE); IPv4 only. Not thread-safe: one thread creates, uses and
// destroys it.
class LatencyLab {
 public:
  struct Origin {
    // A loopback address other than 127.0.0.1, e.g. OriginAddress(i).
    IPAddress address;
    absl::Duration round_trip;
  };
  struct Options {
    std::vector<Origin> origins;
    // Empty: nfqueue_delayer next to the running executable.
    std::string delayer_binary;
    // Per origin; packets beyond it are dropped (a full router buffer).
    size_t max_held_per_queue = 65536;
  };

  // 127.0.0.(10 + index): a distinct loopback address per origin.
  static IPAddress OriginAddress(size_t index);

  // Why this machine cannot run a lab, in one line (not root, no network
  // namespaces, no iptables-legacy, ...), or nullopt if it can.
  static std::optional<std::string> UnsupportedReason();

  // The lab, or null with *error (one line) saying why it could not be made;
  // nothing is left behind then.
  static std::unique_ptr<LatencyLab> Create(const Options& options,
                                            std::string* error);

  // Deletes "prewarm-lab-<pid>-*" namespaces whose process is gone. Returns
  // how many.
  static int RemoveLeftovers();

  LatencyLab(const LatencyLab&) = delete;
  LatencyLab& operator=(const LatencyLab&) = delete;
  ~LatencyLab();

  const std::string& namespace_name() const { return name_; }
  const std::vector<Origin>& origins() const { return options_.origins; }

  // The delayer's counters now, or nullopt with *error.
  std::optional<NfqueueDelayerStats> DelayerStats(std::string* error);

  // Removes the rules and stops the delayer, which accepts every packet it
  // holds; returns its last counters (nullopt with *error if it did not
  // report). Traffic then flows undelayed until destruction.
  std::optional<NfqueueDelayerStats> Stop(std::string* error);

 private:
  explicit LatencyLab(const Options& options);

  bool Start(std::string* error);
  bool AddRules(std::string* error);
  void RemoveRules();
  // The "stats" lines the delayer printed so far.
  std::vector<NfqueueDelayerStats> ReportedStats() const;

  const Options options_;
  std::string name_;
  ScopedTempDir directory_;
  // The calling thread's namespace before Create(), and whether the thread
  // is in the lab's now.
  int original_namespace_fd_ = -1;
  bool entered_ = false;
  bool namespace_created_ = false;
  int rules_added_ = 0;
  ChildProcess delayer_;
};

}  // namespace net

#endif  // NET_TEST_LATENCY_LAB_H_
