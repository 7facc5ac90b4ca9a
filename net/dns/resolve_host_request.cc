#include "net/dns/resolve_host_request.h"

#include <utility>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/dns/host_resolver.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_values.h"

namespace net {

ResolveHostRequest::ResolveHostRequest(
    WeakPtr<HostResolver> resolver,
    HostPortPair host,
    NetworkAnonymizationKey network_anonymization_key,
    NetLogWithSource net_log,
    ResolveHostParameters parameters)
    : resolver_(std::move(resolver)),
      host_(std::move(host)),
      network_anonymization_key_(std::move(network_anonymization_key)),
      net_log_(std::move(net_log)),
      parameters_(parameters) {}

ResolveHostRequest::~ResolveHostRequest() {
  if (attached_to_lookup_ && resolver_)
    resolver_->DetachRequest(this);
  if (callback_) {
    net_log_.AddEvent(NetLogEventType::CANCELLED);
    net_log_.EndEvent(NetLogEventType::HOST_RESOLVER_MANAGER_REQUEST);
  }
}

int ResolveHostRequest::Start(CompletionOnceCallback callback) {
  CHECK(!started_);
  CHECK(callback);
  started_ = true;
  net_log_.BeginEvent(NetLogEventType::HOST_RESOLVER_MANAGER_REQUEST, [&] {
    google::protobuf::Struct params;
    SetNetLogString(&params, "host", host_.ToString());
    SetNetLogString(&params, "network_anonymization_key",
                    network_anonymization_key_.ToDebugString());
    return params;
  });
  int result = ERR_CONTEXT_SHUT_DOWN;
  if (resolver_) {
    result = resolver_->StartRequest(this);
  } else {
    resolve_error_info_ = {ERR_CONTEXT_SHUT_DOWN,
                           "the host resolver was destroyed"};
  }
  if (result == ERR_IO_PENDING)
    callback_ = std::move(callback);
  else
    LogEnd(result);
  return result;
}

void ResolveHostRequest::SetResult(std::vector<IPEndPoint> addresses,
                                   ResolveErrorInfo error_info,
                                   bool from_cache) {
  addresses_ = std::move(addresses);
  resolve_error_info_ = std::move(error_info);
  from_cache_ = from_cache;
}

void ResolveHostRequest::RunCallback(int result) {
  CHECK(callback_);
  LogEnd(result);
  // The callback may destroy this request.
  RunStoredCallback(callback_, result);
}

void ResolveHostRequest::LogEnd(int result) {
  net_log_.EndEvent(NetLogEventType::HOST_RESOLVER_MANAGER_REQUEST, [&] {
    google::protobuf::Struct params;
    if (result < 0) {
      SetNetLogInt(&params, "net_error", result);
      if (resolve_error_info_.error != result)
        SetNetLogInt(&params, "dns_error", resolve_error_info_.error);
      SetNetLogString(&params, "message", resolve_error_info_.message);
      return params;
    }
    google::protobuf::ListValue* list =
        (*params.mutable_fields())["addresses"].mutable_list_value();
    for (const IPEndPoint& endpoint : addresses_)
      list->add_values()->set_string_value(endpoint.ToString());
    return params;
  });
}

}  // namespace net
