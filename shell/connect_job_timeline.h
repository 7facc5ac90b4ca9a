#ifndef SHELL_CONNECT_JOB_TIMELINE_H_
#define SHELL_CONNECT_JOB_TIMELINE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "net/log/net_log.h"

namespace prewarm {

// When the phases of one connect job happened. absl::InfinitePast() means
// "did not happen" (no TLS on http, or the job failed first). A value type.
struct ConnectPhases {
  absl::Time start = absl::InfinitePast();
  absl::Time dns_start = absl::InfinitePast();
  absl::Time dns_end = absl::InfinitePast();
  absl::Time connect_start = absl::InfinitePast();
  absl::Time connect_end = absl::InfinitePast();
  absl::Time ssl_start = absl::InfinitePast();
  absl::Time ssl_end = absl::InfinitePast();
  absl::Time end = absl::InfinitePast();
  // The job's net error once it ended.
  int error = 0;
};

// Reads the NetLog to learn when each preconnected socket resolved,
// connected and finished its TLS handshake: the pool reports a request's
// connect timing in its LoadTimingInfo, but a preconnected socket's only in
// the NetLog. It links them through facts of the event order: a PRECONNECT
// source begins synchronously inside the embedder's Preconnect() call
// (last_preconnect_source() right after it names that hint), and the pool
// starts a preconnect's connect jobs synchronously just before it logs
// SOCKET_POOL {started: n} on the PRECONNECT source, in the order of the
// preconnect ids it returns.
//
// Attaches itself to `net_log` (not owned, must outlive it) and detaches when
// destroyed. Network thread only.
class ConnectJobTimeline : public net::NetLog::Observer {
 public:
  explicit ConnectJobTimeline(net::NetLog* net_log);
  ConnectJobTimeline(const ConnectJobTimeline&) = delete;
  ConnectJobTimeline& operator=(const ConnectJobTimeline&) = delete;
  ~ConnectJobTimeline() override;

  // The id of the PRECONNECT source that began last (0: none yet).
  uint32_t last_preconnect_source() const { return last_preconnect_source_; }

  // The phases of the `index`-th socket the preconnect `preconnect_source`
  // started; nullopt when it started fewer.
  std::optional<ConnectPhases> PreconnectSocketPhases(
      uint32_t preconnect_source,
      size_t index) const;

  // net::NetLog::Observer:
  void OnAddEntry(const net::NetLogEntry& entry) override;

 private:
  struct Job {
    ConnectPhases phases;
    uint32_t socket_source = 0;
  };
  struct SocketEvents {
    absl::Time tcp_start = absl::InfinitePast();
    absl::Time tcp_end = absl::InfinitePast();
    absl::Time ssl_start = absl::InfinitePast();
    absl::Time ssl_end = absl::InfinitePast();
  };

  void OnJobEntry(const net::NetLogEntry& entry);

  net::NetLog* const net_log_;
  uint32_t last_preconnect_source_ = 0;
  absl::flat_hash_map<uint32_t, Job> jobs_;
  absl::flat_hash_map<uint32_t, SocketEvents> sockets_;
  // Connect jobs in the order they began (only the most recent are needed).
  std::deque<uint32_t> recent_jobs_;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> preconnect_jobs_;
};

}  // namespace prewarm

#endif  // SHELL_CONNECT_JOB_TIMELINE_H_
