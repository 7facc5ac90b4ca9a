#ifndef NET_SOCKET_TRANSPORT_CONNECT_JOB_H_
#define NET_SOCKET_TRANSPORT_CONNECT_JOB_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "net/base/load_timing_info.h"
#include "net/event/timer.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/connect_job.h"
#include "net/socket/tcp_client_socket.h"
#include "net/ssl/ssl_config.h"

namespace net {

class EventLoop;
class HostResolver;
class NetLog;
class ResolveHostRequest;
class SslClientSessionCache;
class StreamSocket;

// Resolve -> TCP -> TLS for one pool group, like Chromium's TransportConnectJob
// plus SSLConnectJob. The host is resolved under the params'
// NetworkAnonymizationKey, so the host cache stays partitioned; TcpClientSocket
// connects (Happy Eyeballs is inside it); for https/wss an SslClientSocket
// handshakes with SNI and certificate checks for the logical host (connect-to
// overrides only change where TCP goes) and a session cache key of (host:port,
// NAK, privacy mode), so a TLS session never resumes across partitions.
//
// connect_timing(): domain_lookup_start/end around the resolution;
// connect_start when TCP starts and connect_end when the socket is ready (after
// TLS, as in Chromium); ssl_start/end around the handshake. Times come from the
// EventLoop clock.
//
// The whole job is bounded by `timeout` (ERR_TIMED_OUT); destroying it cancels
// whatever phase is running. A failure returns the phase's net error
// (ERR_NAME_NOT_RESOLVED, ERR_CONNECTION_REFUSED, ERR_CERT_AUTHORITY_INVALID,
// ...) and error_message() says more. `host_resolver`, `session_cache` (may be
// null: no resumption), `net_log` (may be null) and `delegate` are not owned
// and must outlive the job. Network thread only.
class TransportConnectJob : public ConnectJob {
 public:
  // Chromium's TransportConnectJob limit.
  static constexpr absl::Duration kDefaultTimeout = absl::Minutes(4);

  struct Options {
    absl::Duration timeout = kDefaultTimeout;
    TcpClientSocket::Options tcp;
  };

  TransportConnectJob(const ConnectJobParams& params,
                      HostResolver* host_resolver,
                      SslClientSessionCache* session_cache,
                      const SslConfig& ssl_config,
                      const Options& options,
                      NetLog* net_log,
                      Delegate* delegate);
  TransportConnectJob(const TransportConnectJob&) = delete;
  TransportConnectJob& operator=(const TransportConnectJob&) = delete;
  ~TransportConnectJob() override;

  // ConnectJob:
  int Connect() override;
  std::unique_ptr<StreamSocket> PassSocket() override;
  const LoadTimingInfo::ConnectTiming& connect_timing() const override {
    return connect_timing_;
  }
  RequestPriority priority() const override { return params_.priority; }
  void ChangePriority(RequestPriority priority) override;

  const ConnectJobParams& params() const { return params_; }
  // After success: whether the TLS handshake resumed a cached session.
  bool ssl_session_resumed() const { return ssl_session_resumed_; }
  // What went wrong, in words; "" while nothing has.
  std::string error_message() const override { return error_message_; }
  const NetLogWithSource& net_log() const { return net_log_; }

 private:
  enum class State {
    kNone,
    kResolveHost,
    kResolveHostComplete,
    kTransportConnect,
    kTransportConnectComplete,
    kSslConnect,
    kSslConnectComplete,
  };

  int DoLoop(int result);
  int DoResolveHost();
  int DoResolveHostComplete(int result);
  int DoTransportConnect();
  int DoTransportConnectComplete(int result);
  int DoSslConnect();
  int DoSslConnectComplete(int result);

  void OnIOComplete(int result);
  void OnTimeout();
  // Ends the job's NetLog event and tells the delegate; may destroy `this`.
  void NotifyComplete(int result);
  void LogEnd(int result);
  bool UsesTls() const;
  absl::Time Now() const;

  ConnectJobParams params_;
  HostResolver* const host_resolver_;
  SslClientSessionCache* const session_cache_;
  const SslConfig ssl_config_;
  const Options options_;
  Delegate* const delegate_;
  EventLoop* const loop_;
  NetLogWithSource net_log_;

  State next_state_ = State::kNone;
  bool started_ = false;
  bool done_ = false;
  std::unique_ptr<ResolveHostRequest> resolve_request_;
  std::unique_ptr<StreamSocket> socket_;
  LoadTimingInfo::ConnectTiming connect_timing_;
  bool ssl_session_resumed_ = false;
  std::string error_message_;
  OneShotTimer timeout_timer_;

  WeakPtrFactory<TransportConnectJob> weak_factory_{this};
};

}  // namespace net

#endif  // NET_SOCKET_TRANSPORT_CONNECT_JOB_H_
