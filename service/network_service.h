#ifndef SERVICE_NETWORK_SERVICE_H_
#define SERVICE_NETWORK_SERVICE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "proto/ipc.pb.h"
#include "service/ipc_connection.h"

namespace prewarm {

class EventSubscription;
class NetworkContext;

// The network service behind IPC, like Chromium's NetworkService: clients
// connect (AddClient), each makes its own NetworkContexts with
// CreateNetworkContext and drives them with the calls of proto/ipc.proto.
// The service checks every call's fields, dispatches it to the context,
// and sends the Reply (or an Error) tagged with the call's request id once
// the context answers; pool/preconnect events and NetLog entries of a
// context go to the clients that subscribed to them, until they unsubscribe
// or the context goes. A message whose request id is 0 or still in use is
// not run; its Error is tagged with request id 0 (and names the id in use),
// so it is never taken for the reply of the call holding the id.
//
// Isolation: a client sees only the contexts it made. When its connection
// closes (or breaks the framing), its contexts - with their documents,
// requests, hints and sockets - are destroyed; the others keep being served.
// Destroying a context answers its outstanding calls with ERR_ABORTED.
//
// Limits: at most max_outstanding_requests calls in flight per client (the
// excess gets ERR_TOO_MANY_REQUESTS at once), max_contexts_per_client
// contexts, max_subscriptions_per_context subscriptions, frames of at most
// max_message_bytes (bigger ones: ERR_IPC_MESSAGE_TOO_LARGE, disconnect).
//
// Owns the connections and contexts. Network thread only.
class NetworkService : public IpcConnection::Delegate {
 public:
  struct Options {
    size_t max_outstanding_requests = 256;
    size_t max_contexts_per_client = 16;
    size_t max_subscriptions_per_context = 8;
    size_t max_message_bytes = IpcChannel::kDefaultMaxIncomingBytes;
  };

  // Most sockets one Preconnect may ask for.
  static constexpr uint32_t kMaxPreconnectSockets = 256;
  // Fetch bodies in replies: the default and the most a client may ask for
  // (a reply must stay below the client's frame limit).
  static constexpr uint32_t kDefaultMaxBodyBytes = 256 * 1024;
  static constexpr uint32_t kMaxBodyBytes = 1024 * 1024 - 64 * 1024;
  // The most author headers one Fetch may carry.
  static constexpr int kMaxAuthorHeaders = 64;

  NetworkService();
  explicit NetworkService(const Options& options);
  NetworkService(const NetworkService&) = delete;
  NetworkService& operator=(const NetworkService&) = delete;
  ~NetworkService() override;

  // Serves a connected stream socket; takes `fd`.
  void AddClient(int fd);

  size_t client_count() const { return connections_.size(); }
  size_t context_count() const { return contexts_.size(); }
  // Live event and NetLog subscriptions, across all contexts.
  size_t subscription_count() const;

  // IpcConnection::Delegate:
  void OnClientMessage(IpcConnection* connection,
                       const ipc::ClientMessage& message) override;
  void OnConnectionClosed(IpcConnection* connection, int error) override;

 private:
  struct Context;

  // Returns the caller's context, or sends an Error and returns null.
  Context* FindContext(IpcConnection* connection,
                       uint32_t request_id,
                       uint32_t context_id);
  // Starts an async call: refuses it when the client has too many in flight.
  bool BeginAsyncCall(IpcConnection* connection,
                      Context* context,
                      uint32_t request_id);
  // Sends the reply of an async call if it is still outstanding.
  void FinishAsyncCall(uint64_t connection_id,
                       uint32_t context_id,
                       const ipc::ServiceMessage& reply);
  void FinishAsyncCallWithError(uint64_t connection_id,
                                uint32_t context_id,
                                uint32_t request_id,
                                int code,
                                std::string_view message);
  void SendDone(IpcConnection* connection, uint32_t request_id);
  void DestroyContext(uint32_t context_id, bool tell_client);

  void HandleCreateNetworkContext(IpcConnection* connection,
                                  uint32_t request_id,
                                  const ipc::CreateNetworkContext& call);
  void HandleNavigate(IpcConnection* connection,
                      uint32_t request_id,
                      const ipc::Navigate& call);
  void HandlePreconnect(IpcConnection* connection,
                        uint32_t request_id,
                        const ipc::Preconnect& call);
  void HandleDnsPrefetch(IpcConnection* connection,
                         uint32_t request_id,
                         const ipc::DnsPrefetch& call);
  void HandleFetch(IpcConnection* connection,
                   uint32_t request_id,
                   const ipc::Fetch& call);
  void HandlePreload(IpcConnection* connection,
                     uint32_t request_id,
                     const ipc::Preload& call);
  void HandleSubscribe(IpcConnection* connection,
                       uint32_t request_id,
                       uint32_t context_id,
                       bool net_log);
  void HandleUnsubscribe(IpcConnection* connection,
                         uint32_t request_id,
                         const ipc::Unsubscribe& call);
  // Dispatches the calls that answer at once (document and pool calls).
  void HandleSyncCall(IpcConnection* connection,
                      const ipc::ClientMessage& message);

  const Options options_;
  uint64_t next_connection_id_ = 1;
  uint32_t next_context_id_ = 1;
  absl::flat_hash_map<uint64_t, std::unique_ptr<IpcConnection>> connections_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<Context>> contexts_;
};

}  // namespace prewarm

#endif  // SERVICE_NETWORK_SERVICE_H_
