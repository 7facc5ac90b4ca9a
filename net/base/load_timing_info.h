#ifndef NET_BASE_LOAD_TIMING_INFO_H_
#define NET_BASE_LOAD_TIMING_INFO_H_

#include "absl/time/time.h"

namespace net {

// When each phase of a request happened, like Chromium's LoadTimingInfo. Times
// come from the EventLoop's TickClock; absl::InfinitePast() means "did not
// happen". A request served by a socket that was already connected (reused, or
// warmed by a preconnect) has empty connect_timing: it paid no connect time.
struct LoadTimingInfo {
  struct ConnectTiming {
    absl::Time domain_lookup_start = absl::InfinitePast();
    absl::Time domain_lookup_end = absl::InfinitePast();
    absl::Time connect_start = absl::InfinitePast();
    absl::Time connect_end = absl::InfinitePast();
    absl::Time ssl_start = absl::InfinitePast();
    absl::Time ssl_end = absl::InfinitePast();
  };

  // True if the socket was used before or warmed by a preconnect.
  bool socket_reused = false;
  ConnectTiming connect_timing;
  absl::Time request_start = absl::InfinitePast();
  absl::Time send_start = absl::InfinitePast();
  absl::Time send_end = absl::InfinitePast();
  absl::Time receive_headers_end = absl::InfinitePast();
  absl::Time response_end = absl::InfinitePast();
};

}  // namespace net

#endif  // NET_BASE_LOAD_TIMING_INFO_H_
