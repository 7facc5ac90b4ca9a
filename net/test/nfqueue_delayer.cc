#include "net/test/nfqueue_delayer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"

namespace net {

namespace {

// Lateness is kept per microsecond up to this; later releases share the last
// bucket (and late_max_us still says how late).
constexpr int64_t kLatenessBuckets = 100 * 1000;
// Room for a burst of page-load traffic in the netlink socket before the
// kernel has to drop notifications (ENOBUFS).
constexpr int kReceiveBufferBytes = 16 * 1024 * 1024;
// One netlink message: packet metadata only (NFQNL_COPY_META) is small, but
// recv() may return several messages at once.
constexpr size_t kBufferBytes = 256 * 1024;

int64_t MonotonicNs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

int64_t Microseconds(const timeval& time) {
  return int64_t{time.tv_sec} * 1000000 + time.tv_usec;
}

}  // namespace

NfqueueDelayer::NfqueueDelayer(const Options& options)
    : options_(options),
      lateness_us_(kLatenessBuckets + 1, 0),
      buffer_(kBufferBytes) {}

NfqueueDelayer::~NfqueueDelayer() {
  for (const auto& queue : queues_) {
    if (queue->handle)
      nfq_destroy_queue(queue->handle);
  }
  if (handle_)
    nfq_close(handle_);
}

std::unique_ptr<NfqueueDelayer> NfqueueDelayer::Create(const Options& options,
                                                       std::string* error) {
  if (options.queues.empty()) {
    *error = "no queue to delay";
    return nullptr;
  }
  std::unique_ptr<NfqueueDelayer> delayer(new NfqueueDelayer(options));
  delayer->handle_ = nfq_open();
  if (!delayer->handle_) {
    *error = absl::StrCat("cannot open a netfilter queue socket: ",
                          std::strerror(errno));
    return nullptr;
  }
  // Best effort: a larger buffer than rmem_max needs CAP_NET_ADMIN, which
  // binding a queue needs anyway.
  int size = kReceiveBufferBytes;
  setsockopt(nfq_fd(delayer->handle_), SOL_SOCKET, SO_RCVBUFFORCE, &size,
             sizeof(size));
  for (const Queue& queue : options.queues) {
    if (queue.one_way_delay < absl::ZeroDuration()) {
      *error = absl::StrCat("queue ", queue.number, " has a negative delay");
      return nullptr;
    }
    auto state = std::make_unique<QueueState>();
    state->delayer = delayer.get();
    state->delay_ns = absl::ToInt64Nanoseconds(queue.one_way_delay);
    state->handle = nfq_create_queue(delayer->handle_, queue.number,
                                     &NfqueueDelayer::OnPacket, state.get());
    if (!state->handle) {
      *error = absl::StrCat("cannot bind netfilter queue ", queue.number, ": ",
                            std::strerror(errno),
                            " (needs CAP_NET_ADMIN, nfnetlink_queue, and a "
                            "queue no other program holds)");
      return nullptr;
    }
    if (nfq_set_mode(state->handle, NFQNL_COPY_META, 0) < 0 ||
        nfq_set_queue_maxlen(state->handle, options.kernel_queue_maxlen) < 0 ||
        nfq_set_queue_flags(state->handle, NFQA_CFG_F_GSO, NFQA_CFG_F_GSO) <
            0) {
      *error = absl::StrCat("cannot configure netfilter queue ", queue.number,
                            ": ", std::strerror(errno));
      nfq_destroy_queue(state->handle);
      return nullptr;
    }
    delayer->queues_.push_back(std::move(state));
  }
  delayer->start_ns_ = MonotonicNs();
  return delayer;
}

int NfqueueDelayer::OnPacket(nfq_q_handle* handle,
                             nfgenmsg* /*message*/,
                             nfq_data* data,
                             void* context) {
  auto* queue = static_cast<QueueState*>(context);
  queue->delayer->Hold(queue, data);
  return 0;
}

void NfqueueDelayer::Hold(QueueState* queue, nfq_data* data) {
  nfqnl_msg_packet_hdr* header = nfq_get_msg_packet_hdr(data);
  if (!header)
    return;
  const uint32_t id = ntohl(header->packet_id);
  ++stats_.packets;
  if (queue->held.size() >= options_.max_held_per_queue) {
    ++stats_.dropped;
    nfq_set_verdict(queue->handle, id, NF_DROP, 0, nullptr);
    return;
  }
  queue->held.push_back({id, MonotonicNs() + queue->delay_ns});
  ++held_;
  stats_.max_held = std::max(stats_.max_held, held_);
}

bool NfqueueDelayer::DrainSocket(std::string* error) {
  const int fd = nfq_fd(handle_);
  for (;;) {
    ssize_t received = recv(fd, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (received > 0) {
      nfq_handle_packet(handle_, buffer_.data(), static_cast<int>(received));
      continue;
    }
    if (received < 0 && errno == EINTR)
      continue;
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return true;
    if (received < 0 && errno == ENOBUFS) {
      ++stats_.overruns;
      continue;
    }
    *error = received == 0 ? std::string("the netfilter queue socket closed")
                           : absl::StrCat("reading the netfilter queue: ",
                                          std::strerror(errno));
    return false;
  }
}

void NfqueueDelayer::Release(int64_t now_ns, bool everything) {
  for (const auto& queue : queues_) {
    std::deque<HeldPacket>& held = queue->held;
    size_t due = 0;
    while (due < held.size() &&
           (everything || held[due].deadline_ns <= now_ns)) {
      if (held[due].deadline_ns <= now_ns)
        RecordLateness(now_ns - held[due].deadline_ns);
      else
        ++stats_.released_at_shutdown;
      ++due;
    }
    if (due == 0)
      continue;
    // Packet ids grow per queue and everything older than the last due
    // packet was accepted or dropped already, so one batch verdict accepts
    // exactly the due packets, in order.
    nfq_set_verdict_batch(queue->handle, held[due - 1].id, NF_ACCEPT);
    held.erase(held.begin(), held.begin() + static_cast<ptrdiff_t>(due));
    held_ -= static_cast<int64_t>(due);
  }
}

int64_t NfqueueDelayer::NextDeadlineNs() const {
  int64_t next = std::numeric_limits<int64_t>::max();
  for (const auto& queue : queues_) {
    if (!queue->held.empty())
      next = std::min(next, queue->held.front().deadline_ns);
  }
  return next;
}

bool NfqueueDelayer::Run(int control_fd,
                         absl::FunctionRef<bool()> on_control,
                         std::string* error) {
  pollfd fds[2] = {{nfq_fd(handle_), POLLIN, 0}, {control_fd, POLLIN, 0}};
  for (;;) {
    const int64_t next = NextDeadlineNs();
    timespec timeout;
    timespec* wait = nullptr;
    if (next != std::numeric_limits<int64_t>::max()) {
      const int64_t remaining = std::max<int64_t>(0, next - MonotonicNs());
      timeout.tv_sec = remaining / 1000000000;
      timeout.tv_nsec = remaining % 1000000000;
      wait = &timeout;
    }
    int ready = ppoll(fds, 2, wait, nullptr);
    if (ready < 0 && errno != EINTR) {
      *error = absl::StrCat("ppoll: ", std::strerror(errno));
      return false;
    }
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLERR)) &&
        !DrainSocket(error)) {
      return false;
    }
    Release(MonotonicNs(), /*everything=*/false);
    if (ready > 0 && (fds[1].revents & (POLLIN | POLLHUP)) && on_control()) {
      // Whatever the kernel queued before the stop is accepted too.
      if (!DrainSocket(error))
        return false;
      Release(MonotonicNs(), /*everything=*/true);
      return true;
    }
  }
}

void NfqueueDelayer::RecordLateness(int64_t late_ns) {
  const int64_t late_us = late_ns / 1000;
  ++lateness_us_[std::min(late_us, kLatenessBuckets)];
  stats_.late_max_us = std::max(stats_.late_max_us, late_us);
}

int64_t NfqueueDelayer::LatenessPercentileUs(double fraction) const {
  int64_t total = 0;
  for (int64_t count : lateness_us_)
    total += count;
  if (total == 0)
    return 0;
  const int64_t rank = static_cast<int64_t>(fraction * (total - 1));
  int64_t seen = 0;
  for (int64_t us = 0; us <= kLatenessBuckets; ++us) {
    seen += lateness_us_[us];
    if (seen > rank)
      return us;
  }
  return kLatenessBuckets;
}

NfqueueDelayerStats NfqueueDelayer::stats() const {
  NfqueueDelayerStats stats = stats_;
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  stats.user_us = Microseconds(usage.ru_utime);
  stats.system_us = Microseconds(usage.ru_stime);
  stats.wall_us = (MonotonicNs() - start_ns_) / 1000;
  stats.late_p50_us = LatenessPercentileUs(0.50);
  stats.late_p99_us = LatenessPercentileUs(0.99);
  return stats;
}

}  // namespace net
