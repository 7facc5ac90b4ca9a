#ifndef SERVICE_IPC_CONNECTION_H_
#define SERVICE_IPC_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "proto/ipc.pb.h"
#include "service/ipc_channel.h"

namespace prewarm {

// The service's end of one client: its IpcChannel (incoming frames parsed as
// ipc::ClientMessage) and the request ids the client has in use. A frame the
// channel refuses gets an Error tagged with request id 0 before the channel
// closes. A whole frame that is a ClientMessage but for a string field that
// is not valid UTF-8 (which protobuf's parser refuses) is not run: it gets an
// Error naming the field, tagged with its request id when that is free, and
// the connection stays. Messages and the close go to the delegate
// (NetworkService), which owns the connection and may destroy it from
// OnConnectionClosed. Network thread only.
class IpcConnection : public IpcChannel::Delegate {
 public:
  class Delegate {
   public:
    virtual void OnClientMessage(IpcConnection* connection,
                                 const ipc::ClientMessage& message) = 0;
    // Called once; the delegate usually destroys the connection in it.
    virtual void OnConnectionClosed(IpcConnection* connection, int error) = 0;

   protected:
    virtual ~Delegate() = default;
  };

  // Takes `fd`, a connected stream socket.
  IpcConnection(uint64_t id,
                int fd,
                Delegate* delegate,
                const IpcChannel::Limits& limits = IpcChannel::Limits());
  IpcConnection(const IpcConnection&) = delete;
  IpcConnection& operator=(const IpcConnection&) = delete;
  ~IpcConnection() override;

  // Turns a client away without serving it: writes one Error (request id 0)
  // if the socket takes it at once, then closes `fd`.
  static void Refuse(int fd, int code, std::string_view message);

  void Start();

  uint64_t id() const { return id_; }
  const IpcChannel& channel() const { return channel_; }

  // False once the channel is closed or closing.
  bool Send(const ipc::ServiceMessage& message);
  void SendError(uint32_t request_id, int code, std::string_view message);

  // Request ids: a call in flight (counted against the flood limit) or a
  // live subscription.
  bool IsRequestIdInUse(uint32_t request_id) const {
    return outstanding_.contains(request_id) ||
           subscriptions_.contains(request_id);
  }
  void AddOutstanding(uint32_t request_id) { outstanding_.insert(request_id); }
  // False if `request_id` was not outstanding (its reply went already).
  bool RemoveOutstanding(uint32_t request_id) {
    return outstanding_.erase(request_id) > 0;
  }
  bool IsOutstanding(uint32_t request_id) const {
    return outstanding_.contains(request_id);
  }
  size_t outstanding_count() const { return outstanding_.size(); }
  // A live subscription of this connection to `context_id`'s events, under
  // the request id of the call that made it.
  void AddSubscription(uint32_t request_id, uint32_t context_id) {
    subscriptions_.emplace(request_id, context_id);
  }
  void RemoveSubscription(uint32_t request_id) {
    subscriptions_.erase(request_id);
  }
  // The context a live subscription observes; nullopt when `request_id` is
  // no live subscription of this connection.
  std::optional<uint32_t> SubscriptionContext(uint32_t request_id) const {
    auto it = subscriptions_.find(request_id);
    if (it == subscriptions_.end())
      return std::nullopt;
    return it->second;
  }

  // IpcChannel::Delegate:
  void OnMessageReceived(const google::protobuf::MessageLite& message) override;
  bool OnUndecodableMessage(std::string_view body) override;
  void OnBadFrame(int error, const std::string& description) override;
  void OnChannelClosed(int error) override;

 private:
  const uint64_t id_;
  Delegate* const delegate_;
  IpcChannel channel_;
  absl::flat_hash_set<uint32_t> outstanding_;
  // Subscription request id -> the context it observes.
  absl::flat_hash_map<uint32_t, uint32_t> subscriptions_;
};

}  // namespace prewarm

#endif  // SERVICE_IPC_CONNECTION_H_
