#ifndef SERVICE_NETWORK_CONTEXT_INTERFACE_H_
#define SERVICE_NETWORK_CONTEXT_INTERFACE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/functional/any_invocable.h"
#include "preconnect/preconnect_manager.h"
#include "preconnect/preconnect_request.h"
#include "privacy/document_registry.h"
#include "service/network_context.h"
#include "service/url_loader.h"

namespace net {
class SocketPoolObserver;
}

namespace prewarm {

// What a NetworkContext is busy with, and its pool's state dump.
struct PoolStateSnapshot {
  // OK, or why the state could not be read (the service went away).
  int error = 0;
  std::string error_message;
  std::string json;
  size_t idle_sockets = 0;
  size_t connecting_sockets = 0;
  size_t handed_out_sockets = 0;
  // Preconnect and DNS-prefetch hints resolving or queued.
  size_t hints_in_flight = 0;
  size_t hints_queued = 0;
  size_t requests_in_flight = 0;
};

// The calls an embedder makes on one network context, in an asynchronous
// shape both an in-process context (LocalNetworkContext) and one behind IPC
// (RemoteNetworkContext) can offer: every callback runs exactly once, later,
// never from inside the call; destroying the object cancels them (and
// destroys the context). Calls are handled in the order they are made.
// Observers are not owned and must be removed before they are destroyed;
// their events arrive in the order they happened, relative to the replies.
// Network thread only.
class NetworkContextInterface {
 public:
  using FetchCallback = NetworkContext::FetchCallback;
  using PreloadCallback = NetworkContext::PreloadCallback;
  using DocumentCallback =
      absl::AnyInvocable<void(const DocumentRegistry::Result&) &&>;
  using PoolStateCallback = absl::AnyInvocable<void(PoolStateSnapshot) &&>;

  virtual ~NetworkContextInterface() = default;

  virtual void Navigate(const NavigateParams& params,
                        FetchCallback callback) = 0;
  // A null callback means the caller does not need the result.
  virtual void CommitNavigation(std::string_view document_id,
                                std::string_view url,
                                std::string_view parent_id,
                                DocumentCallback callback) = 0;
  virtual void LoadEvent(std::string_view document_id,
                         DocumentCallback callback) = 0;
  virtual void RemoveDocument(std::string_view document_id,
                              DocumentCallback callback) = 0;
  virtual void Preconnect(const PreconnectRequest& request,
                          PreconnectManager::PreconnectCallback callback) = 0;
  virtual void DnsPrefetch(std::string_view document_id,
                           std::string_view url,
                           PreconnectManager::DnsPrefetchCallback callback) = 0;
  virtual void Fetch(const FetchParams& params, FetchCallback callback) = 0;
  // A refused preload (bad document, URL or `as`) gets its error in the
  // result, in both shapes.
  virtual void Preload(const PreloadRequest& request,
                       PreloadCallback callback) = 0;
  virtual void GetPoolState(PoolStateCallback callback) = 0;

  virtual void AddSocketPoolObserver(net::SocketPoolObserver* observer) = 0;
  virtual void RemoveSocketPoolObserver(net::SocketPoolObserver* observer) = 0;
};

}  // namespace prewarm

#endif  // SERVICE_NETWORK_CONTEXT_INTERFACE_H_
