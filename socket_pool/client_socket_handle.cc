#include "socket_pool/client_socket_handle.h"

#include <utility>

#include "net/base/check.h"
#include "net/socket/stream_socket.h"
#include "socket_pool/transport_client_socket_pool.h"

namespace net {

ClientSocketHandle::ClientSocketHandle() = default;

ClientSocketHandle::~ClientSocketHandle() {
  Reset();
}

void ClientSocketHandle::Reset() {
  if (pool_) {
    if (socket_)
      pool_->ReleaseSocket(this);
    else if (pending_)
      pool_->CancelRequest(this);
  }
  pool_ = nullptr;
  group_ = nullptr;
  socket_.reset();
  reuse_type_ = ReuseType::kUnused;
  connect_timing_ = LoadTimingInfo::ConnectTiming();
  preconnect_id_ = 0;
  error_message_.clear();
  generation_ = 0;
  reusable_ = true;
  pending_ = false;
  callback_ = nullptr;
  net_log_ = NetLogWithSource();
  // Only a handle whose completion was posted has weak pointers out; skipping
  // the others keeps Reset() allocation-free on the idle-socket fast path.
  if (weak_factory_.HasWeakPtrs())
    weak_factory_.InvalidateWeakPtrs();
}

const GroupId& ClientSocketHandle::group_id() const {
  CHECK(group_ != nullptr);
  return TransportClientSocketPool::GroupIdOf(group_);
}

void ClientSocketHandle::RunCallback(int result) {
  // The callback may destroy or reuse this handle.
  if (callback_)
    RunStoredCallback(callback_, result);
}

}  // namespace net
