#ifndef NET_TEST_NFQUEUE_DELAYER_STATS_H_
#define NET_TEST_NFQUEUE_DELAYER_STATS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace net {

// The counters NfqueueDelayer keeps, and the one-line text form in which the
// nfqueue_delayer program reports them ("stats packets=... user_us=..."), so
// that the process that runs it (LatencyLab) can read them back. A plain
// value; ToLine() and Parse() round-trip.
struct NfqueueDelayerStats {
  // Packets the kernel queued to the delayer, over all queues.
  int64_t packets = 0;
  // Packets dropped because their queue already held its maximum.
  int64_t dropped = 0;
  // Packets accepted early by the shutdown, which releases everything held.
  int64_t released_at_shutdown = 0;
  // The most packets held at once, over all queues.
  int64_t max_held = 0;
  // Receive buffer overruns of the netlink socket (ENOBUFS): the kernel
  // could not tell the delayer about some packets.
  int64_t overruns = 0;
  // The delayer's CPU time in user space and in the kernel, and its running
  // time. The kernel part includes more than netlink: a verdict reinjects
  // the packet, and the rest of its receive path (TCP included) runs in the
  // delayer's system call.
  int64_t user_us = 0;
  int64_t system_us = 0;
  int64_t wall_us = 0;
  // How late packets were released after their deadline.
  int64_t late_p50_us = 0;
  int64_t late_p99_us = 0;
  int64_t late_max_us = 0;
  // Whether the delayer runs with a real-time scheduling priority.
  bool realtime = false;

  std::string ToLine() const;
  // nullopt unless `line` is a ToLine() result (trailing newline allowed).
  static std::optional<NfqueueDelayerStats> Parse(std::string_view line);
};

}  // namespace net

#endif  // NET_TEST_NFQUEUE_DELAYER_STATS_H_
