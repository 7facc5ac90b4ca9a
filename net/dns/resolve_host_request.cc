#include "net/dns/resolve_host_request.h"

#include <utility>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/dns/host_resolver.h"

namespace net {

ResolveHostRequest::ResolveHostRequest(
    WeakPtr<HostResolver> resolver,
    HostPortPair host,
    NetworkAnonymizationKey network_anonymization_key,
    ResolveHostParameters parameters)
    : resolver_(std::move(resolver)),
      host_(std::move(host)),
      network_anonymization_key_(std::move(network_anonymization_key)),
      parameters_(parameters) {}

ResolveHostRequest::~ResolveHostRequest() {
  if (attached_to_lookup_ && resolver_)
    resolver_->DetachRequest(this);
}

int ResolveHostRequest::Start(CompletionOnceCallback callback) {
  CHECK(!started_);
  CHECK(callback);
  started_ = true;
  if (!resolver_) {
    resolve_error_info_ = {ERR_CONTEXT_SHUT_DOWN,
                           "the host resolver was destroyed"};
    return ERR_CONTEXT_SHUT_DOWN;
  }
  int result = resolver_->StartRequest(this);
  if (result == ERR_IO_PENDING)
    callback_ = std::move(callback);
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
  std::move(callback_)(result);
}

}  // namespace net
