#include "net/http/http_basic_stream.h"

#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/http/http_request_checks.h"
#include "net/socket/stream_socket.h"

namespace net {

namespace {

// Big enough for typical response headers in one read; the stream lives only as
// long as one request, so this is not idle memory.
constexpr size_t kReadBufferSize = 16 * 1024;

}  // namespace

HttpBasicStream::HttpBasicStream(StreamSocket* socket)
    : socket_(socket), loop_(EventLoop::Current()) {
  CHECK(socket_);
  CHECK(loop_);
}

HttpBasicStream::~HttpBasicStream() {
  // A read or write still in flight leaves the connection at an unknown point
  // of the stream: nobody may reuse it.
  if (read_pending_ || write_pending_)
    socket_->Disconnect();
}

absl::Time HttpBasicStream::Now() const {
  return loop_->NowTicks();
}

int HttpBasicStream::Fail(int error, std::string message) {
  DCHECK(error < 0);
  error_ = error;
  error_message_ = std::move(message);
  return error;
}

int HttpBasicStream::ValidateAndSerialize(const HttpRequestInfo& request) {
  const std::string& method = request.method;
  const Url& url = request.url;
  std::string message;
  int rv = CheckHttpRequest(request, &message);
  if (rv != OK)
    return Fail(rv, std::move(message));
  std::string negotiated = socket_->GetNegotiatedProtocol();
  if (!negotiated.empty() && negotiated != "http/1.1") {
    return Fail(
        ERR_ALPN_NEGOTIATION_FAILED,
        absl::StrCat("socket negotiated '", negotiated, "', not http/1.1"));
  }

  bool has_host = false;
  bool has_connection = false;
  for (const auto& [name, value] : request.extra_headers) {
    has_host |= HeaderNameIs(name, "Host");
    if (HeaderNameIs(name, "Connection")) {
      has_connection = true;
      for (absl::string_view token : absl::StrSplit(value, ',')) {
        request_wants_close_ |=
            absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(token), "close");
      }
    }
  }

  request_headers_.clear();
  if (!has_host) {
    std::string host =
        url.HostIsIPv6() ? absl::StrCat("[", url.host(), "]") : url.host();
    if (url.port() != Url::DefaultPortForScheme(url.scheme()))
      absl::StrAppend(&host, ":", url.port());
    request_headers_.emplace_back("Host", std::move(host));
  }
  if (!has_connection)
    request_headers_.emplace_back("Connection", "keep-alive");
  if (method == "POST") {
    request_headers_.emplace_back("Content-Length",
                                  absl::StrCat(request.upload_body.size()));
  }
  for (const auto& header : request.extra_headers)
    request_headers_.push_back(header);

  auto request_bytes = std::make_shared<std::string>();
  std::string& out = *request_bytes;
  absl::StrAppend(&out, method, " ", url.PathForRequest(), " HTTP/1.1\r\n");
  for (const auto& [name, value] : request_headers_)
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  out += "\r\n";
  out += request.upload_body;
  write_buffer_ = std::move(request_bytes);
  write_offset_ = 0;
  return OK;
}

int HttpBasicStream::SendRequest(const HttpRequestInfo& request,
                                 CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  CHECK(!parser_);
  parser_ = std::make_unique<HttpResponseParser>(request.method == "HEAD");
  int rv = ValidateAndSerialize(request);
  if (rv != OK)
    return rv;
  send_start_ = Now();
  operation_ = Operation::kSend;
  rv = DoWriteLoop();
  if (rv == ERR_IO_PENDING) {
    callback_ = std::move(callback);
    return rv;
  }
  operation_ = Operation::kNone;
  return rv;
}

int HttpBasicStream::DoWriteLoop() {
  while (write_offset_ < write_buffer_->size()) {
    std::shared_ptr<std::string> buffer = write_buffer_;
    int rv =
        socket_->Write(buffer->data() + write_offset_,
                       static_cast<int>(buffer->size() - write_offset_),
                       [weak = weak_factory_.GetWeakPtr(), buffer](int result) {
                         if (HttpBasicStream* self = weak.get())
                           self->OnWriteComplete(result);
                       });
    if (rv == ERR_IO_PENDING) {
      write_pending_ = true;
      return rv;
    }
    if (rv <= 0) {
      int error = rv == 0 ? ERR_CONNECTION_CLOSED : rv;
      return Fail(error, absl::StrCat("sending the request failed: ",
                                      ErrorToShortString(error)));
    }
    write_offset_ += rv;
  }
  send_end_ = Now();
  write_buffer_.reset();
  return OK;
}

void HttpBasicStream::OnWriteComplete(int result) {
  write_pending_ = false;
  int rv;
  if (result <= 0) {
    int error = result == 0 ? ERR_CONNECTION_CLOSED : result;
    rv = Fail(error, absl::StrCat("sending the request failed: ",
                                  ErrorToShortString(error)));
  } else {
    write_offset_ += result;
    rv = DoWriteLoop();
    if (rv == ERR_IO_PENDING)
      return;
  }
  RunCallback(rv);
}

int HttpBasicStream::ReadResponseHeaders(CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  CHECK(parser_);
  if (error_ != OK)
    return error_;
  CHECK(send_end_ != absl::InfinitePast());
  operation_ = Operation::kReadHeaders;
  int rv = DoReadLoop();
  if (rv == ERR_IO_PENDING) {
    callback_ = std::move(callback);
    return rv;
  }
  operation_ = Operation::kNone;
  return rv;
}

int HttpBasicStream::ReadResponseBody(char* buf,
                                      int buf_len,
                                      CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  CHECK(parser_ && parser_->headers_complete());
  CHECK(buf_len > 0);
  operation_ = Operation::kReadBody;
  user_buf_ = buf;
  user_buf_len_ = buf_len;
  int rv = DoReadLoop();
  if (rv == ERR_IO_PENDING) {
    callback_ = std::move(callback);
    return rv;
  }
  operation_ = Operation::kNone;
  return rv;
}

int HttpBasicStream::ReadResponseBodyToEnd(std::string* body,
                                           CompletionOnceCallback callback) {
  CHECK(operation_ == Operation::kNone);
  CHECK(parser_ && parser_->headers_complete());
  CHECK(body);
  operation_ = Operation::kReadToEnd;
  user_body_ = body;
  int rv = DoReadLoop();
  if (rv == ERR_IO_PENDING) {
    callback_ = std::move(callback);
    return rv;
  }
  operation_ = Operation::kNone;
  return rv;
}

bool HttpBasicStream::TryFinishRead(int* result) {
  if (error_ != OK) {
    *result = error_;
    return true;
  }
  switch (operation_) {
    case Operation::kReadHeaders:
      if (!parser_->headers_complete())
        return false;
      receive_headers_end_ = Now();
      if (parser_->response_complete())
        response_end_ = receive_headers_end_;
      *result = OK;
      return true;
    case Operation::kReadBody:
      if (parser_->body_bytes_available() > 0) {
        *result = parser_->ReadBody(user_buf_, user_buf_len_);
        return true;
      }
      if (!parser_->response_complete())
        return false;
      if (response_end_ == absl::InfinitePast())
        response_end_ = Now();
      *result = 0;
      return true;
    case Operation::kReadToEnd: {
      char chunk[4096];
      while (int n = parser_->ReadBody(chunk, sizeof(chunk)))
        user_body_->append(chunk, n);
      if (!parser_->response_complete())
        return false;
      if (response_end_ == absl::InfinitePast())
        response_end_ = Now();
      *result = OK;
      return true;
    }
    case Operation::kNone:
    case Operation::kSend:
      break;
  }
  NOTREACHED();
}

int HttpBasicStream::DoReadLoop() {
  int result;
  while (!TryFinishRead(&result)) {
    if (!read_buffer_)
      read_buffer_ = std::make_shared<std::vector<char>>(kReadBufferSize);
    std::shared_ptr<std::vector<char>> buffer = read_buffer_;
    int rv = socket_->Read(
        buffer->data(), static_cast<int>(buffer->size()),
        [weak = weak_factory_.GetWeakPtr(), buffer](int read_result) {
          if (HttpBasicStream* self = weak.get())
            self->OnReadComplete(read_result);
        });
    if (rv == ERR_IO_PENDING) {
      read_pending_ = true;
      return rv;
    }
    HandleReadResult(rv);
  }
  return result;
}

int HttpBasicStream::HandleReadResult(int result) {
  if (result < 0) {
    return Fail(result, absl::StrCat("reading the response failed: ",
                                     ErrorToShortString(result)));
  }
  if (result == 0) {
    connection_closed_ = true;
    int rv = parser_->OnConnectionClosed();
    if (rv != OK)
      return Fail(rv, parser_->error_message());
    return OK;
  }
  std::string_view data(read_buffer_->data(), result);
  int consumed = parser_->Parse(data);
  if (consumed < 0)
    return Fail(consumed, parser_->error_message());
  if (static_cast<size_t>(consumed) < data.size())
    extra_bytes_after_response_ = true;
  return OK;
}

void HttpBasicStream::OnReadComplete(int result) {
  read_pending_ = false;
  HandleReadResult(result);
  int rv = DoReadLoop();
  if (rv == ERR_IO_PENDING)
    return;
  RunCallback(rv);
}

void HttpBasicStream::RunCallback(int result) {
  operation_ = Operation::kNone;
  user_buf_ = nullptr;
  user_buf_len_ = 0;
  user_body_ = nullptr;
  // May destroy `this`.
  RunStoredCallback(callback_, result);
}

bool HttpBasicStream::IsResponseBodyComplete() const {
  return parser_ && parser_->response_complete();
}

bool HttpBasicStream::CanReuseConnection() const {
  return error_ == OK && IsResponseBodyComplete() && parser_->keep_alive() &&
         !request_wants_close_ && !extra_bytes_after_response_ &&
         !connection_closed_ && !read_pending_ && !write_pending_ &&
         socket_->IsConnected();
}

void HttpBasicStream::GetLoadTimingInfo(
    LoadTimingInfo* load_timing_info) const {
  load_timing_info->send_start = send_start_;
  load_timing_info->send_end = send_end_;
  load_timing_info->receive_headers_end = receive_headers_end_;
  load_timing_info->response_end = response_end_;
}

}  // namespace net
