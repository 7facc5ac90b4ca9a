#ifndef SERVICE_NETWORK_SERVICE_CLIENT_H_
#define SERVICE_NETWORK_SERVICE_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "net/event/weak_ptr.h"
#include "proto/ipc.pb.h"
#include "service/ipc_channel.h"

namespace prewarm {

class RemoteNetworkContext;

// A client of the network service (prewarm_service or an in-process
// NetworkService) over one Unix-domain stream socket, on the current
// EventLoop. Call() sends a ClientMessage with a fresh request id and runs
// its callback once with the service's Reply or Error; Subscribe() also
// routes the subscription's Events, until Unsubscribe(). An Error the
// service tags with request id 0 answers no call (see proto/ipc.proto) and
// never reaches a call's callback. CreateNetworkContext() wraps the call in
// a RemoteNetworkContext, the NetworkContext-shaped proxy embedders use.
//
// Callbacks never run from inside the call that took them. When the
// connection closes (the service went away, or broke the framing), every
// pending call gets Error(ERR_CONNECTION_CLOSED) and subscriptions end; later
// calls get the same error, posted. Destroying the client drops pending
// callbacks without running them; RemoteNetworkContexts made from it must be
// destroyed first. Network thread only.
class NetworkServiceClient : public IpcChannel::Delegate {
 public:
  // The Reply or Error of one call (request_id set).
  using ReplyCallback =
      absl::AnyInvocable<void(const ipc::ServiceMessage& message) &&>;
  using EventCallback = absl::AnyInvocable<void(const ipc::Event& event)>;
  using CreateContextCallback =
      absl::AnyInvocable<void(
                             int error,
                             const std::string& message,
                             std::unique_ptr<RemoteNetworkContext> context) &&>;

  // Replies carry fetch bodies of up to NetworkService::kMaxBodyBytes.
  static constexpr size_t kMaxIncomingBytes = 4 << 20;

  // Connects to the service listening at `path`; null with *error and
  // *error_message set when nothing listens there.
  static std::unique_ptr<NetworkServiceClient>
  Connect(const std::string& path, int* error, std::string* error_message);

  // Takes `fd`, a connected stream socket, and starts reading.
  explicit NetworkServiceClient(int fd);
  NetworkServiceClient(const NetworkServiceClient&) = delete;
  NetworkServiceClient& operator=(const NetworkServiceClient&) = delete;
  ~NetworkServiceClient() override;

  void CreateNetworkContext(const ipc::NetworkContextParams& params,
                            CreateContextCallback callback);

  // Sends `message` under a fresh request id, which it returns.
  uint32_t Call(ipc::ClientMessage message, ReplyCallback on_reply);
  // For SubscribeEvents / SubscribeNetLog: `on_reply` gets the Subscribed
  // reply (or an Error), `on_event` every Event until the subscription ends.
  uint32_t Subscribe(ipc::ClientMessage message,
                     ReplyCallback on_reply,
                     EventCallback on_event);
  // Ends the subscription `subscription_id` (what Subscribe() returned) in
  // the service: its events stop being routed at once (those still on the
  // way are dropped), and `on_reply` gets Reply.done, or the service's Error
  // when the id is no live subscription of this connection. Returns the
  // Unsubscribe call's own request id.
  uint32_t Unsubscribe(uint32_t subscription_id, ReplyCallback on_reply);
  // Drops the callbacks of a call or subscription; the service is not told.
  void Forget(uint32_t request_id);

  bool is_connected() const { return channel_ && channel_->is_open(); }
  size_t pending_call_count() const { return replies_.size(); }
  // Runs once when the connection closes, with the reason.
  void set_disconnect_callback(
      absl::AnyInvocable<void(int error) &&> callback) {
    disconnect_callback_ = std::move(callback);
  }
  // Runs for every Error tagged with request id 0, e.g. to log it: a broken
  // stream (the close follows), or a message refused for its request id -
  // one this client never sends, so a sign of another writer on the socket.
  // The call that holds a refused duplicate id still gets its own reply.
  void set_unrouted_error_callback(
      absl::AnyInvocable<void(const ipc::Error& error)> callback) {
    unrouted_error_callback_ = std::move(callback);
  }

  // IpcChannel::Delegate:
  void OnMessageReceived(const google::protobuf::MessageLite& message) override;
  void OnChannelClosed(int error) override;

 private:
  void PostConnectionClosedError(uint32_t request_id, ReplyCallback on_reply);

  std::unique_ptr<IpcChannel> channel_;
  uint32_t next_request_id_ = 1;
  absl::flat_hash_map<uint32_t, ReplyCallback> replies_;
  absl::flat_hash_map<uint32_t, EventCallback> events_;
  absl::AnyInvocable<void(int error) &&> disconnect_callback_;
  absl::AnyInvocable<void(const ipc::Error& error)> unrouted_error_callback_;
  net::WeakPtrFactory<NetworkServiceClient> weak_factory_{this};
};

}  // namespace prewarm

#endif  // SERVICE_NETWORK_SERVICE_CLIENT_H_
