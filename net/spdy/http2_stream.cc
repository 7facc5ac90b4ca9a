#include "net/spdy/http2_stream.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/http/http_request_checks.h"
#include "net/log/net_log_values.h"
#include "net/spdy/http2_session.h"

namespace net {

namespace {

// HTTP/1.1 fields that mean nothing on an HTTP/2 connection; a request
// carrying one is malformed (RFC 9113 8.2.2), so they are not sent. Host
// becomes :authority.
bool IsConnectionSpecific(const std::string& name) {
  return HeaderNameIs(name, "Connection") || HeaderNameIs(name, "Keep-Alive") ||
         HeaderNameIs(name, "Proxy-Connection") ||
         HeaderNameIs(name, "Upgrade") || HeaderNameIs(name, "TE") ||
         HeaderNameIs(name, "Host");
}

std::string Authority(const HttpRequestInfo& request) {
  for (const auto& [name, value] : request.extra_headers) {
    if (HeaderNameIs(name, "Host"))
      return value;
  }
  const Url& url = request.url;
  std::string host =
      url.HostIsIPv6() ? absl::StrCat("[", url.host(), "]") : url.host();
  if (url.port() != Url::DefaultPortForScheme(url.scheme()))
    absl::StrAppend(&host, ":", url.port());
  return host;
}

}  // namespace

// static
bool Http2Stream::IsRetryableOnNewSession(int error) {
  return error == ERR_HTTP2_SERVER_REFUSED_STREAM;
}

Http2Stream::Http2Stream(Http2Session* session)
    : session_(session), loop_(EventLoop::Current()) {
  CHECK(session_);
  CHECK(loop_);
  headers_.SetStatus(0, std::string(), 2, 0);
}

Http2Stream::~Http2Stream() {
  if (session_)
    session_->RemoveStream(this, buffered_body_bytes());
}

absl::Time Http2Stream::Now() const {
  return loop_->NowTicks();
}

int Http2Stream::Fail(int error, std::string message) {
  DCHECK(error < 0);
  if (error_ == OK) {
    error_ = error;
    error_message_ = std::move(message);
  }
  return error_;
}

int Http2Stream::SendRequest(const HttpRequestInfo& request,
                             CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  CHECK(stream_id_ == 0 && error_ == OK);
  std::string message;
  int rv = CheckHttpRequest(request, &message);
  if (rv != OK)
    return Fail(rv, std::move(message));
  if (!session_)
    return Fail(ERR_CONNECTION_CLOSED, "the HTTP/2 session is gone");
  head_request_ = request.method == "HEAD";
  std::vector<std::pair<std::string, std::string>> headers = {
      {":method", request.method},
      {":scheme", request.url.scheme()},
      {":authority", Authority(request)},
      {":path", request.url.PathForRequest()},
  };
  for (const auto& [name, value] : request.extra_headers) {
    if (!IsConnectionSpecific(name))
      headers.emplace_back(absl::AsciiStrToLower(name), value);
  }
  if (request.method == "POST") {
    headers.emplace_back("content-length",
                         absl::StrCat(request.upload_body.size()));
    upload_body_ = request.upload_body;
  }
  send_start_ = Now();
  rv = session_->SubmitRequest(
      this, headers, request.method == "POST" ? &upload_body_ : nullptr);
  if (rv != OK)
    return rv;
  request_headers_ = std::move(headers);
  net_log_ = session_->net_log();
  net_log_.BeginEvent(NetLogEventType::HTTP2_STREAM, [&] {
    google::protobuf::Struct params;
    SetNetLogInt(&params, "stream_id", stream_id_);
    SetNetLogString(&params, "url", request.url.spec());
    return params;
  });
  if (request_sent_)
    return OK;
  operation_ = Operation::kSend;
  callback_ = std::move(callback);
  return ERR_IO_PENDING;
}

int Http2Stream::StartOperation(Operation operation,
                                CompletionOnceCallback callback) {
  operation_ = operation;
  int result;
  if (TryFinish(&result)) {
    operation_ = Operation::kNone;
    user_buf_ = nullptr;
    user_body_ = nullptr;
    return result;
  }
  callback_ = std::move(callback);
  return ERR_IO_PENDING;
}

int Http2Stream::ReadResponseHeaders(CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  return StartOperation(Operation::kReadHeaders, std::move(callback));
}

int Http2Stream::ReadResponseBody(char* buf,
                                  int buf_len,
                                  CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  CHECK(buf_len > 0);
  user_buf_ = buf;
  user_buf_len_ = buf_len;
  return StartOperation(Operation::kReadBody, std::move(callback));
}

int Http2Stream::ReadResponseBodyToEnd(std::string* body,
                                       CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  CHECK(body);
  user_body_ = body;
  return StartOperation(Operation::kReadToEnd, std::move(callback));
}

size_t Http2Stream::TakeBody(char* buf, size_t len) {
  size_t n = std::min(len, buffered_body_bytes());
  std::copy_n(body_buffer_.data() + body_offset_, n, buf);
  body_offset_ += n;
  if (body_offset_ == body_buffer_.size()) {
    body_buffer_.clear();
    body_offset_ = 0;
  }
  if (session_)
    session_->ConsumeBody(stream_id_, n);
  return n;
}

bool Http2Stream::TryFinish(int* result) {
  switch (operation_) {
    case Operation::kNone:
      return false;
    case Operation::kSend:
      if (error_ != OK) {
        *result = error_;
        return true;
      }
      if (request_sent_) {
        *result = OK;
        return true;
      }
      return false;
    case Operation::kReadHeaders:
      if (headers_complete_) {
        *result = OK;
        return true;
      }
      if (error_ != OK || closed_) {
        *result = error_ != OK ? error_
                               : Fail(ERR_HTTP2_PROTOCOL_ERROR,
                                      "the stream ended without a response");
        return true;
      }
      return false;
    case Operation::kReadBody:
      if (buffered_body_bytes() > 0) {
        *result = static_cast<int>(
            TakeBody(user_buf_, static_cast<size_t>(user_buf_len_)));
        return true;
      }
      if (error_ != OK) {
        *result = error_;
        return true;
      }
      if (IsResponseBodyComplete()) {
        *result = 0;
        return true;
      }
      return false;
    case Operation::kReadToEnd:
      if (buffered_body_bytes() > 0) {
        size_t n = buffered_body_bytes();
        size_t old_size = user_body_->size();
        user_body_->resize(old_size + n);
        TakeBody(user_body_->data() + old_size, n);
      }
      if (error_ != OK) {
        *result = error_;
        return true;
      }
      if (IsResponseBodyComplete()) {
        *result = OK;
        return true;
      }
      return false;
  }
  return false;
}

void Http2Stream::ScheduleNotify() {
  if (notify_posted_ || operation_ == Operation::kNone)
    return;
  notify_posted_ = true;
  loop_->PostTask([weak = weak_factory_.GetWeakPtr()] {
    if (Http2Stream* self = weak.get())
      self->Notify();
  });
}

void Http2Stream::Notify() {
  notify_posted_ = false;
  int result;
  if (!TryFinish(&result))
    return;
  operation_ = Operation::kNone;
  user_buf_ = nullptr;
  user_buf_len_ = 0;
  user_body_ = nullptr;
  RunStoredCallback(callback_, result);  // May destroy `this`.
}

bool Http2Stream::OnHeader(const std::string& name, const std::string& value) {
  if (headers_complete_)
    return true;  // Trailers: nothing uses them.
  if (name == ":status") {
    // RFC 9110 section 15: three digits, the first 1-9 ("013" is no status).
    int code = 0;
    if (value.size() != 3 || value[0] < '1' || value[0] > '9' ||
        !absl::SimpleAtoi(value, &code)) {
      Fail(ERR_HTTP2_PROTOCOL_ERROR,
           absl::StrCat("the server sent an invalid :status \"",
                        absl::CEscape(value), "\""));
      return false;
    }
    headers_.SetStatus(code, std::string(), 2, 0);
    return true;
  }
  if (!name.empty() && name[0] == ':')
    return true;
  headers_.AddHeader(name, value);
  return true;
}

void Http2Stream::OnHeadersFrame(bool end_stream) {
  if (headers_complete_) {
    if (end_stream)
      OnEndStream();
    return;
  }
  if (headers_.response_code() >= 100 && headers_.response_code() < 200) {
    // An interim response: the final one follows.
    headers_ = HttpResponseHeaders();
    headers_.SetStatus(0, std::string(), 2, 0);
    return;
  }
  headers_complete_ = true;
  receive_headers_end_ = Now();
  if (end_stream)
    OnEndStream();
  ScheduleNotify();
}

void Http2Stream::OnData(const uint8_t* data, size_t length) {
  body_buffer_.append(reinterpret_cast<const char*>(data), length);
  ScheduleNotify();
}

void Http2Stream::OnEndStream() {
  end_stream_received_ = true;
  ScheduleNotify();
}

void Http2Stream::OnRequestSent() {
  request_sent_ = true;
  send_end_ = Now();
  ScheduleNotify();
}

void Http2Stream::OnClose(int error, std::string message) {
  if (!closed_)
    net_log_.EndEventWithNetErrorCode(NetLogEventType::HTTP2_STREAM, error);
  closed_ = true;
  if (error != OK)
    Fail(error, std::move(message));
  else if (response_end_ == absl::InfinitePast())
    response_end_ = Now();
  ScheduleNotify();
}

void Http2Stream::OnSessionGone() {
  session_ = nullptr;
  if (!closed_) {
    OnClose(ERR_CONNECTION_CLOSED, "the HTTP/2 session went away");
    return;
  }
  ScheduleNotify();
}

bool Http2Stream::IsResponseBodyComplete() const {
  return error_ == OK && headers_complete_ && end_stream_received_ && closed_;
}

bool Http2Stream::CanReuseConnection() const {
  return session_ && session_->IsAvailable();
}

void Http2Stream::GetLoadTimingInfo(LoadTimingInfo* load_timing_info) const {
  load_timing_info->send_start = send_start_;
  load_timing_info->send_end = send_end_;
  load_timing_info->receive_headers_end = receive_headers_end_;
  load_timing_info->response_end = response_end_;
}

}  // namespace net
