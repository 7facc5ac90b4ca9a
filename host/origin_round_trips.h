#ifndef HOST_ORIGIN_ROUND_TRIPS_H_
#define HOST_ORIGIN_ROUND_TRIPS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace prewarm {

// The emulated round trip of each origin of a local site, as the shell's
// --rtt flag gives it: "MS" for every origin, or a per-host list such as
// "news.example=40,*=120" in which "*" covers every host not listed (and is
// then required). Milliseconds, decimals allowed, 0 to 10000. A value type.
class OriginRoundTrips {
 public:
  // Every origin gets `round_trip`.
  explicit OriginRoundTrips(absl::Duration round_trip);

  // nullopt with *error (naming the bad part) if `text` is malformed.
  static std::optional<OriginRoundTrips> Parse(std::string_view text,
                                               std::string* error);

  absl::Duration ForHost(std::string_view host) const;
  // The largest round trip of any origin.
  absl::Duration Max() const;
  // The canonical form of the flag value, e.g. "news.example=40,*=100".
  std::string ToString() const;

 private:
  absl::Duration default_round_trip_;
  std::vector<std::pair<std::string, absl::Duration>> hosts_;
};

}  // namespace prewarm

#endif  // HOST_ORIGIN_ROUND_TRIPS_H_
