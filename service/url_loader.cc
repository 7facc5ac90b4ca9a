#include "service/url_loader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/ip_endpoint.h"
#include "net/base/net_errors.h"
#include "net/dns/host_resolver.h"
#include "net/dns/resolve_host_request.h"
#include "net/event/event_loop.h"
#include "net/http/http_basic_stream.h"
#include "net/http/http_request_info.h"
#include "net/log/net_log_values.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/stream_socket.h"
#include "net/spdy/http2_session.h"
#include "net/spdy/http2_stream.h"
#include "socket_pool/http2_session_pool.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {

const char* SocketReuseToString(SocketReuse reuse) {
  switch (reuse) {
    case SocketReuse::kNew:
      return "NEW";
    case SocketReuse::kPreconnected:
      return "PRECONNECTED";
    case SocketReuse::kReused:
      return "REUSED";
  }
  return "NEW";
}

FetchResult::FetchResult() = default;
FetchResult::FetchResult(const FetchResult&) = default;
FetchResult& FetchResult::operator=(const FetchResult&) = default;
FetchResult::FetchResult(FetchResult&&) = default;
FetchResult& FetchResult::operator=(FetchResult&&) = default;
FetchResult::~FetchResult() = default;

UrlLoader::UrlLoader(net::SocketPoolManager* pool,
                     net::HostResolver* host_resolver,
                     net::Url url,
                     net::GroupId group_id,
                     RequestPartition partition,
                     net::RequestPriority priority,
                     net::NetLog* net_log)
    : pool_(pool),
      host_resolver_(host_resolver),
      url_(std::move(url)),
      priority_(priority),
      net_log_(
          net::NetLogWithSource::Make(net_log,
                                      net::NetLogSourceType::URL_REQUEST)) {
  result_.group_id = std::move(group_id);
  result_.partition = std::move(partition);
}

UrlLoader::~UrlLoader() {
  // The stream borrows the handle's socket: it goes first.
  stream_.reset();
  if (handle_) {
    if (handle_->is_initialized())
      handle_->MarkNotReusable();
    handle_->Reset();
  }
  FinishSetup();
}

void UrlLoader::Start(Callback callback) {
  callback_ = std::move(callback);
  result_.load_timing.request_start = net::EventLoop::Current()->NowTicks();
  net_log_.BeginEvent(net::NetLogEventType::HTTP_STREAM_REQUEST, [&] {
    google::protobuf::Struct params;
    net::SetNetLogString(&params, "url", url_.spec());
    net::SetNetLogString(&params, "group_id", result_.group_id.ToString());
    return params;
  });
  StartAttempt();
}

void UrlLoader::StartAttempt() {
  net::Http2SessionPool* sessions = pool_->http2_sessions();
  if (net::Http2Session* session =
          sessions->FindAvailableSession(result_.group_id)) {
    UseSession(session, /*coalesced=*/false);
    return;
  }
  if (host_resolver_ && sessions->HasCoalescingCandidate(result_.group_id)) {
    // IP pooling needs the addresses this host resolves to (in the
    // request's partition of the host cache).
    resolve_request_ = host_resolver_->CreateRequest(
        result_.group_id.destination(),
        result_.group_id.network_anonymization_key(), net_log_);
    int rv = resolve_request_->Start(
        [this](int result) { OnResolvedForCoalescing(result); });
    if (rv != net::ERR_IO_PENDING)
      OnResolvedForCoalescing(rv);
    return;
  }
  RequestSocket();
}

void UrlLoader::OnResolvedForCoalescing(int result) {
  std::unique_ptr<net::ResolveHostRequest> request =
      std::move(resolve_request_);
  if (result == net::OK) {
    net::GroupId session_group;
    if (net::Http2Session* session =
            pool_->http2_sessions()->FindCoalescableSession(
                result_.group_id, request->addresses(), &session_group)) {
      net_log_.AddEvent(net::NetLogEventType::HTTP2_SESSION_POOL_FOUND_SESSION,
                        [&] {
                          google::protobuf::Struct params;
                          net::SetNetLogString(&params, "coalesced_from",
                                               session_group.ToString());
                          return params;
                        });
      UseSession(session, /*coalesced=*/true);
      return;
    }
  }
  // A failed lookup is the connect job's to report.
  RequestSocket();
}

void UrlLoader::RequestSocket() {
  net::Http2SessionPool* sessions = pool_->http2_sessions();
  if (sessions->origin_cache().SpeaksHttp2(result_.group_id)) {
    // One connection serves the whole group: wait for the one being set
    // up instead of opening another.
    if (sessions->WaitForSetup(result_.group_id,
                               [weak = weak_factory_.GetWeakPtr()] {
                                 if (UrlLoader* self = weak.get())
                                   self->StartAttempt();
                               })) {
      return;
    }
    sessions->OnSetupStarted(result_.group_id);
    setup_registered_ = true;
  }
  handle_ = std::make_unique<net::ClientSocketHandle>();
  int rv = pool_->RequestSocket(
      result_.group_id, priority_, handle_.get(),
      [this](int result) { OnSocketReady(result); }, net_log_);
  if (rv != net::ERR_IO_PENDING)
    OnSocketReady(rv);
}

void UrlLoader::FinishSetup() {
  if (!setup_registered_)
    return;
  setup_registered_ = false;
  pool_->http2_sessions()->OnSetupFinished(result_.group_id);
}

void UrlLoader::NoteConnection(net::StreamSocket* socket) {
  net::IPEndPoint peer;
  if (socket->GetPeerAddress(&peer) == net::OK)
    result_.server_ip = peer.address().ToString();
  result_.socket_log_id = socket->NetLog().source().id;
  // A session's connection is its socket's: one id for both protocols.
  result_.connection_id = result_.socket_log_id;
}

void UrlLoader::UseSession(net::Http2Session* session, bool coalesced) {
  pool_->OnRequestServedBySession(result_.group_id);
  result_.socket_reuse = SocketReuse::kReused;
  result_.preconnect_id = 0;
  result_.load_timing.socket_reused = true;
  result_.load_timing.connect_timing = {};
  result_.protocol = "h2";
  result_.coalesced = coalesced;
  NoteConnection(session->socket());
  stream_ = std::make_unique<net::Http2Stream>(session);
  SendRequest();
}

void UrlLoader::OnSocketReady(int result) {
  if (result != net::OK) {
    FinishSetup();
    // A synchronous refusal is the pool's; a failed connect job's words
    // come with the handle.
    result_.error_message = handle_ && !handle_->error_message().empty()
                                ? handle_->error_message()
                                : pool_->last_error_message();
    Finish(result);
    return;
  }
  result_.preconnect_id = handle_->preconnect_id();
  if (result_.preconnect_id != 0) {
    result_.socket_reuse = SocketReuse::kPreconnected;
  } else if (handle_->reuse_type() ==
             net::ClientSocketHandle::ReuseType::kReusedIdle) {
    result_.socket_reuse = SocketReuse::kReused;
  } else {
    result_.socket_reuse = SocketReuse::kNew;
  }
  result_.load_timing.socket_reused =
      handle_->reuse_type() != net::ClientSocketHandle::ReuseType::kUnused;
  result_.load_timing.connect_timing = handle_->connect_timing();
  net::StreamSocket* socket = handle_->socket();
  NoteConnection(socket);
  const std::string protocol = socket->GetNegotiatedProtocol();
  net::Http2SessionPool* sessions = pool_->http2_sessions();
  sessions->origin_cache().OnProtocolNegotiated(result_.group_id, protocol);
  if (protocol == "h2") {
    result_.protocol = "h2";
    int error = net::OK;
    net::Http2Session* session =
        sessions->CreateSession(result_.group_id, std::move(handle_), &error);
    // Requests that waited for this connection find the session now.
    FinishSetup();
    if (!session) {
      Finish(error);
      return;
    }
    stream_ = std::make_unique<net::Http2Stream>(session);
  } else {
    FinishSetup();
    result_.protocol = "http/1.1";
    stream_ = std::make_unique<net::HttpBasicStream>(socket);
  }
  SendRequest();
}

void UrlLoader::SendRequest() {
  net::HttpRequestInfo request;
  request.url = url_;
  request.extra_headers.emplace_back("User-Agent", "prewarm");
  for (const auto& header : extra_headers_)
    request.extra_headers.push_back(header);
  int rv = stream_->SendRequest(request,
                                [this](int result) { OnRequestSent(result); });
  if (rv != net::ERR_IO_PENDING)
    OnRequestSent(rv);
}

void UrlLoader::OnRequestSent(int result) {
  if (result != net::OK) {
    Finish(result);
    return;
  }
  int rv = stream_->ReadResponseHeaders(
      [this](int result) { OnHeadersRead(result); });
  if (rv != net::ERR_IO_PENDING)
    OnHeadersRead(rv);
}

void UrlLoader::OnHeadersRead(int result) {
  if (result != net::OK) {
    Finish(result);
    return;
  }
  const net::HttpResponseHeaders& response = stream_->response_headers();
  result_.status_code = response.response_code();
  result_.status_text = response.status_text();
  result_.http_version =
      absl::StrCat("HTTP/", response.http_major(), ".", response.http_minor());
  result_.headers = stream_->response_headers().headers();
  if (headers_callback_)
    headers_callback_(result_);
  int rv = stream_->ReadResponseBodyToEnd(
      &result_.body, [this](int result) { OnBodyRead(result); });
  if (rv != net::ERR_IO_PENDING)
    OnBodyRead(rv);
}

void UrlLoader::OnBodyRead(int result) {
  Finish(result);
}

void UrlLoader::Finish(int result) {
  if (result != net::OK && net::Http2Stream::IsRetryableOnNewSession(result) &&
      retries_ < kMaxRetries) {
    // The server did not process the request (GOAWAY below it, or
    // REFUSED_STREAM): the going-away session takes no new stream, so the
    // next attempt finds another session or a new connection.
    ++retries_;
    stream_.reset();
    result_.body.clear();
    net_log_.AddEventWithNetErrorCode(net::NetLogEventType::FAILED, result);
    StartAttempt();
    return;
  }
  result_.error = result;
  if (stream_) {
    stream_->GetLoadTimingInfo(&result_.load_timing);
    result_.request_headers = stream_->request_headers();
    if (result != net::OK && result_.error_message.empty())
      result_.error_message = stream_->error_message();
    if (handle_ && (result != net::OK || !stream_->CanReuseConnection()))
      handle_->MarkNotReusable();
    stream_.reset();
  }
  if (result != net::OK && result_.error_message.empty())
    result_.error_message = net::ErrorToString(result);
  // Back to the pool (or closed) now that the response is complete, so the
  // next request can reuse it. An HTTP/2 socket stays with its session.
  if (handle_) {
    handle_->Reset();
    handle_.reset();
  }
  net_log_.EndEventWithNetErrorCode(net::NetLogEventType::HTTP_STREAM_REQUEST,
                                    result);
  // Posted: a result known inside Start() must not be reported from it.
  net::EventLoop::Current()->PostTask(
      [weak = weak_factory_.GetWeakPtr()]() mutable {
        UrlLoader* self = weak.get();
        if (!self)
          return;
        Callback callback = std::move(self->callback_);
        // The callback may destroy the loader.
        std::move(callback)(std::move(self->result_));
      });
}

}  // namespace prewarm
