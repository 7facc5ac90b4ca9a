#include "net/log/net_log_util.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "net/base/net_errors.h"
#include "net/log/net_log.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_source_type.h"
#include "net/log/net_log_values.h"

namespace net {

namespace {

// Chrome's current NetLog file format; readers refuse any other.
constexpr int kLogFormatVersion = 1;

google::protobuf::Struct EventTypes() {
  google::protobuf::Struct types;
  for (int i = 0; i < static_cast<int>(NetLogEventType::COUNT); ++i) {
    SetNetLogInt(&types,
                 NetLogEventTypeToString(static_cast<NetLogEventType>(i)), i);
  }
  return types;
}

google::protobuf::Struct SourceTypes() {
  google::protobuf::Struct types;
  for (int i = 0; i < static_cast<int>(NetLogSourceType::COUNT); ++i) {
    SetNetLogInt(&types,
                 NetLogSourceTypeToString(static_cast<NetLogSourceType>(i)), i);
  }
  return types;
}

google::protobuf::Struct Phases() {
  google::protobuf::Struct phases;
  for (NetLogEventPhase phase :
       {NetLogEventPhase::NONE, NetLogEventPhase::BEGIN,
        NetLogEventPhase::END}) {
    SetNetLogInt(&phases,
                 std::string("PHASE_") + NetLogEventPhaseToString(phase),
                 static_cast<int>(phase));
  }
  return phases;
}

google::protobuf::Struct NetErrors() {
  google::protobuf::Struct errors;
  SetNetLogInt(&errors, ErrorToShortString(OK), OK);
#define NET_ERROR(label, value) SetNetLogInt(&errors, "ERR_" #label, value);
#include "net/base/net_error_list.h"
#undef NET_ERROR
  return errors;
}

google::protobuf::Struct AddressFamilies() {
  // Chrome's numbering; prewarm logs addresses as strings, so no event uses
  // these yet, but readers require the table.
  google::protobuf::Struct families;
  SetNetLogInt(&families, "ADDRESS_FAMILY_UNSPECIFIED", 0);
  SetNetLogInt(&families, "ADDRESS_FAMILY_IPV4", 1);
  SetNetLogInt(&families, "ADDRESS_FAMILY_IPV6", 2);
  return families;
}

}  // namespace

google::protobuf::Struct GetNetConstants(absl::Time wall_now,
                                         absl::Time ticks_now) {
  google::protobuf::Struct constants;
  SetNetLogInt(&constants, "logFormatVersion", kLogFormatVersion);
  SetNetLogStruct(&constants, "logEventTypes", EventTypes());
  SetNetLogStruct(&constants, "logSourceType", SourceTypes());
  SetNetLogStruct(&constants, "logEventPhase", Phases());
  SetNetLogStruct(&constants, "netError", NetErrors());
  SetNetLogStruct(&constants, "addressFamily", AddressFamilies());
  SetNetLogStruct(&constants, "loadFlag", NetLogParamsWithInt("NORMAL", 0));
  SetNetLogStruct(&constants, "certStatusFlag", google::protobuf::Struct());
  SetNetLogInt(&constants, "timeTickOffset",
               absl::ToInt64Milliseconds((wall_now - absl::UnixEpoch()) -
                                         (ticks_now - absl::UnixEpoch())));
  SetNetLogStruct(&constants, "clientInfo",
                  NetLogParamsWithString("name", "prewarm"));
  return constants;
}

google::protobuf::Struct GetNetConstants() {
  return GetNetConstants(absl::Now(), NetLog::NowTicks());
}

}  // namespace net
