#ifndef NET_TEST_NFQUEUE_DELAYER_H_
#define NET_TEST_NFQUEUE_DELAYER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "net/test/nfqueue_delayer_stats.h"

struct nfq_handle;
struct nfq_q_handle;
struct nfq_data;
struct nfgenmsg;

namespace net {

// Delays packets in the kernel's path: it binds netfilter queues (the
// NFQUEUE target of iptables) through libnetfilter_queue, holds every packet
// the kernel queues to it for the queue's one-way delay and then accepts it.
// Because the packet itself waits - SYN and SYN-ACK included - a TCP
// connect() costs a real round trip, which a user-space proxy cannot emulate.
//
// Each queue has one fixed delay, so holding its packets in arrival order
// and releasing them from the front preserves their order. A queue holds at
// most `max_held_per_queue` packets; a packet beyond that is dropped, like a
// full router buffer, and counted. Packets are accepted whole with
// NFQA_CFG_F_GSO (one verdict per GSO super-packet rather than per MTU-sized
// segment) and only their metadata is copied to user space.
//
// Run() is the whole life of the delayer on the calling thread. When
// `control_fd` becomes readable it calls `on_control`, which reads it (a
// signalfd, say) and returns whether to stop; stopping accepts every packet
// still held (in order, at once) and every packet still waiting in the
// socket, so that a stop never drops traffic. Not thread-safe; stats() is
// for the thread that runs it, e.g. from `on_control`.
class NfqueueDelayer {
 public:
  struct Queue {
    uint16_t number = 0;
    absl::Duration one_way_delay;
  };
  struct Options {
    std::vector<Queue> queues;
    size_t max_held_per_queue = 65536;
    // The kernel-side queue length (NFQA_CFG_QUEUE_MAXLEN); the kernel's
    // default of 1024 drops packets of a busy page load.
    uint32_t kernel_queue_maxlen = 65536;
  };

  // Binds every queue. Null with *error when netfilter queues are
  // unavailable (no CAP_NET_ADMIN, no nfnetlink_queue) or a queue is taken.
  static std::unique_ptr<NfqueueDelayer> Create(const Options& options,
                                                std::string* error);
  NfqueueDelayer(const NfqueueDelayer&) = delete;
  NfqueueDelayer& operator=(const NfqueueDelayer&) = delete;
  ~NfqueueDelayer();

  // Delays packets until `on_control` says stop (see above). Returns false
  // with *error on a fatal socket error.
  bool Run(int control_fd,
           absl::FunctionRef<bool()> on_control,
           std::string* error);

  // The counters so far, CPU and lateness included.
  NfqueueDelayerStats stats() const;
  // Whether the caller obtained a real-time priority for the thread that
  // runs the delayer; reported in stats().
  void set_realtime(bool realtime) { stats_.realtime = realtime; }

 private:
  struct HeldPacket {
    uint32_t id;
    int64_t deadline_ns;
  };
  struct QueueState {
    NfqueueDelayer* delayer = nullptr;
    nfq_q_handle* handle = nullptr;
    int64_t delay_ns = 0;
    std::deque<HeldPacket> held;
  };

  explicit NfqueueDelayer(const Options& options);

  static int OnPacket(nfq_q_handle* handle,
                      nfgenmsg* message,
                      nfq_data* data,
                      void* context);
  void Hold(QueueState* queue, nfq_data* data);
  // Reads and handles every message waiting on the socket; false on a fatal
  // error.
  bool DrainSocket(std::string* error);
  // Accepts the packets due at `now_ns` (all of them if `everything`).
  void Release(int64_t now_ns, bool everything);
  int64_t NextDeadlineNs() const;
  void RecordLateness(int64_t late_ns);
  int64_t LatenessPercentileUs(double fraction) const;

  const Options options_;
  nfq_handle* handle_ = nullptr;
  std::vector<std::unique_ptr<QueueState>> queues_;
  int64_t held_ = 0;
  int64_t start_ns_ = 0;
  // Lateness in microseconds, one bucket per microsecond; the last bucket
  // holds everything later.
  std::vector<int64_t> lateness_us_;
  std::vector<char> buffer_;
  NfqueueDelayerStats stats_;
};

}  // namespace net

#endif  // NET_TEST_NFQUEUE_DELAYER_H_
