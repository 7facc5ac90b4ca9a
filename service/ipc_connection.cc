#include "service/ipc_connection.h"

#include <utility>

#include "net/base/net_errors.h"

namespace prewarm {

IpcConnection::IpcConnection(uint64_t id,
                             int fd,
                             Delegate* delegate,
                             size_t max_message_bytes)
    : id_(id),
      delegate_(delegate),
      channel_(fd,
               std::make_unique<ipc::ClientMessage>(),
               this,
               max_message_bytes) {}

IpcConnection::~IpcConnection() = default;

void IpcConnection::Start() {
  channel_.Start();
}

bool IpcConnection::Send(const ipc::ServiceMessage& message) {
  return channel_.Send(message);
}

void IpcConnection::SendError(uint32_t request_id,
                              int code,
                              std::string_view message) {
  ipc::ServiceMessage reply;
  reply.set_request_id(request_id);
  ipc::Error* error = reply.mutable_error();
  error->set_code(code);
  error->set_error_name(net::ErrorToShortString(code));
  error->set_message(std::string(message));
  channel_.Send(reply);
}

void IpcConnection::OnMessageReceived(
    const google::protobuf::MessageLite& message) {
  // The channel was made with an ipc::ClientMessage prototype.
  delegate_->OnClientMessage(this,
                             static_cast<const ipc::ClientMessage&>(message));
}

void IpcConnection::OnBadFrame(int error, const std::string& description) {
  SendError(0, error, description);
}

void IpcConnection::OnChannelClosed(int error) {
  delegate_->OnConnectionClosed(this, error);
}

}  // namespace prewarm
