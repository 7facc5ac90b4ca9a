#ifndef NET_SOCKET_TRANSPORT_CONNECT_JOB_FACTORY_H_
#define NET_SOCKET_TRANSPORT_CONNECT_JOB_FACTORY_H_

#include <memory>

#include "net/socket/connect_job.h"
#include "net/socket/transport_connect_job.h"
#include "net/ssl/ssl_config.h"

namespace net {

class HostResolver;
class NetLog;
class SslClientSessionCache;

// The ConnectJobFactory a real socket pool uses: every job is a
// TransportConnectJob sharing one resolver, one TLS session cache and one
// SslConfig. The resolver, the session cache (may be null: no resumption) and
// the NetLog (may be null: no logging) are not owned and must outlive the
// factory and every job it made.
class TransportConnectJobFactory : public ConnectJobFactory {
 public:
  TransportConnectJobFactory(HostResolver* host_resolver,
                             SslClientSessionCache* session_cache,
                             const SslConfig& ssl_config,
                             NetLog* net_log,
                             const TransportConnectJob::Options& options = {});
  TransportConnectJobFactory(const TransportConnectJobFactory&) = delete;
  TransportConnectJobFactory& operator=(const TransportConnectJobFactory&) =
      delete;
  ~TransportConnectJobFactory() override;

  // ConnectJobFactory:
  std::unique_ptr<ConnectJob> CreateConnectJob(
      const ConnectJobParams& params,
      ConnectJob::Delegate* delegate) override;

 private:
  HostResolver* const host_resolver_;
  SslClientSessionCache* const session_cache_;
  const SslConfig ssl_config_;
  NetLog* const net_log_;
  const TransportConnectJob::Options options_;
};

}  // namespace net

#endif  // NET_SOCKET_TRANSPORT_CONNECT_JOB_FACTORY_H_
