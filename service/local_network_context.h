#ifndef SERVICE_LOCAL_NETWORK_CONTEXT_H_
#define SERVICE_LOCAL_NETWORK_CONTEXT_H_

#include <memory>

#include "net/event/weak_ptr.h"
#include "service/network_context.h"
#include "service/network_context_interface.h"

namespace prewarm {

// NetworkContextInterface over an in-process NetworkContext, which it owns:
// the async calls go straight through; the synchronous ones (document calls,
// GetPoolState) post their result. Observers are the context's own, so
// their events run inside the pool operation, as NetworkContext says.
// Network thread only.
class LocalNetworkContext : public NetworkContextInterface {
 public:
  explicit LocalNetworkContext(std::unique_ptr<NetworkContext> context);
  LocalNetworkContext(const LocalNetworkContext&) = delete;
  LocalNetworkContext& operator=(const LocalNetworkContext&) = delete;
  ~LocalNetworkContext() override;

  NetworkContext* context() const { return context_.get(); }

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

 private:
  void PostDocumentResult(DocumentCallback callback,
                          DocumentRegistry::Result result);

  std::unique_ptr<NetworkContext> context_;
  net::WeakPtrFactory<LocalNetworkContext> weak_factory_{this};
};

}  // namespace prewarm

#endif  // SERVICE_LOCAL_NETWORK_CONTEXT_H_
