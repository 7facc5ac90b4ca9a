#include "service/network_service_client.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "service/remote_network_context.h"

namespace prewarm {

namespace {

ipc::ServiceMessage MakeError(uint32_t request_id,
                              int code,
                              std::string message) {
  ipc::ServiceMessage reply;
  reply.set_request_id(request_id);
  reply.mutable_error()->set_code(code);
  reply.mutable_error()->set_error_name(net::ErrorToShortString(code));
  reply.mutable_error()->set_message(std::move(message));
  return reply;
}

// The service is trusted: the client always reads (were both ends to stop
// reading while their output waits, each would wait for the other) and lets
// a large reply take as long as it takes.
IpcChannel::Limits ClientChannelLimits() {
  IpcChannel::Limits limits;
  limits.max_incoming_bytes = NetworkServiceClient::kMaxIncomingBytes;
  limits.pause_reading_above_bytes = SIZE_MAX;
  limits.partial_frame_timeout = absl::InfiniteDuration();
  return limits;
}

}  // namespace

// static
std::unique_ptr<NetworkServiceClient> NetworkServiceClient::Connect(
    const std::string& path,
    int* error,
    std::string* error_message) {
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    *error = net::ERR_INVALID_ARGUMENT;
    *error_message = absl::StrCat("socket path \"", path, "\" is too long");
    return nullptr;
  }
  memcpy(address.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = net::MapSystemError(errno);
    *error_message = absl::StrCat("socket: ", strerror(errno));
    return nullptr;
  }
  // A Unix-domain connect completes (or fails) at once.
  int rv;
  do {
    rv = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  } while (rv != 0 && errno == EINTR);
  if (rv != 0) {
    *error = net::MapSystemError(errno);
    *error_message =
        absl::StrCat("cannot connect to ", path, ": ", strerror(errno));
    ::close(fd);
    return nullptr;
  }
  *error = net::OK;
  return std::make_unique<NetworkServiceClient>(fd);
}

NetworkServiceClient::NetworkServiceClient(int fd)
    : channel_(
          std::make_unique<IpcChannel>(fd,
                                       std::make_unique<ipc::ServiceMessage>(),
                                       this,
                                       ClientChannelLimits())) {
  channel_->Start();
}

NetworkServiceClient::~NetworkServiceClient() = default;

void NetworkServiceClient::CreateNetworkContext(
    const ipc::NetworkContextParams& params,
    CreateContextCallback callback) {
  ipc::ClientMessage message;
  *message.mutable_create_network_context()->mutable_params() = params;
  Call(std::move(message), [this, callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    if (reply.has_error()) {
      std::move(callback)(reply.error().code(), reply.error().message(),
                          nullptr);
      return;
    }
    if (!reply.reply().has_context_created()) {
      std::move(callback)(net::ERR_INVALID_IPC_MESSAGE,
                          "CreateNetworkContext got another reply", nullptr);
      return;
    }
    std::move(callback)(
        net::OK, "",
        std::make_unique<RemoteNetworkContext>(
            this, reply.reply().context_created().context_id()));
  });
}

uint32_t NetworkServiceClient::Call(ipc::ClientMessage message,
                                    ReplyCallback on_reply) {
  uint32_t request_id = next_request_id_++;
  if (next_request_id_ == 0)
    next_request_id_ = 1;
  message.set_request_id(request_id);
  if (!is_connected() || !channel_->Send(message)) {
    PostConnectionClosedError(request_id, std::move(on_reply));
    return request_id;
  }
  replies_.emplace(request_id, std::move(on_reply));
  return request_id;
}

uint32_t NetworkServiceClient::Subscribe(ipc::ClientMessage message,
                                         ReplyCallback on_reply,
                                         EventCallback on_event) {
  uint32_t request_id = Call(std::move(message), std::move(on_reply));
  if (is_connected())
    events_.emplace(request_id, std::move(on_event));
  return request_id;
}

uint32_t NetworkServiceClient::Unsubscribe(uint32_t subscription_id,
                                           ReplyCallback on_reply) {
  // Events the service sent before it handled the Unsubscribe may still
  // arrive; the caller asked for none.
  events_.erase(subscription_id);
  ipc::ClientMessage message;
  message.mutable_unsubscribe()->set_subscription_id(subscription_id);
  return Call(std::move(message), std::move(on_reply));
}

void NetworkServiceClient::Forget(uint32_t request_id) {
  replies_.erase(request_id);
  events_.erase(request_id);
}

void NetworkServiceClient::OnMessageReceived(
    const google::protobuf::MessageLite& message) {
  // The channel was made with an ipc::ServiceMessage prototype.
  const auto& service_message =
      static_cast<const ipc::ServiceMessage&>(message);
  const uint32_t request_id = service_message.request_id();
  if (service_message.has_event()) {
    auto it = events_.find(request_id);
    if (it != events_.end())
      it->second(service_message.event());
    return;
  }
  if (service_message.has_error() && request_id == 0) {
    // It answers none of our calls: the service refused the stream itself
    // and is closing it (the close that follows fails the pending calls), or
    // refused a message for its request id. For a duplicate id the call that
    // holds the id is still running, so handing this to its callback would
    // take the place of its real reply.
    if (unrouted_error_callback_)
      unrouted_error_callback_(service_message.error());
    return;
  }
  auto it = replies_.find(request_id);
  if (it == replies_.end())
    return;  // Forgotten, or answered already.
  ReplyCallback callback = std::move(it->second);
  replies_.erase(it);
  if (service_message.has_error())
    events_.erase(request_id);  // A refused subscription.
  std::move(callback)(service_message);
}

void NetworkServiceClient::OnChannelClosed(int error) {
  net::WeakPtr<NetworkServiceClient> weak = weak_factory_.GetWeakPtr();
  events_.clear();
  std::vector<std::pair<uint32_t, ReplyCallback>> pending;
  for (auto& [request_id, callback] : replies_)
    pending.emplace_back(request_id, std::move(callback));
  replies_.clear();
  std::string reason =
      error == net::OK
          ? std::string("the network service closed the connection")
          : absl::StrCat("the connection to the network service failed: ",
                         net::ErrorToShortString(error));
  for (auto& [request_id, callback] : pending) {
    std::move(callback)(
        MakeError(request_id, net::ERR_CONNECTION_CLOSED, reason));
    if (!weak)
      return;
  }
  if (disconnect_callback_)
    std::move(disconnect_callback_)(error);
}

void NetworkServiceClient::PostConnectionClosedError(uint32_t request_id,
                                                     ReplyCallback on_reply) {
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr(),
                                       request_id,
                                       on_reply =
                                           std::move(on_reply)]() mutable {
    if (weak) {
      std::move(on_reply)(MakeError(request_id, net::ERR_CONNECTION_CLOSED,
                                    "not connected to the network service"));
    }
  });
}

}  // namespace prewarm
