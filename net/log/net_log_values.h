#ifndef NET_LOG_NET_LOG_VALUES_H_
#define NET_LOG_NET_LOG_VALUES_H_

#include <cstdint>
#include <string_view>

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

}  // namespace net

#endif  // NET_LOG_NET_LOG_VALUES_H_
