#ifndef SERVICE_NETWORK_SERVICE_H_
#define SERVICE_NETWORK_SERVICE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
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
// Limits (docs/service-limits.md): at most max_clients connections (a client
// past it gets an Error, ERR_INSUFFICIENT_RESOURCES, and is closed),
// max_outstanding_requests calls in flight per client (the excess gets
// ERR_TOO_MANY_REQUESTS at once), max_contexts_per_client contexts,
// max_subscriptions_per_context subscriptions, frames of at most
// max_message_bytes (bigger ones: ERR_IPC_MESSAGE_TOO_LARGE, disconnect) that
// arrive whole within partial_frame_timeout (ERR_TIMED_OUT, disconnect).
// A client whose replies wait unread (more than pause_reading_above_bytes)
// is not read until it reads them; one that lets more than
// max_outgoing_buffer_bytes pile up is disconnected. Each context's pool
// limits and idle timeouts are capped by NetworkContext::Create.
//
// Socket budget: every context reserves its pool's max_sockets_total plus
// kFdsPerContext from a service-wide budget (max_sockets, by default
// RLIMIT_NOFILE less kReservedFds and one fd per client); a context that
// does not fit is refused with ERR_INSUFFICIENT_RESOURCES. So the pools
// together never take the fds the service needs to accept clients and
// answer them.
//
// Owns the connections and contexts. Network thread only.
class NetworkService : public IpcConnection::Delegate {
 public:
  struct Options {
    size_t max_clients = 64;
    size_t max_outstanding_requests = 256;
    size_t max_contexts_per_client = 16;
    size_t max_subscriptions_per_context = 8;
    size_t max_message_bytes = IpcChannel::kDefaultMaxIncomingBytes;
    size_t max_outgoing_buffer_bytes =
        IpcChannel::kDefaultMaxOutgoingBufferBytes;
    size_t pause_reading_above_bytes =
        IpcChannel::Limits().pause_reading_above_bytes;
    absl::Duration partial_frame_timeout =
        IpcChannel::Limits().partial_frame_timeout;
    // 0: from RLIMIT_NOFILE (see above).
    size_t max_sockets = 0;
  };

  // Fds kept out of the socket budget for the service itself: the listening
  // socket, the loop's, logs, the resolvers' spare sockets.
  static constexpr size_t kReservedFds = 64;
  // What a context takes beyond its pool: its resolver's sockets.
  static constexpr size_t kFdsPerContext = 8;

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
  size_t socket_budget() const { return socket_budget_; }
  size_t sockets_reserved() const { return sockets_reserved_; }
  // Bytes waiting to be written to clients, and buffer memory, summed over
  // the connections.
  size_t pending_output_bytes() const;
  size_t buffer_bytes() const;
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
  const size_t socket_budget_;
  size_t sockets_reserved_ = 0;
  uint64_t next_connection_id_ = 1;
  uint32_t next_context_id_ = 1;
  absl::flat_hash_map<uint64_t, std::unique_ptr<IpcConnection>> connections_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<Context>> contexts_;
};

}  // namespace prewarm

#endif  // SERVICE_NETWORK_SERVICE_H_
