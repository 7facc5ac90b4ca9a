#include "service/network_service.h"

#include <sys/resource.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/unknown_field_set.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "preconnect/preconnect_manager.h"
#include "proto/scenario_conversions.h"
#include "service/event_subscription.h"
#include "service/ipc_conversions.h"
#include "service/network_context.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {

namespace {

// Hint errors that mean "ignored before anything started" (the hint's
// document or URL), answered as a refused call.
bool IsIgnoredHintError(int error) {
  return error == net::ERR_UNKNOWN_DOCUMENT || error == net::ERR_INVALID_URL ||
         error == net::ERR_DISALLOWED_URL_SCHEME;
}

// Refuses a crossorigin that is no CrossOrigin value (Preconnect, Preload).
bool CheckCrossOrigin(IpcConnection* connection,
                      uint32_t request_id,
                      int crossorigin) {
  if (scenario::CrossOrigin_IsValid(crossorigin))
    return true;
  connection->SendError(
      request_id, net::ERR_INVALID_ARGUMENT,
      absl::StrCat("crossorigin ", crossorigin, " is not a CrossOrigin value"));
  return false;
}

// RLIMIT_NOFILE's soft limit less what the service keeps for itself and its
// clients.
size_t SocketBudgetFor(const NetworkService::Options& options) {
  if (options.max_sockets > 0)
    return options.max_sockets;
  rlimit limit = {};
  size_t fds = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
    fds = limit.rlim_cur == RLIM_INFINITY ? (1u << 20)
                                          : static_cast<size_t>(limit.rlim_cur);
  const size_t kept = NetworkService::kReservedFds + options.max_clients;
  return fds > kept ? fds - kept : 0;
}

ipc::ServiceMessage ReplyTo(uint32_t request_id) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id);
  return message;
}

}  // namespace

struct NetworkService::Context {
  uint64_t owner = 0;
  // Its share of the socket budget.
  size_t reserved_sockets = 0;
  std::unique_ptr<NetworkContext> network_context;
  // Destroyed before the context they observe (declared after it).
  std::vector<std::unique_ptr<EventSubscription>> subscriptions;
  // Async calls in flight, answered with ERR_ABORTED if the context goes.
  absl::flat_hash_set<uint32_t> pending_requests;
};

NetworkService::NetworkService() : NetworkService(Options()) {}

NetworkService::NetworkService(const Options& options)
    : options_(options), socket_budget_(SocketBudgetFor(options)) {}

NetworkService::~NetworkService() {
  // Contexts first: their subscriptions point at the connections.
  contexts_.clear();
  connections_.clear();
}

size_t NetworkService::subscription_count() const {
  size_t count = 0;
  for (const auto& [id, context] : contexts_)
    count += context->subscriptions.size();
  return count;
}

size_t NetworkService::pending_output_bytes() const {
  size_t bytes = 0;
  for (const auto& [id, connection] : connections_)
    bytes += connection->channel().pending_write_bytes();
  return bytes;
}

size_t NetworkService::buffer_bytes() const {
  size_t bytes = 0;
  for (const auto& [id, connection] : connections_) {
    bytes += connection->channel().read_buffer_capacity() +
             connection->channel().write_buffer_capacity();
  }
  return bytes;
}

void NetworkService::AddClient(int fd) {
  if (connections_.size() >= options_.max_clients) {
    IpcConnection::Refuse(
        fd, net::ERR_INSUFFICIENT_RESOURCES,
        absl::StrCat("the service serves at most ", options_.max_clients,
                     " clients at once; try again later"));
    return;
  }
  IpcChannel::Limits limits;
  limits.max_incoming_bytes = options_.max_message_bytes;
  limits.max_outgoing_buffer_bytes = options_.max_outgoing_buffer_bytes;
  limits.pause_reading_above_bytes = options_.pause_reading_above_bytes;
  limits.partial_frame_timeout = options_.partial_frame_timeout;
  uint64_t id = next_connection_id_++;
  auto connection = std::make_unique<IpcConnection>(id, fd, this, limits);
  IpcConnection* raw = connection.get();
  connections_.emplace(id, std::move(connection));
  raw->Start();
}

void NetworkService::OnConnectionClosed(IpcConnection* connection, int error) {
  std::vector<uint32_t> owned;
  for (const auto& [id, context] : contexts_) {
    if (context->owner == connection->id())
      owned.push_back(id);
  }
  for (uint32_t id : owned)
    DestroyContext(id, /*tell_client=*/false);
  // Destroys `connection`, whose channel is calling us: nothing after this.
  connections_.erase(connection->id());
}

void NetworkService::OnClientMessage(IpcConnection* connection,
                                     const ipc::ClientMessage& message) {
  const uint32_t request_id = message.request_id();
  if (request_id == 0) {
    connection->SendError(0, net::ERR_INVALID_ARGUMENT,
                          "request_id must not be 0");
    return;
  }
  if (connection->IsRequestIdInUse(request_id)) {
    // Tagged with 0, not with the id: an Error under the id would read as
    // the outcome of the call or subscription that holds it.
    ipc::ServiceMessage refusal = ReplyTo(0);
    ipc::Error* error = refusal.mutable_error();
    error->set_code(net::ERR_INVALID_ARGUMENT);
    error->set_error_name(net::ErrorToShortString(net::ERR_INVALID_ARGUMENT));
    error->set_message(absl::StrCat(
        "request_id ", request_id,
        " is still in use by an outstanding call or subscription; this "
        "message was not run"));
    error->set_duplicate_request_id(request_id);
    connection->Send(refusal);
    return;
  }
  switch (message.call_case()) {
    case ipc::ClientMessage::kCreateNetworkContext:
      HandleCreateNetworkContext(connection, request_id,
                                 message.create_network_context());
      return;
    case ipc::ClientMessage::kNavigate:
      HandleNavigate(connection, request_id, message.navigate());
      return;
    case ipc::ClientMessage::kPreconnect:
      HandlePreconnect(connection, request_id, message.preconnect());
      return;
    case ipc::ClientMessage::kDnsPrefetch:
      HandleDnsPrefetch(connection, request_id, message.dns_prefetch());
      return;
    case ipc::ClientMessage::kFetch:
      HandleFetch(connection, request_id, message.fetch());
      return;
    case ipc::ClientMessage::kPreload:
      HandlePreload(connection, request_id, message.preload());
      return;
    case ipc::ClientMessage::kSubscribeEvents:
      HandleSubscribe(connection, request_id,
                      message.subscribe_events().context_id(),
                      /*net_log=*/false);
      return;
    case ipc::ClientMessage::kSubscribeNetLog:
      HandleSubscribe(connection, request_id,
                      message.subscribe_net_log().context_id(),
                      /*net_log=*/true);
      return;
    case ipc::ClientMessage::kUnsubscribe:
      HandleUnsubscribe(connection, request_id, message.unsubscribe());
      return;
    case ipc::ClientMessage::CALL_NOT_SET: {
      const google::protobuf::UnknownFieldSet& unknown =
          message.GetReflection()->GetUnknownFields(message);
      connection->SendError(
          request_id, net::ERR_UNKNOWN_IPC_MESSAGE,
          unknown.field_count() > 0
              ? absl::StrCat("unknown call (field number ",
                             unknown.field(0).number(),
                             "): this service does not know it")
              : std::string("the message names no call"));
      return;
    }
    default:
      HandleSyncCall(connection, message);
      return;
  }
}

NetworkService::Context* NetworkService::FindContext(IpcConnection* connection,
                                                     uint32_t request_id,
                                                     uint32_t context_id) {
  auto it = contexts_.find(context_id);
  // Another client's context is as unknown as one that never existed.
  if (it == contexts_.end() || it->second->owner != connection->id()) {
    connection->SendError(
        request_id, net::ERR_INVALID_ARGUMENT,
        absl::StrCat("unknown network context ", context_id,
                     " (CreateNetworkContext returns the id)"));
    return nullptr;
  }
  return it->second.get();
}

bool NetworkService::BeginAsyncCall(IpcConnection* connection,
                                    Context* context,
                                    uint32_t request_id) {
  if (connection->outstanding_count() >= options_.max_outstanding_requests) {
    connection->SendError(
        request_id, net::ERR_TOO_MANY_REQUESTS,
        absl::StrCat("more than ", options_.max_outstanding_requests,
                     " calls in flight; wait for replies"));
    return false;
  }
  connection->AddOutstanding(request_id);
  context->pending_requests.insert(request_id);
  return true;
}

void NetworkService::FinishAsyncCall(uint64_t connection_id,
                                     uint32_t context_id,
                                     const ipc::ServiceMessage& reply) {
  auto context = contexts_.find(context_id);
  if (context != contexts_.end())
    context->second->pending_requests.erase(reply.request_id());
  auto connection = connections_.find(connection_id);
  if (connection == connections_.end() ||
      !connection->second->RemoveOutstanding(reply.request_id())) {
    return;
  }
  connection->second->Send(reply);
}

void NetworkService::FinishAsyncCallWithError(uint64_t connection_id,
                                              uint32_t context_id,
                                              uint32_t request_id,
                                              int code,
                                              std::string_view message) {
  ipc::ServiceMessage reply = ReplyTo(request_id);
  ipc::Error* error = reply.mutable_error();
  error->set_code(code);
  error->set_error_name(net::ErrorToShortString(code));
  error->set_message(std::string(message));
  FinishAsyncCall(connection_id, context_id, reply);
}

void NetworkService::SendDone(IpcConnection* connection, uint32_t request_id) {
  ipc::ServiceMessage reply = ReplyTo(request_id);
  reply.mutable_reply()->mutable_done();
  connection->Send(reply);
}

void NetworkService::DestroyContext(uint32_t context_id, bool tell_client) {
  auto it = contexts_.find(context_id);
  if (it == contexts_.end())
    return;
  std::unique_ptr<Context> context = std::move(it->second);
  contexts_.erase(it);
  sockets_reserved_ -= context->reserved_sockets;
  auto connection = connections_.find(context->owner);
  if (connection != connections_.end()) {
    for (const auto& subscription : context->subscriptions)
      connection->second->RemoveSubscription(subscription->request_id());
    for (uint32_t request_id : context->pending_requests) {
      if (!connection->second->RemoveOutstanding(request_id) || !tell_client)
        continue;
      connection->second->SendError(
          request_id, net::ERR_ABORTED,
          absl::StrCat("network context ", context_id, " was destroyed"));
    }
  }
  // Subscriptions go first (member order), then the context cancels its
  // callbacks.
  context.reset();
}

void NetworkService::HandleCreateNetworkContext(
    IpcConnection* connection,
    uint32_t request_id,
    const ipc::CreateNetworkContext& call) {
  size_t owned = static_cast<size_t>(
      std::count_if(contexts_.begin(), contexts_.end(), [&](const auto& entry) {
        return entry.second->owner == connection->id();
      }));
  if (owned >= options_.max_contexts_per_client) {
    connection->SendError(
        request_id, net::ERR_INSUFFICIENT_RESOURCES,
        absl::StrCat("a client may have at most ",
                     options_.max_contexts_per_client, " network contexts"));
    return;
  }
  NetworkContextParams params;
  std::string message;
  int rv = NetworkContextParamsFromIpc(call.params(), &params, &message);
  if (rv != net::OK) {
    connection->SendError(request_id, rv, message);
    return;
  }
  std::unique_ptr<NetworkContext> network_context =
      NetworkContext::Create(params, &rv, &message);
  if (!network_context) {
    connection->SendError(request_id, rv, message);
    return;
  }
  // Past the caps checked above: a context whose pool could fill the fd
  // table would leave the service unable to accept or answer anyone.
  const size_t sockets =
      static_cast<size_t>(std::max(params.pool_config.max_sockets_total, 0)) +
      kFdsPerContext;
  if (sockets_reserved_ + sockets > socket_budget_) {
    connection->SendError(
        request_id, net::ERR_INSUFFICIENT_RESOURCES,
        absl::StrCat("the service's socket budget of ", socket_budget_, " has ",
                     socket_budget_ - sockets_reserved_,
                     " left; a context with pool_config.max_sockets_total ",
                     params.pool_config.max_sockets_total, " takes ", sockets,
                     " (ask for fewer sockets, or destroy a context)"));
    return;
  }
  uint32_t context_id = next_context_id_++;
  auto context = std::make_unique<Context>();
  context->owner = connection->id();
  context->reserved_sockets = sockets;
  sockets_reserved_ += sockets;
  context->network_context = std::move(network_context);
  contexts_.emplace(context_id, std::move(context));
  ipc::ServiceMessage reply = ReplyTo(request_id);
  reply.mutable_reply()->mutable_context_created()->set_context_id(context_id);
  connection->Send(reply);
}

void NetworkService::HandleNavigate(IpcConnection* connection,
                                    uint32_t request_id,
                                    const ipc::Navigate& call) {
  Context* context = FindContext(connection, request_id, call.context_id());
  if (!context || !BeginAsyncCall(connection, context, request_id))
    return;
  context->network_context->Navigate(
      {call.document_id(), call.url(), call.parent_id()},
      [this, connection_id = connection->id(), context_id = call.context_id(),
       request_id](FetchResult result) {
        if (result.error != net::OK && result.group_id.scheme().empty()) {
          // Refused before it had a group: bad URL or document.
          FinishAsyncCallWithError(connection_id, context_id, request_id,
                                   result.error, result.error_message);
          return;
        }
        ipc::ServiceMessage reply = ReplyTo(request_id);
        *reply.mutable_reply()->mutable_fetch() =
            FetchResultToIpc(result, kDefaultMaxBodyBytes);
        FinishAsyncCall(connection_id, context_id, reply);
      });
}

void NetworkService::HandlePreconnect(IpcConnection* connection,
                                      uint32_t request_id,
                                      const ipc::Preconnect& call) {
  Context* context = FindContext(connection, request_id, call.context_id());
  if (!context)
    return;
  if (!CheckCrossOrigin(connection, request_id, call.crossorigin()))
    return;
  if (!scenario::Purpose_IsValid(call.purpose())) {
    connection->SendError(
        request_id, net::ERR_INVALID_ARGUMENT,
        absl::StrCat("purpose ", call.purpose(), " is not a Purpose value"));
    return;
  }
  if (call.num_sockets() > kMaxPreconnectSockets) {
    connection->SendError(request_id, net::ERR_INVALID_ARGUMENT,
                          absl::StrCat("num_sockets ", call.num_sockets(),
                                       " is over ", kMaxPreconnectSockets));
    return;
  }
  if (!BeginAsyncCall(connection, context, request_id))
    return;
  scenario::Preconnect hint;
  hint.set_document(call.document_id());
  hint.set_url(call.url());
  hint.set_crossorigin(call.crossorigin());
  hint.set_purpose(call.purpose());
  hint.set_num_sockets(call.num_sockets());
  context->network_context->Preconnect(
      PreconnectRequestFromScenario(hint),
      [this, connection_id = connection->id(), context_id = call.context_id(),
       request_id](const PreconnectResult& result) {
        if (result.target.ignored()) {
          FinishAsyncCallWithError(connection_id, context_id, request_id,
                                   result.target.error,
                                   result.target.diagnostic);
          return;
        }
        ipc::ServiceMessage reply = ReplyTo(request_id);
        *reply.mutable_reply()->mutable_preconnect() =
            PreconnectResultToIpc(result);
        FinishAsyncCall(connection_id, context_id, reply);
      });
}

void NetworkService::HandleDnsPrefetch(IpcConnection* connection,
                                       uint32_t request_id,
                                       const ipc::DnsPrefetch& call) {
  Context* context = FindContext(connection, request_id, call.context_id());
  if (!context || !BeginAsyncCall(connection, context, request_id))
    return;
  context->network_context->DnsPrefetch(
      call.document_id(), call.url(),
      [this, connection_id = connection->id(), context_id = call.context_id(),
       request_id](int error, const std::string& diagnostic) {
        if (IsIgnoredHintError(error)) {
          FinishAsyncCallWithError(connection_id, context_id, request_id, error,
                                   diagnostic);
          return;
        }
        ipc::ServiceMessage reply = ReplyTo(request_id);
        ipc::DnsPrefetchResult* result =
            reply.mutable_reply()->mutable_dns_prefetch();
        result->set_error(error);
        result->set_diagnostic(diagnostic);
        FinishAsyncCall(connection_id, context_id, reply);
      });
}

void NetworkService::HandleFetch(IpcConnection* connection,
                                 uint32_t request_id,
                                 const ipc::Fetch& call) {
  Context* context = FindContext(connection, request_id, call.context_id());
  if (!context)
    return;
  if (!scenario::RequestMode_IsValid(call.mode())) {
    connection->SendError(
        request_id, net::ERR_INVALID_ARGUMENT,
        absl::StrCat("mode ", call.mode(), " is not a RequestMode value"));
    return;
  }
  if (!scenario::CredentialsMode_IsValid(call.credentials())) {
    connection->SendError(request_id, net::ERR_INVALID_ARGUMENT,
                          absl::StrCat("credentials ", call.credentials(),
                                       " is not a CredentialsMode value"));
    return;
  }
  if (call.max_body_bytes() > kMaxBodyBytes) {
    connection->SendError(request_id, net::ERR_INVALID_ARGUMENT,
                          absl::StrCat("max_body_bytes ", call.max_body_bytes(),
                                       " is over ", kMaxBodyBytes));
    return;
  }
  if (call.headers_size() > kMaxAuthorHeaders) {
    connection->SendError(
        request_id, net::ERR_INVALID_ARGUMENT,
        absl::StrCat(call.headers_size(), " author headers is over ",
                     kMaxAuthorHeaders));
    return;
  }
  if (!BeginAsyncCall(connection, context, request_id))
    return;
  const RequestMode mode = RequestModeFromScenario(call.mode());
  size_t max_body =
      call.max_body_bytes() == 0 ? kDefaultMaxBodyBytes : call.max_body_bytes();
  FetchParams params{call.document_id(),
                     call.url(),
                     mode,
                     CredentialsModeFromScenario(call.credentials()),
                     call.destination(),
                     AuthorHeadersFromScenario(call.headers()),
                     call.integrity()};
  context->network_context->Fetch(
      params,
      [this, connection_id = connection->id(), context_id = call.context_id(),
       request_id, max_body](FetchResult result) {
        if (result.error != net::OK && result.group_id.scheme().empty()) {
          FinishAsyncCallWithError(connection_id, context_id, request_id,
                                   result.error, result.error_message);
          return;
        }
        ipc::ServiceMessage reply = ReplyTo(request_id);
        *reply.mutable_reply()->mutable_fetch() =
            FetchResultToIpc(result, max_body);
        FinishAsyncCall(connection_id, context_id, reply);
      });
}

void NetworkService::HandlePreload(IpcConnection* connection,
                                   uint32_t request_id,
                                   const ipc::Preload& call) {
  Context* context = FindContext(connection, request_id, call.context_id());
  if (!context)
    return;
  if (!CheckCrossOrigin(connection, request_id, call.crossorigin()))
    return;
  if (!BeginAsyncCall(connection, context, request_id))
    return;
  PreloadRequest request;
  request.document_id = call.document_id();
  request.url = call.url();
  request.as = call.as();
  request.crossorigin = CrossOriginFromScenario(call.crossorigin());
  request.integrity = call.integrity();
  context->network_context->Preload(
      request,
      [this, connection_id = connection->id(), context_id = call.context_id(),
       request_id](PreloadResult result) {
        // Refused (document, URL, as) before any request.
        if (result.error != net::OK) {
          FinishAsyncCallWithError(connection_id, context_id, request_id,
                                   result.error, result.message);
          return;
        }
        ipc::ServiceMessage reply = ReplyTo(request_id);
        *reply.mutable_reply()->mutable_preload() = PreloadResultToIpc(result);
        FinishAsyncCall(connection_id, context_id, reply);
      });
}

void NetworkService::HandleSubscribe(IpcConnection* connection,
                                     uint32_t request_id,
                                     uint32_t context_id,
                                     bool net_log) {
  Context* context = FindContext(connection, request_id, context_id);
  if (!context)
    return;
  if (context->subscriptions.size() >= options_.max_subscriptions_per_context) {
    connection->SendError(
        request_id, net::ERR_INSUFFICIENT_RESOURCES,
        absl::StrCat("a network context takes at most ",
                     options_.max_subscriptions_per_context, " subscriptions"));
    return;
  }
  // The acknowledgement goes first so every event follows it.
  ipc::ServiceMessage reply = ReplyTo(request_id);
  reply.mutable_reply()->mutable_subscribed();
  connection->Send(reply);
  connection->AddSubscription(request_id, context_id);
  context->subscriptions.push_back(std::make_unique<EventSubscription>(
      net_log ? EventSubscription::Kind::kNetLog
              : EventSubscription::Kind::kPoolEvents,
      request_id, context->network_context.get(), connection));
}

void NetworkService::HandleUnsubscribe(IpcConnection* connection,
                                       uint32_t request_id,
                                       const ipc::Unsubscribe& call) {
  const uint32_t subscription_id = call.subscription_id();
  std::optional<uint32_t> context_id =
      connection->SubscriptionContext(subscription_id);
  if (!context_id) {
    // Another connection's subscription reads as unknown, as its contexts
    // do: a client learns nothing about the others.
    std::string message;
    if (subscription_id == 0) {
      message =
          "subscription_id must not be 0 (it is the request_id of the "
          "SubscribeEvents or SubscribeNetLog call)";
    } else if (connection->IsOutstanding(subscription_id)) {
      message = absl::StrCat("request_id ", subscription_id,
                             " is an outstanding call, not a subscription");
    } else {
      message = absl::StrCat("no live subscription ", subscription_id,
                             " on this connection");
    }
    connection->SendError(request_id, net::ERR_INVALID_ARGUMENT, message);
    return;
  }
  // DestroyContext drops the connection's record of the context's
  // subscriptions, so a live one's context exists and is this client's.
  auto context = contexts_.find(*context_id);
  CHECK(context != contexts_.end() &&
        context->second->owner == connection->id());
  std::vector<std::unique_ptr<EventSubscription>>& subscriptions =
      context->second->subscriptions;
  auto subscription =
      std::find_if(subscriptions.begin(), subscriptions.end(),
                   [&](const std::unique_ptr<EventSubscription>& entry) {
                     return entry->request_id() == subscription_id;
                   });
  CHECK(subscription != subscriptions.end());
  // Unregisters it from the context before the reply: nothing is sent under
  // the id after Done, and the id and the context's slot are free again.
  subscriptions.erase(subscription);
  connection->RemoveSubscription(subscription_id);
  SendDone(connection, request_id);
}

void NetworkService::HandleSyncCall(IpcConnection* connection,
                                    const ipc::ClientMessage& message) {
  const uint32_t request_id = message.request_id();
  auto reply_result = [&](const DocumentRegistry::Result& result) {
    if (result.ok())
      SendDone(connection, request_id);
    else
      connection->SendError(request_id, result.error, result.message);
  };
  switch (message.call_case()) {
    case ipc::ClientMessage::kDestroyNetworkContext: {
      uint32_t context_id = message.destroy_network_context().context_id();
      if (!FindContext(connection, request_id, context_id))
        return;
      DestroyContext(context_id, /*tell_client=*/true);
      SendDone(connection, request_id);
      return;
    }
    case ipc::ClientMessage::kCommitNavigation: {
      const ipc::CommitNavigation& call = message.commit_navigation();
      if (Context* context =
              FindContext(connection, request_id, call.context_id())) {
        reply_result(context->network_context->CommitNavigation(
            call.document_id(), call.url(), call.parent_id()));
      }
      return;
    }
    case ipc::ClientMessage::kLoadEvent: {
      const ipc::LoadEvent& call = message.load_event();
      if (Context* context =
              FindContext(connection, request_id, call.context_id())) {
        reply_result(context->network_context->LoadEvent(call.document_id()));
      }
      return;
    }
    case ipc::ClientMessage::kRemoveDocument: {
      const ipc::RemoveDocument& call = message.remove_document();
      if (Context* context =
              FindContext(connection, request_id, call.context_id())) {
        reply_result(
            context->network_context->RemoveDocument(call.document_id()));
      }
      return;
    }
    case ipc::ClientMessage::kSetCookieSettings: {
      const ipc::SetCookieSettings& call = message.set_cookie_settings();
      Context* context = FindContext(connection, request_id, call.context_id());
      if (!context)
        return;
      CookieSettings settings;
      std::string error_message;
      int rv = CookieSettingsFromIpc(call.cookie_settings(), &settings,
                                     &error_message);
      if (rv != net::OK) {
        connection->SendError(request_id, rv, error_message);
        return;
      }
      context->network_context->SetCookieSettings(settings);
      SendDone(connection, request_id);
      return;
    }
    case ipc::ClientMessage::kCloseIdleSockets: {
      if (Context* context =
              FindContext(connection, request_id,
                          message.close_idle_sockets().context_id())) {
        context->network_context->CloseIdleSockets();
        SendDone(connection, request_id);
      }
      return;
    }
    case ipc::ClientMessage::kFlush: {
      if (Context* context = FindContext(connection, request_id,
                                         message.flush().context_id())) {
        context->network_context->Flush();
        SendDone(connection, request_id);
      }
      return;
    }
    case ipc::ClientMessage::kGetPoolState: {
      Context* context = FindContext(connection, request_id,
                                     message.get_pool_state().context_id());
      if (!context)
        return;
      const NetworkContext& network_context = *context->network_context;
      ipc::ServiceMessage reply = ReplyTo(request_id);
      ipc::PoolState* state = reply.mutable_reply()->mutable_pool_state();
      state->set_json(network_context.GetPoolStateJson());
      state->set_idle_sockets(
          static_cast<uint32_t>(network_context.pool().IdleSocketCount()));
      state->set_connecting_sockets(static_cast<uint32_t>(
          network_context.pool().ConnectingSocketCount()));
      state->set_handed_out_sockets(
          static_cast<uint32_t>(network_context.pool().HandedOutSocketCount()));
      state->set_hints_in_flight(static_cast<uint32_t>(
          network_context.preconnect_manager().in_flight_count()));
      state->set_hints_queued(static_cast<uint32_t>(
          network_context.preconnect_manager().queued_count()));
      state->set_requests_in_flight(
          static_cast<uint32_t>(network_context.in_flight_request_count()));
      connection->Send(reply);
      return;
    }
    default:
      // OnClientMessage handled every other case.
      NOTREACHED();
  }
}

}  // namespace prewarm
