#include "net/socket/transport_connect_job.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/dns/host_resolver.h"
#include "net/dns/resolve_host_request.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_values.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_client_socket.h"

namespace net {

TransportConnectJob::TransportConnectJob(const ConnectJobParams& params,
                                         HostResolver* host_resolver,
                                         SslClientSessionCache* session_cache,
                                         const SslConfig& ssl_config,
                                         const Options& options,
                                         NetLog* net_log,
                                         Delegate* delegate)
    : params_(params),
      host_resolver_(host_resolver),
      session_cache_(session_cache),
      ssl_config_(ssl_config),
      options_(options),
      delegate_(delegate),
      loop_(EventLoop::Current()),
      net_log_(net_log ? NetLogWithSource::Make(
                             net_log,
                             NetLogSourceType::TRANSPORT_CONNECT_JOB)
                       : NetLogWithSource()) {
  CHECK(host_resolver_);
  CHECK(delegate_);
  CHECK(loop_);
}

TransportConnectJob::~TransportConnectJob() {
  if (started_ && !done_) {
    net_log_.AddEvent(NetLogEventType::CANCELLED);
    net_log_.EndEvent(NetLogEventType::TRANSPORT_CONNECT_JOB_CONNECT);
  }
}

absl::Time TransportConnectJob::Now() const {
  return loop_->NowTicks();
}

bool TransportConnectJob::UsesTls() const {
  return params_.scheme == "https" || params_.scheme == "wss";
}

void TransportConnectJob::ChangePriority(RequestPriority priority) {
  // The resolver and sockets have no priorities; the pool reads it back.
  params_.priority = priority;
}

int TransportConnectJob::Connect() {
  CHECK(!started_);
  started_ = true;
  net_log_.BeginEvent(NetLogEventType::TRANSPORT_CONNECT_JOB_CONNECT, [&] {
    google::protobuf::Struct params;
    SetNetLogString(&params, "scheme", params_.scheme);
    SetNetLogString(&params, "destination", params_.destination.ToString());
    SetNetLogString(&params, "privacy_mode",
                    PrivacyModeToString(params_.privacy_mode));
    SetNetLogString(&params, "network_anonymization_key",
                    params_.network_anonymization_key.ToDebugString());
    return params;
  });

  int rv;
  if (params_.scheme != "http" && params_.scheme != "https" &&
      params_.scheme != "ws" && params_.scheme != "wss") {
    error_message_ = absl::StrCat("scheme '", params_.scheme,
                                  "' has no transport (http, https, ws, wss)");
    rv = ERR_DISALLOWED_URL_SCHEME;
  } else {
    next_state_ = State::kResolveHost;
    rv = DoLoop(OK);
  }
  if (rv == ERR_IO_PENDING) {
    timeout_timer_.Start(options_.timeout, [weak = weak_factory_.GetWeakPtr()] {
      if (TransportConnectJob* self = weak.get())
        self->OnTimeout();
    });
    return rv;
  }
  LogEnd(rv);
  return rv;
}

std::unique_ptr<StreamSocket> TransportConnectJob::PassSocket() {
  return std::move(socket_);
}

int TransportConnectJob::DoLoop(int result) {
  DCHECK(next_state_ != State::kNone);
  int rv = result;
  do {
    State state = next_state_;
    next_state_ = State::kNone;
    switch (state) {
      case State::kResolveHost:
        DCHECK(rv == OK);
        rv = DoResolveHost();
        break;
      case State::kResolveHostComplete:
        rv = DoResolveHostComplete(rv);
        break;
      case State::kTransportConnect:
        DCHECK(rv == OK);
        rv = DoTransportConnect();
        break;
      case State::kTransportConnectComplete:
        rv = DoTransportConnectComplete(rv);
        break;
      case State::kSslConnect:
        DCHECK(rv == OK);
        rv = DoSslConnect();
        break;
      case State::kSslConnectComplete:
        rv = DoSslConnectComplete(rv);
        break;
      case State::kNone:
        NOTREACHED();
    }
  } while (rv != ERR_IO_PENDING && next_state_ != State::kNone);
  return rv;
}

int TransportConnectJob::DoResolveHost() {
  next_state_ = State::kResolveHostComplete;
  connect_timing_.domain_lookup_start = Now();
  net_log_.BeginEvent(NetLogEventType::TRANSPORT_CONNECT_JOB_RESOLVE_HOST);
  resolve_request_ = host_resolver_->CreateRequest(
      params_.destination, params_.network_anonymization_key, net_log_);
  return resolve_request_->Start([this](int result) { OnIOComplete(result); });
}

int TransportConnectJob::DoResolveHostComplete(int result) {
  connect_timing_.domain_lookup_end = Now();
  net_log_.EndEventWithNetErrorCode(
      NetLogEventType::TRANSPORT_CONNECT_JOB_RESOLVE_HOST, result);
  if (result != OK) {
    const ResolveErrorInfo& info = resolve_request_->resolve_error_info();
    error_message_ = absl::StrCat(
        "resolving ", params_.destination.host(), " failed: ",
        info.message.empty() ? ErrorToShortString(result) : info.message);
    resolve_request_.reset();
    return result;
  }
  next_state_ = State::kTransportConnect;
  return OK;
}

int TransportConnectJob::DoTransportConnect() {
  next_state_ = State::kTransportConnectComplete;
  std::vector<IPEndPoint> addresses = resolve_request_->addresses();
  resolve_request_.reset();
  NetLogWithSource socket_log =
      net_log_.net_log()
          ? NetLogWithSource::Make(net_log_.net_log(), NetLogSourceType::SOCKET)
          : NetLogWithSource();
  socket_ = std::make_unique<TcpClientSocket>(std::move(addresses),
                                              options_.tcp, socket_log);
  connect_timing_.connect_start = Now();
  return socket_->Connect([this](int result) { OnIOComplete(result); });
}

int TransportConnectJob::DoTransportConnectComplete(int result) {
  if (result != OK) {
    error_message_ =
        absl::StrCat("TCP connect to ", params_.destination.ToString(),
                     " failed: ", ErrorToShortString(result));
    socket_.reset();
    return result;
  }
  if (!UsesTls()) {
    connect_timing_.connect_end = Now();
    return OK;
  }
  next_state_ = State::kSslConnect;
  return OK;
}

int TransportConnectJob::DoSslConnect() {
  next_state_ = State::kSslConnectComplete;
  // SNI, the certificate name check and the session key all use the logical
  // destination, whatever address the connection went to.
  SslClientSessionCache::Key session_key;
  session_key.server = params_.destination;
  session_key.network_anonymization_key = params_.network_anonymization_key;
  session_key.privacy_mode = params_.privacy_mode;
  socket_ = std::make_unique<SslClientSocket>(
      std::move(socket_), ssl_config_, session_key, session_cache_,
      params_.unbound ? SslClientSocket::Binding::kUnbound
                      : SslClientSocket::Binding::kBound);
  connect_timing_.ssl_start = Now();
  return socket_->Connect([this](int result) { OnIOComplete(result); });
}

int TransportConnectJob::DoSslConnectComplete(int result) {
  connect_timing_.ssl_end = Now();
  connect_timing_.connect_end = connect_timing_.ssl_end;
  auto* ssl_socket = static_cast<SslClientSocket*>(socket_.get());
  if (result != OK) {
    error_message_ =
        absl::StrCat("TLS handshake with ", params_.destination.ToString(),
                     " failed: ", ErrorToShortString(result));
    if (!ssl_socket->error_detail().empty())
      absl::StrAppend(&error_message_, " (", ssl_socket->error_detail(), ")");
    socket_.reset();
    return result;
  }
  ssl_session_resumed_ = ssl_socket->session_resumed();
  return OK;
}

void TransportConnectJob::OnIOComplete(int result) {
  int rv = DoLoop(result);
  if (rv != ERR_IO_PENDING)
    NotifyComplete(rv);
}

void TransportConnectJob::OnTimeout() {
  // Dropping the request or socket cancels the running phase.
  resolve_request_.reset();
  socket_.reset();
  next_state_ = State::kNone;
  error_message_ =
      absl::StrCat("connecting to ", params_.destination.ToString(),
                   " took over ", absl::FormatDuration(options_.timeout));
  net_log_.AddEvent(NetLogEventType::CONNECT_JOB_TIMED_OUT);
  NotifyComplete(ERR_TIMED_OUT);
}

void TransportConnectJob::LogEnd(int result) {
  done_ = true;
  if (result == OK && socket_) {
    net_log_.AddEventReferencingSource(NetLogEventType::CONNECT_JOB_SET_SOCKET,
                                       socket_->NetLog().source());
  }
  net_log_.EndEventWithNetErrorCode(NetLogEventType::TRANSPORT_CONNECT_JOB_CONNECT,
                                    result);
}

void TransportConnectJob::NotifyComplete(int result) {
  timeout_timer_.Stop();
  LogEnd(result);
  // May destroy `this`.
  delegate_->OnConnectJobComplete(result, this);
}

}  // namespace net
