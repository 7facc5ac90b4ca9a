#ifndef SERVICE_REMOTE_NETWORK_CONTEXT_H_
#define SERVICE_REMOTE_NETWORK_CONTEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
#include "net/event/weak_ptr.h"
#include "proto/ipc.pb.h"
#include "service/network_context_interface.h"

namespace prewarm {

class NetworkServiceClient;

// A network context that lives in the network service, driven over IPC
// through a NetworkServiceClient: the same calls and result types as the
// in-process NetworkContext (results are converted back from proto/ipc.proto;
// a refused call comes back as the error the in-process context would have
// given, e.g. an ignored hint's diagnostic). Observers get the context's
// pool events from a SubscribeEvents stream opened when the first observer
// is added and ended (Unsubscribe) when the last one is removed. Destroying it
// drops pending callbacks and tells the service to destroy the context. Does
// not own the client, which must outlive it. Network thread only.
class RemoteNetworkContext : public NetworkContextInterface {
 public:
  using DoneCallback = absl::AnyInvocable<void(int error) &&>;
  using NetLogCallback = absl::AnyInvocable<void(const std::string& json)>;

  RemoteNetworkContext(NetworkServiceClient* client, uint32_t context_id);
  RemoteNetworkContext(const RemoteNetworkContext&) = delete;
  RemoteNetworkContext& operator=(const RemoteNetworkContext&) = delete;
  ~RemoteNetworkContext() override;

  uint32_t context_id() const { return context_id_; }

  // NetworkContextInterface:
  void Navigate(const NavigateParams& params, FetchCallback callback) override;
  void CommitNavigation(std::string_view document_id,
                        std::string_view url,
                        std::string_view parent_id,
                        DocumentCallback callback) override;
  void LoadEvent(std::string_view document_id,
                 DocumentCallback callback) override;
  void RemoveDocument(std::string_view document_id,
                      DocumentCallback callback) override;
  void Preconnect(const PreconnectRequest& request,
                  PreconnectManager::PreconnectCallback callback) override;
  void DnsPrefetch(std::string_view document_id,
                   std::string_view url,
                   PreconnectManager::DnsPrefetchCallback callback) override;
  void Fetch(const FetchParams& params, FetchCallback callback) override;
  void Preload(const PreloadRequest& request,
               PreloadCallback callback) override;
  void GetPoolState(PoolStateCallback callback) override;
  void AddSocketPoolObserver(net::SocketPoolObserver* observer) override;
  void RemoveSocketPoolObserver(net::SocketPoolObserver* observer) override;

  // Calls the in-process context takes in C++ types that cannot be sent
  // back; here in their message form.
  void SetCookieSettings(const scenario::CookieSettings& settings,
                         DoneCallback callback);
  void CloseIdleSockets(DoneCallback callback);
  void Flush(DoneCallback callback);
  // Every NetLog entry of the context, as JSON, from when `on_subscribed`
  // runs with OK.
  void SubscribeNetLog(NetLogCallback on_entry, DoneCallback on_subscribed);

 private:
  using ReplyHandler =
      absl::AnyInvocable<void(const ipc::ServiceMessage& message) &&>;

  // Sends `message` (context id already set) and tracks its request id so
  // destruction can drop the callback.
  void Send(ipc::ClientMessage message, ReplyHandler handler);
  void SendForDone(ipc::ClientMessage message, DoneCallback callback);
  void SendForDocument(ipc::ClientMessage message, DocumentCallback callback);
  void OnEvent(const ipc::Event& event);

  NetworkServiceClient* const client_;
  const uint32_t context_id_;
  absl::flat_hash_set<uint32_t> pending_;
  std::vector<net::SocketPoolObserver*> observers_;
  uint32_t events_subscription_ = 0;
  std::vector<uint32_t> net_log_subscriptions_;
  net::WeakPtrFactory<RemoteNetworkContext> weak_factory_{this};
};

}  // namespace prewarm

#endif  // SERVICE_REMOTE_NETWORK_CONTEXT_H_
