#ifndef NET_SPDY_HTTP2_STREAM_H_
#define NET_SPDY_HTTP2_STREAM_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"
#include "net/event/weak_ptr.h"
#include "net/http/http_stream.h"
#include "net/log/net_log_with_source.h"

namespace net {

class EventLoop;
class Http2Session;

// One request/response exchange on an HTTP/2 session (Chromium's
// SpdyHttpStream + SpdyStream in one), behind the same HttpStream interface
// and load timing as HttpBasicStream. SendRequest validates the request with
// CheckHttpRequest, turns it into HEADERS (pseudo-headers from the URL, names
// lowercased, HTTP/1.1 connection-specific fields dropped as RFC 9113 8.2.2
// requires) and completes once the request's last frame is on the wire -
// later if the session queued it behind SETTINGS_MAX_CONCURRENT_STREAMS.
// The body is buffered up to the stream's flow-control window; reading it
// gives the credit back to the server.
//
// Errors: the session's error if it ended, ERR_HTTP2_SERVER_REFUSED_STREAM if
// the server refused the stream or said GOAWAY below it (the request was not
// processed: safe to retry on another connection, see IsRetryableOnNewSession),
// ERR_HTTP2_RST_STREAM_NO_ERROR_RECEIVED / ERR_HTTP2_PROTOCOL_ERROR for other
// resets, ERR_RESPONSE_HEADERS_TOO_BIG. Destroying the stream resets it
// (CANCEL) if it is still open. The session is not owned; the stream notices
// when it goes. Callbacks are posted, never run from inside nghttp2 or a call
// on the stream. Network thread only.
class Http2Stream : public HttpStream {
 public:
  explicit Http2Stream(Http2Session* session);
  Http2Stream(const Http2Stream&) = delete;
  Http2Stream& operator=(const Http2Stream&) = delete;
  ~Http2Stream() override;

  // HttpStream:
  int SendRequest(const HttpRequestInfo& request,
                  CompletionOnceCallback callback) override;
  int ReadResponseHeaders(CompletionOnceCallback callback) override;
  const HttpResponseHeaders& response_headers() const override {
    return headers_;
  }
  int ReadResponseBody(char* buf,
                       int buf_len,
                       CompletionOnceCallback callback) override;
  int ReadResponseBodyToEnd(std::string* body,
                            CompletionOnceCallback callback) override;
  bool IsResponseBodyComplete() const override;
  bool CanReuseConnection() const override;
  void GetLoadTimingInfo(LoadTimingInfo* load_timing_info) const override;
  const std::vector<std::pair<std::string, std::string>>& request_headers()
      const override {
    return request_headers_;
  }
  const char* protocol() const override { return "h2"; }
  const std::string& error_message() const override { return error_message_; }

  // The stream id nghttp2 gave the request (0 before SendRequest).
  int32_t stream_id() const { return stream_id_; }
  // Unread body bytes the stream holds (bounded by its window).
  size_t buffered_body_bytes() const {
    return body_buffer_.size() - body_offset_;
  }

  // True for errors after which the request may be sent again on another
  // session: the server said it did not process it.
  static bool IsRetryableOnNewSession(int error);

 private:
  friend class Http2Session;
  friend struct Http2SessionCallbacks;
  enum class Operation { kNone, kSend, kReadHeaders, kReadBody, kReadToEnd };

  // Called by the session (from its nghttp2 callbacks): state only; the
  // user's callback runs later from a posted task.
  // False when the header makes the response malformed (the stream has
  // failed then and the session resets it).
  bool OnHeader(const std::string& name, const std::string& value);
  // A HEADERS frame ended. `end_stream` when it also ended the response.
  void OnHeadersFrame(bool end_stream);
  void OnData(const uint8_t* data, size_t length);
  void OnEndStream();
  void OnRequestSent();
  void OnClose(int error, std::string message);
  void OnSessionGone();

  int Fail(int error, std::string message);
  // Starts `operation`: its result now if it can finish, else ERR_IO_PENDING
  // with `callback` kept for later.
  int StartOperation(Operation operation, CompletionOnceCallback callback);
  // Whether the current operation can finish now, and with what.
  bool TryFinish(int* result);
  void ScheduleNotify();
  void Notify();
  size_t TakeBody(char* buf, size_t len);
  absl::Time Now() const;

  Http2Session* session_;
  EventLoop* const loop_;
  // The session's log (HTTP2_STREAM events), once the stream started.
  NetLogWithSource net_log_;
  int32_t stream_id_ = 0;
  std::vector<std::pair<std::string, std::string>> request_headers_;
  std::string upload_body_;
  size_t upload_offset_ = 0;

  HttpResponseHeaders headers_;
  size_t header_bytes_ = 0;
  bool headers_complete_ = false;
  bool request_sent_ = false;
  bool end_stream_received_ = false;
  bool closed_ = false;
  bool head_request_ = false;
  int error_ = 0;
  std::string error_message_;

  std::string body_buffer_;
  size_t body_offset_ = 0;

  Operation operation_ = Operation::kNone;
  CompletionOnceCallback callback_;
  char* user_buf_ = nullptr;
  int user_buf_len_ = 0;
  std::string* user_body_ = nullptr;
  bool notify_posted_ = false;

  absl::Time send_start_ = absl::InfinitePast();
  absl::Time send_end_ = absl::InfinitePast();
  absl::Time receive_headers_end_ = absl::InfinitePast();
  absl::Time response_end_ = absl::InfinitePast();

  WeakPtrFactory<Http2Stream> weak_factory_{this};
};

}  // namespace net

#endif  // NET_SPDY_HTTP2_STREAM_H_
