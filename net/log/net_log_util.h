#ifndef NET_LOG_NET_LOG_UTIL_H_
#define NET_LOG_NET_LOG_UTIL_H_

#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"

namespace net {

// The "constants" object of a NetLog file in Chrome's JSON format, which is
// what lets a reader such as catapult's netlog_viewer turn the numbers in the
// events back into names: logFormatVersion (1, Chrome's), logEventTypes and
// logSourceType (every label of our lists with its number), logEventPhase,
// netError (every net error), addressFamily, loadFlag (prewarm has no load
// flags, so only NORMAL), certStatusFlag (empty), timeTickOffset and
// clientInfo {"name": "prewarm"}.
//
// timeTickOffset is the Unix time in milliseconds at NetLog tick 0: `wall_now`
// minus `ticks_now`, two readings taken together (the viewer adds it to an
// entry's time to show dates).
google::protobuf::Struct GetNetConstants(absl::Time wall_now,
                                         absl::Time ticks_now);

// The same, reading absl::Now() and NetLog::NowTicks().
google::protobuf::Struct GetNetConstants();

}  // namespace net

#endif  // NET_LOG_NET_LOG_UTIL_H_
