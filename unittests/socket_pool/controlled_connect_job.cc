#include "unittests/socket_pool/controlled_connect_job.h"

#include <utility>

#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/tcp_client_socket.h"
#include "unittests/socket_pool/controlled_connect_job_factory.h"
#include "unittests/socket_pool/tagged_stream_socket.h"

namespace net {

ControlledConnectJob::ControlledConnectJob(ControlledConnectJobFactory* factory,
                                           const IPEndPoint& endpoint,
                                           const ConnectJobParams& params,
                                           Delegate* delegate,
                                           bool released,
                                           int fail_with)
    : factory_(factory),
      endpoint_(endpoint),
      group_id_(params.scheme,
                params.destination,
                params.privacy_mode,
                params.network_anonymization_key),
      delegate_(delegate),
      priority_(params.priority),
      released_(released),
      fail_with_(fail_with) {}

ControlledConnectJob::~ControlledConnectJob() {
  factory_->OnJobDestroyed(this);
}

int ControlledConnectJob::Connect() {
  EventLoop* loop = EventLoop::Current();
  timing_.connect_start = loop->NowTicks();
  socket_ = std::make_unique<TcpClientSocket>(
      std::vector<IPEndPoint>{endpoint_}, TcpClientSocket::Options(),
      NetLogWithSource());
  int result = socket_->Connect([weak = weak_factory_.GetWeakPtr()](int rv) {
    if (ControlledConnectJob* job = weak.get())
      job->OnTcpConnected(rv);
  });
  if (result != ERR_IO_PENDING) {
    // Report later anyway: a pool job result always arrives from the loop.
    loop->PostTask([weak = weak_factory_.GetWeakPtr(), result] {
      if (ControlledConnectJob* job = weak.get())
        job->OnTcpConnected(result);
    });
  }
  return ERR_IO_PENDING;
}

void ControlledConnectJob::OnTcpConnected(int result) {
  tcp_result_ = result;
  timing_.connect_end = EventLoop::Current()->NowTicks();
  MaybeReport();
}

void ControlledConnectJob::Release() {
  released_ = true;
  MaybeReport();
}

void ControlledConnectJob::MaybeReport() {
  if (!released_ || tcp_result_ == 1 || reported_)
    return;
  reported_ = true;
  int result = fail_with_ != 0 ? fail_with_ : tcp_result_;
  if (result != OK)
    socket_.reset();
  delegate_->OnConnectJobComplete(result, this);
}

std::unique_ptr<StreamSocket> ControlledConnectJob::PassSocket() {
  if (!socket_)
    return nullptr;
  auto socket =
      std::make_unique<TaggedStreamSocket>(std::move(socket_), group_id_);
  socket->set_negotiated_protocol(factory_->negotiated_protocol());
  return socket;
}

}  // namespace net
