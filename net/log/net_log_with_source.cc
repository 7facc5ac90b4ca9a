#include "net/log/net_log_with_source.h"

#include "net/base/check.h"
#include "net/log/net_log_values.h"

namespace net {

// static
NetLogWithSource NetLogWithSource::Make(NetLog* net_log,
                                        NetLogSourceType type) {
  CHECK(net_log != nullptr);
  return NetLogWithSource(
      net_log, NetLogSource(type, net_log->NextID(), NetLog::NowTicks()));
}

// static
NetLogWithSource NetLogWithSource::Make(NetLogSourceType type) {
  return Make(NetLog::Get(), type);
}

void NetLogWithSource::AddEntry(NetLogEventType type,
                                NetLogEventPhase phase) const {
  if (net_log_)
    net_log_->AddEntry(type, source_, phase);
}

void NetLogWithSource::AddEntry(NetLogEventType type,
                                NetLogEventPhase phase,
                                ParamsCallback get_params) const {
  if (net_log_)
    net_log_->AddEntry(type, source_, phase, get_params);
}

void NetLogWithSource::AddEvent(NetLogEventType type) const {
  AddEntry(type, NetLogEventPhase::NONE);
}

void NetLogWithSource::AddEvent(NetLogEventType type,
                                ParamsCallback get_params) const {
  AddEntry(type, NetLogEventPhase::NONE, get_params);
}

void NetLogWithSource::BeginEvent(NetLogEventType type) const {
  AddEntry(type, NetLogEventPhase::BEGIN);
}

void NetLogWithSource::BeginEvent(NetLogEventType type,
                                  ParamsCallback get_params) const {
  AddEntry(type, NetLogEventPhase::BEGIN, get_params);
}

void NetLogWithSource::EndEvent(NetLogEventType type) const {
  AddEntry(type, NetLogEventPhase::END);
}

void NetLogWithSource::EndEvent(NetLogEventType type,
                                ParamsCallback get_params) const {
  AddEntry(type, NetLogEventPhase::END, get_params);
}

void NetLogWithSource::AddEventWithNetErrorCode(NetLogEventType type,
                                                int net_error) const {
  if (net_error >= 0) {
    AddEvent(type);
    return;
  }
  AddEvent(type,
           [net_error] { return NetLogParamsWithInt("net_error", net_error); });
}

void NetLogWithSource::EndEventWithNetErrorCode(NetLogEventType type,
                                                int net_error) const {
  if (net_error >= 0) {
    EndEvent(type);
    return;
  }
  EndEvent(type,
           [net_error] { return NetLogParamsWithInt("net_error", net_error); });
}

void NetLogWithSource::AddEventReferencingSource(
    NetLogEventType type,
    const NetLogSource& source) const {
  AddEvent(type, [&source] {
    google::protobuf::Struct params;
    source.AddToEventParameters(&params);
    return params;
  });
}

void NetLogWithSource::BeginEventReferencingSource(
    NetLogEventType type,
    const NetLogSource& source) const {
  BeginEvent(type, [&source] {
    google::protobuf::Struct params;
    source.AddToEventParameters(&params);
    return params;
  });
}

void NetLogWithSource::AddEventWithIntParams(NetLogEventType type,
                                             std::string_view name,
                                             int64_t value) const {
  AddEvent(type, [name, value] { return NetLogParamsWithInt(name, value); });
}

void NetLogWithSource::AddEventWithStringParams(NetLogEventType type,
                                                std::string_view name,
                                                std::string_view value) const {
  AddEvent(type, [name, value] { return NetLogParamsWithString(name, value); });
}

void NetLogWithSource::AddEventWithBoolParams(NetLogEventType type,
                                              std::string_view name,
                                              bool value) const {
  AddEvent(type, [name, value] { return NetLogParamsWithBool(name, value); });
}

}  // namespace net
