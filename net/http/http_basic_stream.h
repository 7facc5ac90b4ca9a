#ifndef NET_HTTP_HTTP_BASIC_STREAM_H_
#define NET_HTTP_HTTP_BASIC_STREAM_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"
#include "net/base/load_timing_info.h"
#include "net/event/weak_ptr.h"
#include "net/http/http_request_info.h"
#include "net/http/http_response_headers.h"
#include "net/http/http_response_parser.h"
#include "net/http/http_stream.h"

namespace net {

class EventLoop;
class StreamSocket;

// One HTTP/1.1 request and its response over a connected StreamSocket, like
// Chromium's HttpBasicStream + HttpStreamParser. The socket is borrowed: it
// must outlive the stream, and whoever owns it (a ClientSocketHandle from the
// pool) asks CanReuseConnection() at the end to decide whether it goes back to
// the pool or is closed.
//
// Use: SendRequest, then ReadResponseHeaders, then ReadResponseBody until it
// returns 0. Each returns a result or ERR_IO_PENDING and then runs its callback
// once; only one operation may be outstanding. Errors are net error codes;
// error_message() says what went wrong. Destroying the stream cancels its
// callbacks; if socket I/O is still pending the socket is disconnected, because
// its stream position is unknown. Times come from the current thread's
// EventLoop clock. Network thread only.
class HttpBasicStream : public HttpStream {
 public:
  explicit HttpBasicStream(StreamSocket* socket);
  HttpBasicStream(const HttpBasicStream&) = delete;
  HttpBasicStream& operator=(const HttpBasicStream&) = delete;
  ~HttpBasicStream() override;

  // Validates `request` and writes it. Bad input fails at once, before any byte
  // is sent: ERR_METHOD_NOT_SUPPORTED (not GET/HEAD/POST), ERR_INVALID_URL,
  // ERR_DISALLOWED_URL_SCHEME (not http/https), ERR_INVALID_ARGUMENT (a header
  // name that is not a token, a value with CR/LF/NUL, a framing header, a body
  // on GET/HEAD), ERR_ALPN_NEGOTIATION_FAILED (the socket negotiated something
  // other than HTTP/1.1).
  int SendRequest(const HttpRequestInfo& request,
                  CompletionOnceCallback callback) override;

  // Reads until the final response's headers are complete. OK, or a net error
  // (see HttpResponseParser; socket errors as they come).
  int ReadResponseHeaders(CompletionOnceCallback callback) override;
  // Valid after ReadResponseHeaders succeeded.
  const HttpResponseHeaders& response_headers() const override {
    return parser_->headers();
  }

  // Reads body bytes into `buf` (kept alive by the caller until the callback
  // runs). Returns a byte count, 0 once the body is complete, or a net error.
  int ReadResponseBody(char* buf,
                       int buf_len,
                       CompletionOnceCallback callback) override;
  // Convenience for callers that want everything: appends the rest of the body
  // to `body` and returns OK when it is complete, or a net error.
  int ReadResponseBodyToEnd(std::string* body,
                            CompletionOnceCallback callback) override;

  bool IsResponseBodyComplete() const override;
  // True when the response was read completely, both sides allow keep-alive, no
  // bytes beyond the response arrived, and the socket is still connected.
  bool CanReuseConnection() const override;

  // Fills send_start, send_end, receive_headers_end and response_end (those
  // that happened); leaves the other fields alone.
  void GetLoadTimingInfo(LoadTimingInfo* load_timing_info) const override;

  const char* protocol() const override { return "http/1.1"; }
  const std::string& error_message() const override { return error_message_; }

  // The header lines the last SendRequest() wrote, in order, the stream's own
  // (Host, Connection, Content-Length) included; empty if it failed
  // validation.
  const std::vector<std::pair<std::string, std::string>>& request_headers()
      const override {
    return request_headers_;
  }

 private:
  enum class Operation { kNone, kSend, kReadHeaders, kReadBody, kReadToEnd };

  int Fail(int error, std::string message);
  int ValidateAndSerialize(const HttpRequestInfo& request);
  int DoWriteLoop();
  void OnWriteComplete(int result);
  // Reads from the socket until the current operation can finish.
  int DoReadLoop();
  void OnReadComplete(int result);
  // Feeds a socket read result to the parser; OK or an error.
  int HandleReadResult(int result);
  // Whether the current read operation can return now, and with what.
  bool TryFinishRead(int* result);
  void RunCallback(int result);
  absl::Time Now() const;

  StreamSocket* const socket_;
  EventLoop* const loop_;

  std::unique_ptr<HttpResponseParser> parser_;
  std::vector<std::pair<std::string, std::string>> request_headers_;
  bool request_wants_close_ = false;
  bool extra_bytes_after_response_ = false;
  bool connection_closed_ = false;
  int error_ = 0;
  std::string error_message_;

  // Shared with the socket's pending callback, so a socket that outlives the
  // stream never writes into freed memory.
  std::shared_ptr<std::string> write_buffer_;
  size_t write_offset_ = 0;
  std::shared_ptr<std::vector<char>> read_buffer_;
  bool write_pending_ = false;
  bool read_pending_ = false;

  Operation operation_ = Operation::kNone;
  CompletionOnceCallback callback_;
  char* user_buf_ = nullptr;
  int user_buf_len_ = 0;
  std::string* user_body_ = nullptr;

  absl::Time send_start_ = absl::InfinitePast();
  absl::Time send_end_ = absl::InfinitePast();
  absl::Time receive_headers_end_ = absl::InfinitePast();
  absl::Time response_end_ = absl::InfinitePast();

  WeakPtrFactory<HttpBasicStream> weak_factory_{this};
};

}  // namespace net

#endif  // NET_HTTP_HTTP_BASIC_STREAM_H_
