#include "unittests/socket_pool/fake_connect_job.h"

#include <utility>

#include "net/base/net_errors.h"
#include "unittests/socket_pool/fake_connect_job_factory.h"
#include "unittests/socket_pool/fake_stream_socket.h"

namespace net {

FakeConnectJob::FakeConnectJob(FakeConnectJobFactory* factory,
                               Delegate* delegate,
                               uint64_t tag,
                               RequestPriority priority,
                               bool asynchronous,
                               int result)
    : factory_(factory),
      delegate_(delegate),
      tag_(tag),
      priority_(priority),
      asynchronous_(asynchronous),
      result_(result) {}

FakeConnectJob::~FakeConnectJob() {
  if (pending_)
    factory_->OnJobDestroyed(this);
}

int FakeConnectJob::Connect() {
  if (asynchronous_) {
    pending_ = true;
    return ERR_IO_PENDING;
  }
  if (result_ == OK)
    socket_ = std::make_unique<FakeStreamSocket>(tag_);
  return result_;
}

void FakeConnectJob::Complete() {
  pending_ = false;
  factory_->OnJobDestroyed(this);
  if (result_ == OK)
    socket_ = std::make_unique<FakeStreamSocket>(tag_);
  delegate_->OnConnectJobComplete(result_, this);
}

std::unique_ptr<StreamSocket> FakeConnectJob::PassSocket() {
  return std::move(socket_);
}

}  // namespace net
