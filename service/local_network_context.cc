#include "service/local_network_context.h"

#include <utility>

#include "net/base/check.h"
#include "net/event/event_loop.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {

LocalNetworkContext::LocalNetworkContext(
    std::unique_ptr<NetworkContext> context)
    : context_(std::move(context)) {
  CHECK(context_);
}

LocalNetworkContext::~LocalNetworkContext() = default;

void LocalNetworkContext::Navigate(const NavigateParams& params,
                                   FetchCallback callback) {
  context_->Navigate(params, std::move(callback));
}

void LocalNetworkContext::CommitNavigation(std::string_view document_id,
                                           std::string_view url,
                                           std::string_view parent_id,
                                           DocumentCallback callback) {
  PostDocumentResult(std::move(callback),
                     context_->CommitNavigation(document_id, url, parent_id));
}

void LocalNetworkContext::LoadEvent(std::string_view document_id,
                                    DocumentCallback callback) {
  PostDocumentResult(std::move(callback), context_->LoadEvent(document_id));
}

void LocalNetworkContext::RemoveDocument(std::string_view document_id,
                                         DocumentCallback callback) {
  PostDocumentResult(std::move(callback),
                     context_->RemoveDocument(document_id));
}

void LocalNetworkContext::Preconnect(
    const PreconnectRequest& request,
    PreconnectManager::PreconnectCallback callback) {
  context_->Preconnect(request, std::move(callback));
}

void LocalNetworkContext::DnsPrefetch(
    std::string_view document_id,
    std::string_view url,
    PreconnectManager::DnsPrefetchCallback callback) {
  context_->DnsPrefetch(document_id, url, std::move(callback));
}

void LocalNetworkContext::Fetch(const FetchParams& params,
                                FetchCallback callback) {
  context_->Fetch(params, std::move(callback));
}

void LocalNetworkContext::Preload(const PreloadRequest& request,
                                  PreloadCallback callback) {
  context_->Preload(request, std::move(callback));
}

void LocalNetworkContext::GetPoolState(PoolStateCallback callback) {
  PoolStateSnapshot state;
  state.json = context_->GetPoolStateJson();
  state.idle_sockets = static_cast<size_t>(context_->pool().IdleSocketCount());
  state.connecting_sockets =
      static_cast<size_t>(context_->pool().ConnectingSocketCount());
  state.handed_out_sockets =
      static_cast<size_t>(context_->pool().HandedOutSocketCount());
  state.hints_in_flight = context_->preconnect_manager().in_flight_count();
  state.hints_queued = context_->preconnect_manager().queued_count();
  state.requests_in_flight = context_->in_flight_request_count();
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr(),
                                       callback = std::move(callback),
                                       state = std::move(state)]() mutable {
    if (weak)
      std::move(callback)(std::move(state));
  });
}

void LocalNetworkContext::AddSocketPoolObserver(
    net::SocketPoolObserver* observer) {
  context_->AddSocketPoolObserver(observer);
}

void LocalNetworkContext::RemoveSocketPoolObserver(
    net::SocketPoolObserver* observer) {
  context_->RemoveSocketPoolObserver(observer);
}

void LocalNetworkContext::PostDocumentResult(DocumentCallback callback,
                                             DocumentRegistry::Result result) {
  if (!callback)
    return;
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr(),
                                       callback = std::move(callback),
                                       result = std::move(result)]() mutable {
    if (weak)
      std::move(callback)(result);
  });
}

}  // namespace prewarm
