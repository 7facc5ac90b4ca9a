#include "net/socket/transport_connect_job_factory.h"

#include "net/base/check.h"

namespace net {

TransportConnectJobFactory::TransportConnectJobFactory(
    HostResolver* host_resolver,
    SslClientSessionCache* session_cache,
    const SslConfig& ssl_config,
    NetLog* net_log,
    const TransportConnectJob::Options& options)
    : host_resolver_(host_resolver),
      session_cache_(session_cache),
      ssl_config_(ssl_config),
      net_log_(net_log),
      options_(options) {
  CHECK(host_resolver_);
}

TransportConnectJobFactory::~TransportConnectJobFactory() = default;

std::unique_ptr<ConnectJob> TransportConnectJobFactory::CreateConnectJob(
    const ConnectJobParams& params,
    ConnectJob::Delegate* delegate) {
  return std::make_unique<TransportConnectJob>(params, host_resolver_,
                                               session_cache_, ssl_config_,
                                               options_, net_log_, delegate);
}

}  // namespace net
