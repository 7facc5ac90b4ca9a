#include "service/remote_network_context.h"

#include <algorithm>
#include <utility>

#include "net/base/net_errors.h"
#include "proto/scenario_conversions.h"
#include "service/ipc_conversions.h"
#include "service/network_service_client.h"
#include "socket_pool/socket_pool_observer.h"

namespace prewarm {

namespace {

constexpr char kUnexpectedReply[] = "the network service sent another reply";

FetchResult FetchResultFromReply(const ipc::ServiceMessage& message) {
  if (message.has_reply() && message.reply().has_fetch())
    return FetchResultFromIpc(message.reply().fetch());
  FetchResult result;
  if (message.has_error()) {
    result.error = message.error().code();
    result.error_message = message.error().message();
  } else {
    result.error = net::ERR_INVALID_IPC_MESSAGE;
    result.error_message = kUnexpectedReply;
  }
  return result;
}

}  // namespace

RemoteNetworkContext::RemoteNetworkContext(NetworkServiceClient* client,
                                           uint32_t context_id)
    : client_(client), context_id_(context_id) {}

RemoteNetworkContext::~RemoteNetworkContext() {
  for (uint32_t request_id : pending_)
    client_->Forget(request_id);
  if (events_subscription_ != 0)
    client_->Forget(events_subscription_);
  for (uint32_t request_id : net_log_subscriptions_)
    client_->Forget(request_id);
  ipc::ClientMessage message;
  message.mutable_destroy_network_context()->set_context_id(context_id_);
  client_->Call(std::move(message), [](const ipc::ServiceMessage&) {});
}

void RemoteNetworkContext::Navigate(const NavigateParams& params,
                                    FetchCallback callback) {
  ipc::ClientMessage message;
  ipc::Navigate* call = message.mutable_navigate();
  call->set_context_id(context_id_);
  call->set_document_id(params.document_id);
  call->set_url(params.url);
  call->set_parent_id(params.parent_id);
  Send(std::move(message), [callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    std::move(callback)(FetchResultFromReply(reply));
  });
}

void RemoteNetworkContext::CommitNavigation(std::string_view document_id,
                                            std::string_view url,
                                            std::string_view parent_id,
                                            DocumentCallback callback) {
  ipc::ClientMessage message;
  ipc::CommitNavigation* call = message.mutable_commit_navigation();
  call->set_context_id(context_id_);
  call->set_document_id(std::string(document_id));
  call->set_url(std::string(url));
  call->set_parent_id(std::string(parent_id));
  SendForDocument(std::move(message), std::move(callback));
}

void RemoteNetworkContext::LoadEvent(std::string_view document_id,
                                     DocumentCallback callback) {
  ipc::ClientMessage message;
  message.mutable_load_event()->set_context_id(context_id_);
  message.mutable_load_event()->set_document_id(std::string(document_id));
  SendForDocument(std::move(message), std::move(callback));
}

void RemoteNetworkContext::RemoveDocument(std::string_view document_id,
                                          DocumentCallback callback) {
  ipc::ClientMessage message;
  message.mutable_remove_document()->set_context_id(context_id_);
  message.mutable_remove_document()->set_document_id(std::string(document_id));
  SendForDocument(std::move(message), std::move(callback));
}

void RemoteNetworkContext::Preconnect(
    const PreconnectRequest& request,
    PreconnectManager::PreconnectCallback callback) {
  ipc::ClientMessage message;
  ipc::Preconnect* call = message.mutable_preconnect();
  call->set_context_id(context_id_);
  call->set_document_id(request.document_id);
  call->set_url(request.url);
  call->set_crossorigin(CrossOriginToScenario(request.crossorigin));
  call->set_purpose(PurposeToScenario(request.purpose));
  call->set_num_sockets(request.num_sockets);
  Send(std::move(message), [callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    if (reply.has_reply() && reply.reply().has_preconnect()) {
      std::move(callback)(PreconnectResultFromIpc(reply.reply().preconnect()));
      return;
    }
    // Ignored (or refused): the error and diagnostic the decision gives.
    PreconnectResult result;
    result.error =
        reply.has_error() ? reply.error().code() : net::ERR_INVALID_IPC_MESSAGE;
    result.diagnostic =
        reply.has_error() ? reply.error().message() : kUnexpectedReply;
    result.target.error = result.error;
    result.target.diagnostic = result.diagnostic;
    std::move(callback)(result);
  });
}

void RemoteNetworkContext::DnsPrefetch(
    std::string_view document_id,
    std::string_view url,
    PreconnectManager::DnsPrefetchCallback callback) {
  ipc::ClientMessage message;
  ipc::DnsPrefetch* call = message.mutable_dns_prefetch();
  call->set_context_id(context_id_);
  call->set_document_id(std::string(document_id));
  call->set_url(std::string(url));
  Send(std::move(message), [callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    if (reply.has_reply() && reply.reply().has_dns_prefetch()) {
      const ipc::DnsPrefetchResult& result = reply.reply().dns_prefetch();
      std::move(callback)(result.error(), result.diagnostic());
    } else if (reply.has_error()) {
      std::move(callback)(reply.error().code(), reply.error().message());
    } else {
      std::move(callback)(net::ERR_INVALID_IPC_MESSAGE, kUnexpectedReply);
    }
  });
}

void RemoteNetworkContext::Fetch(const FetchParams& params,
                                 FetchCallback callback) {
  ipc::ClientMessage message;
  ipc::Fetch* call = message.mutable_fetch();
  call->set_context_id(context_id_);
  call->set_document_id(params.document_id);
  call->set_url(params.url);
  call->set_mode(RequestModeToScenario(params.mode));
  call->set_credentials(CredentialsModeToScenario(params.credentials));
  call->set_destination(params.destination);
  for (const auto& [name, value] : params.headers) {
    scenario::Header* header = call->add_headers();
    header->set_name(name);
    header->set_value(value);
  }
  call->set_integrity(params.integrity);
  Send(std::move(message), [callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    std::move(callback)(FetchResultFromReply(reply));
  });
}

void RemoteNetworkContext::Preload(const PreloadRequest& request,
                                   PreloadCallback callback) {
  ipc::ClientMessage message;
  ipc::Preload* call = message.mutable_preload();
  call->set_context_id(context_id_);
  call->set_document_id(request.document_id);
  call->set_url(request.url);
  call->set_as(request.as);
  call->set_crossorigin(CrossOriginToScenario(request.crossorigin));
  call->set_integrity(request.integrity);
  Send(std::move(message), [request, callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    PreloadResult result;
    if (reply.has_reply() && reply.reply().has_preload()) {
      result = PreloadResultFromIpc(reply.reply().preload(), request);
    } else if (reply.has_error()) {
      result.error = reply.error().code();
      result.message = reply.error().message();
    } else {
      result.error = net::ERR_INVALID_IPC_MESSAGE;
      result.message = kUnexpectedReply;
    }
    std::move(callback)(std::move(result));
  });
}

void RemoteNetworkContext::GetPoolState(PoolStateCallback callback) {
  ipc::ClientMessage message;
  message.mutable_get_pool_state()->set_context_id(context_id_);
  Send(std::move(message), [callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    PoolStateSnapshot state;
    if (reply.has_reply() && reply.reply().has_pool_state()) {
      const ipc::PoolState& pool = reply.reply().pool_state();
      state.json = pool.json();
      state.idle_sockets = pool.idle_sockets();
      state.connecting_sockets = pool.connecting_sockets();
      state.handed_out_sockets = pool.handed_out_sockets();
      state.hints_in_flight = pool.hints_in_flight();
      state.hints_queued = pool.hints_queued();
      state.requests_in_flight = pool.requests_in_flight();
    } else if (reply.has_error()) {
      state.error = reply.error().code();
      state.error_message = reply.error().message();
    } else {
      state.error = net::ERR_INVALID_IPC_MESSAGE;
      state.error_message = kUnexpectedReply;
    }
    std::move(callback)(std::move(state));
  });
}

void RemoteNetworkContext::AddSocketPoolObserver(
    net::SocketPoolObserver* observer) {
  observers_.push_back(observer);
  if (events_subscription_ != 0)
    return;
  ipc::ClientMessage message;
  message.mutable_subscribe_events()->set_context_id(context_id_);
  events_subscription_ = client_->Subscribe(
      std::move(message), [](const ipc::ServiceMessage&) {},
      [this](const ipc::Event& event) { OnEvent(event); });
}

void RemoteNetworkContext::RemoveSocketPoolObserver(
    net::SocketPoolObserver* observer) {
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer),
                   observers_.end());
  if (!observers_.empty() || events_subscription_ == 0)
    return;
  // Nobody listens any more: stop the service sending the events, rather than
  // dropping them here.
  client_->Unsubscribe(events_subscription_, [](const ipc::ServiceMessage&) {});
  events_subscription_ = 0;
}

void RemoteNetworkContext::SetCookieSettings(
    const scenario::CookieSettings& settings,
    DoneCallback callback) {
  ipc::ClientMessage message;
  message.mutable_set_cookie_settings()->set_context_id(context_id_);
  *message.mutable_set_cookie_settings()->mutable_cookie_settings() = settings;
  SendForDone(std::move(message), std::move(callback));
}

void RemoteNetworkContext::CloseIdleSockets(DoneCallback callback) {
  ipc::ClientMessage message;
  message.mutable_close_idle_sockets()->set_context_id(context_id_);
  SendForDone(std::move(message), std::move(callback));
}

void RemoteNetworkContext::Flush(DoneCallback callback) {
  ipc::ClientMessage message;
  message.mutable_flush()->set_context_id(context_id_);
  SendForDone(std::move(message), std::move(callback));
}

void RemoteNetworkContext::SubscribeNetLog(NetLogCallback on_entry,
                                           DoneCallback on_subscribed) {
  ipc::ClientMessage message;
  message.mutable_subscribe_net_log()->set_context_id(context_id_);
  net_log_subscriptions_.push_back(client_->Subscribe(
      std::move(message),
      [weak = weak_factory_.GetWeakPtr(),
       on_subscribed =
           std::move(on_subscribed)](const ipc::ServiceMessage& reply) mutable {
        if (weak) {
          std::move(on_subscribed)(reply.has_error() ? reply.error().code()
                                                     : net::OK);
        }
      },
      [on_entry = std::move(on_entry)](const ipc::Event& event) mutable {
        if (event.has_net_log_entry())
          on_entry(event.net_log_entry());
      }));
}

void RemoteNetworkContext::Send(ipc::ClientMessage message,
                                ReplyHandler handler) {
  uint32_t request_id = client_->Call(
      std::move(message),
      [weak = weak_factory_.GetWeakPtr(),
       handler = std::move(handler)](const ipc::ServiceMessage& reply) mutable {
        RemoteNetworkContext* self = weak.get();
        if (!self)
          return;
        self->pending_.erase(reply.request_id());
        std::move(handler)(reply);
      });
  pending_.insert(request_id);
}

void RemoteNetworkContext::SendForDone(ipc::ClientMessage message,
                                       DoneCallback callback) {
  Send(std::move(message), [callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    if (!callback)
      return;
    if (reply.has_error())
      std::move(callback)(reply.error().code());
    else if (reply.has_reply() && reply.reply().has_done())
      std::move(callback)(net::OK);
    else
      std::move(callback)(net::ERR_INVALID_IPC_MESSAGE);
  });
}

void RemoteNetworkContext::SendForDocument(ipc::ClientMessage message,
                                           DocumentCallback callback) {
  Send(std::move(message), [callback = std::move(callback)](
                               const ipc::ServiceMessage& reply) mutable {
    if (!callback)
      return;
    DocumentRegistry::Result result;
    if (reply.has_error()) {
      result.error = reply.error().code();
      result.message = reply.error().message();
    } else if (!reply.has_reply() || !reply.reply().has_done()) {
      result.error = net::ERR_INVALID_IPC_MESSAGE;
      result.message = kUnexpectedReply;
    }
    std::move(callback)(result);
  });
}

void RemoteNetworkContext::OnEvent(const ipc::Event& event) {
  // Observers may remove themselves from inside the call.
  std::vector<net::SocketPoolObserver*> observers = observers_;
  switch (event.event_case()) {
    case ipc::Event::kPreconnectOutcome: {
      const ipc::PreconnectSocketOutcome& outcome = event.preconnect_outcome();
      net::GroupId group = GroupIdFromIpc(outcome.group());
      for (net::SocketPoolObserver* observer : observers) {
        observer->OnPreconnectSocketOutcome(
            outcome.preconnect_id(), group,
            PreconnectOutcomeFromIpc(outcome.outcome()), outcome.error());
      }
      return;
    }
    case ipc::Event::kSocketHandedOut: {
      const ipc::SocketHandedOut& handed_out = event.socket_handed_out();
      net::GroupId group = GroupIdFromIpc(handed_out.group());
      for (net::SocketPoolObserver* observer : observers) {
        observer->OnSocketHandedOut(group,
                                    ReuseTypeFromIpc(handed_out.reuse_type()),
                                    handed_out.preconnect_id());
      }
      return;
    }
    case ipc::Event::kPreconnectStranded: {
      const ipc::PreconnectSocketStranded& stranded =
          event.preconnect_stranded();
      net::GroupId preconnect_group =
          GroupIdFromIpc(stranded.preconnect_group());
      net::GroupId request_group = GroupIdFromIpc(stranded.request_group());
      net::GroupId::KeyDifference difference;
      difference.privacy_mode = stranded.privacy_mode_differs();
      difference.top_frame_site = stranded.top_frame_site_differs();
      difference.is_cross_site = stranded.is_cross_site_differs();
      for (net::SocketPoolObserver* observer : observers) {
        observer->OnPreconnectSocketStranded(stranded.preconnect_id(),
                                             preconnect_group, request_group,
                                             difference);
      }
      return;
    }
    case ipc::Event::kPreconnectLateBound: {
      const ipc::PreconnectSocketLateBound& late_bound =
          event.preconnect_late_bound();
      net::GroupId preconnect_group =
          GroupIdFromIpc(late_bound.preconnect_group());
      net::GroupId bound_group = GroupIdFromIpc(late_bound.bound_group());
      for (net::SocketPoolObserver* observer : observers) {
        observer->OnPreconnectSocketLateBound(late_bound.preconnect_id(),
                                              preconnect_group, bound_group);
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace prewarm
