#ifndef HOST_CONNECT_JOB_TIMELINE_H_
#define HOST_CONNECT_JOB_TIMELINE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "net/log/net_log_event_type.h"

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

// Reads a network context's NetLog to learn when each preconnected socket
// resolved, connected and finished its TLS handshake: a request's connect
// timing comes in its LoadTimingInfo, a preconnected socket's only in the
// NetLog. Entries come in NetLogEntry::ToStruct()'s form, so the same code
// reads an in-process NetLog and one streamed from the network service.
//
// It links sockets to hints through the order of events: the context handles
// calls in the order they are made, so the n-th PRECONNECT source that begins
// is the n-th Preconnect() call made since this timeline started (the caller
// must be the context's only source of preconnects meanwhile); and the pool
// starts a preconnect's connect jobs synchronously just before it logs
// SOCKET_POOL_CONNECTING_N_SOCKETS {started: n} on the PRECONNECT source, in
// the order of the preconnect ids it returns. Keeps what it read for its own
// lifetime (a page load's worth). Network thread only.
class ConnectJobTimeline {
 public:
  ConnectJobTimeline();
  ConnectJobTimeline(const ConnectJobTimeline&) = delete;
  ConnectJobTimeline& operator=(const ConnectJobTimeline&) = delete;
  ~ConnectJobTimeline();

  void OnEntry(const google::protobuf::Struct& entry);

  // The phases of the `socket`-th socket started by the `preconnect`-th
  // preconnect (both from 0); nullopt when the log did not show it.
  std::optional<ConnectPhases> PreconnectSocketPhases(size_t preconnect,
                                                      size_t socket) const;

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

  void OnJobEntry(net::NetLogEventType type,
                  uint32_t id,
                  bool begin,
                  bool end,
                  absl::Time time,
                  const google::protobuf::Struct& params);

  // PRECONNECT source ids in the order they began.
  std::vector<uint32_t> preconnect_sources_;
  absl::flat_hash_map<uint32_t, Job> jobs_;
  absl::flat_hash_map<uint32_t, SocketEvents> sockets_;
  // Connect jobs in the order they began (only the most recent are needed).
  std::deque<uint32_t> recent_jobs_;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> preconnect_jobs_;
};

}  // namespace prewarm

#endif  // HOST_CONNECT_JOB_TIMELINE_H_
