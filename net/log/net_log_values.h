#ifndef NET_LOG_NET_LOG_VALUES_H_
#define NET_LOG_NET_LOG_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"

namespace net {

// Helpers for building NetLog params (a google.protobuf.Struct, printed as a
// JSON object). JSON numbers are doubles: integers beyond 2^53 lose precision,
// so log ids and counts, not hashes, as ints.

void SetNetLogString(google::protobuf::Struct* params,
                     std::string_view key,
                     std::string_view value);
void SetNetLogInt(google::protobuf::Struct* params,
                  std::string_view key,
                  int64_t value);
void SetNetLogBool(google::protobuf::Struct* params,
                   std::string_view key,
                   bool value);
void SetNetLogStruct(google::protobuf::Struct* params,
                     std::string_view key,
                     google::protobuf::Struct value);

// {name: value} in one call, for the common single-field params.
google::protobuf::Struct NetLogParamsWithString(std::string_view name,
                                                std::string_view value);
google::protobuf::Struct NetLogParamsWithInt(std::string_view name,
                                             int64_t value);
google::protobuf::Struct NetLogParamsWithBool(std::string_view name,
                                              bool value);

// A NetLog time as Chrome's NetLog JSON writes it: a string of milliseconds on
// the NetLog clock's epoch. Chrome writes whole milliseconds; this keeps
// microseconds as a decimal fraction ("1500", "1500.25"), which NetLog tools
// read as the number it is, because loopback connects take less than a
// millisecond.
std::string NetLogTimeToString(absl::Time time);
// The inverse; nullopt unless `text` is such a number.
std::optional<absl::Time> NetLogTimeFromString(std::string_view text);

}  // namespace net

#endif  // NET_LOG_NET_LOG_VALUES_H_
