#include "service/url_loader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/ip_endpoint.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/http/http_basic_stream.h"
#include "net/http/http_request_info.h"
#include "net/log/net_log_values.h"
#include "net/log/net_log_with_source.h"
#include "net/socket/stream_socket.h"
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
                     net::Url url,
                     net::GroupId group_id,
                     RequestPartition partition,
                     net::RequestPriority priority,
                     net::NetLog* net_log)
    : pool_(pool),
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
  if (handle_.is_initialized())
    handle_.MarkNotReusable();
  handle_.Reset();
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
  int rv = pool_->RequestSocket(
      result_.group_id, priority_, &handle_,
      [this](int result) { OnSocketReady(result); }, net_log_);
  if (rv != net::ERR_IO_PENDING)
    OnSocketReady(rv);
}

void UrlLoader::OnSocketReady(int result) {
  if (result != net::OK) {
    // A synchronous refusal is the pool's; a failed connect job's words
    // come with the handle.
    result_.error_message = handle_.error_message().empty()
                                ? pool_->last_error_message()
                                : handle_.error_message();
    Finish(result);
    return;
  }
  result_.preconnect_id = handle_.preconnect_id();
  if (result_.preconnect_id != 0) {
    result_.socket_reuse = SocketReuse::kPreconnected;
  } else if (handle_.reuse_type() ==
             net::ClientSocketHandle::ReuseType::kReusedIdle) {
    result_.socket_reuse = SocketReuse::kReused;
  }
  result_.load_timing.socket_reused =
      handle_.reuse_type() != net::ClientSocketHandle::ReuseType::kUnused;
  result_.load_timing.connect_timing = handle_.connect_timing();
  net::IPEndPoint peer;
  if (handle_.socket()->GetPeerAddress(&peer) == net::OK)
    result_.server_ip = peer.address().ToString();
  result_.socket_log_id = handle_.socket()->NetLog().source().id;

  stream_ = std::make_unique<net::HttpBasicStream>(handle_.socket());
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
  result_.error = result;
  if (stream_) {
    stream_->GetLoadTimingInfo(&result_.load_timing);
    result_.request_headers = stream_->request_headers();
    if (result != net::OK && result_.error_message.empty())
      result_.error_message = stream_->error_message();
    if (result != net::OK || !stream_->CanReuseConnection())
      handle_.MarkNotReusable();
    stream_.reset();
  }
  if (result != net::OK && result_.error_message.empty())
    result_.error_message = net::ErrorToString(result);
  // Back to the pool (or closed) now that the response is complete, so the
  // next request can reuse it.
  handle_.Reset();
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
