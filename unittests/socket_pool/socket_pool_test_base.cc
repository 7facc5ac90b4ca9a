#include "unittests/socket_pool/socket_pool_test_base.h"

namespace net {

SocketPoolTestBase::SocketPoolTestBase() {
  CreateManager(SmallConfig());
}

SocketPoolTestBase::~SocketPoolTestBase() = default;

SocketPoolConfig SocketPoolTestBase::SmallConfig() {
  SocketPoolConfig config;
  config.max_sockets_per_group = 2;
  config.max_sockets_total = 4;
  config.unused_idle_timeout = absl::Seconds(10);
  config.used_idle_timeout = absl::Seconds(300);
  return config;
}

void SocketPoolTestBase::CreateManager(const SocketPoolConfig& config) {
  manager_.reset();
  manager_ = std::make_unique<SocketPoolManager>(config, &factory_, &observer_);
}

GroupId SocketPoolTestBase::Key(const std::string& host,
                                uint16_t port,
                                PrivacyMode mode,
                                const std::string& scheme,
                                NetworkAnonymizationKey nak) {
  return GroupId(scheme, HostPortPair(host, port), mode, std::move(nak));
}

NetworkAnonymizationKey SocketPoolTestBase::SameSiteNak(
    const std::string& url) {
  return NetworkAnonymizationKey::CreateSameSite(
      SchemefulSite(Url::Parse(url)));
}

NetworkAnonymizationKey SocketPoolTestBase::CrossSiteNak(
    const std::string& url) {
  return NetworkAnonymizationKey::CreateCrossSite(
      SchemefulSite(Url::Parse(url)));
}

int SocketPoolTestBase::Request(const GroupId& id,
                                RequestPriority priority,
                                TestRequest* request) {
  int rv = manager_->RequestSocket(
      id, priority, &request->handle,
      [this, request](int result) {
        request->result = result;
        request->callback_ran = true;
        completion_order_.push_back(request);
      },
      NetLogWithSource());
  if (rv != ERR_IO_PENDING)
    request->result = rv;
  return rv;
}

RequestSocketsResult SocketPoolTestBase::Preconnect(const GroupId& id,
                                                    int num_sockets) {
  return manager_->RequestSockets(id, num_sockets, NetLogWithSource());
}

void SocketPoolTestBase::RunUntilIdle() {
  loop_.RunUntilIdle();
}

}  // namespace net
